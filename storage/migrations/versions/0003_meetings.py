"""Meetings: attendance, topics, items, speakers, minutes.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.base import UTCDateTime

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OPEN = "ended_at IS NULL"


def upgrade() -> None:
    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("room_id", sa.String(255), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("started_by", sa.String(255), nullable=False),
        sa.Column("started_by_name", sa.Text(), nullable=False),
        sa.Column("ended_at", UTCDateTime(), nullable=True),
        sa.Column("ended_by", sa.String(255), nullable=True),
        sa.Column("chair_user_id", sa.String(255), nullable=True),
        sa.Column("chair_name", sa.Text(), nullable=True),
        sa.Column("scribe_user_id", sa.String(255), nullable=True),
        sa.Column("scribe_name", sa.Text(), nullable=True),
        sa.Column("current_topic_id", sa.Integer(), nullable=True),
        sa.Column("actions_json", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_meetings"),
        sa.UniqueConstraint("room_id", "number", name="uq_meetings_room_id_number"),
    )
    op.create_index("ix_meetings_one_open_per_room", "meetings", ["room_id"], unique=True,
                    sqlite_where=sa.text(_OPEN), postgresql_where=sa.text(_OPEN))
    op.create_table(
        "meeting_attendance",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("person_key", sa.String(255), nullable=False),
        sa.Column("user_id", sa.String(255), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("set_by", sa.String(255), nullable=False),
        sa.Column("set_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("status IN ('present', 'excused', 'late')", name="ck_meeting_attendance_status"),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], ondelete="CASCADE",
                                name="fk_meeting_attendance_meeting_id_meetings"),
        sa.PrimaryKeyConstraint("meeting_id", "person_key", name="pk_meeting_attendance"),
    )
    op.create_table(
        "meeting_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("author", sa.String(255), nullable=False),
        sa.Column("author_name", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('topic', 'info', 'decision', 'idea', 'link')", name="ck_meeting_items_kind"),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], ondelete="CASCADE",
                                name="fk_meeting_items_meeting_id_meetings"),
        sa.PrimaryKeyConstraint("id", name="pk_meeting_items"),
    )
    op.create_index("ix_meeting_items_meeting_id", "meeting_items", ["meeting_id"])
    op.create_table(
        "meeting_speakers",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(255), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("first_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], ondelete="CASCADE",
                                name="fk_meeting_speakers_meeting_id_meetings"),
        sa.PrimaryKeyConstraint("meeting_id", "user_id", name="pk_meeting_speakers"),
    )


def downgrade() -> None:
    op.drop_table("meeting_speakers")
    op.drop_index("ix_meeting_items_meeting_id", table_name="meeting_items")
    op.drop_table("meeting_items")
    op.drop_table("meeting_attendance")
    op.drop_index("ix_meetings_one_open_per_room", table_name="meetings")
    op.drop_table("meetings")
