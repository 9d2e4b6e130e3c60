"""Initial schema: profiles, tracker tree, roles, blocks, releases.

Revision ID: 0001
Revises:
Create Date: 2026-11-23

Blocks carry from the start the columns the TimeTrack face needs (kind, breaks, pause,
geolocation, task, billable) so that both faces share one table of tracked time.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "trackers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("parent_id", sa.Integer, nullable=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("abbreviation", sa.String(50), nullable=False, server_default=""),
        sa.Column("archived", sa.Boolean, nullable=False, server_default=sa.text("false")),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["trackers.id"], name="fk_trackers_parent_id_trackers"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_trackers"),
    )
    op.create_table(
        "profiles",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(150), nullable=False),
        sa.Column("password_hash", sa.String(300), nullable=False),
        sa.Column("title", sa.String(100), nullable=False, server_default=""),
        sa.Column("first_name", sa.String(150), nullable=False, server_default=""),
        sa.Column("last_name", sa.String(150), nullable=False, server_default=""),
        sa.Column("email", sa.String(254), nullable=False, server_default=""),
        sa.Column("phone", sa.String(50), nullable=False, server_default=""),
        sa.Column("gsm", sa.String(50), nullable=False, server_default=""),
        sa.Column("timezone", sa.String(64), nullable=False, server_default="UTC"),
        sa.Column("culture", sa.String(20), nullable=False, server_default=""),
        sa.Column("default_tracker_id", sa.Integer, nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.ForeignKeyConstraint(
            ["default_tracker_id"], ["trackers.id"], name="fk_profiles_default_tracker_id_trackers"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_profiles"),
        sa.UniqueConstraint("username", name="uq_profiles_username"),
    )
    op.create_table(
        "roles",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("profile_id", sa.Integer, nullable=False),
        sa.Column("tracker_id", sa.Integer, nullable=False),
        sa.Column("can_track", sa.Boolean, nullable=False, server_default=sa.text("false")),
        sa.Column("can_see_reporting", sa.Boolean, nullable=False, server_default=sa.text("false")),
        sa.ForeignKeyConstraint(
            ["profile_id"], ["profiles.id"], name="fk_roles_profile_id_profiles", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["tracker_id"], ["trackers.id"], name="fk_roles_tracker_id_trackers", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_roles"),
        sa.UniqueConstraint("profile_id", "tracker_id", name="uq_roles_profile_id_tracker_id"),
    )
    op.create_table(
        "blocks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("profile_id", sa.Integer, nullable=False),
        sa.Column("tracker_id", sa.Integer, nullable=True),
        sa.Column("kind", sa.String(20), nullable=False, server_default="project"),
        sa.Column("start_utc", sa.DateTime, nullable=False),
        sa.Column("stop_utc", sa.DateTime, nullable=True),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.Column("free", sa.Boolean, nullable=False, server_default=sa.text("false")),
        sa.Column("break_s", sa.Integer, nullable=False, server_default="0"),
        sa.Column("paused_at", sa.DateTime, nullable=True),
        sa.Column("manual", sa.Boolean, nullable=False, server_default=sa.text("false")),
        sa.Column("notes", sa.Text, nullable=False, server_default=""),
        sa.Column("lat_start", sa.Float, nullable=True),
        sa.Column("lon_start", sa.Float, nullable=True),
        sa.Column("lat_end", sa.Float, nullable=True),
        sa.Column("lon_end", sa.Float, nullable=True),
        sa.Column("task", sa.Text, nullable=False, server_default=""),
        sa.Column("billable", sa.Boolean, nullable=False, server_default=sa.text("false")),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.CheckConstraint(
            "stop_utc IS NULL OR stop_utc >= start_utc", name="ck_blocks_stop_after_start"
        ),
        sa.CheckConstraint("kind IN ('project', 'attendance')", name="ck_blocks_kind"),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["profiles.id"],
            name="fk_blocks_profile_id_profiles",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tracker_id"], ["trackers.id"], name="fk_blocks_tracker_id_trackers"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_blocks"),
    )
    op.create_index("ix_blocks_profile_start", "blocks", ["profile_id", "start_utc"])
    op.create_index(
        "uq_blocks_one_open",
        "blocks",
        ["profile_id", "kind"],
        unique=True,
        sqlite_where=sa.text("stop_utc IS NULL"),
        postgresql_where=sa.text("stop_utc IS NULL"),
    )
    op.create_table(
        "releases",
        sa.Column("platform", sa.String(50), nullable=False),
        sa.Column("version", sa.String(50), nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("platform", name="pk_releases"),
    )


def downgrade() -> None:
    op.drop_table("releases")
    op.drop_index("uq_blocks_one_open", table_name="blocks")
    op.drop_index("ix_blocks_profile_start", table_name="blocks")
    op.drop_table("blocks")
    op.drop_table("roles")
    op.drop_table("profiles")
    op.drop_table("trackers")
