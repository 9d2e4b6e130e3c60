"""Local mode's clicks on the stdlib :mod:`sqlite3`: the engine's own rules, no SQLAlchemy.

A person clicks start, stop or switch a few times a day; opening the
:class:`~tracktray.engine.Engine` for that would load SQLAlchemy (~23 MiB, ~300 ms) into
the widget for the rest of the day. :class:`PlainTracking` runs the very functions the
engine runs for those clicks (:mod:`.clicks`, on a :class:`~.rulescope.RuleScope`) on a
:class:`~.readpath.PlainReader`'s connection, in transactions like the engine's SQLite
ones (:func:`tracktray.engine.drivertx.driver_transaction`): ``BEGIN IMMEDIATE`` for a
write, waiting up to the busy timeout for another writer, with the engine's pragmas
(foreign keys...); the database's triggers keep the day sums as for any write. The same
refusals (the engine's errors, the same sentences) and the same answers (the status
after a start or a switch, the block id after a stop); a database error is
:mod:`sqlite3`'s own, as for the plain reads.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

from tracktray.engine import clicks
from tracktray.engine.readpath import Dialect, IndexCache, Person, PlainReader
from tracktray.engine.rulescope import RuleScope

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any, TypeVar

    from tracktray.domain import Status

    _T = TypeVar("_T")

__all__ = ["PlainTracking"]


def _system_clock() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class _PlainScope(RuleScope):
    """One transaction on a plain :mod:`sqlite3` connection, as the rules see it."""

    integrity_error = sqlite3.IntegrityError

    def __init__(self, conn: sqlite3.Connection, now: dt.datetime, trees: IndexCache) -> None:
        self._conn = conn
        self.now = now
        self.trees = trees
        self.alone = True
        self.caller = None  # nobody signs in to local mode
        self._people: dict[int, Person] = {}
        self._tree_version = None
        self._caller_checked = False
        self._trackers_written = False

    @property
    def dialect(self) -> Dialect:
        return "sqlite"

    def _driver(self, statement: str, params: Sequence[Any], result: Callable[[Any], _T]) -> _T:
        return result(self._conn.execute(statement, tuple(params)))


class PlainTracking:
    """Start, stop, switch, status and the day total of a local SQLite database, with
    the signatures of the :class:`~tracktray.engine.Engine`'s methods (``at``: naive, a
    wall time in the profile's zone; aware, an instant)."""

    def __init__(
        self, reader: PlainReader, *, clock: Callable[[], dt.datetime] = _system_clock
    ) -> None:
        self._reader = reader
        self._clock = clock

    def now(self) -> dt.datetime:
        """The engine's "now" (``Engine.now``): UTC, whole seconds."""
        return self._clock().astimezone(dt.UTC).replace(microsecond=0)

    def status(self, profile_id: int) -> Status:
        return self._reader.status(profile_id, self.now())

    def day_total(self, profile_id: int) -> int:
        return self.status(profile_id).daytotal_s

    def start(self, profile_id: int, tracker_id: int | None = None) -> Status:
        with self._reader.transaction(write=True) as conn:
            return clicks.start(self._write_scope(conn, profile_id), profile_id, tracker_id)

    def stop(self, profile_id: int, description: str = "", at: dt.datetime | None = None) -> int:
        """Close the open block now or at ``at``; returns its id."""
        with self._reader.transaction(write=True) as conn:
            return clicks.stop(self._write_scope(conn, profile_id), profile_id, description, at)

    def switch(
        self,
        profile_id: int,
        tracker_id: int | None = None,
        description: str = "",
        at: dt.datetime | None = None,
    ) -> Status:
        """Close the open block and open one on ``tracker_id``, now or at ``at``."""
        with self._reader.transaction(write=True) as conn:
            scope = self._write_scope(conn, profile_id)
            return clicks.switch(scope, profile_id, tracker_id, description, at)

    def _write_scope(self, conn: sqlite3.Connection, profile_id: int) -> _PlainScope:
        """As ``Engine._quick_write``: the person read first (the lock is SQLite's
        ``BEGIN IMMEDIATE``: the whole database, until the transaction ends)."""
        scope = _PlainScope(conn, self.now(), self._reader.trees)
        scope.lock_profile(profile_id)
        return scope
