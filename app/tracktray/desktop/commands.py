"""What a menu entry, a button or a notification asks the widget to do.

Every action of the menu carries a :class:`Command` (``action.data()``), so the menu is
built by a plain function from state and tests drive it through ``menu.actions()`` and
``trigger()`` without knowing which method runs.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

__all__ = ["Command", "Kind"]


class Kind(enum.Enum):
    START = "start"
    STOP = "stop"
    STOP_DESCRIBED = "stop-described"
    SWITCH = "switch"
    SWITCH_DESCRIBED = "switch-described"
    USE_ACCOUNT = "use-account"
    ADD_ACCOUNT = "add-account"
    SIGN_IN = "sign-in"
    SIGN_OUT = "sign-out"
    MANAGE_TRACKERS = "manage-trackers"
    SETTINGS = "settings"
    CHECK_UPDATES = "check-updates"
    SHOW_UPDATE = "show-update"
    QUIT = "quit"
    # accounts with Capability.PAUSE / Capability.ATTENDANCE (desktop/timetrack_menu.py)
    PAUSE = "pause"
    RESUME = "resume"
    CLOCK_IN = "clock-in"
    CLOCK_OUT = "clock-out"
    ATTENDANCES = "attendances"
    # time in the past and reports (desktop/time_commands.py)
    ADD_TIME = "add-time"
    FREE_TIME = "free-time"
    REPORTS = "reports"
    SEND_HISTORY = "send-history"


@dataclass(frozen=True, slots=True)
class Command:
    kind: Kind
    #: the tracker id (START/SWITCH) or the account id (USE_ACCOUNT); None otherwise
    target: int | str | None = None
