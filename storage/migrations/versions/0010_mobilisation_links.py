"""Links from actions and scheduled meetings to a mobilisation (what prepares it); the tract file of a mobilisation
(an mxc:// URI posted in the room, re-posted as is with the day-before notice).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LINKED = ("actions", "schedules")  # no foreign key: the mobilisations table is another capability's
TRACT_FILE = (
    ("tract_url", sa.Text()),
    ("tract_filename", sa.Text()),
    ("tract_mimetype", sa.String(length=255)),
    ("tract_size", sa.Integer()),
)


def upgrade() -> None:
    for table in LINKED:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("mobilisation_id", sa.Integer(), nullable=True))
            batch.create_index(f"ix_{table}_mobilisation_id", ["mobilisation_id"])
    with op.batch_alter_table("mobilisations") as batch:
        for name, kind in TRACT_FILE:
            batch.add_column(sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("mobilisations") as batch:
        for name, _ in reversed(TRACT_FILE):
            batch.drop_column(name)
    for table in reversed(LINKED):
        with op.batch_alter_table(table) as batch:
            batch.drop_index(f"ix_{table}_mobilisation_id")
            batch.drop_column("mobilisation_id")
