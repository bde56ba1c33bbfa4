"""MeetingRepo on SQLite (file and memory) and PostgreSQL: one open meeting per room, numbering,
attendance corrections, topics and items, speakers, the end snapshot and the meetings list."""
from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from storage import Store
from storage.meetings import MeetingAlreadyOpen
from storage.records import ActionSnapshot
from storage.records import Person as Who
from tests.postgres import postgres_url  # noqa: F401 (fixture)
from tests.unit.test_storage import BACKENDS, parametrize_backends, store  # noqa: F401 (fixture)

ROOM, OTHER = "!salon:x", "!autre:x"
T0 = datetime(2021, 4, 27, 18, 0, tzinfo=UTC)
ANNIE = Who("@annie:x", "Annie")
BOB = Who("@bob:x", "Bob")
NICO = Who(None, "Nicolas D")

pytestmark = parametrize_backends(BACKENDS)


async def test_one_open_meeting_per_room_numbered_per_room(store: Store) -> None:
    first = await store.meetings.start(ROOM, title="Plénière", by=ANNIE, at=T0)
    assert (first.number, first.title, first.chair, first.is_open) == (1, "Plénière", ANNIE, True)
    with pytest.raises(MeetingAlreadyOpen) as err:
        await store.meetings.start(ROOM, title=None, by=BOB, at=T0)
    assert err.value.meeting.id == first.id
    elsewhere = await store.meetings.start(OTHER, title=None, by=BOB, at=T0)
    assert elsewhere.number == 1
    assert (await store.meetings.current(ROOM)).id == first.id
    ended = await store.meetings.end(first.id, by=ANNIE.user_id, at=T0 + timedelta(hours=1), actions=[])
    assert ended.ended_at == T0 + timedelta(hours=1) and not ended.is_open
    assert await store.meetings.current(ROOM) is None
    assert await store.meetings.end(first.id, by=ANNIE.user_id, at=T0, actions=[]) is None  # already ended
    second = await store.meetings.start(ROOM, title=None, by=BOB, at=T0 + timedelta(days=7))
    assert second.number == 2
    assert (await store.meetings.get(ROOM, 1)).id == first.id
    assert (await store.meetings.latest(ROOM, ended=True)).number == 1
    assert (await store.meetings.latest(ROOM)).number == 2
    assert await store.meetings.numbers(ROOM) == {first.id: 1, second.id: 2}


async def test_concurrent_starts_open_exactly_one(store: Store) -> None:
    results = await asyncio.gather(
        *(store.meetings.start(ROOM, title=str(i), by=ANNIE, at=T0) for i in range(5)), return_exceptions=True)
    opened = [r for r in results if not isinstance(r, BaseException)]
    assert len(opened) == 1
    assert all(isinstance(r, MeetingAlreadyOpen) for r in results if r not in opened)


async def test_attendance_corrections_replace_earlier_entries(store: Store) -> None:
    m = await store.meetings.start(ROOM, title=None, by=ANNIE, at=T0)
    await store.meetings.set_attendance(m.id, [("@annie:x", ANNIE), ("~nicolas d", NICO)], status="present",
                                        reason=None, by=ANNIE.user_id, at=T0)
    await store.meetings.set_attendance(m.id, [("~nicolas d", NICO)], status="excused", reason="malade",
                                        by=BOB.user_id, at=T0 + timedelta(minutes=5))
    await store.meetings.set_attendance(m.id, [("@annie:x", ANNIE), ("@bob:x", BOB)], status="present",
                                        reason=None, by=BOB.user_id, at=T0, only_if_absent=True)
    d = await store.meetings.details(m.id)
    got = {a.key: (a.person, a.status, a.reason) for a in d.attendance}
    assert got == {"@annie:x": (ANNIE, "present", None), "~nicolas d": (NICO, "excused", "malade"),
                   "@bob:x": (BOB, "present", None)}
    assert await store.meetings.remove_attendance(m.id, ["@bob:x"]) == 1
    assert {a.key for a in (await store.meetings.details(m.id)).attendance} == {"@annie:x", "~nicolas d"}


async def test_items_go_under_the_current_topic_and_undo_restores_it(store: Store) -> None:
    m = await store.meetings.start(ROOM, title=None, by=ANNIE, at=T0)
    before = await store.meetings.add_item(m.id, kind="info", text="avant", author=ANNIE, at=T0)
    assert before.topic_id is None
    energy = await store.meetings.add_item(m.id, kind="topic", text="Énergie", author=ANNIE, at=T0)
    info = await store.meetings.add_item(m.id, kind="info", text="bilan", author=BOB, at=T0)
    assert info.topic_id == energy.id
    mobility = await store.meetings.add_item(m.id, kind="topic", text="Mobilité", author=ANNIE, at=T0)
    link = await store.meetings.add_item(m.id, kind="link", text="carte", url="https://x.org", author=BOB, at=T0)
    assert link.topic_id == mobility.id and link.url == "https://x.org"
    assert (await store.meetings.current(ROOM)).current_topic_id == mobility.id

    assert (await store.meetings.last_item_by(m.id, ANNIE.user_id)).id == mobility.id
    assert (await store.meetings.last_item_by(m.id, BOB.user_id)).id == link.id
    assert await store.meetings.delete_item(link.id)
    assert await store.meetings.delete_item(mobility.id)
    assert (await store.meetings.current(ROOM)).current_topic_id == energy.id
    assert [i.text for i in await store.meetings.items(m.id)] == ["avant", "Énergie", "bilan"]
    assert not await store.meetings.delete_item(mobility.id)

    await store.meetings.end(m.id, by=ANNIE.user_id, at=T0, actions=[])
    assert await store.meetings.add_item(m.id, kind="info", text="trop tard", author=ANNIE, at=T0) is None


async def test_speakers_are_noted_only_while_a_meeting_is_open(store: Store) -> None:
    await store.meetings.note_speaker(ROOM, "@bob:x", "Bob", T0)  # no meeting: nothing happens
    m = await store.meetings.start(ROOM, title=None, by=ANNIE, at=T0)
    await store.meetings.note_speaker(ROOM, "@bob:x", "Bob", T0 + timedelta(minutes=1))
    await store.meetings.note_speaker(ROOM, "@bob:x", "Bob", T0 + timedelta(minutes=2))
    await store.meetings.note_speaker(ROOM, "@zoe:x", "Zoé", T0 + timedelta(minutes=3))
    await store.meetings.note_speaker(OTHER, "@eve:x", "Eve", T0)
    d = await store.meetings.details(m.id)
    assert [(s.user_id, s.first_at) for s in d.speakers] == [
        ("@bob:x", T0 + timedelta(minutes=1)), ("@zoe:x", T0 + timedelta(minutes=3))]


async def test_the_end_snapshot_and_roles_come_back(store: Store) -> None:
    m = await store.meetings.start(ROOM, title=None, by=ANNIE, at=T0)
    await store.meetings.set_role(m.id, "scribe", NICO)
    await store.meetings.set_role(m.id, "chair", BOB)
    snap = ActionSnapshot(number=3, text="relancer", status="open", owners=(BOB, NICO),
                          due_at=T0 + timedelta(days=3), due_has_time=False, meeting_id=m.id, meeting_number=1,
                          topic_id=None, created_at=T0)
    assert (await store.meetings.details(m.id)).actions is None
    await store.meetings.end(m.id, by=BOB.user_id, at=T0 + timedelta(hours=2), actions=[snap])
    d = await store.meetings.details(m.id)
    assert d.actions == (snap,)
    assert (d.meeting.scribe, d.meeting.chair, d.meeting.ended_by) == (NICO, BOB, BOB.user_id)


async def test_list_counts_attendance(store: Store) -> None:
    m1 = await store.meetings.start(ROOM, title="Un", by=ANNIE, at=T0)
    await store.meetings.set_attendance(m1.id, [("a", ANNIE), ("b", BOB)], status="present", reason=None,
                                        by="x", at=T0)
    await store.meetings.set_attendance(m1.id, [("n", NICO)], status="late", reason=None, by="x", at=T0)
    await store.meetings.set_attendance(m1.id, [("z", Who(None, "Z"))], status="excused", reason=None,
                                        by="x", at=T0)
    await store.meetings.end(m1.id, by="x", at=T0, actions=[])
    await store.meetings.start(ROOM, title="Deux", by=ANNIE, at=T0 + timedelta(days=1))
    summaries = await store.meetings.list(ROOM)
    assert [(s.meeting.number, s.present, s.excused) for s in summaries] == [(2, 0, 0), (1, 3, 1)]
    assert await store.meetings.list(OTHER) == []
