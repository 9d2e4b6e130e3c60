"""Opening a database: URL rules, SQLite pragmas, and migrating to the latest schema.

SQLite runs in WAL mode (readers never wait for the writer) and every write transaction
starts with ``BEGIN IMMEDIATE``: two requests that both read "no block open" and then
write would otherwise deadlock-upgrade their locks; with IMMEDIATE the second simply waits
its turn (``busy_timeout``) and then sees the first one's block.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, create_engine, event, exc, text
from sqlalchemy.engine import Engine as SAEngine
from sqlalchemy.engine import make_url
from sqlalchemy.pool import ConnectionPoolEntry, StaticPool

# The newest migration (defined with the read path, which checks it without SQLAlchemy).
# Opening a database already at this revision skips importing Alembic altogether; a test
# pins this constant to Alembic's own head, so a new migration cannot be forgotten.
from tracktray.engine.readpath import BUSY_TIMEOUT_MS, SCHEMA_HEAD, SQLITE_PRAGMAS

if TYPE_CHECKING:
    from alembic.config import Config

__all__ = [
    "NO_WAIT",
    "SCHEMA_HEAD",
    "WRITE",
    "alembic_config",
    "begin_sqlite",
    "connect",
    "current_revision",
    "head_revision",
    "migrate",
]


#: execution option marking a connection whose transactions will write
WRITE = "tracktray_write"
#: execution option: on SQLite, take the write lock now or fail at once ("database is
#: locked") instead of waiting up to the busy timeout for another writer
NO_WAIT = "tracktray_no_wait"


def normalize_url(url: str) -> str:
    """Accept ``postgresql://`` (and ``postgres://``) as psycopg 3 URLs."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def connect(url: str, *, echo: bool = False) -> SAEngine:
    url = normalize_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        connect_args: dict[str, Any] = {"timeout": BUSY_TIMEOUT_MS / 1000}
        if database in ("", ":memory:"):
            # One in-memory database (one connection) for every thread: fine for throwaway
            # single-user use; concurrent requests need a file.
            connect_args["check_same_thread"] = False
            engine = create_engine(url, echo=echo, connect_args=connect_args, poolclass=StaticPool)
        else:
            if not database.startswith("file:"):
                Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, echo=echo, connect_args=connect_args)
        _tune_sqlite(engine)
        return engine
    from tracktray.engine.tables import declare_postgresql_options

    declare_postgresql_options()
    return create_engine(url, echo=echo, pool_pre_ping=True)


def _tune_sqlite(engine: SAEngine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        # Let SQLAlchemy (the "begin" hook below) decide when transactions start.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in SQLITE_PRAGMAS:  # the plain read path's connections get the same
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn: Connection) -> None:
        options = conn.get_execution_options()
        raw = conn.connection.dbapi_connection
        assert raw is not None
        begin_sqlite(raw, write=options.get(WRITE, False), no_wait=options.get(NO_WAIT, False))


def begin_sqlite(raw: Any, *, write: bool, no_wait: bool = False) -> None:
    """Begin a transaction on a driver's SQLite connection: ``BEGIN IMMEDIATE`` for a
    write (``no_wait``: fail at once with "database is locked" instead of waiting for
    another writer), ``BEGIN`` for a read. Run on the driver itself (every request
    begins one: SQLAlchemy's execution around it cost more than the statement); errors
    raised as SQLAlchemy's, as if it had run it (a lock is an OperationalError)."""
    if not write:
        _driver_begin(raw, "BEGIN")
    elif not no_wait:
        _driver_begin(raw, "BEGIN IMMEDIATE")
    else:
        raw.execute("PRAGMA busy_timeout=0")
        try:
            _driver_begin(raw, "BEGIN IMMEDIATE")
        finally:
            raw.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


def _driver_begin(raw: Any, statement: str) -> None:
    try:
        raw.execute(statement)
    except sqlite3.Error as error:
        raise exc.DBAPIError.instance(statement, (), error, sqlite3.Error) from error


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "tracktray.engine:migrations")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str | None:
    """Alembic's own idea of the newest migration (imports Alembic)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: SAEngine) -> str | None:
    """The revision a database is at, read without Alembic; None for an empty database."""
    with engine.connect() as conn:
        try:
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).all()
        except exc.DBAPIError:
            return None
    return str(rows[0][0]) if len(rows) == 1 else None


def migrate(engine: SAEngine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (an old file is upgraded in place)."""
    if revision == "head" and current_revision(engine) == SCHEMA_HEAD:
        return
    from alembic import command

    with engine.execution_options(**{WRITE: True}).begin() as conn:
        command.upgrade(alembic_config(conn), revision)
