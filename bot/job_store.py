"""The scheduler's job store (bot/scheduler.py): APScheduler's jobs in memory for the next hour, the rest in
the database, every change written behind by one worker thread.

- APScheduler calls its job store synchronously on the event loop. A synchronous SQLite write there waits for the
  write lock of an aiosqlite transaction that only the (then frozen) loop can finish: the bot froze ~5 s and the
  write failed with "database is locked". So APScheduler works on memory, and one worker thread writes every
  change to the database behind it: batched, in order, waiting for SQLite's lock off the loop, retried with
  back-off and logged (ERROR once it keeps failing).
- The held jobs' ids are kept sorted, so that `ids_starting_with` (after every change of an action) reads the few
  ids with that prefix, not every held job.
- Only the jobs due within `HORIZON` are held as APScheduler jobs; later ones wait in the database and are read
  a slice at a time (`WriteBehindJobStore.refill`), so memory follows what falls due soon. Not even their ids are
  kept: those with a prefix are cancelled by one statement (`drop_later`), an index range on SQLite.
"""
from __future__ import annotations

import bisect
import itertools
import logging
import pickle
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.util import datetime_to_utc_timestamp
from sqlalchemy import bindparam, event
from sqlalchemy.engine import make_url

from handlers.core.clock import Clock
from storage.base import upsert_statement

log = logging.getLogger(__name__)

JOBS_TABLE = "apscheduler_jobs"

_NO_KWARGS: dict = {}  # shared by every loaded job: APScheduler only reads it


class _CompactJobStore(SQLAlchemyJobStore):
    """APScheduler's SQLAlchemy store, whose loaded jobs share what is the same in all of them: at start-up it
    loads every pending job (10,000–16,000 at the scale of docs/scaling.md), and each unpickled its own copy of
    the kind, executor and function names, an empty kwargs, its id and its time twice (~5 MB of ~23 MB)."""

    def _reconstitute_job(self, job_state):
        job = super()._reconstitute_job(job_state)
        job.name, job.executor, job.func_ref = sys.intern(job.name), sys.intern(job.executor), sys.intern(job.func_ref)
        job.kwargs = _NO_KWARGS
        run_date = getattr(job.trigger, "run_date", None)
        if run_date is not None and run_date == job.next_run_time:  # a date job: one datetime, not two equal ones
            job.next_run_time = run_date
        if len(job.args) == 4 and job.args[0] == job.id:  # (job id, kind, payload, when): see JobScheduler.schedule
            job.args = (job.id, sys.intern(job.args[1]), job.args[2], job.args[3])
        return job



class IndexedJobStore(MemoryJobStore):
    """APScheduler's in-memory store, with its job ids also kept sorted: the ids with a prefix (an action's or a
    schedule's jobs) are found by bisection, whatever the number of pending jobs."""

    def __init__(self) -> None:
        super().__init__()
        self._ids: list[str] = []

    def add_job(self, job) -> None:
        super().add_job(job)
        self._add_id(job.id)

    def remove_job(self, job_id) -> None:
        super().remove_job(job_id)
        self._drop_id(job_id)

    def remove_all_jobs(self) -> None:
        super().remove_all_jobs()
        self._ids = []

    def _add_id(self, job_id: str) -> None:
        i = bisect.bisect_left(self._ids, job_id)
        if i == len(self._ids) or self._ids[i] != job_id:
            self._ids.insert(i, job_id)

    def _drop_id(self, job_id: str) -> None:
        i = bisect.bisect_left(self._ids, job_id)
        if i < len(self._ids) and self._ids[i] == job_id:
            del self._ids[i]

    def refill(self, now: datetime) -> datetime | None:
        """Load the jobs falling due soon from where the later ones wait; when to call again. Here every job is
        held: nothing to load (WriteBehindJobStore has a database behind it)."""
        return None

    def ids_starting_with(self, prefix: str) -> list[str]:
        """The ids of the jobs held in memory that start with `prefix`."""
        found, i = [], bisect.bisect_left(self._ids, prefix)
        while i < len(self._ids) and self._ids[i].startswith(prefix):
            found.append(self._ids[i])
            i += 1
        return found

    def drop_later(self, prefix: str) -> None:
        """Cancel the jobs with this prefix that are not held in memory: here, none (every job is held)."""


Row = tuple[float | None, bytes] | None  # a job's newest state as written (next run time, pickled state); None: deleted


@dataclass
class _Changes:
    """Job changes on their way to the database, in the order they are applied: each prefix deleted (every job
    whose id starts with it), then each job's newest change. A job changed before a prefix that covers it was
    queued is dropped from `jobs` then, so a job in `jobs` was changed after every prefix that covers it."""
    prefixes: set[str] = field(default_factory=set)
    jobs: dict[str, Row] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.prefixes or self.jobs)

    def __len__(self) -> int:
        return len(self.prefixes) + len(self.jobs)

    def change(self, job_id: str, row: Row) -> None:
        self.jobs.pop(job_id, None)  # re-inserted last: the newest change of a job wins
        self.jobs[job_id] = row

    def drop(self, prefix: str) -> None:
        for job_id in [j for j in self.jobs if j.startswith(prefix)]:
            del self.jobs[job_id]
        self.prefixes.add(prefix)

    def take(self, count: int) -> _Changes:
        """The prefixes and up to `count` jobs, removed from here (the jobs left are newer than those prefixes)."""
        taken = _Changes(self.prefixes, dict(itertools.islice(self.jobs.items(), count)))
        self.prefixes = set()
        for job_id in taken.jobs:
            del self.jobs[job_id]
        return taken

    def after(self, older: _Changes) -> _Changes:
        """`older` then these changes, as one set of changes (a batch that failed, back in the queue)."""
        kept = {j: r for j, r in older.jobs.items() if not any(j.startswith(p) for p in self.prefixes)}
        return _Changes(older.prefixes | self.prefixes, {**kept, **self.jobs})

    def apply(self, jobs: dict, load: Callable[[Row], object]) -> None:
        """Apply these changes to `jobs` (id → job, as read from the database); `load` makes a row a job, or
        None if it is not wanted there."""
        for prefix in self.prefixes:
            for job_id in [j for j in jobs if j.startswith(prefix)]:
                del jobs[job_id]
        for job_id, row in self.jobs.items():
            jobs.pop(job_id, None)
            job = load(row)
            if job is not None:
                jobs[job_id] = job


def _glob_prefix(prefix: str) -> str:
    """SQLite's GLOB pattern for the ids starting with `prefix` (case-sensitive, unlike its LIKE, and an index
    range on the primary key)."""
    return "".join(f"[{c}]" if c in "*?[" else c for c in prefix) + "*"


def _like_prefix(prefix: str) -> str:
    """PostgreSQL's LIKE pattern (ESCAPE '/') for the ids starting with `prefix`."""
    return prefix.replace("/", "//").replace("%", "/%").replace("_", "/_") + "%"


# Jobs due within this are held in memory as APScheduler jobs, the later ones only in the database (see
# WriteBehindJobStore); a slice is loaded every half of it, and a job planned within it is held at once.
HORIZON = timedelta(hours=1)
SQLITE_LOCK_WAIT_S = 30  # the worker may wait this long for SQLite's write lock (it blocks nothing else)


def _sqlite_normal_sync(dbapi_connection, _record) -> None:
    # As the bot's own connections (storage/db.py): in WAL mode no fsync at each commit, so the worker does not
    # hold the write lock through one while a command's transaction waits for it. Durable across a crash of the
    # process (docs/performance.md); the job store is re-planned at start-up anyway.
    dbapi_connection.execute("PRAGMA synchronous=NORMAL")
RETRY_DELAYS_S = (0.5, 1, 2, 5, 10, 30)  # between failed writes; the last one repeats
ERROR_AFTER = 3  # consecutive failed writes before the log line says ERROR
BATCH = 500  # changes per transaction: a short hold of SQLite's write lock


class WriteBehindJobStore(IndexedJobStore):
    """APScheduler's jobs in memory (what it reads and changes, instantly, on the loop), loaded from the
    database; every change is queued and written by one worker thread. Only the latest change of a job is kept
    in the queue (a job row to write, or None to delete it), after the id prefixes cancelled before it.

    Only the jobs due within `HORIZON` are held as APScheduler jobs (~1 KiB each); the later ones wait in the
    database, and memory keeps nothing of them, not even their ids: an action's are cancelled by one statement
    on their id prefix (`drop_later`), and start-up reads only the first hour's jobs. So memory and start-up
    follow what falls due soon, not every deadline ever planned: each `!action` with a deadline plans two
    reminders, and a bot holding them all grew by a tenth over 10,000 commands (docs/performance.md).
    `refill` loads the next slice (an index range on `next_run_time`) when half the horizon is left."""

    def __init__(self, url: str, clock: Clock) -> None:
        super().__init__()
        self._clock = clock
        self._until: datetime | None = None  # every job due up to this time is held; later ones are in the database
        options: dict = {"pool_pre_ping": True}
        if make_url(url).get_backend_name() == "sqlite":
            options["connect_args"] = {"timeout": SQLITE_LOCK_WAIT_S}
        self._db = _CompactJobStore(url=url, tablename=JOBS_TABLE, engine_options=options)
        if make_url(url).get_backend_name() == "sqlite":
            event.listen(self._db.engine, "connect", _sqlite_normal_sync)
        # Built once, run with a batch's rows (an `!action` plans two reminders; each statement built and
        # compiled per job cost the worker ~0.5 ms): one upsert per saved job instead of an UPDATE then an INSERT.
        # A job planned again exactly as it stands rewrites no row (a start-up plans the later jobs again).
        table = self._db.jobs_t
        self._delete = table.delete().where(table.c.id == bindparam("job_id"))
        if make_url(url).get_backend_name() == "sqlite":
            self._delete_prefix = table.delete().where(table.c.id.op("GLOB")(bindparam("pattern")))
            self._pattern = _glob_prefix
        else:  # indexed by ix_apscheduler_jobs_id_prefix (storage/jobs.py)
            self._delete_prefix = table.delete().where(table.c.id.like(bindparam("pattern"), escape="/"))
            self._pattern = _like_prefix
        self._upsert = upsert_statement(table, ("id", "next_run_time", "job_state"), ("next_run_time", "job_state"),
                                        only_if_changed="job_state")
        self._pending = _Changes()
        self._writing = _Changes()  # taken by the worker, not yet written
        self._closing = False
        self._changed = threading.Condition()
        self._worker: threading.Thread | None = None

    # -- APScheduler's side (event loop) --

    def start(self, scheduler, alias) -> None:
        super().start(scheduler, alias)
        self._db.start(scheduler, alias)
        self._until = None
        self.refill(self._clock.now())  # the jobs missed while the bot was down among them
        self._closing = False
        self._worker = threading.Thread(target=self._work, name="relais-job-store", daemon=True)
        self._worker.start()

    def refill(self, now: datetime) -> datetime:
        """Hold every job due up to `now + HORIZON` once half the horizon is left; when to call again."""
        if self._until is not None and now < self._until - HORIZON / 2:
            return self._until - HORIZON / 2
        until = now + HORIZON
        for job in self._later_jobs(self._until, until):
            if job.id not in self._jobs_index:
                IndexedJobStore.add_job(self, job)
        self._until = until
        return until - HORIZON / 2

    def _later_jobs(self, after: datetime | None, until: datetime) -> list:
        """The jobs due in (after, until] as they stand: the database's, with the changes it has not yet got."""
        with self._changed:  # before the read: what the worker writes meanwhile is in both, the same
            unwritten = [_Changes(set(c.prefixes), dict(c.jobs)) for c in (self._writing, self._pending)]
        low = None if after is None else datetime_to_utc_timestamp(after)
        high = datetime_to_utc_timestamp(until)
        t = self._db.jobs_t.c.next_run_time
        jobs = {job.id: job for job in self._db._get_jobs(t <= high, *(() if low is None else (t > low,)))}

        def in_slice(row: Row):
            if row is not None and row[0] is not None and (low is None or row[0] > low) and row[0] <= high:
                return self._db._reconstitute_job(row[1])
            return None

        for changes in unwritten:  # oldest first
            changes.apply(jobs, in_slice)
        return list(jobs.values())

    def _later(self, job) -> bool:
        return self._until is not None and job.next_run_time is not None and job.next_run_time > self._until

    def add_job(self, job) -> None:
        if not (self._later(job) and job.id not in self._jobs_index):  # a later one: in the database only,
            super().add_job(job)  # until `refill` reaches its time. ConflictingIdError if held: APScheduler
        self._save(job)  # then calls update_job

    def update_job(self, job) -> None:
        if self._later(job):
            IndexedJobStore.remove_job(self, job.id)  # moved beyond the horizon: in the database only
        else:
            super().update_job(job)
        self._save(job)

    def remove_job(self, job_id) -> None:
        # A job not held may wait in the database: its deletion is queued whether or not it is there (whether
        # it is is not known without a read; the store keeps nothing of the later jobs).
        if job_id in self._jobs_index:
            super().remove_job(job_id)
        self._queue(job_id, None)

    def drop_later(self, prefix: str) -> None:
        with self._changed:
            if self._closing:
                log.error("jobs %s* cancelled after the job store was closed: not saved", prefix)
                return
            self._pending.drop(prefix)
            self._changed.notify_all()

    def remove_all_jobs(self) -> None:
        super().remove_all_jobs()
        self.drop_later("")

    def planned(self) -> list[tuple[str, datetime]]:
        """(id, time) of every job, held or not, soonest first (a read of the database: for tests and tools)."""
        later = [(job.id, job.next_run_time) for job in self._later_jobs(self._until, datetime.max.replace(
            tzinfo=timezone.utc))]
        return sorted([(job.id, job.next_run_time) for job in self.get_all_jobs()] + later, key=lambda x: x[1])

    def shutdown(self) -> None:
        self.close(timeout=5)  # normally done already, off the loop, by JobScheduler.shutdown
        IndexedJobStore.remove_all_jobs(self)  # forget the copy; the database keeps the jobs

    def _save(self, job) -> None:
        # Pickled now, on the loop: the worker must not read a Job that APScheduler may be changing.
        state = pickle.dumps(job.__getstate__(), self._db.pickle_protocol)
        self._queue(job.id, (datetime_to_utc_timestamp(job.next_run_time), state))

    def _queue(self, job_id: str, row: Row) -> None:
        with self._changed:
            if self._closing:
                log.error("job %s changed after the job store was closed: not saved", job_id)
                return
            self._pending.change(job_id, row)
            self._changed.notify_all()

    # -- waiting for the database (any thread but the loop's) --

    def flush(self, timeout: float | None = None) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: not self._pending and not self._writing, timeout)

    def close(self, timeout: float | None = None) -> None:
        """Write what is queued (for up to `timeout` seconds), then stop the worker."""
        if self._worker is None:
            return
        self.flush(timeout)
        with self._changed:
            self._closing = True
            unsaved = len(self._pending) + len(self._writing)
            self._changed.notify_all()
        self._worker.join(timeout=5)
        self._worker = None
        if unsaved:
            log.error("%d job changes (reminders planned or removed) could not be saved before stopping", unsaved)
        self._db.shutdown()

    # -- the worker thread --

    def _work(self) -> None:
        failures = 0
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._pending or self._closing)
                if self._closing and (failures or not self._pending):
                    return
                batch = self._writing = self._pending.take(BATCH)
            try:
                self._write(batch)
                failures = 0
            except Exception as exc:
                failures += 1
                self._failed(batch, exc, failures)
            finally:
                with self._changed:
                    self._writing = _Changes()
                    self._changed.notify_all()

    def _failed(self, batch: _Changes, exc: Exception, failures: int) -> None:
        delay = RETRY_DELAYS_S[min(failures, len(RETRY_DELAYS_S)) - 1]
        with self._changed:
            self._pending = self._pending.after(batch)  # back in the queue; newer changes win
            count = len(self._pending)
        level = logging.ERROR if failures >= ERROR_AFTER else logging.WARNING
        log.log(level, "saving %d job changes failed (%d times in a row: %s); retrying in %gs",
                count, failures, exc, delay)
        with self._changed:  # woken early when closing
            self._changed.wait_for(lambda: self._closing, delay)

    def _write(self, batch: _Changes) -> int:
        """The batch in one transaction; how many rows it changed (a job saved as it stood changes none)."""
        # The prefixes first (every job changed after them comes after them); then each job is once in the
        # batch (its newest change), so deletions and saves can go in any order.
        gone = [{"job_id": job_id} for job_id, row in batch.jobs.items() if row is None]
        saved = [{"id": job_id, "next_run_time": row[0], "job_state": row[1]}
                 for job_id, row in batch.jobs.items() if row is not None]
        changed = 0
        with self._db.engine.begin() as conn:  # one transaction; only this thread writes the table
            if "" in batch.prefixes:
                changed += conn.execute(self._db.jobs_t.delete()).rowcount
            elif batch.prefixes:
                changed += conn.execute(self._delete_prefix,
                                        [{"pattern": self._pattern(p)} for p in batch.prefixes]).rowcount
            if gone:
                changed += conn.execute(self._delete, gone).rowcount
            if saved:
                changed += conn.execute(self._upsert, saved).rowcount
        return changed
