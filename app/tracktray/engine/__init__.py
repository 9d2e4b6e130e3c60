"""The embedded engine: tracked time over SQLAlchemy, with no HTTP in it.

``Engine.open(url)`` opens a SQLite file (WAL) or a PostgreSQL database and upgrades its
schema; the TrackMyPeople server and local mode both call its methods.
"""

from __future__ import annotations

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
    from typing import Any

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


def __getattr__(name: str) -> Any:
    # The Engine (SQLAlchemy, ~30 MiB) loads on first use: the plain read path
    # (``tracktray.engine.readpath``) and the errors are usable without it.
    if name in ("Clock", "Engine"):
        from tracktray.engine import engine

        return getattr(engine, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
