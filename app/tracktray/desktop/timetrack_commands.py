"""What the pause, clock and Attendances commands do (the controller hands them here).

Pause, resume, clock in and clock out are actions like start and stop: they run on the
account's lane through :meth:`Session.act`, the icon waits, and the status that follows
the action redraws the menu. The Attendances window gets the account's attendance face.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject

from tracktray.accounts import Backend
from tracktray.accounts.timetrack import (
    AttendanceBackend,
    PausableBackend,
    attendance_of,
    pausable,
)
from tracktray.api import Refused
from tracktray.desktop.commands import Command, Kind
from tracktray.desktop.session import Session
from tracktray.desktop.tasks import TaskBridge

__all__ = ["TIMETRACK_KINDS", "handle_command"]

TIMETRACK_KINDS = frozenset(
    {Kind.PAUSE, Kind.RESUME, Kind.CLOCK_IN, Kind.CLOCK_OUT, Kind.ATTENDANCES}
)

ShowDialog = Callable[[str, QObject], None]


def handle_command(
    command: Command, session: Session, bridge: TaskBridge, show_dialog: ShowDialog
) -> bool:
    """Run one of :data:`TIMETRACK_KINDS`; False for any other command."""
    kind = command.kind
    if kind is Kind.PAUSE:
        session.act(lambda b: _timer(b).pause())
    elif kind is Kind.RESUME:
        session.act(lambda b: _timer(b).resume())
    elif kind is Kind.CLOCK_IN:
        session.act(lambda b: _clock(b).clock_in())
    elif kind is Kind.CLOCK_OUT:
        session.act(lambda b: _clock(b).clock_out())
    elif kind is Kind.ATTENDANCES:
        _open_attendances(session, bridge, show_dialog)
    else:
        return False
    return True


def _timer(backend: Backend) -> PausableBackend:
    face = pausable(backend)
    if face is None:
        raise Refused("This account's timer cannot pause.")
    return face


def _clock(backend: Backend) -> AttendanceBackend:
    face = attendance_of(backend)
    if face is None:
        raise Refused("This account keeps no attendance.")
    return face


def _open_attendances(session: Session, bridge: TaskBridge, show_dialog: ShowDialog) -> None:
    from tracktray.desktop.attendances import AttendancesWindow

    backend, account = session.backend, session.account
    face = attendance_of(backend) if backend is not None else None
    if face is None or account is None:
        return
    window = AttendancesWindow(face, bridge, account.id)
    window.changed.connect(session.poll_now)
    show_dialog("attendances", window)
