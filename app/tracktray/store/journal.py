"""The journal: every action a person makes, written down before anything is sent.

One SQLite file (``journal.sqlite`` in the data directory), shared by the widget and the
CLI through the stdlib ``sqlite3`` module (the tray's start-up never loads SQLAlchemy).
Each click becomes a row with the wall-clock time of the click, committed with
``synchronous=FULL`` before the request leaves; it is marked done when the server has
confirmed it, and replayed in click order when the server is back, after a restart too.
Rows are never deleted while unfinished: an entry ends ``done``, ``refused`` (the server
said no, and the person was told) or stays ``waiting``. Finished rows are kept a while as
the record of what was sent and how.

``sending`` marks an entry whose request may have left: a process killed at that point
leaves it so, and the next replay first asks the server's state instead of sending the
same thing again blindly.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from tracktray.contracts.errors import TrackTrayError
from tracktray.i18n import _

__all__ = [
    "FILE_NAME",
    "Journal",
    "JournalEntry",
    "JournalError",
    "State",
]

FILE_NAME = "journal.sqlite"
# Type names only: ``tracktray status`` reads the journal, and typing costs it a few ms.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping
    from typing import Any, Literal, TypeAlias

    State: TypeAlias = Literal["waiting", "sending", "done", "refused"]
else:
    State = str
UNFINISHED: tuple[State, ...] = ("waiting", "sending")
#: finished entries older than this are pruned (unfinished ones never are)
KEEP_FINISHED = dt.timedelta(days=60)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS actions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    args TEXT NOT NULL,
    clicked_at TEXT NOT NULL,
    source TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'waiting',
    attempts INTEGER NOT NULL DEFAULT 0,
    outcome TEXT NOT NULL DEFAULT '',
    finished_at TEXT
);
CREATE INDEX IF NOT EXISTS actions_unfinished ON actions (account_id, state, id);
-- each click reads its account's latest click time (append, last_click): without this
-- index that read walks every entry kept (60 days of them), with its pages in memory
CREATE INDEX IF NOT EXISTS actions_clicked ON actions (account_id, clicked_at);
CREATE TABLE IF NOT EXISTS last_status (
    account_id TEXT PRIMARY KEY,
    status TEXT NOT NULL
);
"""


class JournalError(TrackTrayError):
    """The journal file cannot be opened or written."""


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One action in the journal: what, for which account, when, and how it ended."""

    id: int
    account_id: str
    #: start, stop, switch, add, addfree, pause, resume, clock_in, clock_out,
    #: attendance_add, attendance_edit, attendance_delete
    kind: str
    args: Mapping[str, Any]
    #: when the person clicked (aware, UTC)
    clicked_at: dt.datetime
    source: str
    state: State = "waiting"
    attempts: int = 0
    outcome: str = ""

    @property
    def finished(self) -> bool:
        return self.state not in UNFINISHED


class Journal:
    """The journal file; every method opens its own connection (any thread, any process)."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / FILE_NAME
        self._lock_dir = data_dir / "journal-locks"
        #: each account's sender lock file, built once per account rather than per send:
        #: pathlib interns every part of a path it parses, and in CPython a string
        #: interned and dropped again keeps its slot in the interpreter's table of
        #: interned strings until that table is rebuilt, so a path built per click used
        #: up the table's free slots and it doubled (+0.5 MiB resident for the rest of
        #: the run) after ~1,000 start/stop cycles
        self._lock_files: dict[str, Path] = {}
        self._ready = False

    # -- writing -------------------------------------------------------------------------

    def append(
        self,
        account_id: str,
        kind: str,
        args: Mapping[str, Any],
        *,
        clicked_at: dt.datetime,
        source: str,
    ) -> JournalEntry:
        """Write one click durably; returns it with its id (its place in the order).

        A click never gets a time before the previous click of the same account: when
        the computer's clock was set back between two clicks, the later click takes the
        earlier one's time, so the order of the times stays the order of the clicks.
        """
        text = json.dumps(dict(args), sort_keys=True)
        with self._connect() as conn:
            last = conn.execute(
                "SELECT MAX(clicked_at) FROM actions WHERE account_id = ?", (account_id,)
            ).fetchone()[0]
            stamp = _iso(clicked_at)
            if last is not None and _parse(str(last)) > _parse(stamp):
                stamp = str(last)
            cursor = conn.execute(
                "INSERT INTO actions (account_id, kind, args, clicked_at, source) "
                "VALUES (?, ?, ?, ?, ?)",
                (account_id, kind, text, stamp, source),
            )
            entry_id = cursor.lastrowid
        assert entry_id is not None
        return JournalEntry(entry_id, account_id, kind, dict(args), _parse(stamp), source)

    def mark_sending(self, entry_id: int) -> None:
        with self._connect() as conn:
            conn.execute(
                "UPDATE actions SET state = 'sending', attempts = attempts + 1 WHERE id = ?",
                (entry_id,),
            )

    def finish(self, entry_id: int, state: State, outcome: str = "") -> None:
        """Mark an entry done (or refused) with what happened, in one plain sentence."""
        with self._connect() as conn:
            conn.execute(
                "UPDATE actions SET state = ?, outcome = ?, finished_at = ? WHERE id = ?",
                (state, outcome, _iso(dt.datetime.now(dt.UTC)), entry_id),
            )

    def prune(self, now: dt.datetime) -> None:
        """Forget finished entries older than :data:`KEEP_FINISHED`."""
        with self._connect() as conn:
            conn.execute(
                "DELETE FROM actions WHERE state NOT IN ('waiting', 'sending') AND finished_at < ?",
                (_iso(now - KEEP_FINISHED),),
            )

    # -- reading -------------------------------------------------------------------------

    def unfinished(self, account_id: str | None = None) -> list[JournalEntry]:
        """Entries not yet confirmed, oldest first (for one account, or all)."""
        query = "SELECT * FROM actions WHERE state IN ('waiting', 'sending')"
        params: tuple[str, ...] = ()
        if account_id is not None:
            query += " AND account_id = ?"
            params = (account_id,)
        return [_entry(row) for row in self._read(query + " ORDER BY id", params)]

    def entries(self, account_id: str | None = None) -> list[JournalEntry]:
        """Every entry kept, oldest first (tests and the fault bench read them)."""
        query, params = "SELECT * FROM actions", tuple[str, ...]()
        if account_id is not None:
            query, params = query + " WHERE account_id = ?", (account_id,)
        return [_entry(row) for row in self._read(query + " ORDER BY id", params)]

    def last_click(self, account_id: str) -> dt.datetime | None:
        """When the account's latest action kept here was clicked or typed, or None."""
        rows = self._read(
            "SELECT max(clicked_at) AS at FROM actions WHERE account_id = ?", (account_id,)
        )
        at = rows[0]["at"] if rows else None
        return None if at is None else _parse(str(at))

    # -- the last confirmed status ---------------------------------------------------------

    def save_status(self, account_id: str, status: Mapping[str, Any]) -> None:
        """Keep the account's last confirmed status (``store.last_status`` writes it)."""
        text = json.dumps(dict(status), sort_keys=True)
        with self._connect() as conn:
            conn.execute(
                "INSERT INTO last_status (account_id, status) VALUES (?, ?) "
                "ON CONFLICT (account_id) DO UPDATE SET status = excluded.status",
                (account_id, text),
            )

    def last_status(self, account_id: str) -> object:
        """The account's last confirmed status as saved (parsed JSON), or None. A plain
        read (no set-up, no write lock): the widget's first stage draws it at start."""
        rows = self._read("SELECT status FROM last_status WHERE account_id = ?", (account_id,))
        try:
            return json.loads(rows[0]["status"]) if rows else None
        except ValueError:
            return None

    # -- one sender per account ------------------------------------------------------------

    @contextmanager
    def sending(self, account_id: str) -> Iterator[None]:
        """Hold the right to send ``account_id``'s entries (across processes)."""
        from tracktray.store.filelock import locked  # writers only: readers take no lock

        with locked(self._lock_file(account_id)):
            yield

    def _lock_file(self, account_id: str) -> Path:
        path = self._lock_files.get(account_id)
        if path is None:
            safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in account_id)
            path = self._lock_files.setdefault(account_id, self._lock_dir / f"{safe}.lock")
        return path

    # -- plumbing ------------------------------------------------------------------------

    def _read(self, query: str, params: tuple[str, ...]) -> list[sqlite3.Row]:
        """The rows of one query on what is committed, without :meth:`_connect`'s set-up
        and write lock: a reader (``tracktray status``, the widget's start) never waits
        for a writer (WAL), nor creates the file. A journal not set up yet has no rows."""
        if not self.path.is_file():
            return []
        try:
            conn = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise JournalError(
                _("The journal {path} cannot be opened: {exc}.").format(path=self.path, exc=exc)
            ) from None
        with closing(conn):
            conn.row_factory = sqlite3.Row
            try:
                return conn.execute(query, params).fetchall()  # one statement: one snapshot
            except sqlite3.OperationalError as exc:
                if "no such table" in str(exc):
                    return []
                raise JournalError(
                    _("The journal {path} cannot be opened: {exc}.").format(path=self.path, exc=exc)
                ) from None

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise JournalError(
                _("The journal {path} cannot be opened: {exc}.").format(path=self.path, exc=exc)
            ) from None
        with closing(conn):
            try:
                conn.row_factory = sqlite3.Row
                # FULL: a commit is on disk before the request it records is sent.
                conn.execute("PRAGMA synchronous = FULL")
                if not self._ready:
                    # The widget and the CLI may open a new journal at the same moment;
                    # SQLite can refuse one of them ("database is locked") without waiting
                    # while the other turns the file to WAL: one at a time, across processes.
                    from tracktray.store.filelock import locked

                    with locked(self._lock_dir / "setup.lock"):
                        conn.execute("PRAGMA journal_mode = WAL")
                        conn.executescript(_SCHEMA)
                    self._ready = True
                conn.execute("BEGIN IMMEDIATE")
                yield conn
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise JournalError(
                    _("The journal {path} cannot be written: {exc}.").format(
                        path=self.path, exc=exc
                    )
                ) from None


def _iso(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds")


def _parse(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).astimezone(dt.UTC)


def _entry(row: sqlite3.Row) -> JournalEntry:
    return JournalEntry(
        id=int(row["id"]),
        account_id=str(row["account_id"]),
        kind=str(row["kind"]),
        args=json.loads(row["args"]),
        clicked_at=_parse(str(row["clicked_at"])),
        source=str(row["source"]),
        state=row["state"],
        attempts=int(row["attempts"]),
        outcome=str(row["outcome"]),
    )
