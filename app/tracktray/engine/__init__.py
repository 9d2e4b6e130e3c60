"""The embedded engine: tracked time over SQLAlchemy, with no HTTP in it.

``Engine.open(url)`` opens a SQLite file (WAL) or a PostgreSQL database and upgrades its
schema; the TrackMyPeople server and local mode both call its methods.
"""

from __future__ import annotations

from tracktray._lazy import lazy_exports
from tracktray.engine.errors import (
    EngineError,
    NotAllowed,
    NotFound,
    Overlap,
    Refused,
    ValidationError,
)

TYPE_CHECKING = False  # typing is not imported at run time (the CLI reads through here)
if TYPE_CHECKING:
    from tracktray.engine.engine import Clock, Engine

__all__ = [
    "Clock",
    "Engine",
    "EngineError",
    "NotAllowed",
    "NotFound",
    "Overlap",
    "Refused",
    "ValidationError",
]


# The Engine (SQLAlchemy, ~30 MiB) loads on first use: the plain read path and clicks
# (``tracktray.engine.readpath``, ``.plainwrite``) and the errors are usable without it.
__getattr__ = lazy_exports(__name__, dict.fromkeys(("Clock", "Engine"), "tracktray.engine.engine"))
