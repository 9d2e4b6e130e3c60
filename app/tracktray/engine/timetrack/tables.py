"""The TimeTrack face's own table: API keys (migration 0002 creates exactly this).

The secret is stored as a salted slow hash, like passwords: the database alone must not
hand out credentials that act for every user of the organisation.
"""

from __future__ import annotations

from sqlalchemy import Column, Integer, String, Table

from tracktray.engine.tables import UTCDateTime, metadata

__all__ = ["api_keys"]

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(200), nullable=False, unique=True),
    Column("secret_hash", String(300), nullable=False),
    Column("label", String(200), nullable=False, server_default=""),
    Column("created_at", UTCDateTime, nullable=False),
)
