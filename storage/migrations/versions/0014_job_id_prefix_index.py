"""PostgreSQL: an index for the job store's cancellations by id prefix (storage/jobs.py).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.create_index("ix_apscheduler_jobs_id_prefix", "apscheduler_jobs", ["id"],
                        postgresql_ops={"id": "varchar_pattern_ops"})


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_apscheduler_jobs_id_prefix", table_name="apscheduler_jobs")
