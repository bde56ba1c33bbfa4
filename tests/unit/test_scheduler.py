"""The job scheduler on a real database: jobs survive restarts, run once, and late ones obey the grace period."""
import asyncio
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from bot import held_jobs
from bot.scheduler import JobScheduler
from handlers.core.clock import FakeClock
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


async def test_a_job_planned_again_once_saved_keeps_its_new_time_and_payload_across_a_restart(db_url):
    # A meeting moved after its reminder was written: the stored row is updated, not added to or left behind.
    clock = FakeClock(T0)
    first = Bot(db_url, clock)
    first.scheduler.schedule("meeting:1:remind", T0 + timedelta(hours=1), "meeting.remind", {"room_id": "!r"})
    first.scheduler.schedule("meeting:2:remind", T0 + timedelta(hours=1), "meeting.remind", {"room_id": "!r"})
    assert await first.scheduler.flush(5)  # both written: what follows changes stored rows
    first.scheduler.schedule("meeting:1:remind", T0 + timedelta(hours=5), "meeting.remind", {"room_id": "!r", "n": 2})
    first.scheduler.cancel("meeting:2:remind")
    first.scheduler.schedule("meeting:3:remind", T0 + timedelta(hours=6), "meeting.remind", {"room_id": "!s"})
    await first.stop()

    clock.advance(timedelta(hours=3))  # past the old time, before the new one
    second = Bot(db_url, clock)
    await second.settle()
    assert second.fired == []
    assert second.scheduler.jobs() == [("meeting:1:remind", T0 + timedelta(hours=5)),
                                       ("meeting:3:remind", T0 + timedelta(hours=6))]
    clock.advance(timedelta(hours=2))
    await second.settle()
    assert [(j, p) for j, _, p, _, _ in second.fired] == [("meeting:1:remind", {"room_id": "!r", "n": 2})]
    await second.stop()


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


async def test_loaded_jobs_can_be_cancelled_before_any_runs_and_run_once_started(db_url):
    # The start-up catch-up runs between load() and start(): its cancels must see the stored jobs, and no
    # job may run before the rooms are known.
    clock = FakeClock(T0)
    first = Bot(db_url, clock)
    for job_id in ("action:!r:1:soon", "action:!r:1:overdue", "action:!r:2:soon"):
        first.scheduler.schedule(job_id, T0 + timedelta(hours=1), "k", {})
    await first.stop()

    clock.advance(timedelta(hours=2))  # all three came due while the bot was down
    fired = []

    async def runner(job_id, kind, payload, scheduled_for):
        fired.append(job_id)

    again = JobScheduler(db_url, clock, runner, late_grace=GRACE)
    again.load()
    again.cancel_prefix("action:!r:1:")
    again.wakeup()
    await asyncio.sleep(0.05)
    assert fired == [] and [j for j, _ in again.jobs()] == ["action:!r:2:soon"]
    again.start()
    for _ in range(20):
        await asyncio.sleep(0.01)
    assert fired == ["action:!r:2:soon"]
    await again.shutdown()

    last = Bot(db_url, clock)  # the cancelled ones were removed from the database, not only from memory
    await last.settle()
    assert last.fired == [] and last.scheduler.jobs() == []
    await last.stop()


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


async def test_two_schedulers_in_one_process_keep_their_own_clock_and_runner():
    early, later = FakeClock(T0), FakeClock(T0 + timedelta(hours=2))
    fired: dict[str, list[str]] = {"early": [], "later": []}

    def runner(name):
        async def run(job_id, kind, payload, scheduled_for):
            fired[name].append(job_id)
        return run

    schedulers = {name: JobScheduler("sqlite+aiosqlite://", clock, runner(name), late_grace=GRACE)
                  for name, clock in (("early", early), ("later", later))}
    for scheduler in schedulers.values():
        scheduler.start()
        scheduler.schedule("j", T0 + timedelta(hours=1), "k", {})
    try:
        for _ in range(2):
            for scheduler in schedulers.values():
                scheduler.wakeup()
            await asyncio.sleep(0.05)
            if fired["later"]:
                break
        assert fired == {"early": [], "later": ["j"]}  # due on one clock only, run by that scheduler's runner
        early.advance(timedelta(hours=1))
        schedulers["early"].wakeup()
        for _ in range(20):
            await asyncio.sleep(0.01)
        assert fired == {"early": ["j"], "later": ["j"]}
    finally:
        for scheduler in schedulers.values():
            await scheduler.shutdown()


# ---- start-up planning while the database is busy (issue 9, item 12) ---------------------------------


async def planned_rooms(url: str) -> set[str]:
    """Which schedules have their roll job in the database (read with a fresh connection)."""
    store = await open_store(url)
    try:
        async with store.session() as s:
            rows = await s.execute(text("SELECT id FROM apscheduler_jobs"))
            return {row[0].split(":")[1] for row in rows if row[0].endswith(":roll")}
    finally:
        await store.close()


async def start_up_services(url: str, rooms: list[str]):
    from handlers.core.services import Defaults, Services

    clock = FakeClock(T0)
    store = await open_store(url)
    for room_id in rooms:
        await store.rooms.ensure(room_id, language="fr", timezone="Europe/Paris")
        await store.schedules.create(room_id, title="Point hebdo", starts_at=T0 + timedelta(days=3),
                                     timezone="Europe/Paris", rule=None, created_by="@coord:x", at=T0)

    async def runner(*args):
        pass

    scheduler = JobScheduler(url, clock, runner, late_grace=GRACE)
    scheduler.start()
    return Services(store, clock, Defaults(), scheduler)


async def test_start_up_planning_neither_blocks_the_loop_nor_loses_reminders_while_a_write_is_open(tmp_path):
    """Traffic during start-up: an async (aiosqlite) write transaction is open on the loop when the schedules
    are planned. A synchronous job-store write on the loop thread waited for that lock, which the frozen loop
    could never release: ~5 s frozen, then "database is locked" and the later schedules were not planned."""
    from handlers.capabilities import jobs

    url = f"sqlite+aiosqlite:///{tmp_path / 'relais.db'}"
    rooms = [f"!r{i}" for i in range(5)]
    services = await start_up_services(url, rooms)
    loop = asyncio.get_running_loop()
    ticks: list[float] = []
    held, planning = asyncio.Event(), asyncio.Event()
    window: dict[str, float] = {}

    async def ticker():
        while True:
            ticks.append(loop.time())
            await asyncio.sleep(0.01)

    async def traffic():  # a command being handled: its transaction holds SQLite's write lock for a while
        async with services.store.session() as s:
            await s.execute(text("INSERT INTO bot_state (key, value) VALUES ('busy', 'yes')"))
            held.set()
            await planning.wait()
            window["from"] = loop.time()
            await asyncio.sleep(1.0)
            window["to"] = loop.time()

    tick_task, traffic_task = asyncio.create_task(ticker()), asyncio.create_task(traffic())
    try:
        await held.wait()
        planning.set()
        await jobs.started(services)
        await traffic_task
        assert await services.scheduler.flush(timeout=20)
    finally:
        tick_task.cancel()
        await services.scheduler.shutdown()
        await services.store.close()
    # The loop kept running while the lock was held: the ticker made progress meanwhile.
    assert len([t for t in ticks if window["from"] < t < window["to"]]) >= 20  # ~100 expected, 3 before the fix
    assert await planned_rooms(url) == set(rooms)  # every schedule's reminders reached the database


async def test_one_failing_schedule_does_not_stop_the_others_and_failures_are_retried_then_reported(
        tmp_path, monkeypatch, caplog):
    import handlers.core.jobs
    import handlers.schedule.jobs as schedule_jobs
    from handlers.capabilities import jobs

    monkeypatch.setattr(handlers.core.jobs, "START_RETRY_DELAYS", (0.01, 0.01))
    url = f"sqlite+aiosqlite:///{tmp_path / 'relais.db'}"
    services = await start_up_services(url, ["!a", "!b", "!c", "!d"])
    real, calls = schedule_jobs.plan_schedule, {"!b": 0, "!c": 0}

    def flaky(services, room, record, **kw):
        if record.room_id in calls:
            calls[record.room_id] += 1
            if record.room_id == "!b" or calls["!c"] == 1:  # !b always fails, !c only the first time
                raise RuntimeError("boom")
        return real(services, room, record, **kw)

    monkeypatch.setattr(schedule_jobs, "plan_schedule", flaky)
    try:
        await jobs.started(services)
        assert await services.scheduler.flush(timeout=20)
    finally:
        await services.scheduler.shutdown()
        await services.store.close()
    assert calls == {"!b": 3, "!c": 2}  # tried, then retried twice
    assert await planned_rooms(url) == {"!a", "!c", "!d"}
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert errors == ["1 scheduled meetings could not be planned after 3 attempts, their reminders will not be "
                      "sent: !b n°1"]


async def test_a_failed_job_store_write_is_retried_and_reported(tmp_path, monkeypatch, caplog):
    import bot.job_store as store_module

    monkeypatch.setattr(store_module, "RETRY_DELAYS_S", (0.01,))
    monkeypatch.setattr(store_module, "ERROR_AFTER", 2)
    url = f"sqlite+aiosqlite:///{tmp_path / 'relais.db'}"
    await (await open_store(url)).close()
    bot = Bot(url, FakeClock(T0))
    store = bot.scheduler._store
    real, failures = store._write, []

    def failing_twice(batch):
        if len(failures) < 2:
            failures.append(batch)
            raise OSError("disk busy")
        real(batch)

    monkeypatch.setattr(store, "_write", failing_twice)
    bot.scheduler.schedule("job-1", T0 + timedelta(days=1), "k", {})
    assert await bot.scheduler.flush(timeout=20)
    await bot.stop()
    levels = [r.levelname for r in caplog.records if "saving 1 job changes failed" in r.getMessage()]
    assert levels == ["WARNING", "ERROR"]
    again = Bot(url, FakeClock(T0))
    assert [j for j, _ in again.scheduler.jobs()] == ["job-1"]
    await again.stop()


async def test_changes_held_for_a_unit_of_work_are_made_in_order_or_dropped(tmp_path):
    bot = Bot(f"sqlite+aiosqlite:///{tmp_path / 'held.db'}", FakeClock(T0))
    bot.scheduler.schedule("action:!r:1:overdue", T0 + timedelta(hours=1), "action.overdue", {"room_id": "!r"})
    with held_jobs.holding() as held:  # a command: cancel the old plan, make the new one
        bot.scheduler.cancel_prefix("action:!r:1:")
        bot.scheduler.schedule("action:!r:1:overdue", T0 + timedelta(hours=2), "action.overdue", {"room_id": "!r"})
        assert [t for _, t in bot.scheduler.jobs()] == [T0 + timedelta(hours=1)]  # nothing changed yet
    held.make()  # committed
    assert bot.scheduler.jobs() == [("action:!r:1:overdue", T0 + timedelta(hours=2))]
    with held_jobs.holding():  # rolled back: never made
        bot.scheduler.cancel("action:!r:1:overdue")
    assert [j for j, _ in bot.scheduler.jobs()] == ["action:!r:1:overdue"]
    bot.scheduler.cancel("action:!r:1:overdue")  # outside a unit: at once
    assert bot.scheduler.jobs() == []
    await bot.stop()
