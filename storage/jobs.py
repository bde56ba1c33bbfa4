"""The table APScheduler keeps its jobs in (bot/scheduler.py), declared here so the migrations own it.

Same layout as APScheduler 3's SQLAlchemyJobStore: it finds the table already there and uses it.
"""
from sqlalchemy import Column, Float, Index, LargeBinary, Table, Unicode

from storage.base import Base

apscheduler_jobs = Table(
    "apscheduler_jobs",
    Base.metadata,
    Column("id", Unicode(191), primary_key=True),
    Column("next_run_time", Float(25)),
    Column("job_state", LargeBinary, nullable=False),
    Index("ix_apscheduler_jobs_next_run_time", "next_run_time"),
)

# The jobs beyond the scheduler's horizon are cancelled by id prefix (`id LIKE 'action:!room:12:%'`, see
# bot/job_store.py): PostgreSQL's primary key serves such a range only in the "C" collation, so migration 0014
# adds this index there (`varchar_pattern_ops`); SQLite's primary key serves its GLOB as it is. Not declared
# above: `postgresql_ops` loads PostgreSQL's dialect at every start-up, on SQLite too.
PREFIX_INDEX = "ix_apscheduler_jobs_id_prefix"


def compared(_obj, name: str | None, type_: str, _reflected: bool, _compare_to) -> bool:
    """Alembic's `include_object`: what is compared of the models and the database (all but PREFIX_INDEX)."""
    return not (type_ == "index" and name == PREFIX_INDEX)
