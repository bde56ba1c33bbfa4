"""Mobilisations: announced marches and public actions, their participants (by command and by reaction).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.base import UTCDateTime

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "mobilisations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("room_id", sa.String(255), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("place", sa.Text(), nullable=True),
        sa.Column("link", sa.Text(), nullable=True),
        sa.Column("organiser", sa.Text(), nullable=True),
        sa.Column("tract", sa.Text(), nullable=True),
        sa.Column("starts_at", UTCDateTime(), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("created_by", sa.String(255), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("cancelled_at", UTCDateTime(), nullable=True),
        sa.Column("cancelled_by", sa.String(255), nullable=True),
        sa.Column("cancel_reason", sa.Text(), nullable=True),
        sa.Column("revision", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_mobilisations"),
        sa.UniqueConstraint("room_id", "number", name="uq_mobilisations_room_id_number"),
    )
    op.create_table(
        "mobilisation_joins",
        sa.Column("mobilisation_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(255), nullable=False),
        sa.Column("room_id", sa.String(255), nullable=False),
        sa.Column("guests", sa.Integer(), server_default="0", nullable=False),
        sa.Column("joined_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["mobilisation_id"], ["mobilisations.id"], ondelete="CASCADE",
                                name="fk_mobilisation_joins_mobilisation_id_mobilisations"),
        sa.PrimaryKeyConstraint("mobilisation_id", "user_id", name="pk_mobilisation_joins"),
    )
    op.create_table(
        "mobilisation_reactions",
        sa.Column("event_id", sa.String(255), nullable=False),
        sa.Column("mobilisation_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(255), nullable=False),
        sa.Column("room_id", sa.String(255), nullable=False),
        sa.Column("reacted_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["mobilisation_id"], ["mobilisations.id"], ondelete="CASCADE",
                                name="fk_mobilisation_reactions_mobilisation_id_mobilisations"),
        sa.PrimaryKeyConstraint("event_id", name="pk_mobilisation_reactions"),
    )
    op.create_index("ix_mobilisation_reactions_mobilisation_id", "mobilisation_reactions", ["mobilisation_id"])
    op.create_table(
        "mobilisation_relays",
        sa.Column("mobilisation_id", sa.Integer(), nullable=False),
        sa.Column("room_id", sa.String(255), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("relayed_by", sa.String(255), nullable=False),
        sa.Column("relayed_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["mobilisation_id"], ["mobilisations.id"], ondelete="CASCADE",
                                name="fk_mobilisation_relays_mobilisation_id_mobilisations"),
        sa.PrimaryKeyConstraint("mobilisation_id", "room_id", name="pk_mobilisation_relays"),
        sa.UniqueConstraint("room_id", "number", name="uq_mobilisation_relays_room_id_number"),
    )


def downgrade() -> None:
    op.drop_table("mobilisation_relays")
    op.drop_index("ix_mobilisation_reactions_mobilisation_id", table_name="mobilisation_reactions")
    op.drop_table("mobilisation_reactions")
    op.drop_table("mobilisation_joins")
    op.drop_table("mobilisations")
