"""What a TimeTrack-like account offers beyond :class:`Backend`, as small protocols.

The widget and the CLI ask ``Capability.PAUSE`` / ``Capability.ATTENDANCE`` in
``backend.capabilities`` and then use :func:`pausable` / :func:`attendance_of` to get
the typed face: no ``if kind == "timetrack"`` anywhere in the UI.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from tracktray.contracts.backend import Backend, Capability
from tracktray.contracts.errors import AuthenticationFailed
from tracktray.domain import Status
from tracktray.i18n import _

# The protocols only name Attendance: TimeTrack's model (five dataclasses, ~0.1 MiB) is
# not loaded on the other accounts, whose replay of clicks imports this module.
if TYPE_CHECKING:
    from tracktray.api.timetrack import TimeTrackClient
    from tracktray.domain.timetrack import Attendance
    from tracktray.store.settings import AccountConfig

__all__ = [
    "AttendanceBackend",
    "PausableBackend",
    "attendance_of",
    "join_key_secret",
    "open_timetrack",
    "pausable",
    "split_key_secret",
]


@runtime_checkable
class PausableBackend(Protocol):
    """A running timer can pause (break time starts) and resume."""

    def pause(self, *, at: dt.datetime | None = None) -> Status: ...

    def resume(self, *, at: dt.datetime | None = None) -> Status: ...


@runtime_checkable
class AttendanceBackend(Protocol):
    """The attendance clock and its entries (times are the user's wall-clock, naive)."""

    def clock_in(self, *, at: dt.datetime | None = None) -> Status: ...

    def clock_out(self, *, at: dt.datetime | None = None) -> Status: ...

    def attendances(self, start: dt.datetime, end: dt.datetime) -> list[Attendance]: ...

    def add_attendance(
        self,
        start: dt.datetime,
        end: dt.datetime,
        *,
        break_minutes: int = 0,
        notes: str = "",
    ) -> Attendance: ...

    def edit_attendance(
        self,
        attendance_id: int,
        *,
        start: dt.datetime | None = None,
        end: dt.datetime | None = None,
        break_minutes: int | None = None,
        notes: str | None = None,
    ) -> Attendance: ...

    def delete_attendance(self, attendance_id: int) -> None: ...


def pausable(backend: Backend) -> PausableBackend | None:
    """The pause/resume face when the account states it can pause."""
    if Capability.PAUSE in backend.capabilities and isinstance(backend, PausableBackend):
        return backend
    return None


def attendance_of(backend: Backend) -> AttendanceBackend | None:
    """The attendance face when the account states it keeps attendance."""
    if Capability.ATTENDANCE in backend.capabilities and isinstance(backend, AttendanceBackend):
        return backend
    return None


def join_key_secret(key: str, secret: str) -> str:
    """The one keyring entry of a TimeTrack account: key and secret as a JSON pair.

    JSON rather than ``key:secret`` because nothing stops a secret (or a key) from
    containing a colon.
    """
    return json.dumps({"key": key.strip(), "secret": secret.strip()})


def split_key_secret(stored: str) -> tuple[str, str]:
    """Key and secret back from the keyring entry (``key:secret`` is accepted too)."""
    try:
        data = json.loads(stored)
    except ValueError:
        data = None
    if isinstance(data, dict) and isinstance(data.get("key"), str):
        key, secret = data["key"], data.get("secret")
    else:
        key, _colon, secret = stored.partition(":")
    if not key or not isinstance(secret, str) or not secret:
        raise AuthenticationFailed(_("The stored TimeTrack API key and secret are incomplete."))
    return key, secret


def open_timetrack(config: AccountConfig, secret: str | None) -> TimeTrackClient:
    """The TimeTrack client for an account; ``secret`` is the keyring entry."""
    from tracktray.api._http import make_http_client
    from tracktray.api.timetrack import TimeTrackClient

    if not secret:
        raise AuthenticationFailed(
            _("No API key and secret are known for the account “{label}”.").format(
                label=config.shown_label
            )
        )
    key, api_secret = split_key_secret(secret)
    http = make_http_client(config.ca_file)
    try:
        return TimeTrackClient(
            config.url, config.username, key, api_secret, http=http, owns_http=True
        )
    except BaseException:
        http.close()
        raise
