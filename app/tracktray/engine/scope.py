"""One request's view of the database: its connection, its "now", and lookups that
every rule needs (the profile, the tracker tree, what the profile may track or see)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Row, bindparam, select

from tracktray.domain import Block, Profile
from tracktray.domain.localtime import zone
from tracktray.domain.worktime import worked_seconds
from tracktray.engine.errors import NotAllowed, NotFound, ValidationError
from tracktray.engine.readpath import Dialect, instant
from tracktray.engine.tables import blocks, profiles, roles
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
_PROFILE_FOR_UPDATE = _PROFILE.with_for_update()
_ROLE_ROOTS = {
    column: select(roles.c.tracker_id).where(
        roles.c.profile_id == bindparam("pid"), roles.c[column].is_(True)
    )
    for column in ("can_track", "can_see_reporting")
}


@dataclass
class Scope:
    conn: Connection
    now: dt.datetime
    writing: bool = False
    _profiles: dict[int, Row[tuple[object, ...]]] = field(default_factory=dict)

    @cached_property
    def index(self) -> TrackerIndex:
        return TrackerIndex.load(self.conn)

    @property
    def loaded_index(self) -> TrackerIndex | None:
        """The tracker index if this transaction read it already (saves a statement)."""
        found = self.__dict__.get("index")
        return found if isinstance(found, TrackerIndex) else None

    @property
    def dialect(self) -> Dialect:
        return "sqlite" if self.conn.dialect.name == "sqlite" else "postgresql"

    def run(self, statement: str, params: Sequence[Any]) -> list[Any]:
        """Driver SQL in this transaction (the read path of :mod:`.readpath`)."""
        return list(self.conn.exec_driver_sql(statement, tuple(params)).all())

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
        if row is None:
            raise NotFound(f"There is no profile {profile_id}.")
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

    def _role_roots(self, profile_id: int, column: str) -> list[int]:
        result = self.conn.execute(_ROLE_ROOTS[column], {"pid": profile_id})
        return [r for (r,) in result if r in self.index]

    def trackable(self, profile_id: int) -> set[int]:
        """Trackers the profile may track on: can_track subtrees, minus archived ones."""
        out: set[int] = set()
        for root in self._role_roots(profile_id, "can_track"):
            out |= self.index.subtree(root)
        return {t for t in out if not self.index.archived(t)}

    def reporting_roots(self, profile_id: int) -> list[int]:
        return self._role_roots(profile_id, "can_see_reporting")

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
