"""The one APScheduler instance: jobs persisted in the project's database, fired through handlers/jobs.py.

- Jobs live in the `apscheduler_jobs` table of the same database (created by migration 0004, in the
  layout APScheduler expects), through a synchronous SQLAlchemy URL derived from the storage URL.
- A job missed while the bot was down runs once at start-up if it is less late than `late_grace`
  (APScheduler's misfire grace time); beyond that APScheduler drops it with a log line. A date job is
  removed from the store when it is submitted, so it never runs twice, even across restarts.
- Job ids are deterministic and added with replace_existing: planning again never duplicates a job.
- APScheduler 3 reads the wall clock through `datetime.now` in two modules; it is routed through the
  injected Clock so tests move time (then call `wakeup()`) instead of sleeping.
"""
from __future__ import annotations

import asyncio
import json
import logging
from datetime import datetime, timedelta, timezone
from typing import Awaitable, Callable

import apscheduler.executors.base as _executors_base
import apscheduler.schedulers.base as _schedulers_base
from apscheduler.jobstores.base import JobLookupError
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import select
from sqlalchemy.engine import make_url

from handlers.clock import Clock

log = logging.getLogger(__name__)

JOBS_TABLE = "apscheduler_jobs"
Runner = Callable[[str, str, dict, datetime], Awaitable[None]]  # job id, kind, payload, scheduled_for

_runner: Runner | None = None
_clock: Clock | None = None


class _ClockDateTime(datetime):
    """`datetime` whose now() asks the injected clock (installed into APScheduler's modules)."""

    @classmethod
    def now(cls, tz=None):
        current = _clock.now() if _clock is not None else datetime.now(timezone.utc)
        return current.astimezone(tz) if tz is not None else current.astimezone().replace(tzinfo=None)


_schedulers_base.datetime = _ClockDateTime
_executors_base.datetime = _ClockDateTime


async def fire(job_id: str, kind: str, payload_json: str, scheduled_for: str) -> None:
    """What APScheduler stores and calls (a module-level function: jobs are pickled by reference)."""
    if _runner is None:
        log.error("job %s fired with no running bot", job_id)
        return
    await _runner(job_id, kind, json.loads(payload_json), datetime.fromisoformat(scheduled_for))


def sync_url(storage_url: str) -> str | None:
    """The storage URL with a synchronous driver; None for an in-memory database."""
    url = make_url(storage_url)
    backend = url.get_backend_name()
    if backend == "sqlite":
        return None if url.database in (None, "", ":memory:") else str(url.set(drivername="sqlite"))
    if backend == "postgresql":
        return url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    raise ValueError(f"no job store for {backend}")


class JobScheduler:
    def __init__(self, storage_url: str, clock: Clock, runner: Runner, *, late_grace: timedelta) -> None:
        self.clock = clock
        self.runner = runner
        self._active: set[asyncio.Task] = set()
        url = sync_url(storage_url)
        store = MemoryJobStore() if url is None else SQLAlchemyJobStore(
            url=url, tablename=JOBS_TABLE, engine_options={"pool_pre_ping": True})
        self._store = store
        self._aps = AsyncIOScheduler(
            jobstores={"default": store}, timezone=timezone.utc,
            job_defaults={"misfire_grace_time": max(1, int(late_grace.total_seconds())),
                          "coalesce": True, "max_instances": 1},
        )

    def start(self) -> None:
        global _runner, _clock
        _runner, _clock = self._tracked, self.clock
        self._aps.start()

    async def shutdown(self, timeout: float = 10) -> None:
        """Stop starting jobs, let the running ones finish (APScheduler would cancel them), then stop."""
        if not self._aps.running:
            return
        self._aps.pause()
        await asyncio.sleep(0)  # AsyncIOScheduler queues its calls on the loop: let them see the pause
        if self._active:
            await asyncio.wait(list(self._active), timeout=timeout)
        self._aps.shutdown(wait=False)
        await asyncio.sleep(0)

    async def _tracked(self, job_id: str, kind: str, payload: dict, scheduled_for: datetime) -> None:
        task = asyncio.current_task()
        self._active.add(task)
        try:
            await self.runner(job_id, kind, payload, scheduled_for)
        finally:
            self._active.discard(task)

    def wakeup(self) -> None:
        """Look for due jobs now (tests call it after moving the clock)."""
        self._aps.wakeup()

    def schedule(self, job_id: str, when: datetime, kind: str, payload: dict) -> None:
        when = when.astimezone(timezone.utc)
        self._aps.add_job(
            fire, "date", run_date=when, id=job_id, replace_existing=True, name=kind,
            args=[job_id, kind, json.dumps(payload, sort_keys=True), when.isoformat()],
        )

    def cancel(self, job_id: str) -> None:
        try:
            self._aps.remove_job(job_id)
        except JobLookupError:
            pass

    def cancel_prefix(self, prefix: str) -> None:
        for job_id in self._ids_starting_with(prefix):
            self.cancel(job_id)

    def _ids_starting_with(self, prefix: str) -> list[str]:
        # Called on every action change: ask the table for ids rather than unpickling every job.
        store = self._store
        if isinstance(store, SQLAlchemyJobStore):
            table = store.jobs_t
            with store.engine.connect() as conn:
                rows = conn.execute(select(table.c.id).where(table.c.id.startswith(prefix, autoescape=True)))
                return [row[0] for row in rows]
        return [job.id for job in self._aps.get_jobs() if job.id.startswith(prefix)]

    def jobs(self) -> list[tuple[str, datetime]]:
        """(id, next run time) of every pending job, soonest first."""
        return sorted(((j.id, j.next_run_time) for j in self._aps.get_jobs()), key=lambda x: x[1])
