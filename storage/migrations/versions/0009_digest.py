"""The weekly digest's reads: indexes on a room's actions by status, creation and closing time, and on a room's
meetings by start time (handlers/digest reads one week of one room, whatever the history).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ("ix_actions_room_status", "actions", ["room_id", "status"]),
    ("ix_actions_room_created_at", "actions", ["room_id", "created_at"]),
    ("ix_actions_room_closed_at", "actions", ["room_id", "closed_at"]),
    ("ix_meetings_room_started_at", "meetings", ["room_id", "started_at"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
