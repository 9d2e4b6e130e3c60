"""One transaction on a pooled driver connection, without SQLAlchemy's ``Connection``.

The rules a widget runs every minute or on every click (``status``, ``trackers``,
``start``, ``stop``, ``switch``) are written in driver SQL (:mod:`.readpath`,
:mod:`.openblocks`); around them, SQLAlchemy's connection object, its begin and commit
events and its pool check-in cost about as much as the statements. Here the engine
takes a connection from the same pool (the same pre-ping, the same SQLite pragmas),
begins, commits or rolls back itself, and gives the connection back. Everything else
keeps SQLAlchemy's transactions; both kinds see and lock the same rows.

Errors are SQLAlchemy's, as if it had run the statements (a server answers a database
error with 503), and a SQLite write that must not wait for another writer's lock
raises :class:`WouldWait`, as :meth:`tracktray.engine.Engine.transaction` does.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy.engine import Engine as SAEngine
from sqlalchemy.exc import DBAPIError, OperationalError

from tracktray.engine.database import begin_sqlite

__all__ = ["WouldWait", "driver_transaction"]


class WouldWait(Exception):
    """A :meth:`Engine.without_waiting` write found another writer holding the lock:
    nothing was done; run the call again where waiting is fine (a worker thread)."""


@contextmanager
def driver_transaction(db: SAEngine, *, write: bool, no_wait: bool = False) -> Iterator[Any]:
    """A transaction on a driver connection of ``db``'s pool; yields that connection.
    Committed when the block ends, rolled back if it raises."""
    dbapi = db.dialect.loaded_dbapi
    try:
        pooled = db.raw_connection()
    except dbapi.Error as error:
        raise DBAPIError.instance(None, None, error, dbapi.Error) from error
    raw = pooled.dbapi_connection
    assert raw is not None
    try:
        if db.dialect.name == "sqlite":
            try:
                begin_sqlite(raw, write=write, no_wait=no_wait)
            except OperationalError as exc:
                if write and no_wait and "locked" in str(exc.orig):
                    raise WouldWait() from None
                raise
        # PostgreSQL (psycopg, not in autocommit): the first statement begins
        yield raw
        try:
            raw.commit()
        except dbapi.Error as error:
            raise DBAPIError.instance("COMMIT", (), error, dbapi.Error) from error
    except BaseException:
        # a connection that is gone cannot roll back: the pool's pre-ping deals with it
        with contextlib.suppress(dbapi.Error):
            raw.rollback()
        raise
    finally:
        pooled.close()  # back to the pool
