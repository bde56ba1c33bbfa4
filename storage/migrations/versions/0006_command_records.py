"""What a handled command was, for edits and redactions of it: its kind, sender, time and the action it
created.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.base import UTCDateTime

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("processed_events", sa.Column("kind", sa.String(16), nullable=True))
    op.add_column("processed_events", sa.Column("sender", sa.String(255), nullable=True))
    op.add_column("processed_events", sa.Column("sent_at", UTCDateTime(), nullable=True))
    op.add_column("processed_events", sa.Column("action_number", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("processed_events") as batch:
        for column in ("action_number", "sent_at", "sender", "kind"):
            batch.drop_column(column)
