"""Start-up plans only what is missing or changed: a second start-up on the same database writes no job, and the
clean-up of an action's jobs reads only the ids with its prefix, not every pending job."""
from dataclasses import replace
from datetime import timedelta

from bot.job_store import HORIZON, IndexedJobStore, WriteBehindJobStore
from bot.scheduler import JobScheduler
from handlers.core.clock import FakeClock
from storage import open_store
from tests.unit.test_scheduler import GRACE, T0, planned_rooms, start_up_services

ROOMS = ["!a", "!b", "!c"]


def record_writes(monkeypatch) -> list[dict]:
    """Every batch the job store's worker sends to the database, with the rows it changed under the key None."""
    batches: list[dict] = []
    real = WriteBehindJobStore._write

    def write(self, batch):
        batches.append(dict(batch.jobs) | {("prefix", p): None for p in batch.prefixes})
        batches[-1][None] = real(self, batch)
        return batches[-1][None]

    monkeypatch.setattr(WriteBehindJobStore, "_write", write)
    return batches


async def start_up(services) -> None:
    from handlers.capabilities import jobs

    await jobs.started(services)
    assert await services.scheduler.flush(timeout=20)


async def test_a_second_start_up_writes_no_job(tmp_path, monkeypatch):
    url = f"sqlite+aiosqlite:///{tmp_path / 'relais.db'}"
    batches = record_writes(monkeypatch)
    services = await start_up_services(url, ROOMS)
    try:
        await start_up(services)
    finally:
        await services.scheduler.shutdown()
        await services.store.close()
    first = sum(b[None] for b in batches)
    assert first >= len(ROOMS) * 2  # reminders and roll jobs of every schedule were written
    assert await planned_rooms(url) == set(ROOMS)

    batches.clear()
    store = await open_store(url)

    async def runner(*args):
        pass

    scheduler = JobScheduler(url, FakeClock(T0 + timedelta(minutes=5)), runner, late_grace=GRACE)
    scheduler.start()
    again = replace(services, store=store, scheduler=scheduler, clock=FakeClock(T0 + timedelta(minutes=5)))
    try:
        await start_up(again)
        # Every job was there as planned: none held in memory is sent again, and those beyond the horizon (only
        # in the database) are sent but leave their rows as they were.
        sent = {job_id: row for b in batches for job_id, row in b.items() if job_id is not None}
        assert all(row[0] > (T0 + timedelta(minutes=5) + HORIZON).timestamp() for row in sent.values())
        assert sum(b[None] for b in batches) == 0
        # A schedule added while the bot was down (say, by the command line) gets its jobs, and only those.
        batches.clear()
        await store.schedules.create("!a", title="Nouvelle", starts_at=T0 + timedelta(days=4),
                                     timezone="Europe/Paris", rule=None, created_by="@coord:x", at=T0)
        await start_up(again)
        assert sum(b[None] for b in batches) == 3  # its two reminders and its roll: no other row changed
        assert len([j for j, _ in scheduler.jobs() if j.startswith("meeting:!a:2:")]) == 3
    finally:
        await scheduler.shutdown()
        await store.close()


async def test_cancel_prefix_reads_only_the_ids_with_that_prefix(monkeypatch):
    async def runner(*args):
        pass

    scheduler = JobScheduler("sqlite+aiosqlite://", FakeClock(T0), runner, late_grace=GRACE)
    scheduler.start()
    try:
        store = scheduler._store
        assert isinstance(store, IndexedJobStore)
        for room in range(50):
            for number in (1, 12):
                scheduler.schedule(f"action:!r{room}:{number}:overdue", T0 + timedelta(days=1), "k", {})
                scheduler.schedule(f"action:!r{room}:{number}:soon:3600", T0 + timedelta(hours=23), "k", {})
        monkeypatch.setattr(store, "get_all_jobs", lambda: (_ for _ in ()).throw(AssertionError("scanned all")))
        assert store.ids_starting_with("action:!r7:1:") == ["action:!r7:1:overdue", "action:!r7:1:soon:3600"]
        scheduler.cancel_prefix("action:!r7:1:")
        assert store.ids_starting_with("action:!r7:1") == ["action:!r7:12:overdue", "action:!r7:12:soon:3600"]
        assert store.lookup_job("action:!r7:1:overdue") is None and len(store._jobs) == 198
    finally:
        await scheduler.shutdown()
