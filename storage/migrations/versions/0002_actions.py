"""Actions, their owners, themes and history.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.base import UTCDateTime

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "counters",
        sa.Column("room_id", sa.String(255), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("room_id", "kind", name="pk_counters"),
    )
    op.create_table(
        "themes",
        sa.Column("room_id", sa.String(255), nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("referent_user_id", sa.String(255), nullable=True),
        sa.Column("referent_name", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("room_id", "key", name="pk_themes"),
    )
    op.create_table(
        "actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("room_id", sa.String(255), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("due_at", UTCDateTime(), nullable=True),
        sa.Column("due_has_time", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(255), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("closed_by", sa.String(255), nullable=True),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("topic_id", sa.Integer(), nullable=True),
        sa.Column("due_reminded_at", UTCDateTime(), nullable=True),
        sa.Column("overdue_notified_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_actions"),
        sa.UniqueConstraint("room_id", "number", name="uq_actions_room_id_number"),
        sa.CheckConstraint("status IN ('open', 'done', 'cancelled')", name="ck_actions_status"),
    )
    op.create_index("ix_actions_status_due_at", "actions", ["status", "due_at"])
    op.create_index("ix_actions_meeting_id", "actions", ["meeting_id"])
    op.create_table(
        "action_owners",
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(255), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"], ["actions.id"], name="fk_action_owners_action_id_actions", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("action_id", "position", name="pk_action_owners"),
    )
    op.create_index("ix_action_owners_user_id", "action_owners", ["user_id"])
    op.create_table(
        "action_themes",
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"], ["actions.id"], name="fk_action_themes_action_id_actions", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("action_id", "key", name="pk_action_themes"),
    )
    op.create_index("ix_action_themes_key", "action_themes", ["key"])
    op.create_table(
        "action_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(255), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"], ["actions.id"], name="fk_action_history_action_id_actions", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_action_history"),
    )
    op.create_index("ix_action_history_action_id", "action_history", ["action_id"])


def downgrade() -> None:
    op.drop_index("ix_action_history_action_id", table_name="action_history")
    op.drop_table("action_history")
    op.drop_index("ix_action_themes_key", table_name="action_themes")
    op.drop_table("action_themes")
    op.drop_index("ix_action_owners_user_id", table_name="action_owners")
    op.drop_table("action_owners")
    op.drop_index("ix_actions_meeting_id", table_name="actions")
    op.drop_index("ix_actions_status_due_at", table_name="actions")
    op.drop_table("actions")
    op.drop_table("themes")
    op.drop_table("counters")
