"""A version number of the tracker tree, bumped by the database on every tracker write.

Revision ID: 0003_tracker_version
Revises: 0002_timetrack
Create Date: 2026-11-29

The engine keeps the tracker index in memory and reuses it while this number is
unchanged (one column read in a statement it runs anyway, instead of reloading the
table on every request). Triggers bump it, so every write counts: the engine's, a
second server process's on the same PostgreSQL, or a hand edit in ``psql``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_tracker_version"
down_revision = "0002_timetrack"
branch_labels = None
depends_on = None

_BUMP = "UPDATE tracker_version SET version = version + 1"
_EVENTS = ("insert", "update", "delete")


def upgrade() -> None:
    op.create_table(
        "tracker_version",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_tracker_version"),
    )
    op.execute("INSERT INTO tracker_version (id, version) VALUES (1, 1)")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION tracktray_bump_tracker_version() RETURNS trigger "
            f"LANGUAGE plpgsql AS $$ BEGIN {_BUMP}; RETURN NULL; END $$"
        )
        op.execute(
            "CREATE TRIGGER trackers_bump_version "
            "AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON trackers "
            "FOR EACH STATEMENT EXECUTE FUNCTION tracktray_bump_tracker_version()"
        )
        return
    for event in _EVENTS:
        op.execute(
            f"CREATE TRIGGER trackers_bump_version_{event} AFTER {event.upper()} ON trackers "
            f"BEGIN {_BUMP}; END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER trackers_bump_version ON trackers")
        op.execute("DROP FUNCTION tracktray_bump_tracker_version()")
    else:
        for event in _EVENTS:
            op.execute(f"DROP TRIGGER trackers_bump_version_{event}")
    op.drop_table("tracker_version")
