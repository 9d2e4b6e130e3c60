"""The reports window, imported on first open only (most sessions never open it).

Nothing here is imported at start-up: :mod:`tracktray.desktop.time_commands` imports
this package when Reports… is chosen, so the widget's start-up time and memory do not
pay for the window, its chart and its exports.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tracktray.desktop.reports.window import ReportsWindow
    from tracktray.desktop.session import Session

__all__ = ["open_reports"]


def open_reports(session: Session) -> ReportsWindow:
    from tracktray.desktop.reports.window import ReportsWindow

    return ReportsWindow(session)
