"""Indexes for rooms with long histories (every list bounded by room).

A room's action list (`WHERE room_id = ? AND status IN (…) ORDER BY number`) reads (room_id, status, number):
the room's rows only, already in order. Without it SQLite preferred (status, due_at) and walked every open action
of the database. It replaces (room_id, status) of revision 0009, a prefix of it. A weekly digest's overdue and
coming deadlines (`WHERE room_id = ? AND status = 'open' AND due_at < ? ORDER BY due_at`) read (room_id, status,
due_at) likewise: through (status, due_at) a 20-action room's digest walked every overdue action of the database.

meetings.carried_more: a meeting's end keeps the first open actions carried from before (not a copy of the room's
whole open list at every meeting) and how many more there were.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_actions_room_id_status_number", "actions", ["room_id", "status", "number"])
    op.drop_index("ix_actions_room_status", table_name="actions")
    op.create_index("ix_actions_room_id_status_due_at", "actions", ["room_id", "status", "due_at"])
    op.add_column("meetings", sa.Column("carried_more", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("meetings") as batch:
        batch.drop_column("carried_more")
    op.drop_index("ix_actions_room_id_status_due_at", table_name="actions")
    op.create_index("ix_actions_room_status", "actions", ["room_id", "status"])
    op.drop_index("ix_actions_room_id_status_number", table_name="actions")
