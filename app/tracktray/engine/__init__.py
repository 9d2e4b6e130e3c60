"""The embedded engine: tracked time over SQLAlchemy, with no HTTP in it.

``Engine.open(url)`` opens a SQLite file (WAL) or a PostgreSQL database and upgrades its
schema; the TrackMyPeople server and local mode both call its methods.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tracktray.engine.errors import (
    EngineError,
    NotAllowed,
    NotFound,
    Overlap,
    Refused,
    ValidationError,
)

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


def __getattr__(name: str) -> Any:
    # The Engine (SQLAlchemy, ~30 MiB) loads on first use: the plain read path
    # (``tracktray.engine.readpath``) and the errors are usable without it.
    if name in ("Clock", "Engine"):
        from tracktray.engine import engine

        return getattr(engine, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
