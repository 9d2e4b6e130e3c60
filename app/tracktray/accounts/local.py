"""Local mode: the engine in-process on a SQLite file in the user's data directory.

A fresh machine with no account still gets a working tracker: the first run creates a
profile "local" in the system's time zone with a starter tracker "General".

Every day after that, ``status`` and the trackable tree (all an idle widget asks, once a
minute) are read through the engine's plain read path on the stdlib ``sqlite3``
(:class:`~tracktray.engine.readpath.PlainReader`: the same rule code the engine runs),
and the clicks (start, stop, switch, with a description or an ``at`` time) and the day
total run the engine's own rules on that connection
(:class:`~tracktray.engine.plainwrite.PlainTracking`). The :class:`Engine` and SQLAlchemy
load on the first other call (time added or edited, a report, managing trackers).
"""

from __future__ import annotations

import datetime as dt
import os

from tracktray.contracts.errors import Refused
from tracktray.domain.localtime import zone
from tracktray.engine.readpath import PlainReader
from tracktray.i18n import _

# Names for the type checker only: ``tracktray status`` reads through this module and
# should not pay for typing, the Backend protocol and every domain class on the way.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from decimal import Decimal

    from tracktray.contracts import Capability
    from tracktray.domain import Block, Profile, ReportQuery, Status, TrackerTree, UpdateCheck
    from tracktray.engine import Engine
    from tracktray.engine.plainwrite import PlainTracking
    from tracktray.store.account_config import StrPath

__all__ = ["LOCAL_USERNAME", "LocalBackend", "open_local_backend", "system_timezone"]

LOCAL_USERNAME = "local"
STARTER_TRACKER = "General"


class LocalBackend:
    """:class:`tracktray.accounts.Backend` over an in-process :class:`Engine`."""

    @property
    def capabilities(self) -> Capability:
        from tracktray.contracts.backend import Capability

        return (
            Capability.TRACK
            | Capability.DESCRIBE
            | Capability.ADD_PAST
            | Capability.ADD_FREE
            | Capability.REPORT
            | Capability.MANAGE_TRACKERS
        )

    def __init__(
        self,
        engine: Engine | None,
        profile_id: int,
        *,
        reader: PlainReader | None = None,
        open_engine: Callable[[], Engine] | None = None,
    ) -> None:
        """``engine`` may be None when ``open_engine`` opens it on first need; with a
        ``reader``, ``status``, ``trackers``, the clicks and the day total never need it."""
        if engine is None and open_engine is None:
            # not translated: a programming error, never shown to a person
            raise ValueError("LocalBackend needs an engine or a way to open one")
        self._engine = engine
        self._open_engine = open_engine
        self._reader = reader
        self._tracking: PlainTracking | None = None
        self.profile_id = profile_id

    @property
    def engine(self) -> Engine:
        """The engine, opened (with SQLAlchemy) the first time a call needs it."""
        if self._engine is None:
            assert self._open_engine is not None
            self._engine = self._open_engine()
        return self._engine

    def status(self) -> Status:
        if self._reader is not None:
            return self._reader.status(self.profile_id, _now())
        return self.engine.status(self.profile_id)

    def trackers(self) -> TrackerTree:
        if self._reader is not None:
            return self._reader.trackers(self.profile_id)
        return self.engine.trackers(self.profile_id)

    @property
    def _clicks(self) -> PlainTracking | Engine:
        """What runs the clicks: the engine's rules on the reader's connection (no
        SQLAlchemy), or the engine itself when there is no reader (the first run)."""
        if self._reader is None:
            return self.engine
        if self._tracking is None:
            from tracktray.engine.plainwrite import PlainTracking  # with the first click

            self._tracking = PlainTracking(self._reader)
        return self._tracking

    def start(self, tracker_id: int | None = None) -> Status:
        return self._clicks.start(self.profile_id, tracker_id)

    def stop(self, description: str = "", at: dt.datetime | None = None) -> None:
        self._clicks.stop(self.profile_id, description, _instant(at))

    def switch(
        self, tracker_id: int | None = None, description: str = "", at: dt.datetime | None = None
    ) -> Status:
        return self._clicks.switch(self.profile_id, tracker_id, description, _instant(at))

    def day_total(self) -> int:
        return self._clicks.day_total(self.profile_id)

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
        raise Refused(_("Local mode has no server to offer widget updates."))

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
        if self._reader is not None:
            self._reader.close()
        if self._engine is not None:
            self._engine.close()


def system_timezone() -> str:
    """The machine's IANA zone name (``TZ``, ``/etc/timezone``, ``/etc/localtime``), or UTC."""
    candidates: list[str] = []
    if tz := os.environ.get("TZ", "").lstrip(":"):
        candidates.append(tz)
    from contextlib import suppress  # the first run only (status reads through here)

    with suppress(OSError), open("/etc/timezone", encoding="utf-8") as file:
        candidates.append(file.read().strip())
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


def open_local_backend(data_dir: StrPath) -> LocalBackend:
    """Open ``<data_dir>/local.sqlite``, setting up the local profile on first run."""
    path = os.path.join(data_dir, "local.sqlite")  # not pathlib: status reads through here
    url = f"sqlite:///{path}"
    reader = PlainReader.open(path)  # None: first run, or a schema to upgrade
    if reader is not None:
        found = reader.user(LOCAL_USERNAME)
        if found is not None and found[1] is not None:  # set up, with a default tracker
            return LocalBackend(None, found[0], reader=reader, open_engine=lambda: _engine(url))
        reader.close()
    return _set_up(_engine(url))


def _engine(url: str) -> Engine:
    from tracktray.engine import Engine

    return Engine.open(url)


def _set_up(engine: Engine) -> LocalBackend:
    profile_id = engine.user_id(LOCAL_USERNAME)
    if profile_id is None:
        # Nobody logs in to local mode: the password only satisfies the schema. (secrets
        # here, at the first run: it loads OpenSSL, ~3 MiB a resting widget never needs)
        import secrets

        profile_id = engine.create_user(
            LOCAL_USERNAME, secrets.token_urlsafe(24), timezone=system_timezone()
        )
    if engine.profile(profile_id).default_tracker_id is None:
        tracker_id = engine.tracker_id(STARTER_TRACKER) or engine.add_tracker(STARTER_TRACKER)
        engine.grant_role(profile_id, tracker_id, can_track=True, can_see_reporting=True)
        engine.update_user(profile_id, default_tracker_id=tracker_id)
    return LocalBackend(engine, profile_id)


def _now() -> dt.datetime:
    """The engine's "now" (``Engine.now``): UTC, whole seconds."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _instant(at: dt.datetime | None) -> dt.datetime | None:
    """The engine reads a naive time in the profile's zone; a click's time is an instant
    on this computer, so a naive one is made aware in this computer's zone first."""
    return at if at is None or at.tzinfo is not None else at.astimezone()
