"""Answering another ``tracktray``: a second start shows the menu, ``status`` asks the widget.

This is the part of :class:`~tracktray.desktop.controller.TrayApp` that answers what
comes in over the single-instance socket (``single_instance.py``); it lives apart so the
controller keeps to wiring the pieces and reacting to them. A second ``tracktray``
started shows this one's menu; ``tracktray status`` on a server account is answered from
the widget's status while it stands, else from its own poll, so the CLI does not open a
second connection to ask.

:class:`InstanceRequests` is a mixin: it holds no state of its own and works on the
app's attributes, declared below for the type checker only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer

from tracktray.accounts.kinds import kind_of
from tracktray.desktop.single_instance import Reply
from tracktray.domain.statuswire import status_to_json

if TYPE_CHECKING:
    from tracktray.desktop.session import Session
    from tracktray.desktop.tray import TrayView
    from tracktray.domain import Status
    from tracktray.store.settings import AccountConfig

    # for the type checker the mixin is the QObject it is mixed into (timers' context)
    _AppBase = QObject
else:
    _AppBase = object

__all__ = ["STATUS_ANSWER_MS", "InstanceRequests"]

#: how long ``tracktray status`` may wait for the widget's poll before asking itself
STATUS_ANSWER_MS = 8000


class InstanceRequests(_AppBase):
    """What :class:`TrayApp` answers to another ``tracktray`` process."""

    if TYPE_CHECKING:  # the app's own, declared for the type checker
        session: Session
        view: TrayView

    def answer_status(self, reply: Reply) -> None:
        """``tracktray status`` asked: answer the open server account's status.

        The status the tray draws, when it still stands (:meth:`Session.standing_status`:
        confirmed by the server within one poll interval, nothing waiting), at once;
        else a poll's answer. The answer names the account, so the CLI uses it only for
        the same one; None (local mode, which the CLI reads itself as cheaply, or no
        account ready) means "ask yourself". A poll already on its way serves; no answer
        within :data:`STATUS_ANSWER_MS` is None too.
        """
        session = self.session
        account = session.account
        if account is None or session.backend is None or not kind_of(account).signs_in:
            reply(None)
            return
        standing = session.standing_status()
        if standing is not None:
            reply(_answer(account, standing))
            return
        answered = False

        def answer(ok: bool) -> None:
            nonlocal answered
            if answered:
                return
            answered = True
            session.polled.disconnect(answer)
            status = session.server_status
            if not ok or status is None or session.account is not account:
                reply(None)
                return
            reply(_answer(account, status))

        session.polled.connect(answer)
        QTimer.singleShot(STATUS_ANSWER_MS, self, lambda: answer(False))
        session.poll_now()

    def show_menu(self) -> None:
        """Another ``tracktray`` was started: show this one's menu where the person is."""
        if self.view.window is not None:
            self.view.window.show()
            self.view.window.raise_()
            self.view.window.activateWindow()
        self.view.show_menu()


def _answer(account: AccountConfig, status: Status) -> dict[str, Any]:
    """The answer's JSON: the account it is about (the CLI checks it), and its status."""
    return {
        "account": {"id": account.id, "url": account.url, "username": account.username},
        "status": status_to_json(status),
    }
