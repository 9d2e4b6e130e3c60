"""The tray icon's tooltip: what runs, since when, today's total, and a warning for a
block that crossed midnight. One function for the first stage, which draws the status
remembered from the last run before the app is loaded (``first_stage.py``), and for
:class:`~tracktray.desktop.tray.TrayView`, so both draw the same words.
"""

from __future__ import annotations

import datetime as dt

from tracktray.desktop.away_text import long_block_flag
from tracktray.desktop.text import tooltip_text
from tracktray.domain.status import Status

__all__ = ["tray_tooltip"]


def tray_tooltip(
    status: Status | None, now: dt.datetime, *, account_label: str, problem: str
) -> str:
    tooltip = tooltip_text(status, now, account_label=account_label, problem=problem)
    block = status.running if status is not None else None
    flag = long_block_flag(block.started_at, now) if block is not None else None
    return f"{tooltip}\n{flag}" if flag else tooltip
