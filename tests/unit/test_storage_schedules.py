"""storage.schedules: scheduled meetings, changes to single occurrences, reminder subscriptions; and the
schedule number kept on a meeting. On SQLite (file and in-memory) and PostgreSQL, with the fixtures of
test_storage.py."""
from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import inspect, text

from storage import Store
from storage.records import Person as Who
from tests.unit.test_storage import (  # noqa: F401 (fixtures)
    BACKENDS,
    PARIS,
    T0,
    parametrize_backends,
    postgres_url,
    store,
)

R1, R2 = "!one:x", "!two:x"
ALICE, BOB = "@alice:x", "@bob:x"
WEEKLY = "FREQ=WEEKLY;BYDAY=MO"


async def make(store: Store, room: str = R1, title: str | None = "Point hebdo", **kw):
    kw.setdefault("starts_at", T0)
    kw.setdefault("timezone", "Europe/Paris")
    kw.setdefault("rule", WEEKLY)
    kw.setdefault("created_by", ALICE)
    kw.setdefault("at", T0 - timedelta(days=1))
    return await store.schedules.create(room, title=title, **kw)


@parametrize_backends(BACKENDS)
async def test_tables_constraints_and_cascade(store: Store) -> None:
    def describe(c):
        i = inspect(c)
        return (set(i.get_table_names()),
                {tuple(u["column_names"]) for u in i.get_unique_constraints("schedules")},
                i.get_foreign_keys("schedule_changes"),
                {col["name"] for col in i.get_columns("meetings")})

    async with store.engine.connect() as conn:
        tables, uniques, fks, meeting_columns = await conn.run_sync(describe)
    assert {"schedules", "schedule_changes", "subscriptions"} <= tables
    assert ("room_id", "number") in uniques
    assert fks[0]["referred_table"] == "schedules" and fks[0]["options"].get("ondelete") == "CASCADE"
    assert "schedule_number" in meeting_columns

    rec = await make(store)
    await store.schedules.change_occurrence(R1, rec.number, T0, None, by=ALICE, at=T0)
    async with store.session() as s:
        await s.execute(text("DELETE FROM schedules WHERE id = :id"), {"id": rec.id})
    async with store.session() as s:
        assert await s.scalar(text("SELECT count(*) FROM schedule_changes")) == 0


@parametrize_backends(BACKENDS)
async def test_create_get_list_and_numbers_per_room(store: Store) -> None:
    first = await make(store, place="Maison des associations", link="https://meet.example/x",
                       starts_at=T0.astimezone(PARIS))
    assert (first.number, first.room_id, first.title, first.place, first.link) == (
        1, R1, "Point hebdo", "Maison des associations", "https://meet.example/x")
    assert first.starts_at == T0 and first.starts_at.utcoffset() == timedelta(0)  # stored and read back as UTC
    assert (first.rule, first.timezone, first.revision, first.changes) == (WEEKLY, "Europe/Paris", 0, ())
    assert first.is_recurring and not first.is_cancelled
    one_off = await make(store, title=None, rule=None)
    assert one_off.number == 2 and one_off.title is None and not one_off.is_recurring
    assert (await make(store, room=R2)).number == 1  # numbers are per room
    # A meeting number sequence of its own.
    meeting = await store.meetings.start(R1, title=None, by=Who(ALICE, "Alice"), at=T0)
    assert meeting.number == 1
    assert (await make(store)).number == 3

    assert await store.schedules.get(R1, 1) == first
    assert await store.schedules.get(R1, 9) is None
    assert [r.number for r in await store.schedules.list(R1)] == [1, 2, 3]
    assert [(r.room_id, r.number) for r in await store.schedules.active()] == [(R1, 1), (R1, 2), (R1, 3), (R2, 1)]


@parametrize_backends(BACKENDS)
async def test_cancel_once(store: Store) -> None:
    await make(store)
    await make(store)
    cancelled = await store.schedules.cancel(R1, 1, by=BOB, at=T0)
    assert cancelled.is_cancelled and (cancelled.cancelled_at, cancelled.cancelled_by) == (T0, BOB)
    assert cancelled.revision == 1
    assert await store.schedules.cancel(R1, 1, by=BOB, at=T0) is None  # already
    assert await store.schedules.cancel(R1, 7, by=BOB, at=T0) is None  # no such
    assert [r.number for r in await store.schedules.list(R1)] == [2]
    assert [r.number for r in await store.schedules.list(R1, cancelled=True)] == [1, 2]
    assert [r.number for r in await store.schedules.active()] == [2]
    assert (await make(store)).number == 3  # numbers are never reused


@parametrize_backends(BACKENDS)
async def test_move_and_change_occurrences(store: Store) -> None:
    await make(store, rule=None)
    moved = await store.schedules.move(R1, 1, T0 + timedelta(days=1))
    assert moved.starts_at == T0 + timedelta(days=1) and moved.revision == 1
    assert await store.schedules.move(R1, 5, T0) is None

    await make(store)
    week = timedelta(days=7)
    first = await store.schedules.change_occurrence(R1, 2, T0 + week, T0 + week + timedelta(days=1), by=ALICE, at=T0)
    assert [(c.original_at, c.moved_to, c.cancelled) for c in first.changes] == [
        (T0 + week, T0 + week + timedelta(days=1), False)]
    await store.schedules.change_occurrence(R1, 2, T0, None, by=BOB, at=T0)
    # Setting the same occurrence again replaces it: the moved date is now cancelled.
    latest = await store.schedules.change_occurrence(R1, 2, T0 + week, None, by=BOB, at=T0 + week)
    assert [(c.original_at, c.moved_to, c.set_by) for c in latest.changes] == [(T0, None, BOB), (T0 + week, None, BOB)]
    assert latest.revision == 3
    assert all(c.original_at.utcoffset() == timedelta(0) for c in latest.changes)
    assert await store.schedules.change_occurrence(R1, 9, T0, None, by=BOB, at=T0) is None
    assert (await store.schedules.get(R1, 2)).changes == latest.changes


@parametrize_backends(BACKENDS)
async def test_concurrent_creates_get_distinct_numbers(store: Store) -> None:
    made = await asyncio.gather(*(make(store, title=str(i)) for i in range(6)))
    assert sorted(r.number for r in made) == [1, 2, 3, 4, 5, 6]


@parametrize_backends(BACKENDS)
async def test_subscriptions(store: Store) -> None:
    subs = store.subscriptions
    assert await subs.add(R1, ALICE, at=T0) is True
    assert await subs.add(R1, ALICE, at=T0) is False  # once
    assert await subs.add(R1, BOB, at=T0 + timedelta(seconds=1)) is True
    assert await subs.add(R2, BOB, at=T0) is True
    assert await subs.list(R1) == [ALICE, BOB]
    assert await subs.remove(R1, ALICE) is True
    assert await subs.remove(R1, ALICE) is False
    assert await subs.list(R1) == [BOB] and await subs.list(R2) == [BOB]


@parametrize_backends(BACKENDS)
async def test_a_meeting_keeps_its_schedule_number(store: Store) -> None:
    m = await store.meetings.start(R1, title="Plénière", by=Who(ALICE, "Alice"), at=T0, schedule_number=4)
    assert m.schedule_number == 4
    assert (await store.meetings.current(R1)).schedule_number == 4
    plain = await store.meetings.start(R2, title=None, by=Who(ALICE, "Alice"), at=T0)
    assert plain.schedule_number is None


@pytest.mark.parametrize("store", ["sqlite-memory"], indirect=True)
async def test_naive_datetimes_are_refused(store: Store) -> None:
    with pytest.raises(Exception):
        await make(store, starts_at=T0.replace(tzinfo=None))
