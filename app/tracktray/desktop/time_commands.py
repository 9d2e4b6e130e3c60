"""What Add time…, Free time… and Reports… do (the controller hands them here).

Each opens its window for the active account; the windows send their requests on the
account's lane themselves. The reports window is imported on first use only: it is the
biggest window and most sessions never open it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtWidgets import QWidget

from tracktray.desktop.commands import Kind
from tracktray.desktop.session import Session

__all__ = ["TIME_KINDS", "open_time_window"]

TIME_KINDS = frozenset({Kind.ADD_TIME, Kind.FREE_TIME, Kind.REPORTS, Kind.SEND_HISTORY})

#: (kind, window, the account it acts on: it closes when another account becomes active)
ShowDialog = Callable[[str, QWidget, str], None]


def open_time_window(
    kind: Kind,
    session: Session,
    recent_ids: Sequence[int],
    show_dialog: ShowDialog,
    data_dir: Path,
) -> None:
    """Open the window of one of :data:`TIME_KINDS` for the session's account."""
    if kind not in TIME_KINDS or session.account is None:
        return
    account_id = session.account.id
    if kind is Kind.ADD_TIME:
        from tracktray.desktop.add_time import AddTimeDialog

        show_dialog("add-time", AddTimeDialog(session, recent_ids=recent_ids), account_id)
    elif kind is Kind.FREE_TIME:
        from tracktray.desktop.free_time import FreeTimeDialog

        show_dialog("free-time", FreeTimeDialog(session, recent_ids=recent_ids), account_id)
    elif kind is Kind.SEND_HISTORY:
        from tracktray.desktop.history_import import HistoryImport

        show_dialog("send-history", HistoryImport(session, data_dir), account_id)
    elif kind is Kind.REPORTS:
        from tracktray.desktop.reports import open_reports

        show_dialog("reports", open_reports(session), account_id)
