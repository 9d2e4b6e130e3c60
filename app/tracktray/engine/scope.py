"""One request's view of the database: its connection, its "now", and lookups that
every rule needs (the profile, the tracker tree, what the profile may track or see)."""

from __future__ import annotations

import datetime as dt
import hmac
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Row, bindparam, select
from sqlalchemy.exc import DBAPIError

from tracktray.domain import Block, Profile
from tracktray.domain.localtime import zone
from tracktray.domain.worktime import worked_seconds
from tracktray.engine import readpath
from tracktray.engine.errors import NotAllowed, NotFound, ValidationError
from tracktray.engine.readpath import Dialect, IndexCache, Person, instant
from tracktray.engine.signin import Caller, StaleCredentials
from tracktray.engine.tables import blocks, profiles, roles, tracker_version
from tracktray.engine.treeindex import TrackerIndex

__all__ = [
    "BLOCK_COLUMNS",
    "Scope",
    "block_from_row",
    "block_from_values",
    "profile_from_row",
]


# Built once: constructing a statement costs more than SQLAlchemy's cached execution.
_PROFILE = select(profiles).where(profiles.c.id == bindparam("pid"))
# The write path's first statement: the person's row, locked, with the tracker tree's
# version (so the cached index needs no statement of its own).
_PROFILE_FOR_UPDATE = (
    select(
        profiles,
        select(tracker_version.c.version).scalar_subquery().label("tree_version"),
    )
    .where(profiles.c.id == bindparam("pid"))
    .with_for_update(of=profiles)
)
_PASSWORD_HASH = select(profiles.c.password_hash).where(profiles.c.id == bindparam("pid"))
_REPORTING_ROOTS = select(roles.c.tracker_id).where(
    roles.c.profile_id == bindparam("pid"), roles.c.can_see_reporting.is_(True)
)


@dataclass
class Scope:
    """What one engine call works in: its connection, its time, its tracker index."""

    conn: Connection
    now: dt.datetime
    writing: bool = False
    #: the engine's cached tracker index (None: load it in every transaction)
    trees: IndexCache | None = None
    #: False inside ``one_transaction``: an earlier call may have changed trackers
    #: uncommitted, so an index loaded here must not be cached for others
    alone: bool = True
    #: a caller remembered from an earlier sign-in, checked in this transaction
    caller: Caller | None = None
    _profiles: dict[int, Row[tuple[object, ...]]] = field(default_factory=dict)
    _people: dict[int, Person] = field(default_factory=dict)
    _tree_version: int | None = None
    _caller_checked: bool = False
    _trackers_written: bool = False

    @cached_property
    def index(self) -> TrackerIndex:
        """The tracker tree as this transaction sees it: the cached one while the tree's
        version (read by the person statements) is unchanged, else loaded."""
        if self.trees is None:
            return TrackerIndex.load(self.conn)
        # What this transaction loads is a committed state unless it changed trackers
        # itself before (then never cached: it may still roll back).
        publish = self.alone and not self._trackers_written
        return self.trees.at(self.run, self._tree_version, publish=publish)

    def forget_index(self) -> None:
        """This transaction changed trackers: the next use of :attr:`index` reloads it."""
        self.__dict__.pop("index", None)
        self._tree_version = None
        self._trackers_written = True

    def check_caller(self, profile_id: int, password_hash: object) -> None:
        """Raise :class:`StaleCredentials` if the remembered caller is this profile and
        its stored password hash is no longer the one it was verified against."""
        caller = self.caller
        if caller is None or caller.profile_id != profile_id:
            return
        if not isinstance(password_hash, str) or not hmac.compare_digest(
            password_hash, caller.password_hash
        ):
            raise StaleCredentials()
        self._caller_checked = True

    def ensure_caller_checked(self) -> None:
        """Check the remembered caller now if no statement of this transaction did."""
        if self.caller is not None and not self._caller_checked:
            found = self.conn.execute(_PASSWORD_HASH, {"pid": self.caller.profile_id}).scalar()
            self.check_caller(self.caller.profile_id, found)

    def person(self, profile_id: int) -> Person:
        """Zone, default tracker, can_track roots (one statement per transaction)."""
        found = self._people.get(profile_id)
        if found is None:
            try:
                found = readpath.person(self.run, self.dialect, profile_id)
            except NotFound:
                self.check_caller(profile_id, None)  # a remembered caller who is gone
                raise
            self.check_caller(profile_id, found.password_hash)
            if "index" not in self.__dict__:
                self._tree_version = found.tree_version
            self._people[profile_id] = found
        return found

    @property
    def dialect(self) -> Dialect:
        return "sqlite" if self.conn.dialect.name == "sqlite" else "postgresql"

    def run(self, statement: str, params: Sequence[Any]) -> list[Any]:
        """Driver SQL in this transaction (the read path of :mod:`.readpath`), on the
        driver's own cursor: SQLAlchemy's execution machinery cost more than the
        statements themselves. Driver errors are raised as SQLAlchemy's, as if it had
        run them (a server answers those 503)."""
        cursor = self.__dict__.get("_cursor")
        if cursor is None:
            raw = self.conn.connection.dbapi_connection
            assert raw is not None
            cursor = self.__dict__["_cursor"] = raw.cursor()
        dbapi = self.conn.dialect.loaded_dbapi
        try:
            cursor.execute(statement, tuple(params))
            return list(cursor.fetchall())
        except dbapi.Error as exc:
            raise DBAPIError.instance(statement, tuple(params), exc, dbapi.Error) from exc

    def profile_row(self, profile_id: int) -> Row[tuple[object, ...]]:
        if profile_id not in self._profiles:
            row = self.conn.execute(_PROFILE, {"pid": profile_id}).first()
            if row is None:
                raise NotFound(f"There is no profile {profile_id}.")
            self._profiles[profile_id] = row
        return self._profiles[profile_id]

    def lock_profile(self, profile_id: int) -> Row[tuple[object, ...]]:
        """Lock the profile's row until this transaction ends (PostgreSQL ``FOR UPDATE``).

        Every write for one person takes this lock first, so two server processes
        checking "is a block open?" or "does this overlap?" for the same person take
        turns: the second one reads what the first one committed. One profile per
        transaction, so the order cannot deadlock. SQLite needs no row lock (its write
        transactions already run one at a time) and the clause is not rendered there.
        """
        row = self.conn.execute(_PROFILE_FOR_UPDATE, {"pid": profile_id}).first()
        self.check_caller(profile_id, None if row is None else row.password_hash)
        if row is None:
            raise NotFound(f"There is no profile {profile_id}.")
        if "index" not in self.__dict__:
            self._tree_version = row.tree_version
        self._profiles[profile_id] = row
        return row

    def profile(self, profile_id: int) -> Profile:
        return profile_from_row(self.profile_row(profile_id))

    def zone_of(self, profile_id: int) -> ZoneInfo:
        try:
            return zone(self.profile_row(profile_id).timezone)
        except ValueError:
            # A bad zone in the database (hand-edited) must not break every request.
            return ZoneInfo("UTC")

    def trackable(self, profile_id: int) -> frozenset[int]:
        """Trackers the profile may track on: can_track subtrees, minus archived ones."""
        return readpath.trackable(self.index, self.person(profile_id).track_roots)

    def reporting_roots(self, profile_id: int) -> list[int]:
        result = self.conn.execute(_REPORTING_ROOTS, {"pid": profile_id})
        return [r for (r,) in result if r in self.index]

    def reporting(self, profile_id: int) -> set[int]:
        out: set[int] = set()
        for root in self.reporting_roots(profile_id):
            out |= self.index.subtree(root)
        return out

    def tracker_to_track(self, profile_id: int, tracker_id: int | None) -> int:
        """The tracker a new block goes on: the given one or the default; checked."""
        if tracker_id is None:
            default = self.profile_row(profile_id).default_tracker_id
            if default is None:
                raise ValidationError(
                    "No tracker was given and your profile has no default tracker."
                )
            tracker_id = int(default)
        if tracker_id not in self.index:
            raise ValidationError(f"There is no tracker {tracker_id}.")
        name = self.index.display_path(tracker_id)
        if self.index.archived(tracker_id):
            raise ValidationError(f"The tracker “{name}” is archived.")
        if tracker_id not in self.trackable(profile_id):
            raise NotAllowed(f"You may not track time on “{name}”.")
        return tracker_id

    def block_row(self, profile_id: int, block_id: int) -> Row[tuple[object, ...]]:
        row = self.conn.execute(select(blocks).where(blocks.c.id == block_id)).first()
        if row is None or row.kind != "project":
            raise NotFound(f"There is no block {block_id}.")
        if row.profile_id != profile_id:
            raise NotAllowed(f"Block {block_id} belongs to someone else.")
        return row


def profile_from_row(row: Row[tuple[object, ...]]) -> Profile:
    m = row._mapping
    return Profile(
        id=m["id"],
        first_name=m["first_name"],
        last_name=m["last_name"],
        title=m["title"],
        email=m["email"],
        phone=m["phone"],
        gsm=m["gsm"],
        timezone=m["timezone"],
        culture=m["culture"],
        default_tracker_id=m["default_tracker_id"],
        username=m["username"],
    )


def block_from_row(row: Row[tuple[object, ...]], tz: ZoneInfo, now: dt.datetime) -> Block:
    m = row._mapping
    return block_from_values(
        (
            m["id"],
            m["profile_id"],
            m["tracker_id"],
            m["description"],
            m["start_utc"],
            m["stop_utc"],
            m["free"],
            m["break_s"],
            m["paused_at"],
        ),
        tz,
        now,
    )


#: the columns :func:`block_from_values` reads, in its order (driver SQL)
BLOCK_COLUMNS = (
    "id, profile_id, tracker_id, description, start_utc, stop_utc, free, break_s, paused_at"
)


def block_from_values(values: Sequence[Any], tz: ZoneInfo, now: dt.datetime) -> Block:
    """A :class:`Block` from :data:`BLOCK_COLUMNS`; times aware, or as the driver
    returns them (SQLite text, naive UTC timestamps)."""
    block_id, profile_id, tracker_id, description, start, stop, free, break_s, paused = values
    start_at = instant(start)
    stop_at = None if stop is None else instant(stop)
    paused_at = None if paused is None else instant(paused)
    total = worked_seconds(start_at, stop_at or now, int(break_s), paused_at)
    return Block(
        id=block_id,
        profile_id=profile_id,
        tracker_id=tracker_id,
        description=description,
        time_in=_naive(start_at, tz),
        time_out=_naive(stop_at, tz) if stop_at is not None else None,
        total_s=max(0, total),
        free=bool(free),
        break_s=int(break_s),
    )


def _naive(instant: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """Wall time in ``tz`` to the second, as the protocol's TimeIn/TimeOut text says it.

    A direct conversion: formatting to text and parsing it back was 62 % of a year's
    report. ``fold=0`` as ``strptime`` gives (the repeated hour's second pass is the
    same wall time in the text).
    """
    return instant.astimezone(tz).replace(tzinfo=None, microsecond=0, fold=0)
