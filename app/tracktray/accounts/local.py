"""Local mode: the engine in-process on a SQLite file in the user's data directory.

A fresh machine with no account still gets a working tracker: the first run creates a
profile "local" in the system's time zone with a starter tracker "General".
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from contextlib import suppress
from decimal import Decimal
from pathlib import Path

from tracktray.contracts import Capability, Refused
from tracktray.domain import Block, Profile, ReportQuery, Status, TrackerTree, UpdateCheck
from tracktray.domain.localtime import zone
from tracktray.engine import Engine

__all__ = ["LOCAL_USERNAME", "LocalBackend", "open_local_backend", "system_timezone"]

LOCAL_USERNAME = "local"
STARTER_TRACKER = "General"


class LocalBackend:
    """:class:`tracktray.accounts.Backend` over an in-process :class:`Engine`."""

    capabilities = (
        Capability.TRACK
        | Capability.DESCRIBE
        | Capability.ADD_PAST
        | Capability.ADD_FREE
        | Capability.REPORT
        | Capability.MANAGE_TRACKERS
    )

    def __init__(self, engine: Engine, profile_id: int) -> None:
        self.engine = engine
        self.profile_id = profile_id

    def status(self) -> Status:
        return self.engine.status(self.profile_id)

    def trackers(self) -> TrackerTree:
        return self.engine.trackers(self.profile_id)

    def start(self, tracker_id: int | None = None) -> Status:
        return self.engine.start(self.profile_id, tracker_id)

    def stop(self, description: str = "", at: dt.datetime | None = None) -> None:
        self.engine.stop(self.profile_id, description, _instant(at))

    def switch(
        self, tracker_id: int | None = None, description: str = "", at: dt.datetime | None = None
    ) -> Status:
        return self.engine.switch(self.profile_id, tracker_id, description, _instant(at))

    def day_total(self) -> int:
        return self.engine.day_total(self.profile_id)

    def add(
        self,
        start: dt.datetime,
        stop: dt.datetime | None = None,
        tracker_id: int | None = None,
        description: str = "",
    ) -> Block:
        return self.engine.add(self.profile_id, start, stop, tracker_id, description)

    def add_free(
        self,
        hours: Decimal,
        day: dt.date | None = None,
        tracker_id: int | None = None,
        description: str = "",
    ) -> Block:
        return self.engine.add_free(self.profile_id, hours, day, tracker_id, description)

    def reportees(self) -> list[Profile]:
        return self.engine.reportees(self.profile_id)

    def report(self, query: ReportQuery) -> list[Block]:
        return self.engine.report(self.profile_id, query)

    def check_version(self, version: str) -> UpdateCheck:
        raise Refused("Local mode has no server to offer widget updates.")

    def add_tracker(self, name: str, parent_id: int | None = None) -> int:
        """A new tracker the local profile can track on right away (its role covers it)."""
        tracker_id = self.engine.add_tracker(name, parent_id)
        if parent_id is None:
            self.engine.grant_role(self.profile_id, tracker_id, can_see_reporting=True)
        return tracker_id

    def rename_tracker(self, tracker_id: int, name: str) -> None:
        self.engine.rename_tracker(tracker_id, name)

    def move_tracker(self, tracker_id: int, new_parent_id: int | None) -> None:
        self.engine.move_tracker(tracker_id, new_parent_id)
        if new_parent_id is None:
            self.engine.grant_role(self.profile_id, tracker_id, can_see_reporting=True)

    def archive_tracker(self, tracker_id: int) -> None:
        """Archive the tracker and its sub-trackers; a default among them moves on.

        The default tracker must stay trackable (a click on Start uses it), so when it is
        archived the first tracker left in tree order becomes the default. A block running
        on an archived tracker keeps running until it is stopped.
        """
        self.engine.archive_tracker(tracker_id)
        default = self.engine.profile(self.profile_id).default_tracker_id
        remaining = self.engine.trackers(self.profile_id)
        if default is not None and default not in remaining:
            first = next(iter(remaining), None)
            self.engine.update_user(self.profile_id, default_tracker_id=first.id if first else None)

    def restore_tracker(self, tracker_id: int) -> None:
        """Bring an archived tracker (and its sub-trackers) back; it becomes the default
        when the profile has none left."""
        self.engine.archive_tracker(tracker_id, archived=False)
        if self.engine.profile(self.profile_id).default_tracker_id is None:
            self.engine.update_user(self.profile_id, default_tracker_id=tracker_id)

    def archived_trackers(self) -> TrackerTree:
        return self.engine.archived_trackers()

    def close(self) -> None:
        self.engine.close()


def system_timezone() -> str:
    """The machine's IANA zone name (``TZ``, ``/etc/timezone``, ``/etc/localtime``), or UTC."""
    candidates: list[str] = []
    if tz := os.environ.get("TZ", "").lstrip(":"):
        candidates.append(tz)
    with suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    try:
        target = os.readlink("/etc/localtime")
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    except OSError:
        pass
    for name in candidates:
        try:
            return zone(name).key
        except ValueError:
            continue
    return "UTC"


def open_local_backend(data_dir: Path) -> LocalBackend:
    """Open ``<data_dir>/local.sqlite``, setting up the local profile on first run."""
    engine = Engine.open(f"sqlite:///{Path(data_dir) / 'local.sqlite'}")
    profile_id = engine.user_id(LOCAL_USERNAME)
    if profile_id is None:
        # Nobody logs in to local mode: the password only satisfies the schema.
        profile_id = engine.create_user(
            LOCAL_USERNAME, secrets.token_urlsafe(24), timezone=system_timezone()
        )
    if engine.profile(profile_id).default_tracker_id is None:
        tracker_id = engine.tracker_id(STARTER_TRACKER) or engine.add_tracker(STARTER_TRACKER)
        engine.grant_role(profile_id, tracker_id, can_track=True, can_see_reporting=True)
        engine.update_user(profile_id, default_tracker_id=tracker_id)
    return LocalBackend(engine, profile_id)


def _instant(at: dt.datetime | None) -> dt.datetime | None:
    """The engine reads a naive time in the profile's zone; a click's time is an instant
    on this computer, so a naive one is made aware in this computer's zone first."""
    return at if at is None or at.tzinfo is not None else at.astimezone()
