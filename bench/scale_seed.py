"""Seed a database at the scale of a national network, through the storage layer (storage/bulk.py), not the chat.

    .venv/bin/python bench/scale_seed.py --url sqlite+aiosqlite:////tmp/scale.db
    .venv/bin/python bench/scale_seed.py --postgres            # a throwaway cluster (tests/postgres.py), dropped after
    .venv/bin/python bench/scale_seed.py --url … --scale 0.1   # a tenth of everything, for a short run

At --scale 1: 1,000 rooms, 100,000 actions (about 65 % open; the largest room has 5,000, another exactly 20),
5,000 meetings with attendance and items (the largest room has 250, one of them with 500 items: the minutes
export), 1,000 weekly scheduled meetings, 10,000 scheduled jobs (those meetings' reminders and roll jobs, then
action deadline reminders, planned by the real handlers through the real job store), 2,000 mobilisations with
50,000 participants. bench/scale.py measures the bot on it; `--big-room` / `--small-room` name the two rooms it
measures (real rooms of a homeserver there).
"""
from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from storage import open_store  # noqa: E402
from storage.bulk import BulkLoader, NewAction, NewMeeting, NewMobilisation  # noqa: E402
from storage.records import Person  # noqa: E402

TZ = "Europe/Paris"
BIG_ACTIONS, SMALL_ACTIONS = 5_000, 20
BIG_MEETINGS, EXPORT_ITEMS = 250, 500
THEMES = ("logistique", "communication", "finances", "mobilisation", "plaidoyer")


@dataclass
class Plan:
    rooms: int
    actions: int
    meetings: int
    jobs: int
    mobilisations: int
    participants: int

    @classmethod
    def at(cls, scale: float) -> Plan:
        n = lambda x: max(1, round(x * scale))  # noqa: E731
        return cls(n(1_000), n(100_000), n(5_000), n(10_000), n(2_000), n(50_000))


def people(room_index: int, count: int = 12) -> list[Person]:
    return [Person(f"@m{room_index}-{i}:scale.example", f"Membre {room_index}-{i}") for i in range(count)]


def room_actions(rng: random.Random, members: list[Person], count: int, now: datetime) -> list[NewAction]:
    out = []
    for i in range(count):
        created = now - timedelta(days=rng.uniform(1, 900))
        status = rng.choices(("open", "done", "cancelled"), (65, 30, 5))[0]
        owners = tuple(rng.sample(members, rng.choice((0, 1, 1, 1, 2))))
        due = created + timedelta(days=rng.uniform(3, 60)) if rng.random() < 0.5 else None
        out.append(NewAction(
            text=f"Action {i + 1} : préparer le point {rng.randint(1, 99)} avec les partenaires du quartier",
            created_by=members[0].user_id, created_at=created, status=status, owners=owners,
            themes=(rng.choice(THEMES),) if rng.random() < 0.4 else (), due_at=due,
            closed_at=created + timedelta(days=5) if status != "open" else None,
            closed_by=members[0].user_id if status != "open" else None))
    return out


def room_meetings(rng: random.Random, members: list[Person], count: int, now: datetime, *,
                  export_items: int = 0) -> list[NewMeeting]:
    out = []
    for i in range(count):
        start = now - timedelta(days=7 * (count - i) + 1)
        items: list[tuple[str, str]] = []
        size = export_items if (export_items and i == count - 1) else rng.randint(3, 8)
        for j in range(size):
            kind = "topic" if j % 10 == 0 else rng.choice(("info", "decision", "idea"))
            items.append((kind, f"Point {j + 1} : compte rendu de l'atelier {rng.randint(1, 50)}"))
        attendance = tuple((m.user_id, m, rng.choice(("present", "present", "present", "excused", "late")))
                           for m in rng.sample(members, min(len(members), 8)))
        out.append(NewMeeting(title=f"Réunion {i + 1}", started_at=start, started_by=members[0],
                              ended_at=start + timedelta(hours=2), attendance=attendance, items=tuple(items)))
    return out


def spread(total: int, buckets: int, fixed: dict[int, int]) -> list[int]:
    """`total` split over `buckets`, with some buckets fixed."""
    rest = max(total - sum(fixed.values()), 0)
    free = [b for b in range(buckets) if b not in fixed]
    counts = [0] * buckets
    for k, b in enumerate(free):
        counts[b] = rest // len(free) + (1 if k < rest % len(free) else 0)
    for b, v in fixed.items():
        counts[b] = v
    return counts


async def seed(url: str, *, scale: float = 1.0, big_room: str | None = None, small_room: str | None = None,
               now: datetime | None = None, quiet: bool = False) -> dict:
    """Seed `url` (migrated first); returns what was written and how long each part took."""
    now = now or datetime.now(timezone.utc)
    plan = Plan.at(scale)
    rng = random.Random(14)
    say = (lambda *a: None) if quiet else (lambda *a: print(*a, flush=True))
    store = await open_store(url)
    bulk = BulkLoader(store.session, store.engine)
    timings: dict[str, float] = {}
    rooms = [f"!scale{i:04d}:scale.example" for i in range(plan.rooms)]
    if big_room:
        rooms[0] = big_room
    if small_room and plan.rooms > 1:
        rooms[1] = small_room
    try:
        t = time.monotonic()
        await bulk.rooms([(r, "fr", TZ) for r in rooms], at=now - timedelta(days=900))
        timings["rooms"] = time.monotonic() - t

        t = time.monotonic()
        big = min(BIG_ACTIONS, plan.actions)
        per_room = spread(plan.actions, plan.rooms, {0: big, 1: SMALL_ACTIONS} if plan.rooms > 1 else {0: big})
        for i, (room_id, count) in enumerate(zip(rooms, per_room)):
            if count:
                await bulk.actions(room_id, room_actions(rng, people(i), count, now))
        timings["actions"] = time.monotonic() - t
        say(f"actions: {plan.actions} in {timings['actions']:.1f} s")

        t = time.monotonic()
        per_room = spread(plan.meetings, plan.rooms, {0: min(BIG_MEETINGS, plan.meetings)})
        for i, (room_id, count) in enumerate(zip(rooms, per_room)):
            if count:
                await bulk.meetings(room_id, room_meetings(rng, people(i), count, now,
                                                           export_items=EXPORT_ITEMS if i == 0 else 0))
        timings["meetings"] = time.monotonic() - t
        say(f"meetings: {plan.meetings} in {timings['meetings']:.1f} s")

        t = time.monotonic()
        for i, room_id in enumerate(rooms):
            first = now + timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 10))
            await bulk.schedules(room_id, [{"title": "Point hebdo", "starts_at": first, "timezone": TZ,
                                            "rule": "FREQ=WEEKLY", "created_by": people(i)[0].user_id,
                                            "created_at": now - timedelta(days=30)}])
        timings["schedules"] = time.monotonic() - t

        t = time.monotonic()
        per_room = spread(plan.mobilisations, plan.rooms, {})
        joins = spread(plan.participants, plan.mobilisations, {})
        k = 0
        for i, (room_id, count) in enumerate(zip(rooms, per_room)):
            batch = []
            for _ in range(count):
                batch.append(NewMobilisation(
                    title=f"Marche {k + 1}", starts_at=now + timedelta(days=rng.randint(2, 60)), timezone=TZ,
                    created_by=people(i)[0].user_id, created_at=now - timedelta(days=10),
                    participants=tuple(f"@p{k}-{j}:scale.example" for j in range(joins[k]))))
                k += 1
            if batch:
                await bulk.mobilisations(room_id, batch)
        timings["mobilisations"] = time.monotonic() - t
        say(f"mobilisations: {plan.mobilisations} with {plan.participants} participants "
            f"in {timings['mobilisations']:.1f} s")

        t = time.monotonic()
        jobs = await plan_jobs(store, url, plan.jobs, now)
        timings["jobs"] = time.monotonic() - t
        say(f"jobs: {jobs} in {timings['jobs']:.1f} s")

        t = time.monotonic()
        await bulk.analyze()  # as after any bulk import: the planner's statistics (PostgreSQL)
        timings["analyze"] = time.monotonic() - t
    finally:
        await store.close()
    return {"plan": plan, "rooms": rooms, "jobs": jobs, "timings": timings, "seconds": sum(timings.values())}


async def plan_jobs(store, url: str, wanted: int, now: datetime) -> int:
    """The reminders the bot would have planned: every schedule's (start-up planning), then deadline reminders of
    open actions, by the handlers themselves, through the real write-behind job store."""
    from bot.scheduler import JobScheduler
    from handlers.actions.followup import plan_action
    from handlers.core.clock import FakeClock
    from handlers.core.services import Defaults, Services
    from handlers.schedule.jobs import plan_all
    from storage.actions import Action

    async def runner(*args):
        pass

    clock = FakeClock(now)
    scheduler = JobScheduler(url, clock, runner, late_grace=timedelta(hours=12))
    scheduler.start()
    services = Services(store, clock, Defaults(), scheduler)
    try:
        await plan_all(services)
        a = Action.__table__
        from sqlalchemy import func, select

        async with store.session() as s:
            rows = (await s.execute(select(a.c.room_id, a.c.number).where(a.c.status == "open")
                                    .order_by(a.c.id))).all()
        from dataclasses import replace

        from storage.jobs import apscheduler_jobs

        async def planned() -> int:  # the job table itself: the store keeps no id of the jobs beyond the hour
            await scheduler.flush(timeout=600)
            async with store.session() as s:
                return (await s.execute(select(func.count()).select_from(apscheduler_jobs))).scalar_one()

        count = await planned()
        for start in range(0, len(rows), 250):  # counted every 250 actions (2–3 jobs each)
            if count >= wanted:
                break
            for room_id, number in rows[start:start + 250]:
                record = await store.actions.get(room_id, number)
                due = now + timedelta(days=1 + number % 40, hours=number % 9)  # deadlines to come: jobs planned
                plan_action(services, None, replace(record, due_at=due, due_has_time=True))
            count = await planned()
        return count
    finally:
        await scheduler.shutdown()


async def _postgres_url() -> tuple[object, str]:
    from tests.postgres import PostgresCluster, create_database

    cluster = PostgresCluster.start()
    return cluster, await create_database(cluster.url())


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--url", help="storage URL (sqlite+aiosqlite:///… or postgresql+asyncpg://…)")
    where.add_argument("--postgres", action="store_true", help="a throwaway PostgreSQL cluster, removed after")
    p.add_argument("--scale", type=float, default=1.0, help="fraction of the full scale (default 1)")
    p.add_argument("--big-room", help="room id of the largest room (5,000 actions, 250 meetings)")
    p.add_argument("--small-room", help="room id of the room with 20 actions")
    return p.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    cluster = None
    url = args.url
    if args.postgres:
        cluster, url = asyncio.run(_postgres_url())
    try:
        result = asyncio.run(seed(url, scale=args.scale, big_room=args.big_room, small_room=args.small_room))
        plan = result["plan"]
        print(f"seeded {url.split('@')[-1]}: {plan.rooms} rooms, {plan.actions} actions, {plan.meetings} meetings, "
              f"{result['jobs']} jobs, {plan.mobilisations} mobilisations / {plan.participants} participants "
              f"in {result['seconds']:.1f} s")
    finally:
        if cluster is not None:
            cluster.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
