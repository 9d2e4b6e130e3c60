"""The engine's read path for ``status`` and the trackable tree: plain SQL, no SQLAlchemy.

``status`` is what every widget asks once a minute, and what local mode must draw before
anything else. Here it is two statements of driver SQL (the profile with its roles, its
password hash and the tracker tree's version; today's blocks with the open one) run
through a :data:`Run` callable, with the tracker index cached while the tree's version
stays the same (:class:`IndexCache`), so the same code runs

- inside the :class:`~tracktray.engine.Engine`'s transactions on SQLite and PostgreSQL
  (on the driver's cursor: the server, and local mode's rarer calls), and
- on a stdlib :mod:`sqlite3` connection (:class:`PlainReader`): local mode's polls and
  the CLI's ``status`` without importing SQLAlchemy at all (~30 MiB, ~300 ms); local
  mode's clicks run on the same connection (:mod:`.plainwrite`).

One set of rules: ``clicks.status`` is this function, and the engine's rule tests run
it on both databases and on the plain connection. Instants are stored as naive UTC;
SQLite keeps them as text in SQLAlchemy's ``YYYY-MM-DD HH:MM:SS.ffffff`` form, which is
what parameters are turned into here so that text comparison is time comparison.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from _thread import allocate_lock  # threading.Lock itself, without threading's 70 kB
from zoneinfo import ZoneInfo

from tracktray.domain.localtime import day_bounds, today, zone
from tracktray.domain.status import RunningBlock, Status
from tracktray.domain.worktime import break_seconds, worked_seconds
from tracktray.engine.errors import NotFound
from tracktray.engine.treeindex import TrackerIndex, TrackerRow

__all__ = [
    "BUSY_TIMEOUT_MS",
    "SCHEMA_HEAD",
    "SQLITE_PRAGMAS",
    "TREE_VERSION",
    "Dialect",
    "IndexCache",
    "Person",
    "PlainReader",
    "Run",
    "instant",
    "person",
    "sql_for",
    "status",
    "time_param",
    "trackable",
    "trackable_tree",
]

#: The newest migration. Opening a database already at this revision skips importing
#: Alembic (and, for reads, SQLAlchemy); a test pins this to Alembic's own head.
SCHEMA_HEAD = "0004_block_sums"

# Type names only: ``tracktray status`` reads through this module, and typing costs it
# a few ms at run time; importers of Dialect and Run use them in annotations.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from _thread import LockType
    from collections.abc import Callable, Iterable, Sequence
    from os import PathLike
    from typing import Any, Literal, TypeAlias

    from tracktray.domain import TrackerTree

    Dialect: TypeAlias = Literal["sqlite", "postgresql"]
    #: runs one statement written with ``?`` markers; returns its rows
    Run: TypeAlias = Callable[[str, Sequence[Any]], Iterable[Sequence[Any]]]
else:
    Dialect = Run = object  # for ``from readpath import Dialect`` in annotated modules

_SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"

#: how long a SQLite statement waits for another writer's lock
BUSY_TIMEOUT_MS = 30_000
#: every SQLite connection of the engine's, plain or SQLAlchemy's: WAL (readers never
#: wait for the writer), foreign keys enforced, the busy timeout, WAL's synchronous mode
SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA foreign_keys=ON",
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
    "PRAGMA synchronous=NORMAL",
)

# The profile with its can_track roles, its password hash (so that a caller verified
# earlier is checked against the stored hash in this same transaction) and the tracker
# tree's version (so that a cached tracker index is reused only while it is current).
_PERSON = (
    "SELECT p.timezone, p.default_tracker_id, r.tracker_id, p.password_hash, "
    "(SELECT MAX(version) FROM tracker_version) FROM profiles p "
    "LEFT JOIN roles r ON r.profile_id = p.id AND r.can_track = ? WHERE p.id = ?"
)
_SECONDS = {
    "sqlite": "CAST(ROUND((julianday(stop_utc) - julianday(start_utc)) * 86400) AS INTEGER)",
    "postgresql": "CAST(EXTRACT(EPOCH FROM (stop_utc - start_utc)) AS INTEGER)",
}
# The open block (at most one: a unique index) comes back whole.
_OPEN_BLOCK = (
    "SELECT 1, tracker_id, free, break_s, start_utc, paused_at, description FROM blocks "
    "WHERE profile_id = ? AND kind = 'project' AND stop_utc IS NULL"
)
# Finished blocks started today, one row per tracker and free/worked, from the sums the
# database keeps per quarter hour of a block's start (migration 0004): a few rows
# however many blocks the day holds. Today's bounds are quarter hours in every zone in
# use today; a day that is not (a zone's local mean time of old) sums its blocks.
_QUARTER_S = 900
_DAY_FROM_SUMS = (
    "SELECT 0, tracker_id, free, SUM(seconds), NULL, NULL, NULL FROM block_sums "
    "WHERE profile_id = ? AND quarter >= ? AND quarter < ? GROUP BY tracker_id, free "
    "UNION ALL " + _OPEN_BLOCK
)
_DAY_FROM_BLOCKS = (
    "SELECT 0, tracker_id, free, SUM({seconds} - break_s), NULL, NULL, NULL FROM blocks "
    "WHERE profile_id = ? AND kind = 'project' AND stop_utc IS NOT NULL "
    "AND start_utc >= ? AND start_utc < ? GROUP BY tracker_id, free "
    "UNION ALL " + _OPEN_BLOCK
)


def time_param(dialect: Dialect, instant: dt.datetime) -> object:
    naive = instant.astimezone(dt.UTC).replace(tzinfo=None)
    # isoformat writes what strftime(_SQLITE_TIME) writes (years 1000-9999), faster
    return naive.isoformat(" ", "microseconds") if dialect == "sqlite" else naive


def instant(value: object) -> dt.datetime:
    """A stored time (SQLite text, a naive PostgreSQL timestamp, or already aware) as an
    aware UTC one."""
    if isinstance(value, str):  # parsed with its offset: one C call, tzinfo is dt.UTC
        return dt.datetime.fromisoformat(value + "+00:00")
    assert isinstance(value, dt.datetime)
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


def sql_for(dialect: Dialect, statement: str) -> str:
    """A statement written with ``?`` markers in the driver's parameter style."""
    return statement if dialect == "sqlite" else statement.replace("?", "%s")


_sql = sql_for


#: every tracker with the tree's version, read in one statement (so one snapshot)
_VERSIONED_TREE = (
    "SELECT (SELECT MAX(version) FROM tracker_version), id, parent_id, name, abbreviation, "
    "archived FROM trackers"
)
#: the tree's version alone
TREE_VERSION = "SELECT MAX(version) FROM tracker_version"


class IndexCache:
    """The tracker index last read from a committed state, with the tree's version.

    Triggers bump ``tracker_version`` on every write to ``trackers`` (migration 0003),
    whoever writes: this process, another server process on the same PostgreSQL, or a
    hand edit. A transaction that read version *v* may reuse an index loaded at *v*;
    otherwise it loads the table again, in one statement that also reads the version.
    A transaction that changed trackers itself before loading never publishes what it
    loaded: it sees its own uncommitted changes, which must never be taken for a
    committed version (the caller says so with ``publish``).
    """

    def __init__(self) -> None:
        self._held: tuple[int, TrackerIndex] | None = None  # replaced whole: thread-safe

    def at(self, run: Run, version: int | None, *, publish: bool) -> TrackerIndex:
        held = self._held
        if held is not None and version is not None and held[0] == version:
            return held[1]
        rows = list(run(_VERSIONED_TREE, ()))
        index = TrackerIndex(
            TrackerRow(int(i), p if p is None else int(p), str(n), str(a), bool(arch))
            for _v, i, p, n, a, arch in rows
        )
        loaded = rows[0][0] if rows else None
        if publish and loaded is not None:
            self._held = (int(loaded), index)
        return index


class Person:
    """What every rule reads first about a profile, in one statement (read-only by
    convention; a plain class: ``tracktray status`` does not import ``dataclasses``)."""

    __slots__ = ("default_tracker_id", "password_hash", "track_roots", "tree_version", "zone")

    def __init__(
        self,
        *,
        zone: ZoneInfo,
        default_tracker_id: int | None,
        track_roots: tuple[int, ...],
        password_hash: str,
        tree_version: int | None,
    ) -> None:
        self.zone = zone
        self.default_tracker_id = default_tracker_id
        self.track_roots = track_roots  # can_track role roots
        self.password_hash = password_hash
        self.tree_version = tree_version

    def __repr__(self) -> str:  # never the hash itself
        return f"Person(zone={self.zone!r}, default_tracker_id={self.default_tracker_id!r})"


def person(run: Run, dialect: Dialect, profile_id: int, *, lock: bool = False) -> Person:
    """The profile's zone, default tracker and can_track role roots; NotFound if none.

    ``lock``: the profile's row stays locked until the transaction ends (PostgreSQL's
    ``FOR UPDATE``; a SQLite write transaction holds the whole database already)."""
    statement = _sql(dialect, _PERSON)
    if lock and dialect == "postgresql":
        statement += " FOR UPDATE OF p"
    rows = list(run(statement, (True, profile_id)))
    if not rows:
        raise NotFound(f"There is no profile {profile_id}.")
    try:
        tz = zone(str(rows[0][0]))
    except ValueError:
        tz = ZoneInfo("UTC")  # a bad zone (hand-edited) must not break every request
    default, password_hash, version = rows[0][1], rows[0][3], rows[0][4]
    return Person(
        zone=tz,
        default_tracker_id=None if default is None else int(default),
        track_roots=tuple(int(r[2]) for r in rows if r[2] is not None),
        password_hash=str(password_hash),
        tree_version=None if version is None else int(version),
    )


def trackable(index: TrackerIndex, roots: Iterable[int]) -> frozenset[int]:
    """Trackers under the can_track ``roots``, minus archived ones (remembered by the
    index: it is shared while the tree is unchanged, and people share role sets)."""
    return index.trackable_under(tuple(roots))


def trackable_tree(who: Person, index: TrackerIndex) -> TrackerTree:
    """What the profile may track on, depth-first, siblings alphabetical."""
    return index.tree(trackable(index, who.track_roots))


def status(
    run: Run, dialect: Dialect, profile_id: int, now: dt.datetime, who: Person, index: TrackerIndex
) -> Status:
    """Today's worked total (all trackers and per tracker), the open block, the default.

    Today's rule (:class:`tracktray.domain.DayTotals`): worked, non-free seconds of the
    blocks started on today's local date, the open one counted up to ``now``; free time
    (leave, holiday) apart.
    """
    tz, default = who.zone, who.default_tracker_id
    may_track = trackable(index, who.track_roots)
    begin, end = day_bounds(today(tz, now), tz)
    first, last = int(begin.timestamp()), int(end.timestamp())
    if first % _QUARTER_S == 0 and last % _QUARTER_S == 0:
        statement = _DAY_FROM_SUMS
        params: tuple[Any, ...] = (profile_id, first // _QUARTER_S, last // _QUARTER_S)
    else:
        statement = _DAY_FROM_BLOCKS.format(seconds=_SECONDS[dialect])
        params = (profile_id, time_param(dialect, begin), time_param(dialect, end))
    per_tracker: dict[int | None, int] = {}
    free_s = 0
    open_row: Sequence[Any] | None = None
    for row in run(_sql(dialect, statement), (*params, profile_id)):
        is_open, tracker_id, free, seconds = row[0], row[1], bool(row[2]), row[3]
        if is_open:
            open_row = row
        elif free:
            free_s += int(seconds or 0)
        else:  # the sums keep a block without a tracker under 0
            per_tracker[tracker_id or None] = max(0, int(seconds or 0))
    running = None
    if open_row is not None:
        _, tracker_id, free, break_s, start, paused, note = open_row
        started, paused_at = instant(start), None if paused is None else instant(paused)
        if not free and begin <= started < end:
            worked = worked_seconds(started, now, int(break_s), paused_at)
            per_tracker[tracker_id] = per_tracker.get(tracker_id, 0) + worked
        running = RunningBlock(
            tracker=index.ref(tracker_id, tracker_id in may_track),
            started_at=started,
            tracker_total_s=per_tracker.get(tracker_id, 0),
            paused=paused_at is not None,
            break_s=break_seconds(int(break_s), paused_at, now),
            note=str(note),
        )
    default_ref = None
    if default is not None and default in index:
        default_ref = index.ref(default, default in may_track)
    return Status(
        daytotal_s=sum(per_tracker.values()),
        running=running,
        default_tracker=default_ref,
        fetched_at=now,
        free_today_s=max(0, free_s),
    )


class _Transaction:
    """One transaction on ``conn`` at a time (``lock``), ``BEGIN IMMEDIATE`` for a write
    as the engine's; rolled back if it raises (not :mod:`contextlib`: ``status``)."""

    __slots__ = ("_begin", "_conn", "_lock")

    def __init__(self, conn: sqlite3.Connection, lock: LockType, write: bool) -> None:
        self._conn = conn
        self._lock = lock
        self._begin = "BEGIN IMMEDIATE" if write else "BEGIN"

    def __enter__(self) -> sqlite3.Connection:
        self._lock.acquire()
        try:
            self._conn.execute(self._begin)
        except BaseException:
            self._lock.release()
            raise
        return self._conn

    def __exit__(self, kind: object, *exc_info: object) -> None:
        try:
            if kind is None:
                self._conn.execute("COMMIT")
            elif self._conn.in_transaction:  # SQLite may have rolled back already
                self._conn.execute("ROLLBACK")
        finally:
            self._lock.release()


class PlainReader:
    """Reads a local SQLite database with the stdlib only, for ``status`` and trackers.

    Only for a database already at :data:`SCHEMA_HEAD` (anything else needs the engine:
    a migration). Each read is one transaction, so it sees one committed state. Its
    connection is set up as the engine's SQLite connections are (:data:`SQLITE_PRAGMAS`),
    so local mode's clicks run on it too (:class:`~.plainwrite.PlainTracking`).
    """

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._conn = connection
        # one transaction at a time on the connection, whichever thread asks
        self._lock = allocate_lock()
        self._trees = IndexCache()

    @classmethod
    def open(cls, path: str | PathLike[str]) -> PlainReader | None:
        """A reader for ``path``, or None when it does not exist or is not up to date."""
        if not os.path.isfile(path):  # os.path, not pathlib: ``tracktray status`` reads here
            return None
        # check_same_thread off: the owner serialises calls (one lane), and closes at quit
        conn = sqlite3.connect(
            os.fspath(path), timeout=30, isolation_level=None, check_same_thread=False
        )
        try:
            conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
            if [r[0] for r in rows] != [SCHEMA_HEAD]:
                conn.close()
                return None
            for pragma in SQLITE_PRAGMAS:
                conn.execute(pragma)
        except sqlite3.Error:
            conn.close()
            return None
        return cls(conn)

    def _run(self, statement: str, params: Sequence[Any]) -> list[Any]:
        return self._conn.execute(statement, tuple(params)).fetchall()

    def transaction(self, *, write: bool = False) -> _Transaction:
        """One transaction on the connection (``with``: the connection)."""
        return _Transaction(self._conn, self._lock, write)

    @property
    def trees(self) -> IndexCache:
        """The tracker index cached for this connection's transactions."""
        return self._trees

    def user(self, username: str) -> tuple[int, int | None] | None:
        """(profile id, default tracker id) of ``username``, or None."""
        with self.transaction():
            rows = self._run(
                "SELECT id, default_tracker_id FROM profiles WHERE username = ?", (username,)
            )
        return (int(rows[0][0]), rows[0][1]) if rows else None

    def status(self, profile_id: int, now: dt.datetime) -> Status:
        with self.transaction():
            who = person(self._run, "sqlite", profile_id)
            index = self._trees.at(self._run, who.tree_version, publish=True)
            return status(self._run, "sqlite", profile_id, now, who, index)

    def trackers(self, profile_id: int) -> TrackerTree:
        with self.transaction():
            who = person(self._run, "sqlite", profile_id)
            return trackable_tree(who, self._trees.at(self._run, who.tree_version, publish=True))

    def close(self) -> None:
        with self._lock:
            self._conn.close()
