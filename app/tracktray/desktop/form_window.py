"""What the widget's small forms share: a non-modal window, a message line, the lane.

A form (Add time, Free time) is a plain top-level window: never modal, no nested event
loop. Its request goes to the account's lane through :meth:`Session.run_on_backend`;
the answer arrives on the Qt thread and is dropped when the window is gone by then.
The message line shows one plain sentence — a problem in red, a success in the normal
colour — and may carry a link (the edit page of an overlapped block).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from tracktray.accounts import Backend
from tracktray.accounts.replay import Outcome as SentOutcome
from tracktray.contracts import Refused
from tracktray.desktop.session import Session
from tracktray.desktop.windows import place_centred
from tracktray.i18n import _

_R = TypeVar("_R")

__all__ = ["FormWindow"]


class FormWindow(QWidget):
    #: a request finished: (True, what was done) or (False, the sentence shown)
    finished_request = Signal(bool, str)

    def __init__(self, session: Session, title: str, action: str) -> None:
        super().__init__(None, Qt.WindowType.Window)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.session = session
        self.message = QLabel("")
        self.message.setWordWrap(True)
        grow = QSizePolicy.Policy.MinimumExpanding
        self.message.setSizePolicy(QSizePolicy.Policy.Preferred, grow)
        self.message.setTextFormat(Qt.TextFormat.RichText)
        self.message.setOpenExternalLinks(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.action_button = QPushButton(action)
        self.action_button.setDefault(True)
        self.close_button = QPushButton(_("Close"))
        self.close_button.clicked.connect(self.close)
        self.body = QVBoxLayout()
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.action_button)
        layout = QVBoxLayout(self)
        layout.addLayout(self.body)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

    def place(self) -> None:
        self.adjustSize()
        self.resize(max(self.width(), 460), self.height())
        place_centred(self)

    def say(
        self, sentence: str, *, problem: bool = False, link: tuple[str, str] | None = None
    ) -> None:
        """Show ``sentence`` (plain text), optionally followed by a link (url, label)."""
        text = html.escape(sentence)
        if link is not None:
            url, label = link
            text += f' <a href="{html.escape(url, quote=True)}">{html.escape(label)}</a>'
        # not translated: markup around a translated sentence
        self.message.setText(f'<span style="color:#b00020">{text}</span>' if problem else text)
        self._fit()

    def _fit(self) -> None:
        """Grow to show the whole message: a wrapped label does not ask for room itself."""
        layout = self.layout()
        if layout is not None:
            layout.activate()
        wanted = self.sizeHint()
        if wanted.height() > self.height() or wanted.width() > self.width():
            self.resize(max(self.width(), wanted.width()), max(self.height(), wanted.height()))

    @property
    def message_text(self) -> str:
        """The message as the person reads it (no markup)."""
        return html.unescape(_strip_tags(self.message.text()))

    def run(
        self,
        work: Callable[[Backend], Any],
        done: Callable[[Any], None],
        failed: Callable[[Exception], None],
    ) -> None:
        """``work`` on the account's lane; the callbacks only while this window lives."""

        def alive(callback: Callable[[Any], None]) -> Callable[[Any], None]:
            def call(value: Any) -> None:
                if shiboken6.isValid(self):
                    callback(value)

            return call

        self.session.run_on_backend(work, alive(done), alive(failed))

    def begin_request(self, check: Callable[[], _R]) -> _R | None:
        """The checked request, with the button off and "Sending…" shown; None when a
        request is already on its way or the input is wrong (its sentence then shown)."""
        if not self.action_button.isEnabled():
            return None  # one request at a time
        try:
            request = check()
        except ValueError as exc:
            self.say(str(exc), problem=True)
            self.finished_request.emit(False, str(exc))
            return None
        self.action_button.setEnabled(False)
        self.say(_("Sending…"))
        return request

    def record(
        self,
        kind: str,
        args: dict[str, Any],
        done: Callable[[Any], None],
        refused: Callable[[Exception], None],
    ) -> None:
        """Send a change through the journal: written with its time first, so a server
        that is away keeps it and gets it later. ``done`` gets what the call returned
        (None when the server had it already), ``refused`` the server's refusal."""

        def result(outcome: SentOutcome) -> None:
            if not shiboken6.isValid(self):
                return
            if outcome.state == "done":
                done(outcome.value)
            else:
                refused(outcome.error or Refused(outcome.sentence))

        def kept(state: str, sentence: str) -> None:
            if state == "waiting" and shiboken6.isValid(self):
                self.action_button.setEnabled(True)
                self.say(sentence)
                self.finished_request.emit(True, sentence)

        self.session.record(kind, args, needs_tracking=False, on_outcome=kept, on_result=result)


def _strip_tags(text: str) -> str:
    return re.sub(r"<[^>]+>", "", text)
