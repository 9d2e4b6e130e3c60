"""The schema, as SQLAlchemy Core tables (the migrations create exactly this).

Instants are stored as naive UTC (``UTCDateTime`` converts at the boundary) so that
SQLite and PostgreSQL compare them the same way. The partial unique index on open
blocks is the database's own guarantee of "one running block per profile and kind":
two widgets starting at once cannot both win, whatever Python does.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)

__all__ = [
    "block_sums",
    "blocks",
    "declare_postgresql_options",
    "metadata",
    "profiles",
    "releases",
    "roles",
    "tracker_version",
    "trackers",
]

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware datetimes in Python, naive UTC in the database."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if not isinstance(value, dt.datetime) or value.tzinfo is None:
            raise TypeError("UTCDateTime needs an aware datetime")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        assert isinstance(value, dt.datetime)
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


trackers = Table(
    "trackers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("parent_id", Integer, ForeignKey("trackers.id"), nullable=True),
    Column("name", String(200), nullable=False),
    Column("abbreviation", String(50), nullable=False, server_default=""),
    Column("archived", Boolean, nullable=False, server_default=text("false")),
    Column("created_at", UTCDateTime, nullable=False),
)

# One row: bumped by triggers on every write to ``trackers`` (migration 0003), so the
# engine can keep the tracker index in memory while the number stays the same.
tracker_version = Table(
    "tracker_version",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("version", Integer, nullable=False),
)

profiles = Table(
    "profiles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(150), nullable=False, unique=True),
    Column("password_hash", String(300), nullable=False),
    Column("title", String(100), nullable=False, server_default=""),
    Column("first_name", String(150), nullable=False, server_default=""),
    Column("last_name", String(150), nullable=False, server_default=""),
    Column("email", String(254), nullable=False, server_default=""),
    Column("phone", String(50), nullable=False, server_default=""),
    Column("gsm", String(50), nullable=False, server_default=""),
    Column("timezone", String(64), nullable=False, server_default="UTC"),
    Column("culture", String(20), nullable=False, server_default=""),
    Column("default_tracker_id", Integer, ForeignKey("trackers.id"), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
)

roles = Table(
    "roles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("profile_id", Integer, ForeignKey("profiles.id", ondelete="CASCADE"), nullable=False),
    Column("tracker_id", Integer, ForeignKey("trackers.id", ondelete="CASCADE"), nullable=False),
    Column("can_track", Boolean, nullable=False, server_default=text("false")),
    Column("can_see_reporting", Boolean, nullable=False, server_default=text("false")),
    UniqueConstraint("profile_id", "tracker_id"),
)

blocks = Table(
    "blocks",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("profile_id", Integer, ForeignKey("profiles.id", ondelete="CASCADE"), nullable=False),
    Column("tracker_id", Integer, ForeignKey("trackers.id"), nullable=True),
    # 'project' (TrackMyPeople blocks, TimeTrack project timers) or 'attendance'
    Column("kind", String(20), nullable=False, server_default="project"),
    Column("start_utc", UTCDateTime, nullable=False),
    Column("stop_utc", UTCDateTime, nullable=True),
    Column("description", Text, nullable=False, server_default=""),
    Column("free", Boolean, nullable=False, server_default=text("false")),
    Column("break_s", Integer, nullable=False, server_default="0"),
    Column("paused_at", UTCDateTime, nullable=True),
    Column("manual", Boolean, nullable=False, server_default=text("false")),
    Column("notes", Text, nullable=False, server_default=""),
    Column("lat_start", Float, nullable=True),
    Column("lon_start", Float, nullable=True),
    Column("lat_end", Float, nullable=True),
    Column("lon_end", Float, nullable=True),
    Column("task", Text, nullable=False, server_default=""),
    Column("billable", Boolean, nullable=False, server_default=text("false")),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    CheckConstraint("stop_utc IS NULL OR stop_utc >= start_utc", name="stop_after_start"),
    CheckConstraint("kind IN ('project', 'attendance')", name="kind"),
    Index("ix_blocks_profile_start", "profile_id", "start_utc"),
    Index(
        "uq_blocks_one_open",
        "profile_id",
        "kind",
        unique=True,
        sqlite_where=text("stop_utc IS NULL"),
    ),
)


# Worked seconds of finished project blocks per person, quarter hour of the start (UTC
# seconds since 1970 // 900), tracker (0: none) and free: kept by triggers on ``blocks``
# in the writing transaction (migration 0004), so that today's total is a few rows.
block_sums = Table(
    "block_sums",
    metadata,
    Column("profile_id", Integer, primary_key=True, autoincrement=False),
    Column("quarter", Integer, primary_key=True, autoincrement=False),
    Column("tracker_id", Integer, primary_key=True, autoincrement=False),
    Column("free", Boolean, primary_key=True),
    Column("seconds", Integer, nullable=False),
)


def declare_postgresql_options() -> None:
    """Give the one-open-block index its WHERE on PostgreSQL too; called when a
    PostgreSQL database is opened. Naming a dialect's option (``postgresql_where=``)
    loads that whole dialect, which a SQLite user (local mode) never needs."""
    index = next(i for i in blocks.indexes if i.name == "uq_blocks_one_open")
    options = index.dialect_options["postgresql"]
    if options.get("where") is None:
        options["where"] = text("stop_utc IS NULL")


releases = Table(
    "releases",
    metadata,
    # "<Platform>_<edition>" as widgets send it, e.g. "Linux_Qt"; case-insensitive lookups
    Column("platform", String(50), primary_key=True),
    Column("version", String(50), nullable=False),
    Column("url", Text, nullable=False),
)
