"""The job scheduler on a real database: jobs survive restarts, run once, and late ones obey the grace period."""
import asyncio
from datetime import datetime, timedelta, timezone

import pytest

from bot.scheduler import JobScheduler
from handlers.clock import FakeClock
from storage import open_store
from tests.postgres import create_database, drop_database, postgres_url  # noqa: F401 (fixture)
from tests.unit.test_storage import PERSISTENT

T0 = datetime(2021, 4, 27, 18, 0, tzinfo=timezone.utc)
GRACE = timedelta(hours=12)


@pytest.fixture(params=PERSISTENT)
async def db_url(request, tmp_path):
    if request.param == "sqlite-file":
        url = f"sqlite+aiosqlite:///{tmp_path / 'relais.db'}"
    else:
        url = await create_database(request.getfixturevalue("postgres_url"))
    store = await open_store(url)  # migrations create the job table
    await store.close()
    yield url
    if request.param != "sqlite-file":
        await drop_database(url)


class Bot:
    """A scheduler 'process': start, let time pass, stop."""

    def __init__(self, url: str, clock: FakeClock) -> None:
        self.fired: list[tuple] = []

        async def runner(job_id, kind, payload, scheduled_for):
            self.fired.append((job_id, kind, payload, scheduled_for, clock.now()))

        self.scheduler = JobScheduler(url, clock, runner, late_grace=GRACE)
        self.scheduler.start()

    async def settle(self) -> None:
        self.scheduler.wakeup()
        for _ in range(20):
            await asyncio.sleep(0.01)

    async def stop(self) -> None:
        await self.scheduler.shutdown()


async def test_a_job_persists_across_a_restart_and_runs_once(db_url):
    clock = FakeClock(T0)
    first = Bot(db_url, clock)
    first.scheduler.schedule("meeting:1:remind", T0 + timedelta(hours=1), "meeting.remind", {"room_id": "!r"})
    first.scheduler.schedule("meeting:1:remind", T0 + timedelta(hours=1), "meeting.remind", {"room_id": "!r"})
    assert [j for j, _ in first.scheduler.jobs()] == ["meeting:1:remind"]  # planned twice, stored once
    await first.stop()

    clock.advance(timedelta(hours=3))  # the bot was down when the job came due
    second = Bot(db_url, clock)
    await second.settle()
    assert [(j, k, p) for j, k, p, _, _ in second.fired] == [("meeting:1:remind", "meeting.remind", {"room_id": "!r"})]
    job_id, _, _, scheduled_for, fired_at = second.fired[0]
    assert fired_at - scheduled_for == timedelta(hours=2)  # the job knows how late it is
    await second.stop()

    third = Bot(db_url, clock)
    await third.settle()
    assert third.fired == [] and third.scheduler.jobs() == []
    await third.stop()


async def test_a_job_missed_beyond_the_grace_period_is_dropped(db_url):
    clock = FakeClock(T0)
    first = Bot(db_url, clock)
    first.scheduler.schedule("late", T0 + timedelta(hours=1), "k", {})
    first.scheduler.schedule("fine", T0 + timedelta(hours=10), "k", {})
    await first.stop()
    clock.advance(timedelta(hours=14))  # "late" is 13 h overdue, "fine" 4 h
    second = Bot(db_url, clock)
    await second.settle()
    assert [f[0] for f in second.fired] == ["fine"]
    assert second.scheduler.jobs() == []
    await second.stop()


async def test_cancel_and_cancel_prefix(db_url):
    clock = FakeClock(T0)
    bot = Bot(db_url, clock)
    for job_id in ("action:!r:1:soon", "action:!r:1:overdue", "action:!r:12:overdue", "other"):
        bot.scheduler.schedule(job_id, T0 + timedelta(days=1), "k", {})
    bot.scheduler.cancel_prefix("action:!r:1:")
    bot.scheduler.cancel("other")
    bot.scheduler.cancel("never-existed")
    assert [j for j, _ in bot.scheduler.jobs()] == ["action:!r:12:overdue"]
    await bot.stop()
