"""The one APScheduler instance: jobs persisted in the project's database, run through the runner given (the bot
hands them to the job kinds of handlers/core/jobs.py).

- Jobs live in the `apscheduler_jobs` table of the same database (created by migration 0004, in the
  layout APScheduler expects), through a synchronous SQLAlchemy URL derived from the storage URL.
- The job store (bot/job_store.py) holds the next hour's jobs in memory and the later ones in the database, and
  one worker thread writes every change behind APScheduler, off the loop. `flush()` waits until the database has
  caught up; shutdown flushes.
- At start-up the jobs are loaded (`load()`) before the catch-up's commands change them, and run (`start()`)
  only after it.
- A job missed while the bot was down runs once at start-up if it is less late than `late_grace`; beyond
  that it is dropped with a log line. A date job is removed from the store when it is started, so it never
  runs twice, even across restarts.
- Job ids are deterministic and added with replace_existing: planning again never duplicates a job, and planning
  a job exactly as it stands (same time, kind and payload) changes no row: a start-up that plans every schedule
  again writes only what is missing or changed.
- Job ids are kept sorted (bot/job_store.py), so that `cancel_prefix` (after every change of an action) reads the
  few ids with that prefix, not every pending job.
- Time is the injected Clock's, per scheduler: APScheduler 3 would read the wall clock itself (`datetime.now`)
  when it looks for due jobs and call a module-level function to run them, so this scheduler finds due jobs
  itself, on its clock, and hands them to its own runner. Tests move time (then call `wakeup()`) instead of
  sleeping, and two schedulers in one process share neither a clock nor a runner.
"""
from __future__ import annotations

import asyncio
import functools
import json
import logging
from datetime import datetime, timedelta, timezone
from typing import Awaitable, Callable

from apscheduler.job import Job as APSJob
from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.schedulers.base import STATE_PAUSED, TIMEOUT_MAX
from sqlalchemy.engine import make_url

from bot import held_jobs
from bot.job_store import IndexedJobStore, WriteBehindJobStore
from handlers.core.clock import Clock

log = logging.getLogger(__name__)

Runner = Callable[[str, str, dict, datetime], Awaitable[None]]  # job id, kind, payload, scheduled_for


async def fire(job_id: str, kind: str, payload_json: str, scheduled_for: str) -> None:
    """The function every stored job names (APScheduler pickles it by reference: it must stay importable). Due
    jobs are run by JobScheduler with their arguments, never through this."""
    raise RuntimeError(f"job {job_id} run outside JobScheduler")


class _ClockedScheduler(AsyncIOScheduler):
    """APScheduler's job stores and timer; due jobs found on the injected clock and handed to `due`, removed first
    (a date job runs once). Only what Relais uses: date jobs, added with `fire`."""

    def __init__(self, clock: Clock, due: Callable[[APSJob], None], **options) -> None:
        super().__init__(**options)
        self._clock = clock
        self._due = due

    def _process_jobs(self):
        if self.state == STATE_PAUSED:
            return None
        now = self._clock.now()
        next_wakeup: datetime | None = None
        with self._jobstores_lock:
            for alias, store in self._jobstores.items():
                next_refill = store.refill(now)  # the next slice of jobs, from the database (if it has one)
                for job in store.get_due_jobs(now):
                    self.remove_job(job.id, alias)
                    self._due(job)
                for next_run in (store.get_next_run_time(), next_refill):
                    if next_run is not None and (next_wakeup is None or next_run < next_wakeup):
                        next_wakeup = next_run
        if next_wakeup is None:
            return None
        return min(max((next_wakeup - self._clock.now()).total_seconds(), 0), TIMEOUT_MAX)


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
        self.late_grace = late_grace
        self._active: set[asyncio.Task] = set()
        self._after_replies = held_jobs.AfterReplies()
        self._stopping = False
        url = sync_url(storage_url)
        store = IndexedJobStore() if url is None else WriteBehindJobStore(url, clock)
        self._store = store
        self._aps = _ClockedScheduler(clock, self._start_job, jobstores={"default": store}, timezone=timezone.utc)

    def load(self) -> None:
        """Read the stored jobs without running any. Commands handled before `start()` (the start-up catch-up)
        then change the jobs as stored: a cancel made before they were read would find nothing to cancel."""
        if not self._aps.running:
            self._aps.start(paused=True)

    def start(self) -> None:
        """Run jobs as they fall due (those missed while down first), loading them if `load()` was not called."""
        if self._aps.running:
            self._aps.resume()
        else:
            self._aps.start()

    def _start_job(self, job: APSJob) -> None:
        job_id, kind, payload_json, scheduled_for = job.args
        when = datetime.fromisoformat(scheduled_for)
        late = self.clock.now() - when
        if late > self.late_grace:
            log.warning("job %s (%s) missed by %s, more than the grace period: dropped", job_id, kind, late)
            return
        asyncio.get_running_loop().create_task(self._tracked(job_id, kind, json.loads(payload_json), when))

    async def shutdown(self, timeout: float = 10) -> None:
        """Stop starting jobs, let the running ones finish (APScheduler would cancel them), then stop."""
        self._stopping = True
        self._after_replies.make_ready(everything=True)  # committed: made even if the replies are not sent yet
        if not self._aps.running:
            return
        self._aps.pause()
        await asyncio.sleep(0)  # AsyncIOScheduler queues its calls on the loop: let them see the pause
        if self._active:
            await asyncio.wait(list(self._active), timeout=timeout)
        if isinstance(self._store, WriteBehindJobStore):  # off the loop: it waits for the database
            await asyncio.to_thread(self._store.close, timeout)
        self._aps.shutdown(wait=False)
        await asyncio.sleep(0)

    async def flush(self, timeout: float | None = None) -> bool:
        """Wait until every job change is in the database; False if some still is not after `timeout`."""
        await self._after_replies.made()  # those held until their command's replies were sent: made first
        if not isinstance(self._store, WriteBehindJobStore):
            return True
        return await asyncio.to_thread(self._store.flush, timeout)

    async def _tracked(self, job_id: str, kind: str, payload: dict, scheduled_for: datetime) -> None:
        task = asyncio.current_task()
        self._active.add(task)
        try:
            await self.runner(job_id, kind, payload, scheduled_for)
        finally:
            self._active.discard(task)

    def make_after(self, held: held_jobs.HeldChanges, sends: list[asyncio.Future]) -> None:
        """A committed unit's held job changes, made once its replies (`sends`) are sent, in commit order
        (held_jobs.AfterReplies); at once when the scheduler is stopping."""
        if self._stopping:
            held.make()
        else:
            self._after_replies.add(held, sends)

    def wakeup(self) -> None:
        """Look for due jobs now (tests call it after moving the clock)."""
        self._aps.wakeup()

    def schedule(self, job_id: str, when: datetime, kind: str, payload: dict) -> None:
        when = when.astimezone(timezone.utc)  # a naive time fails here, in the handler that asked
        held_jobs.change(functools.partial(self._schedule, job_id, when, kind, payload))

    def cancel(self, job_id: str) -> None:
        held_jobs.change(functools.partial(self._cancel, job_id))

    def cancel_prefix(self, prefix: str) -> None:
        held_jobs.change(functools.partial(self._cancel_prefix, prefix))

    def _schedule(self, job_id: str, when: datetime, kind: str, payload: dict) -> None:
        args = [job_id, kind, json.dumps(payload, sort_keys=True), when.isoformat()]
        existing = self._store.lookup_job(job_id)
        if existing is not None and existing.next_run_time == when and list(existing.args) == args:
            return  # planned already, as it stands: nothing to write
        self._aps.add_job(fire, "date", run_date=when, id=job_id, replace_existing=True, name=kind, args=args)

    def _cancel(self, job_id: str) -> None:
        try:
            self._aps.remove_job(job_id)
        except JobLookupError:
            pass

    def _cancel_prefix(self, prefix: str) -> None:
        for job_id in self._store.ids_starting_with(prefix):  # those held in memory, through the sorted ids
            self._cancel(job_id)
        self._store.drop_later(prefix)  # those waiting in the database beyond the horizon

    def jobs(self) -> list[tuple[str, datetime]]:
        """(id, next run time) of every pending job, soonest first (those beyond the horizon read from the
        database: for tests and tools, not for a command's path)."""
        if isinstance(self._store, WriteBehindJobStore):
            return self._store.planned()
        return sorted(((j.id, j.next_run_time) for j in self._aps.get_jobs()), key=lambda x: x[1])
