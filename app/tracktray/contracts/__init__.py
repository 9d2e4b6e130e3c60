"""The contracts every layer above the domain shares: the error tree and what an account
can do.

They sit at the bottom of the import graph (only :mod:`tracktray.domain` is below), so
the engine, the clients, the stores, the accounts and both faces raise and catch the very
same exceptions and speak of the same capabilities, with no cycle between packages
(``pyproject.toml`` declares the layers; ``lint-imports`` checks them).
"""

from tracktray.contracts.backend import Backend, Capability, TrackerManager
from tracktray.contracts.errors import (
    AuthenticationFailed,
    NotFound,
    Overlap,
    PermissionDenied,
    ProtocolError,
    Refused,
    ServerUnavailable,
    TimeNotApplied,
    TrackTrayError,
    ValidationFailed,
)

__all__ = [
    "AuthenticationFailed",
    "Backend",
    "Capability",
    "NotFound",
    "Overlap",
    "PermissionDenied",
    "ProtocolError",
    "Refused",
    "ServerUnavailable",
    "TimeNotApplied",
    "TrackTrayError",
    "TrackerManager",
    "ValidationFailed",
]
