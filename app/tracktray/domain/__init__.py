"""Pure values shared by every layer: no I/O, no Qt, no HTTP."""

from tracktray.domain.model import (
    Block,
    Profile,
    ReportQuery,
    RunningBlock,
    Status,
    TrackerRef,
    UpdateCheck,
)
from tracktray.domain.trackertree import Tracker, TrackerTree

__all__ = [
    "Block",
    "Profile",
    "ReportQuery",
    "RunningBlock",
    "Status",
    "Tracker",
    "TrackerRef",
    "TrackerTree",
    "UpdateCheck",
]
