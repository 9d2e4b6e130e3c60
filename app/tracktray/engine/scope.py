"""One request's view of the database: its connection, its "now", and lookups that
every rule needs (the profile, the tracker tree, what the profile may track or see).

The lookups that need driver SQL alone (the person, the tracker tree, what the person may
track) are :class:`~.rulescope.RuleScope`'s, shared with local mode's plain transactions;
:class:`Scope` adds SQLAlchemy's connection and what is read through it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Row, bindparam, select
from sqlalchemy.engine import Dialect as SADialect
from sqlalchemy.exc import DBAPIError, IntegrityError

from tracktray.domain import Block, Profile
from tracktray.domain.localtime import zone
from tracktray.domain.worktime import worked_seconds
from tracktray.engine.errors import NotAllowed, NotFound
from tracktray.engine.readpath import Dialect, IndexCache, Person, instant
from tracktray.engine.rulescope import RuleScope
from tracktray.engine.signin import Caller
from tracktray.engine.tables import blocks, profiles, roles

__all__ = [
    "BLOCK_COLUMNS",
    "Scope",
    "block_from_row",
    "block_from_values",
    "profile_from_row",
]


_T = TypeVar("_T")

# Built once: constructing a statement costs more than SQLAlchemy's cached execution.
_PROFILE = select(profiles).where(profiles.c.id == bindparam("pid"))
_REPORTING_ROOTS = select(roles.c.tracker_id).where(
    roles.c.profile_id == bindparam("pid"), roles.c.can_see_reporting.is_(True)
)


@dataclass
class Scope(RuleScope):
    """``sql``: the transaction's SQLAlchemy connection, or None for a transaction run on
    the driver's connection alone (``driver``/``dialect_of``: what
    :meth:`Engine._quick_read` and :meth:`Engine._quick_write` give the rules that need
    nothing but driver SQL: status, trackers, start, stop, switch)."""

    integrity_error = IntegrityError  # driver errors are raised as SQLAlchemy's

    sql: Connection | None
    now: dt.datetime
    writing: bool = False
    #: the engine's cached tracker index (None: load it in every transaction)
    trees: IndexCache | None = None
    #: False inside ``one_transaction``: an earlier call may have changed trackers
    #: uncommitted, so an index loaded here must not be cached for others
    alone: bool = True
    #: a caller remembered from an earlier sign-in, checked in this transaction
    caller: Caller | None = None
    #: the DB-API connection and SQLAlchemy's dialect of a transaction without ``sql``
    driver: Any = None
    dialect_of: SADialect | None = None
    _profiles: dict[int, Row[tuple[object, ...]]] = field(default_factory=dict)
    _people: dict[int, Person] = field(default_factory=dict)
    _tree_version: int | None = None
    _caller_checked: bool = False
    _trackers_written: bool = False

    @property
    def conn(self) -> Connection:
        """The transaction's SQLAlchemy connection (for Core statements)."""
        if self.sql is None:
            raise RuntimeError("this transaction runs driver SQL only (Engine._quick_*)")
        return self.sql

    @cached_property
    def _sa_dialect(self) -> SADialect:
        return self.dialect_of if self.dialect_of is not None else self.conn.dialect

    @cached_property
    def dialect(self) -> Dialect:
        return "sqlite" if self._sa_dialect.name == "sqlite" else "postgresql"

    def _driver(self, statement: str, params: Sequence[Any], result: Callable[[Any], _T]) -> _T:
        """On the driver's own cursor: SQLAlchemy's execution machinery cost more than
        the statements themselves. Driver errors are raised as SQLAlchemy's, as if it had
        run them (a server answers those 503)."""
        cursor = self.__dict__.get("_cursor")
        if cursor is None:
            raw = self.driver if self.sql is None else self.conn.connection.dbapi_connection
            assert raw is not None
            cursor = self.__dict__["_cursor"] = raw.cursor()
        dbapi = self._sa_dialect.loaded_dbapi
        try:
            cursor.execute(statement, tuple(params))
            return result(cursor)
        except dbapi.Error as exc:
            raise DBAPIError.instance(statement, tuple(params), exc, dbapi.Error) from exc

    def profile_row(self, profile_id: int) -> Row[tuple[object, ...]]:
        if profile_id not in self._profiles:
            row = self.conn.execute(_PROFILE, {"pid": profile_id}).first()
            if row is None:
                raise NotFound(f"There is no profile {profile_id}.")
            self._profiles[profile_id] = row
        return self._profiles[profile_id]

    def profile(self, profile_id: int) -> Profile:
        return profile_from_row(self.profile_row(profile_id))

    def zone_of(self, profile_id: int) -> ZoneInfo:
        known = self._people.get(profile_id)
        if known is not None:  # read already (with the same fallback for a bad zone)
            return known.zone
        try:
            return zone(self.profile_row(profile_id).timezone)
        except ValueError:
            # A bad zone in the database (hand-edited) must not break every request.
            return ZoneInfo("UTC")

    def reporting_roots(self, profile_id: int) -> list[int]:
        result = self.conn.execute(_REPORTING_ROOTS, {"pid": profile_id})
        return [r for (r,) in result if r in self.index]

    def reporting(self, profile_id: int) -> set[int]:
        out: set[int] = set()
        for root in self.reporting_roots(profile_id):
            out |= self.index.subtree(root)
        return out

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
