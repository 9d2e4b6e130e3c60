"""What the rules of a click need of their transaction, with no SQLAlchemy in it.

``start``, ``stop``, ``switch`` and ``status`` (:mod:`.clicks`, :mod:`.openblocks`,
:mod:`.readpath`) run on driver SQL alone: statements written with ``?`` markers, run
on the transaction's DB-API cursor. :class:`RuleScope` is that transaction as the rules
see it — its "now", its dialect, the statements, and the lookups every rule makes first
(the person, the tracker tree, what the person may track) — so that one set of rules runs

- in the :class:`~tracktray.engine.Engine`'s transactions (its :class:`~.scope.Scope`
  adds SQLAlchemy's connection for everything else: the server, reports, editing), and
- on a stdlib :mod:`sqlite3` connection (:class:`~.plainwrite.PlainTracking`): local
  mode's clicks without importing SQLAlchemy (~23 MiB for the rest of the day).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from tracktray.engine import readpath
from tracktray.engine.errors import NotAllowed, NotFound, ValidationError
from tracktray.engine.readpath import IndexCache, Person
from tracktray.engine.treeindex import TrackerIndex

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any, ClassVar, TypeVar

    from tracktray.engine.readpath import Dialect
    from tracktray.engine.signin import Caller

    _T = TypeVar("_T")

__all__ = ["RuleScope"]

_PASSWORD_HASH = "SELECT password_hash FROM profiles WHERE id = ?"


class RuleScope:
    """One transaction as the driver-SQL rules see it (see the module docstring).

    A subclass gives the connection (:meth:`_driver`), the :attr:`dialect` and the
    error a unique index raises (:attr:`integrity_error`); it sets the attributes below
    when it is made, the lookups fill the private ones as the rules ask.
    """

    #: what a statement breaking a unique index raises on this connection
    integrity_error: ClassVar[type[Exception]]

    now: dt.datetime
    #: the cached tracker index (None: load it in every transaction)
    trees: IndexCache | None
    #: False inside ``Engine.one_transaction``: an earlier call may have changed trackers
    #: uncommitted, so an index loaded here must not be cached for others
    alone: bool
    #: a caller remembered from an earlier sign-in, checked in this transaction
    caller: Caller | None
    _people: dict[int, Person]
    _tree_version: int | None
    _caller_checked: bool
    _trackers_written: bool

    @property
    def dialect(self) -> Dialect:
        raise NotImplementedError

    def _driver(self, statement: str, params: Sequence[Any], result: Callable[[Any], _T]) -> _T:
        """Run ``statement`` on the transaction's cursor; ``result(cursor)``."""
        raise NotImplementedError

    # -- statements --------------------------------------------------------------------

    def run(self, statement: str, params: Sequence[Any]) -> list[Any]:
        """Driver SQL in this transaction; its rows."""
        return self._driver(statement, params, _all_rows)

    def write(self, statement: str, params: Sequence[Any]) -> None:
        """A driver SQL ``UPDATE`` or ``DELETE`` (as :meth:`run`, nothing to fetch)."""
        self._driver(statement, params, _nothing)

    def insert(self, statement: str, params: Sequence[Any]) -> int:
        """A driver SQL ``INSERT`` of one row into a table keyed by ``id``; its id
        (``RETURNING`` on PostgreSQL; SQLite's last row id, which needs no 3.35)."""
        if self.dialect == "postgresql":
            return self._driver(statement + " RETURNING id", params, _first_value)
        return self._driver(statement, params, _last_row_id)

    # -- the tracker tree ----------------------------------------------------------------

    @property
    def index(self) -> TrackerIndex:
        """The tracker tree as this transaction sees it: the cached one while the tree's
        version (read by the person statements) is unchanged, else loaded."""
        held = self.__dict__.get("_index")
        if held is None:
            held = self.__dict__["_index"] = self._load_index()
        return held

    def _load_index(self) -> TrackerIndex:
        if self.trees is None:
            return IndexCache().at(self.run, None, publish=False)
        # What this transaction loads is a committed state unless it changed trackers
        # itself before (then never cached: it may still roll back).
        publish = self.alone and not self._trackers_written
        return self.trees.at(self.run, self._tree_version, publish=publish)

    def forget_index(self) -> None:
        """This transaction changed trackers: the next use of :attr:`index` reloads it."""
        self.__dict__.pop("_index", None)
        self._tree_version = None
        self._trackers_written = True

    # -- the person ----------------------------------------------------------------------

    def check_caller(self, profile_id: int, password_hash: object) -> None:
        """Raise :class:`~.signin.StaleCredentials` if the remembered caller is this
        profile and its stored password hash is no longer the one it was verified
        against."""
        caller = self.caller
        if caller is None or caller.profile_id != profile_id:
            return
        import hmac  # only with a remembered caller (a server): it loads OpenSSL

        from tracktray.engine.signin import StaleCredentials

        if not isinstance(password_hash, str) or not hmac.compare_digest(
            password_hash, caller.password_hash
        ):
            raise StaleCredentials()
        self._caller_checked = True

    def ensure_caller_checked(self) -> None:
        """Check the remembered caller now if no statement of this transaction did."""
        if self.caller is not None and not self._caller_checked:
            profile_id = self.caller.profile_id
            rows = self.run(readpath.sql_for(self.dialect, _PASSWORD_HASH), (profile_id,))
            self.check_caller(profile_id, rows[0][0] if rows else None)

    def person(self, profile_id: int) -> Person:
        """Zone, default tracker, can_track roots (one statement per transaction)."""
        found = self._people.get(profile_id)
        if found is None:
            found = self._read_person(profile_id, lock=False)
        return found

    def lock_profile(self, profile_id: int) -> Person:
        """Lock the profile's row until this transaction ends (PostgreSQL ``FOR UPDATE``)
        and read the person in the same statement (:meth:`person` answers from it).

        Every write for one person takes this lock first, so two server processes
        checking "is a block open?" or "does this overlap?" for the same person take
        turns: the second one reads what the first one committed. One profile per
        transaction, so the order cannot deadlock. SQLite needs no row lock (its write
        transactions already run one at a time) and the clause is not rendered there.
        """
        return self._read_person(profile_id, lock=True)

    def _read_person(self, profile_id: int, *, lock: bool) -> Person:
        try:
            found = readpath.person(self.run, self.dialect, profile_id, lock=lock)
        except NotFound:
            self.check_caller(profile_id, None)  # a remembered caller who is gone
            raise
        self.check_caller(profile_id, found.password_hash)
        if "_index" not in self.__dict__:
            self._tree_version = found.tree_version
        self._people[profile_id] = found
        return found

    def zone_of(self, profile_id: int) -> ZoneInfo:
        """The profile's zone (UTC for a bad zone in the database)."""
        return self.person(profile_id).zone

    def trackable(self, profile_id: int) -> frozenset[int]:
        """Trackers the profile may track on: can_track subtrees, minus archived ones."""
        return readpath.trackable(self.index, self.person(profile_id).track_roots)

    def tracker_to_track(self, profile_id: int, tracker_id: int | None) -> int:
        """The tracker a new block goes on: the given one or the default; checked."""
        if tracker_id is None:
            default = self.person(profile_id).default_tracker_id
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


def _all_rows(cursor: Any) -> list[Any]:
    return list(cursor.fetchall())


def _nothing(cursor: Any) -> None:
    return None


def _first_value(cursor: Any) -> int:
    return int(cursor.fetchone()[0])


def _last_row_id(cursor: Any) -> int:
    return int(cursor.lastrowid)
