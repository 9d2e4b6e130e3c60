"""``Engine``: the one entry point to tracked time, in-process or behind a server.

Every public method is one database transaction: it either does everything it was asked
or raises an :mod:`tracktray.engine.errors` exception and leaves the database unchanged.
"""

from __future__ import annotations

import datetime as dt
import functools
import secrets
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, bindparam, select
from sqlalchemy.engine import Engine as SAEngine
from sqlalchemy.exc import OperationalError

from tracktray.domain import Block, Profile, ReportQuery, Status, TrackerTree, UpdateCheck
from tracktray.engine import admin, readpath, reporting, tracking
from tracktray.engine.database import NO_WAIT, WRITE, connect, migrate, normalize_url
from tracktray.engine.drivertx import WouldWait, driver_transaction
from tracktray.engine.errors import NotFound
from tracktray.engine.passwords import hash_password, verify_password
from tracktray.engine.readpath import IndexCache
from tracktray.engine.scope import Scope, block_from_row
from tracktray.engine.signin import Caller, CredentialCache
from tracktray.engine.tables import profiles

__all__ = ["Clock", "Engine", "WouldWait"]

Clock = Callable[[], dt.datetime]
#: a tracker named by id, or by its path ("Acme/Website")
TrackerKey = int | str


_CREDENTIALS = select(profiles.c.id, profiles.c.password_hash).where(
    profiles.c.username == bindparam("username")
)


@functools.cache
def _decoy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


def system_clock() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Engine:
    """Tracked time over one SQLAlchemy database (SQLite file or PostgreSQL)."""

    def __init__(
        self, db: SAEngine, *, clock: Clock = system_clock, pinned: Connection | None = None
    ) -> None:
        self.db = db
        self._writer = db.execution_options(**{WRITE: True})
        self._writer_now = db.execution_options(**{WRITE: True, NO_WAIT: True})
        # Set by without_waiting(): writes take the lock now or raise WouldWait.
        self._no_wait = False
        self._clock = clock
        # Set by one_transaction(): every call joins that one transaction.
        self._pinned = pinned
        # Set by acting_for(): a remembered caller, checked inside every transaction.
        self._caller: Caller | None = None
        #: the tracker index while the tree's version is unchanged (shared by views)
        self.trees = IndexCache()
        # Basic auth checks the password on every request and scrypt is deliberately
        # slow: recent successes are remembered (engine/signin.py says why that is safe).
        self._credentials = CredentialCache()

    @classmethod
    def open(cls, url: str, *, clock: Clock = system_clock, echo: bool = False) -> Engine:
        """Open (creating or upgrading the schema of) the database at ``url``."""
        db = connect(normalize_url(url), echo=echo)
        migrate(db)
        return cls(db, clock=clock)

    def close(self) -> None:
        self.db.dispose()

    @property
    def alone(self) -> bool:
        """Each call is its own transaction (False inside :meth:`one_transaction`)."""
        return self._pinned is None

    @property
    def reads_never_wait(self) -> bool:
        """A short read can run where blocking would hurt (a server's event loop): a
        SQLite file in WAL mode, where readers never wait for a writer and nothing
        crosses a network. PostgreSQL is a network round trip away."""
        return self.db.dialect.name == "sqlite"

    def now(self) -> dt.datetime:
        return self._clock().astimezone(dt.UTC).replace(microsecond=0)

    @contextmanager
    def transaction(self, *, write: bool) -> Iterator[Connection]:
        """One transaction (the pinned one inside :meth:`one_transaction`)."""
        if self._pinned is not None:
            yield self._pinned
            return
        source = self.db if not write else self._writer_now if self._no_wait else self._writer
        with source.connect() as conn:
            try:
                begun = conn.begin()
            except OperationalError as exc:
                if write and self._no_wait and "locked" in str(exc.orig):
                    raise WouldWait() from None
                raise
            with begun:
                yield conn

    @contextmanager
    def one_transaction(self) -> Iterator[Engine]:
        """An engine whose every call runs in one write transaction, committed when the
        block ends and rolled back entirely if it raises (``tracktray-server load``)."""
        with self.transaction(write=True) as conn:
            yield Engine(self.db, clock=self._clock, pinned=conn)

    def acting_for(self, caller: Caller, *, wait: bool = True) -> Engine:
        """This engine for a caller remembered by :meth:`remembered`: every transaction
        also checks that the caller's password is still the stored one, in a statement
        it runs anyway where it can, and raises
        :class:`~tracktray.engine.signin.StaleCredentials` (nothing done) if not.
        ``wait=False``: as :meth:`without_waiting` too."""
        view = self._view()
        view._caller = caller
        view._no_wait = not wait
        return view

    def without_waiting(self) -> Engine:
        """This engine, but a write that would wait for another writer's lock raises
        :class:`WouldWait` at once, having done nothing (SQLite; what a server's event
        loop may run: a click's write takes a millisecond, waiting could take seconds)."""
        view = self._view()
        view._no_wait = True
        return view

    def _view(self) -> Engine:
        """A shallow copy sharing the database, caches and clock (``copy.copy`` took
        longer than a ``status`` statement: a server makes one per request)."""
        view = object.__new__(Engine)
        view.__dict__.update(self.__dict__)
        return view

    @contextmanager
    def _read(self, *, checked_later: bool = False) -> Iterator[Scope]:
        """A read transaction. ``checked_later``: the caller is checked by the body's
        first statement (:meth:`Scope.person`), not by one of its own."""
        with self.transaction(write=False) as conn:
            scope = Scope(conn, self.now(), trees=self.trees, alone=self.alone, caller=self._caller)
            if not checked_later:
                scope.ensure_caller_checked()
            yield scope
            scope.ensure_caller_checked()

    @contextmanager
    def _write(self, person: int | None = None) -> Iterator[Scope]:
        """A write transaction; with ``person``, that profile's row is locked first (and
        the caller checked in the same statement)."""
        with self.transaction(write=True) as conn:
            scope = Scope(
                conn, self.now(), writing=True, trees=self.trees, alone=self.alone,
                caller=self._caller,
            )  # fmt: skip
            if person is not None:
                scope.lock_profile(person)
            scope.ensure_caller_checked()
            yield scope

    @contextmanager
    def _quick_read(self) -> Iterator[Scope]:
        """:meth:`_read` (the caller checked by the body's first statement) for the rules
        written in driver SQL alone: on a driver connection (:mod:`.drivertx`)."""
        if self._pinned is not None:
            with self._read(checked_later=True) as scope:
                yield scope
            return
        with driver_transaction(self.db, write=False) as raw:
            scope = Scope(
                None, self.now(), trees=self.trees, caller=self._caller, driver=raw,
                dialect_of=self.db.dialect,
            )  # fmt: skip
            yield scope
            scope.ensure_caller_checked()

    @contextmanager
    def _quick_write(self, person: int) -> Iterator[Scope]:
        """:meth:`_write` with ``person`` locked, for the rules written in driver SQL
        alone (start, stop, switch): on a driver connection (:mod:`.drivertx`)."""
        if self._pinned is not None:
            with self._write(person) as scope:
                yield scope
            return
        with driver_transaction(self.db, write=True, no_wait=self._no_wait) as raw:
            scope = Scope(
                None, self.now(), writing=True, trees=self.trees, caller=self._caller,
                driver=raw, dialect_of=self.db.dialect,
            )  # fmt: skip
            scope.lock_profile(person)
            scope.ensure_caller_checked()
            yield scope

    # -- the TrackMyPeople functions -------------------------------------------------

    def trackers(self, profile_id: int) -> TrackerTree:
        """What the profile may track on, depth-first, siblings alphabetical."""
        with self._quick_read() as s:
            return readpath.trackable_tree(s.person(profile_id), s.index)

    def status(self, profile_id: int) -> Status:
        with self._quick_read() as s:
            return tracking.status(s, profile_id)

    def start(self, profile_id: int, tracker_id: int | None = None) -> Status:
        with self._quick_write(profile_id) as s:
            return tracking.start(s, profile_id, tracker_id)

    def switch(
        self,
        profile_id: int,
        tracker_id: int | None = None,
        description: str = "",
        at: dt.datetime | None = None,
    ) -> Status:
        """Close the open block and open one on ``tracker_id``, now or at ``at`` (naive:
        wall time in the profile's zone; aware: an instant)."""
        with self._quick_write(profile_id) as s:
            return tracking.switch(s, profile_id, tracker_id, description, at)

    def stop(self, profile_id: int, description: str = "", at: dt.datetime | None = None) -> int:
        """Close the open block now or at ``at`` (as for :meth:`switch`); returns its id."""
        with self._quick_write(profile_id) as s:
            return tracking.stop(s, profile_id, description, at)

    def day_total(self, profile_id: int) -> int:
        with self._quick_read() as s:
            return tracking.day_total(s, profile_id)

    def add(
        self,
        profile_id: int,
        start: dt.datetime,
        stop: dt.datetime | None = None,
        tracker_id: int | None = None,
        description: str = "",
    ) -> Block:
        """Naive times are wall-clock times in the profile's zone; aware ones are instants."""
        with self._write(profile_id) as s:
            return tracking.add(s, profile_id, start, stop, tracker_id, description)

    def add_free(
        self,
        profile_id: int,
        hours: Decimal,
        day: dt.date | None = None,
        tracker_id: int | None = None,
        description: str = "",
    ) -> Block:
        with self._write(profile_id) as s:
            return tracking.add_free(s, profile_id, hours, day, tracker_id, description)

    def reportees(self, profile_id: int) -> list[Profile]:
        with self._read() as s:
            return reporting.reportees(s, profile_id)

    def report(self, profile_id: int, query: ReportQuery) -> list[Block]:
        with self._read() as s:
            return reporting.report(s, profile_id, query)

    def report_members(self, profile_id: int, query: ReportQuery) -> str:
        """:meth:`report` as the TrackMyPeople answer's ``"block_<id>":{...}`` members,
        joined by commas."""
        return ",".join(self.report_member_slices(profile_id, query, 4096))

    def report_member_slices(
        self, profile_id: int, query: ReportQuery, size: int
    ) -> Generator[str, None, None]:
        """:meth:`report_members` in slices of about ``size`` members, each read when
        it is asked for: a generator that refuses (raises) at its first ``next`` and
        holds its read transaction until it is exhausted or closed; any one thread at a
        time may advance it."""
        with self._read() as s:
            yield from reporting.member_slices(s, profile_id, query, size)

    def check_version(self, version: str) -> UpdateCheck:
        with self.transaction(write=False) as conn:
            return reporting.check_version(conn, version)

    # -- one block ---------------------------------------------------------------------

    def block(self, profile_id: int, block_id: int) -> Block:
        """One of the profile's own blocks (NotFound / NotAllowed otherwise)."""
        with self._read() as s:
            return block_from_row(s.block_row(profile_id, block_id), s.zone_of(profile_id), s.now)

    def edit_block(
        self,
        profile_id: int,
        block_id: int,
        *,
        start: dt.datetime,
        stop: dt.datetime | None,
        tracker_id: int,
        description: str,
    ) -> Block:
        with self._write(profile_id) as s:
            return tracking.edit(s, profile_id, block_id, start, stop, tracker_id, description)

    # -- people ------------------------------------------------------------------------

    def authenticate(
        self, username: str, password: str, *, remembered_only: bool = False
    ) -> int | None:
        """The profile id for these credentials, or None (see :meth:`sign_in`)."""
        caller = self.sign_in(username, password, remembered_only=remembered_only)
        return caller.profile_id if caller is not None else None

    def remembered(self, username: str, password: str) -> Caller | None:
        """The caller these credentials were verified as recently, from memory alone
        (no statement, no hash); use it through :meth:`acting_for`, which checks it."""
        return self._credentials.get(username, password)

    def sign_in(
        self, username: str, password: str, *, remembered_only: bool = False
    ) -> Caller | None:
        """Check the credentials against the stored hash (remembered successes skip the
        slow hash); the caller, or None.

        ``remembered_only``: answer only from credentials verified recently, never
        hashing (what a server does for an account whose failed sign-ins are throttled).
        """
        with self.transaction(write=False) as conn:
            row = conn.execute(_CREDENTIALS, {"username": username}).first()
        if row is None:
            if not remembered_only:
                # Spend the same time as for a real user, so that response times do not
                # tell which usernames exist.
                verify_password(password, _decoy_hash())
            return None
        caller = Caller(int(row[0]), str(row[1]))
        if self._credentials.get(username, password, caller.password_hash) is not None:
            return caller
        if remembered_only or not verify_password(password, caller.password_hash):
            return None
        self._credentials.put(username, password, caller)
        return caller

    def create_user(self, username: str, password: str, **fields: Any) -> int:
        """Fields: title, first_name, last_name, email, phone, gsm, timezone, culture,
        default_tracker_id."""
        username = admin.check_username(username)
        stored = hash_password(admin.check_password(password))  # slow: before the lock
        with self._write() as s:
            profile_id = admin.create_user(s, username, stored, fields)
        self._credentials.put(username, password, Caller(profile_id, stored))
        return profile_id

    def update_user(self, profile_id: int, *, password: str | None = None, **fields: Any) -> None:
        stored = hash_password(admin.check_password(password)) if password is not None else None
        with self._write() as s:
            admin.update_user(s, profile_id, stored, fields)
        if stored is not None:
            self._credentials.forget(profile_id)

    def user_id(self, username: str) -> int | None:
        with self.transaction(write=False) as conn:
            found = conn.execute(
                select(profiles.c.id).where(profiles.c.username == username)
            ).scalar()
        return int(found) if found is not None else None

    def profile(self, profile_id: int) -> Profile:
        with self._read() as s:
            return s.profile(profile_id)

    def grant_role(
        self,
        profile_id: int,
        tracker: TrackerKey,
        *,
        can_track: bool = True,
        can_see_reporting: bool = False,
    ) -> None:
        """Roles cover the tracker's whole subtree."""
        with self._write() as s:
            tracker_id = _resolve(s, tracker)
            admin.grant_role(s, profile_id, tracker_id, can_track, can_see_reporting)

    # -- trackers and releases ---------------------------------------------------------

    def add_tracker(self, name: str, parent_id: int | None = None, abbreviation: str = "") -> int:
        with self._write() as s:
            return admin.add_tracker(s, name, parent_id, abbreviation)

    def ensure_tracker(self, path: str, abbreviation: str | None = None) -> int:
        with self._write() as s:
            return admin.ensure_tracker(s, path, abbreviation)

    def tracker_id(self, path: str) -> int | None:
        with self._read() as s:
            return s.index.find_path(path)

    def all_trackers(self) -> TrackerTree:
        """Every tracker, archived ones included (administration views)."""
        with self._read() as s:
            return s.index.tree(set(s.index))

    def archived_trackers(self) -> TrackerTree:
        """The trackers archived themselves (not those hidden with an archived parent):
        what a restore can bring back, each with its full path."""
        with self._read() as s:
            return s.index.tree({t for t in s.index if s.index.row(t).archived})

    def rename_tracker(self, tracker: TrackerKey, name: str) -> None:
        with self._write() as s:
            admin.rename_tracker(s, _resolve(s, tracker), name)

    def move_tracker(self, tracker: TrackerKey, parent: TrackerKey | None) -> None:
        """Move under ``parent`` (None: to the top level)."""
        with self._write() as s:
            parent_id = _resolve(s, parent) if parent is not None else None
            admin.move_tracker(s, _resolve(s, tracker), parent_id)

    def archive_tracker(self, tracker: TrackerKey, archived: bool = True) -> None:
        with self._write() as s:
            admin.archive_tracker(s, _resolve(s, tracker), archived)

    def set_release(self, platform: str, version: str, url: str) -> None:
        with self._write() as s:
            admin.set_release(s, platform, version, url)


def _resolve(scope: Scope, tracker: TrackerKey) -> int:
    if isinstance(tracker, int):
        return tracker
    found = scope.index.find_path(tracker)
    if found is None:
        raise NotFound(f"There is no tracker “{tracker}”.")
    return found
