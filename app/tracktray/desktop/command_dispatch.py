"""What each command does: the widget's one dispatch table, and the account commands.

This is the part of :class:`~tracktray.desktop.controller.TrayApp` that turns a
:class:`~tracktray.desktop.commands.Command` into an action; it lives apart so the
controller keeps to wiring the pieces and reacting to them. Menu entries, notification
actions and the bench's clicks all arrive at :meth:`CommandDispatch.dispatch`: an entry
chosen from a menu whose state moved on is first read again against the status now
(``stale.py``), then its handler in :meth:`CommandDispatch._command_table` runs. Clicks go
to the session; windows open through ``window_opening.py``.

:class:`CommandDispatch` is a mixin: it holds no state of its own and works on the app's
attributes, declared below for the type checker only.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from tracktray.accounts.kinds import kind_of
from tracktray.desktop.commands import Command, Kind
from tracktray.desktop.failures import Notice
from tracktray.desktop.stale import as_labelled
from tracktray.desktop.time_commands import TIME_KINDS, open_time_window
from tracktray.desktop.timetrack_commands import JOURNALED, open_attendances
from tracktray.i18n import _
from tracktray.store.settings import AccountConfig, Settings

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from tracktray.desktop.dialogs import Windows
    from tracktray.desktop.passwords import SecretKeeper
    from tracktray.desktop.session import Session
    from tracktray.desktop.signin import SignInDialog
    from tracktray.desktop.update import UpdateChecker

__all__ = ["CommandDispatch"]


class CommandDispatch:
    """Dispatching commands for :class:`TrayApp`; switching and signing out of accounts."""

    if TYPE_CHECKING:  # the app's own, declared for the type checker
        session: Session
        secrets: SecretKeeper
        updates: UpdateChecker
        windows: Windows
        _commands: dict[Kind, Callable[[object], object]]
        _data_dir: Path
        _quit_app: Callable[[], None]

        @property
        def settings(self) -> Settings: ...

        def announce(self, notice: Notice) -> None: ...

        def open_sign_in(self, account: AccountConfig | None) -> SignInDialog: ...

        def _open_settings(self) -> None: ...

        def _ask_description(self, *, switching: bool) -> None: ...

        def _show_dialog(
            self, key: str, dialog: QWidget, account_id: str | None = None
        ) -> None: ...

        def _open(self, account: AccountConfig, secret: str | None = None) -> None: ...

        def _change(self, change: Callable[[Settings], Settings]) -> None: ...

    def dispatch(self, command: Command) -> None:
        labelled = as_labelled(command, self.session.status)
        if isinstance(labelled, str):
            self.announce(Notice(_("Nothing to do"), labelled))
            return
        handler = self._commands.get(labelled.kind)
        if handler is not None:
            handler(labelled.target)

    def _command_table(self) -> dict[Kind, Callable[[object], object]]:
        """What each command does: the widget's one dispatch table (menu entries,
        notification actions and the bench's clicks all arrive here)."""
        session = self.session

        def tracker(target: object) -> int | None:
            return target if isinstance(target, int) else None

        def journaled(name: str) -> Callable[[object], None]:
            return lambda _target: session.record(name, {})

        def time_window(kind: Kind) -> Callable[[object], None]:
            return lambda _target: open_time_window(
                kind, session, self._recent_trackers(), self._show_dialog, self._data_dir
            )

        def manage_trackers(_target: object) -> None:
            from tracktray.desktop.manage_trackers import ManageTrackersDialog  # on first use

            self._show_dialog("trackers", ManageTrackersDialog(session))

        def use_account(target: object) -> None:
            if isinstance(target, str):
                self.use_account(target)

        table: dict[Kind, Callable[[object], object]] = {
            Kind.START: lambda target: session.start(tracker(target)),
            Kind.SWITCH: lambda target: session.switch(tracker(target)),
            Kind.STOP: lambda _target: session.stop(),
            Kind.STOP_DESCRIBED: lambda _target: self._ask_description(switching=False),
            Kind.SWITCH_DESCRIBED: lambda _target: self._ask_description(switching=True),
            Kind.USE_ACCOUNT: use_account,
            Kind.ADD_ACCOUNT: lambda _target: self.open_sign_in(None),
            Kind.SIGN_IN: lambda _target: self.open_sign_in(session.account),
            Kind.SIGN_OUT: lambda _target: self.sign_out(),
            Kind.MANAGE_TRACKERS: manage_trackers,
            Kind.SETTINGS: lambda _target: self._open_settings(),
            Kind.CHECK_UPDATES: lambda _target: self.updates.check_now(),
            Kind.SHOW_UPDATE: lambda _target: self.updates.show_offer(),
            Kind.ATTENDANCES: lambda _target: open_attendances(session, self._show_dialog),
            Kind.QUIT: lambda _target: self._quit_app(),
        }
        table.update({kind: journaled(name) for kind, name in JOURNALED.items()})
        table.update({kind: time_window(kind) for kind in TIME_KINDS})
        return table

    def _recent_trackers(self) -> list[int]:
        account = self.session.account
        return self.settings.preferences.recent_trackers.get(account.id if account else "", [])

    def use_account(self, account_id: str) -> None:
        account = self.settings.account(account_id)
        if account is None or (account == self.session.account and self.session.backend):
            return
        self._change(lambda s: dataclasses.replace(s, active_account_id=account_id))
        self._open(account)

    def sign_out(self) -> None:
        account = self.session.account
        if account is None or not kind_of(account).signs_in:
            return
        self.secrets.forget(account.id)
        self.windows.close_bound(keep_account=None)
        self.session.sign_out()
