"""Jobs beyond the scheduler's horizon wait in the database, not in memory, and still run once, on time: when the
clock reaches them, after a restart, moved earlier or later, cancelled, or planned just before their slice is read."""
import asyncio
import threading
from datetime import timedelta

from bot.job_store import HORIZON, WriteBehindJobStore
from handlers.core.clock import FakeClock
from tests.postgres import postgres_url  # noqa: F401 (fixture)
from tests.unit.test_scheduler import T0, Bot, db_url  # noqa: F401 (fixture)


def held(bot: Bot) -> set[str]:
    """The jobs the scheduler holds in memory as APScheduler jobs."""
    return {job.id for job in bot.scheduler._store.get_all_jobs()}


async def walk(bot: Bot, clock: FakeClock, until, step=HORIZON / 3) -> None:
    """Let time pass as it does: the scheduler looks at every step (shorter than half the horizon)."""
    while clock.now() < until:
        clock.advance(min(step, until - clock.now()))
        bot.scheduler.wakeup()
        for _ in range(3):
            await asyncio.sleep(0.005)


async def test_a_later_job_waits_in_the_database_and_runs_once_on_time(db_url):
    clock = FakeClock(T0)
    bot = Bot(db_url, clock)
    try:
        bot.scheduler.schedule("soon", T0 + HORIZON / 2, "k", {"n": 1})
        bot.scheduler.schedule("later", T0 + 3 * HORIZON, "k", {"n": 2})
        bot.scheduler.schedule("much-later", T0 + timedelta(days=30), "k", {"n": 3})
        assert held(bot) == {"soon"}
        assert [j for j, _ in bot.scheduler.jobs()] == ["soon", "later", "much-later"]  # all planned
        await walk(bot, clock, T0 + 3 * HORIZON - timedelta(minutes=1))
        assert [f[0] for f in bot.fired] == ["soon"] and held(bot) == {"later"}  # its slice came into memory
        await walk(bot, clock, T0 + 3 * HORIZON, step=timedelta(seconds=30))
        assert [(f[0], f[2], f[4] - f[3]) for f in bot.fired[1:]] == [("later", {"n": 2}, timedelta(0))]
        assert held(bot) == set() and [j for j, _ in bot.scheduler.jobs()] == ["much-later"]
    finally:
        await bot.stop()


async def test_later_jobs_survive_a_restart_and_a_long_absence(db_url):
    clock = FakeClock(T0)
    first = Bot(db_url, clock)
    first.scheduler.schedule("in-5h", T0 + timedelta(hours=5), "k", {})
    first.scheduler.schedule("in-40h", T0 + timedelta(hours=40), "k", {})
    await first.stop()
    clock.advance(timedelta(hours=6))  # down when the first came due
    second = Bot(db_url, clock)
    try:
        await second.settle()
        assert [f[0] for f in second.fired] == ["in-5h"] and held(second) == set()
        await walk(second, clock, T0 + timedelta(hours=40))
        assert [f[0] for f in second.fired] == ["in-5h", "in-40h"]
        assert second.fired[1][4] == T0 + timedelta(hours=40)
    finally:
        await second.stop()


async def test_a_job_moved_across_the_horizon_runs_only_at_its_new_time(db_url):
    clock = FakeClock(T0)
    bot = Bot(db_url, clock)
    try:
        bot.scheduler.schedule("pushed", T0 + timedelta(minutes=30), "k", {"v": "old"})
        bot.scheduler.schedule("pulled", T0 + timedelta(hours=20), "k", {"v": "old"})
        assert await bot.scheduler.flush(5)  # written: the moves below change stored rows
        bot.scheduler.schedule("pushed", T0 + timedelta(hours=20), "k", {"v": "new"})  # out of memory
        bot.scheduler.schedule("pulled", T0 + timedelta(minutes=30), "k", {"v": "new"})  # into memory
        assert held(bot) == {"pulled"}
        await walk(bot, clock, T0 + timedelta(hours=20))
        assert [(f[0], f[2], f[3]) for f in bot.fired] == [("pulled", {"v": "new"}, T0 + timedelta(minutes=30)),
                                                          ("pushed", {"v": "new"}, T0 + timedelta(hours=20))]
    finally:
        await bot.stop()


async def test_later_jobs_cancelled_by_id_or_prefix_never_run_even_after_a_restart(db_url):
    clock = FakeClock(T0)
    bot = Bot(db_url, clock)
    for job_id in ("action:!r:1:soon:86400", "action:!r:1:overdue", "action:!r:12:overdue", "other"):
        bot.scheduler.schedule(job_id, T0 + timedelta(days=2), "k", {})
    assert held(bot) == set()
    bot.scheduler.cancel_prefix("action:!r:1:")
    bot.scheduler.cancel("other")
    assert [j for j, _ in bot.scheduler.jobs()] == ["action:!r:12:overdue"]
    await bot.stop()
    again = Bot(db_url, clock)
    try:
        await walk(again, clock, T0 + timedelta(days=2))
        assert [f[0] for f in again.fired] == ["action:!r:12:overdue"]
    finally:
        await again.stop()


async def test_a_later_job_not_yet_written_when_its_slice_is_read_still_runs_once(db_url, monkeypatch):
    # The worker thread writes behind: the slice read from the database must add the changes it has not got.
    clock = FakeClock(T0)
    bot = Bot(db_url, clock)
    bot.scheduler.schedule("job-written", T0 + HORIZON + timedelta(minutes=5), "k", {"n": -1})
    bot.scheduler.schedule("job-moved", T0 + HORIZON + timedelta(minutes=5), "k", {"n": -2})
    assert await bot.scheduler.flush(5)
    release, real = threading.Event(), WriteBehindJobStore._write
    monkeypatch.setattr(WriteBehindJobStore, "_write", lambda self, batch: release.wait(30) and real(self, batch))
    try:
        for n in range(200):  # taken by the held worker, or still queued for it
            bot.scheduler.schedule(f"job-{n}", T0 + HORIZON + timedelta(minutes=5, seconds=n), "k", {"n": n})
        bot.scheduler.cancel("job-7")
        bot.scheduler.schedule("job-moved", T0 + timedelta(days=3), "k", {"n": -2})
        clock.advance(HORIZON + timedelta(minutes=10))
        await bot.settle()
        assert sorted(f[2]["n"] for f in bot.fired) == [-1] + [n for n in range(200) if n != 7]
        release.set()
        assert await bot.scheduler.flush(10)
        assert bot.scheduler.jobs() == [("job-moved", T0 + timedelta(days=3))]
    finally:
        release.set()
        await bot.stop()


async def test_memory_holds_what_falls_due_soon_not_every_deadline_planned(db_url):
    clock = FakeClock(T0)
    bot = Bot(db_url, clock)
    try:
        for n in range(3000):  # an action's two reminders, a day and more away
            bot.scheduler.schedule(f"action:!r:{n}:soon:86400", T0 + timedelta(days=1, minutes=n), "k", {})
            bot.scheduler.schedule(f"action:!r:{n}:overdue", T0 + timedelta(days=2, minutes=n), "k", {})
        bot.scheduler.schedule("meeting:!r:1:roll", T0 + timedelta(minutes=20), "k", {})
        assert held(bot) == {"meeting:!r:1:roll"}
        assert bot.scheduler._store._ids == ["meeting:!r:1:roll"]  # not even the later ones' ids
        assert len(bot.scheduler.jobs()) == 6001
        bot.scheduler.cancel_prefix("action:!r:42:")  # still found by prefix
        assert len(bot.scheduler.jobs()) == 5999
    finally:
        await bot.stop()


async def test_a_prefix_cancels_exactly_its_later_jobs_whatever_their_case_or_characters(db_url):
    # The later jobs are cancelled in the database by prefix: SQLite's GLOB, PostgreSQL's LIKE. Neither may
    # read a room id's letters case-blind nor take its `_`, `%`, `*`, `?` or `[` for wildcards.
    clock = FakeClock(T0)
    bot = Bot(db_url, clock)
    ids = ["action:!Ab_c%d*e?f[g:1:overdue", "action:!Ab_c%d*e?f[g:12:overdue", "action:!ab_c%d*e?f[g:1:overdue",
           "action:!AbXc%d*e?f[g:1:overdue", "action:!Ab_cXd*e?f[g:1:overdue", "action:!Ab_c%dXe?f[g:1:overdue",
           "action:!Ab_c%d*eXf[g:1:overdue", "action:!Ab_c%d*e?fXg:1:overdue", "action:!Ab_c%d*e?f[g:1/overdue"]
    try:
        for job_id in ids:
            bot.scheduler.schedule(job_id, T0 + timedelta(days=2), "k", {})
        assert await bot.scheduler.flush(5)  # in the database: the prefix is a statement, not a filter in memory
        bot.scheduler.cancel_prefix("action:!Ab_c%d*e?f[g:1:")
        assert await bot.scheduler.flush(5)
        assert sorted(j for j, _ in bot.scheduler.jobs()) == sorted(ids[1:])
    finally:
        await bot.stop()


async def test_a_job_planned_again_after_its_prefix_was_cancelled_runs_once_at_its_new_time(db_url, monkeypatch):
    # `!action` edited: its reminders are cancelled by prefix, then planned again, while the writer is busy.
    clock = FakeClock(T0)
    bot = Bot(db_url, clock)
    bot.scheduler.schedule("action:!r:1:overdue", T0 + timedelta(hours=5), "k", {"v": "old"})
    bot.scheduler.schedule("action:!r:1:soon:3600", T0 + timedelta(hours=4), "k", {"v": "old"})
    assert await bot.scheduler.flush(5)
    release, real = threading.Event(), WriteBehindJobStore._write
    monkeypatch.setattr(WriteBehindJobStore, "_write", lambda self, batch: release.wait(30) and real(self, batch))
    try:
        bot.scheduler.cancel_prefix("action:!r:1:")
        bot.scheduler.schedule("action:!r:1:overdue", T0 + timedelta(hours=6), "k", {"v": "new"})
        bot.scheduler.cancel_prefix("action:!r:2:")  # queued behind the first while that one waits to be written
        assert [j for j, _ in bot.scheduler.jobs()] == ["action:!r:1:overdue"]  # the queue counts before writing
        release.set()
        assert await bot.scheduler.flush(10)
        assert bot.scheduler.jobs() == [("action:!r:1:overdue", T0 + timedelta(hours=6))]
        await walk(bot, clock, T0 + timedelta(hours=7))
        assert [(f[0], f[2], f[3]) for f in bot.fired] == [("action:!r:1:overdue", {"v": "new"},
                                                           T0 + timedelta(hours=6))]
    finally:
        release.set()
        await bot.stop()


def test_a_failed_batch_goes_back_behind_the_changes_queued_since():
    from bot.job_store import _Changes

    failed = _Changes({"a:"}, {"a:1": (1.0, b"old"), "b:1": (1.0, b"old"), "c:1": (1.0, b"old")})
    since = _Changes()
    since.drop("b:")  # cancelled after the batch was taken: its b:1 must not come back
    since.change("a:1", (2.0, b"new"))
    merged = since.after(failed)
    assert merged.prefixes == {"a:", "b:"} and merged.jobs == {"a:1": (2.0, b"new"), "c:1": (1.0, b"old")}
    rows = {"a:1": "stored", "a:2": "stored", "b:3": "stored", "c:1": "stored", "d:1": "stored"}
    merged.apply(rows, lambda row: row and row[1].decode())
    assert rows == {"a:1": "new", "c:1": "old", "d:1": "stored"}
