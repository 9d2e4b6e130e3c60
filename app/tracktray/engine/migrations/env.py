"""Alembic environment: migrations run on the connection ``Engine.open`` hands over.

Run from the command line (``alembic -x url=sqlite:///file.sqlite upgrade head`` with
``script_location = tracktray.engine:migrations``) it opens that URL itself.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from tracktray.engine.tables import metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite cannot ALTER most things: batch mode copies the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    url = context.get_x_argument(as_dictionary=True).get("url") or context.config.get_main_option(
        "sqlalchemy.url"
    )
    if not url:
        raise SystemExit("pass the database with -x url=<sqlalchemy url>")
    with create_engine(url).connect() as conn:
        _run(conn)
        conn.commit()
