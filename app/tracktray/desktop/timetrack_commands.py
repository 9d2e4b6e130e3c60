"""What the pause, clock and Attendances commands do (entries of the controller's table).

Pause, resume, clock in and clock out are actions like start and stop: they are written
to the journal with the time of the click and sent through :meth:`Session.record`, the
icon waits, and the status that follows
the action redraws the menu. The Attendances window reaches the account's attendance face
through the session, on the account's lane.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QWidget

from tracktray.accounts import Backend
from tracktray.contracts import Refused
from tracktray.desktop.commands import Kind
from tracktray.desktop.session import Session
from tracktray.i18n import _

if TYPE_CHECKING:
    from tracktray.accounts.timetrack import AttendanceBackend

__all__ = ["JOURNALED", "open_attendances"]

ShowDialog = Callable[[str, QWidget, str], None]
#: commands written to the journal like start and stop (the kind the journal names)
JOURNALED = {
    Kind.PAUSE: "pause",
    Kind.RESUME: "resume",
    Kind.CLOCK_IN: "clock_in",
    Kind.CLOCK_OUT: "clock_out",
}


def open_attendances(session: Session, show_dialog: ShowDialog) -> None:
    from tracktray.accounts.timetrack import attendance_of  # with the window: not at start-up
    from tracktray.desktop.attendances import AttendancesWindow

    backend, account = session.backend, session.account
    if backend is None or account is None or attendance_of(backend) is None:
        return

    def record(kind: str, args: dict[str, Any], outcome: Callable[[str, str], None]) -> None:
        session.record(kind, args, needs_tracking=False, on_outcome=outcome)

    def run(
        work: Callable[[AttendanceBackend], Any],
        on_success: Callable[[Any], None],
        on_failure: Callable[[Exception], None],
    ) -> None:
        def on_face(opened: Backend) -> Any:
            face = attendance_of(opened)
            if face is None:
                raise Refused(_("This account keeps no attendance."))
            return work(face)

        session.run_on_backend(on_face, on_success, on_failure)

    window = AttendancesWindow(run, record=record)
    window.changed.connect(session.poll_now)
    show_dialog("attendances", window, account.id)  # closes when the account changes
