"""Clients for the TrackMyPeople and TimeTrack APIs (standard-library HTTP, no Qt).

The error tree is imported eagerly; the clients are loaded on first use (PEP 562), so
that code which only needs the errors (the CLI before it knows whether the account is
remote) does not pay for importing them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tracktray._lazy import lazy_exports
from tracktray.contracts.errors import (
    AuthenticationFailed,
    Overlap,
    PermissionDenied,
    ProtocolError,
    Refused,
    ServerUnavailable,
    TimeNotApplied,
    TrackTrayError,
    ValidationFailed,
)

if TYPE_CHECKING:
    from tracktray.api._http import make_http_client, normalize_base_url
    from tracktray.api._retry import RetryPolicy
    from tracktray.api._timetrack_http import timetrack_base_url
    from tracktray.api.timetrack import TimeTrackClient
    from tracktray.api.trackmypeople import TrackMyPeopleClient

__all__ = [
    "AuthenticationFailed",
    "Overlap",
    "PermissionDenied",
    "ProtocolError",
    "Refused",
    "RetryPolicy",
    "ServerUnavailable",
    "TimeNotApplied",
    "TimeTrackClient",
    "TrackMyPeopleClient",
    "TrackTrayError",
    "ValidationFailed",
    "make_http_client",
    "normalize_base_url",
    "timetrack_base_url",
]

_LAZY = {
    "TimeTrackClient": "tracktray.api.timetrack",
    "TrackMyPeopleClient": "tracktray.api.trackmypeople",
    "RetryPolicy": "tracktray.api._retry",
    "make_http_client": "tracktray.api._http",
    "normalize_base_url": "tracktray.api._http",
    "timetrack_base_url": "tracktray.api._timetrack_http",
}


__getattr__ = lazy_exports(__name__, _LAZY)
