"""The contracts every layer above the domain shares: the error tree and what an account
can do.

They sit at the bottom of the import graph (only :mod:`tracktray.domain` is below), so
the engine, the clients, the stores, the accounts and both faces raise and catch the very
same exceptions and speak of the same capabilities, with no cycle between packages
(``pyproject.toml`` declares the layers; ``lint-imports`` checks them).

The error tree is imported eagerly (every layer raises it); :class:`Backend` and
:class:`Capability` load on first use (PEP 562), since they pull in the whole domain
model, which a command such as ``tracktray status`` reaches only when it needs it.
"""

from __future__ import annotations

from tracktray._lazy import lazy_exports
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

TYPE_CHECKING = False  # typing itself is not imported at run time (a few ms per command)
if TYPE_CHECKING:
    from tracktray.contracts.backend import Backend, Capability, TrackerManager

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

__getattr__ = lazy_exports(
    __name__,
    dict.fromkeys(("Backend", "Capability", "TrackerManager"), "tracktray.contracts.backend"),
)
