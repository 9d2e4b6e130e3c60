"""Clients for the TrackMyPeople and TimeTrack APIs (httpx, no Qt)."""

from tracktray.api._errors import (
    AuthenticationFailed,
    Overlap,
    PermissionDenied,
    ProtocolError,
    Refused,
    ServerUnavailable,
    TrackTrayError,
    ValidationFailed,
)

__all__ = [
    "AuthenticationFailed",
    "Overlap",
    "PermissionDenied",
    "ProtocolError",
    "Refused",
    "ServerUnavailable",
    "TrackTrayError",
    "ValidationFailed",
]
