"""Web pages of a room: its capability token (unique: one token, one room) and whether they are served.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.base import UTCDateTime

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "web_pages",
        sa.Column("room_id", sa.String(255), nullable=False),
        sa.Column("token", sa.String(128), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("changed_by", sa.String(255), nullable=False),
        sa.Column("changed_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("room_id", name="pk_web_pages"),
    )
    op.create_index("ix_web_pages_token", "web_pages", ["token"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_web_pages_token", table_name="web_pages")
    op.drop_table("web_pages")
