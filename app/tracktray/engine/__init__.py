"""The embedded engine: tracked time over SQLAlchemy, with no HTTP in it.

``Engine.open(url)`` opens a SQLite file (WAL) or a PostgreSQL database and upgrades its
schema; the TrackMyPeople server and local mode both call its methods.
"""

from tracktray.engine.engine import Clock, Engine
from tracktray.engine.errors import (
    EngineError,
    NotAllowed,
    NotFound,
    Overlap,
    Refused,
    ValidationError,
)

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
