"""TimeTrack API keys: one row per key, the secret hashed.

Revision ID: 0002_timetrack
Revises: 0001
Create Date: 2026-11-23

The TimeTrack face acts for any user of the organisation with an account-wide key and
secret; they live in their own table so that the TrackMyPeople schema stays untouched.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_timetrack"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "api_keys",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("secret_hash", sa.String(300), nullable=False),
        sa.Column("label", sa.String(200), nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_api_keys"),
        sa.UniqueConstraint("key", name="uq_api_keys_key"),
    )


def downgrade() -> None:
    op.drop_table("api_keys")
