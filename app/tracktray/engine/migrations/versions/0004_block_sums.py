"""Worked seconds of finished blocks, summed per person, quarter hour, tracker and free.

Revision ID: 0004_block_sums
Revises: 0003_tracker_version
Create Date: 2026-11-29

``status`` (what every widget asks every minute, and what ``start`` answers with) adds
up today's finished blocks. Summing the blocks themselves costs one row per block: a
day of many short blocks made every answer slower. Here the database keeps the sums,
one row per (person, quarter hour of the block's start in UTC, tracker, free): a day is
at most 96 quarters, and a local day always begins on a quarter hour in today's time
zones, so today's total is a short range of this table.

Triggers on ``blocks`` keep the sums in the same transaction as the write that changes
them, whoever writes (the engine, a second server process on the same PostgreSQL, a
hand edit), exactly as ``status`` summed them: ``stop - start - break_s`` in whole
seconds, over project blocks with a stop. A block without a tracker (never one the
engine writes) is summed under tracker 0. The sums of the blocks already stored are
filled in here.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_block_sums"
down_revision = "0003_tracker_version"
branch_labels = None
depends_on = None

_KEY = "(profile_id, quarter, tracker_id, free)"
_COUNTED = "{row}.kind = 'project' AND {row}.stop_utc IS NOT NULL"

# The quarter hour (seconds since 1970 // 900, floored) and the worked seconds of a
# row, as readpath summed them before this table existed (the same expressions).
_SQLITE_QUARTER = (
    "((CAST(strftime('%s', {row}start_utc) AS INTEGER) - "
    "((CAST(strftime('%s', {row}start_utc) AS INTEGER) % 900) + 900) % 900) / 900)"
)
_SQLITE_SECONDS = (
    "(CAST(ROUND((julianday({row}stop_utc) - julianday({row}start_utc)) * 86400) AS INTEGER)"
    " - {row}break_s)"
)
_PG_QUARTER = "CAST(FLOOR(EXTRACT(EPOCH FROM {row}start_utc) / 900) AS INTEGER)"
_PG_SECONDS = (
    "(CAST(EXTRACT(EPOCH FROM ({row}stop_utc - {row}start_utc)) AS INTEGER) - {row}break_s)"
)
_SQLITE_EVENTS = ("insert", "update_add", "update_remove", "delete")
_WATCHED = "profile_id, tracker_id, kind, start_utc, stop_utc, free, break_s"


def _values(quarter: str, seconds: str, row: str) -> str:
    prefix = f"{row}." if row else ""
    return (
        f"{row}.profile_id, {quarter.format(row=prefix)}, COALESCE({row}.tracker_id, 0), "
        f"{row}.free, {seconds.format(row=prefix)}"
    )


def _add(quarter: str, seconds: str, row: str) -> str:
    return (
        f"INSERT INTO block_sums {_KEY[:-1]}, seconds) "
        f"VALUES ({_values(quarter, seconds, row)}) "
        f"ON CONFLICT {_KEY} DO UPDATE SET seconds = block_sums.seconds + excluded.seconds"
    )


def _remove(quarter: str, seconds: str, row: str) -> str:
    prefix = f"{row}."
    return (
        f"UPDATE block_sums SET seconds = seconds - {seconds.format(row=prefix)} "
        f"WHERE profile_id = {row}.profile_id AND quarter = {quarter.format(row=prefix)} "
        f"AND tracker_id = COALESCE({row}.tracker_id, 0) AND free = {row}.free"
    )


def upgrade() -> None:
    op.create_table(
        "block_sums",
        sa.Column("profile_id", sa.Integer, nullable=False, autoincrement=False),
        sa.Column("quarter", sa.Integer, nullable=False, autoincrement=False),
        sa.Column("tracker_id", sa.Integer, nullable=False, autoincrement=False),
        sa.Column("free", sa.Boolean, nullable=False),
        sa.Column("seconds", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint(
            "profile_id", "quarter", "tracker_id", "free", name="pk_block_sums"
        ),
    )
    if op.get_bind().dialect.name == "postgresql":
        _upgrade_postgresql()
        quarter, seconds = _PG_QUARTER, _PG_SECONDS
    else:
        _upgrade_sqlite()
        quarter, seconds = _SQLITE_QUARTER, _SQLITE_SECONDS
    op.execute(
        f"INSERT INTO block_sums {_KEY[:-1]}, seconds) "
        f"SELECT profile_id, {quarter.format(row='')}, COALESCE(tracker_id, 0), free, "
        f"SUM({seconds.format(row='')}) FROM blocks "
        "WHERE kind = 'project' AND stop_utc IS NOT NULL GROUP BY 1, 2, 3, 4"
    )


def _upgrade_sqlite() -> None:
    q, s = _SQLITE_QUARTER, _SQLITE_SECONDS
    triggers = {
        "insert": ("AFTER INSERT", _COUNTED.format(row="NEW"), _add(q, s, "NEW")),
        "update_add": (
            f"AFTER UPDATE OF {_WATCHED}",
            _COUNTED.format(row="NEW"),
            _add(q, s, "NEW"),
        ),
        "update_remove": (
            f"AFTER UPDATE OF {_WATCHED}",
            _COUNTED.format(row="OLD"),
            _remove(q, s, "OLD"),
        ),
        "delete": ("AFTER DELETE", _COUNTED.format(row="OLD"), _remove(q, s, "OLD")),
    }
    for name in _SQLITE_EVENTS:
        timing, when, body = triggers[name]
        op.execute(
            f"CREATE TRIGGER blocks_sums_{name} {timing} ON blocks "
            f"FOR EACH ROW WHEN {when} BEGIN {body}; END"
        )


def _upgrade_postgresql() -> None:
    q, s = _PG_QUARTER, _PG_SECONDS
    op.execute(
        "CREATE FUNCTION tracktray_block_sums() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN "
        "IF TG_OP <> 'INSERT' THEN "
        f"IF {_COUNTED.format(row='OLD')} THEN {_remove(q, s, 'OLD')}; END IF; END IF; "
        "IF TG_OP <> 'DELETE' THEN "
        f"IF {_COUNTED.format(row='NEW')} THEN {_add(q, s, 'NEW')}; END IF; END IF; "
        "RETURN NULL; END $$"
    )
    op.execute(
        f"CREATE TRIGGER blocks_sums AFTER INSERT OR UPDATE OF {_WATCHED} OR DELETE "
        "ON blocks FOR EACH ROW EXECUTE FUNCTION tracktray_block_sums()"
    )
    op.execute(
        "CREATE FUNCTION tracktray_block_sums_truncate() RETURNS trigger LANGUAGE plpgsql "
        "AS $$ BEGIN DELETE FROM block_sums; RETURN NULL; END $$"
    )
    op.execute(
        "CREATE TRIGGER blocks_sums_truncate AFTER TRUNCATE ON blocks "
        "FOR EACH STATEMENT EXECUTE FUNCTION tracktray_block_sums_truncate()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER blocks_sums_truncate ON blocks")
        op.execute("DROP TRIGGER blocks_sums ON blocks")
        op.execute("DROP FUNCTION tracktray_block_sums_truncate()")
        op.execute("DROP FUNCTION tracktray_block_sums()")
    else:
        for name in _SQLITE_EVENTS:
            op.execute(f"DROP TRIGGER blocks_sums_{name}")
    op.drop_table("block_sums")
