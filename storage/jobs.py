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
