"""Meetings in a room with a long history: `!réunions` reads only the meetings it shows (and their attendance, not
the database's), and the minutes list the first open actions carried from before and say how many more there are,
without a meeting's end storing a copy of the room's whole open list."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import event, select

from handlers.meetings.common import CARRIED_SHOWN
from handlers.meetings.commands import LIST_LIMIT
from handlers.core.interface import Notice, Reply
from storage.meetings import Meeting
from storage.records import Person
from tests.unit.conftest import NOW, ROOM
from tests.unit.room import ANNIE, CLAIRE as COORD, join

OTHER_ROOM = "!autre:pacte.example"


@pytest.fixture
def room(chat):
    return join(chat, COORD, ANNIE)


async def say(chat, text, sender=COORD):
    chat.clock.advance(timedelta(minutes=1))
    return await chat.say(text, sender=sender)


async def past_meetings(store, room_id, count):
    for i in range(count):
        m = await store.meetings.start(room_id, title=f"R{i + 1}", by=Person(COORD, "Claire"),
                                       at=NOW - timedelta(days=count - i))
        await store.meetings.set_attendance(m.id, [(ANNIE, Person(ANNIE, "Annie"))], status="present",
                                            reason=None, by=COORD, at=m.started_at)
        await store.meetings.end(m.id, by=COORD, at=m.started_at + timedelta(hours=1), actions=[])


def statements(store):
    """The SQL the store runs while the block runs (a list filled by a SQLAlchemy event listener)."""
    seen: list[str] = []

    def listen(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    engine = store.engine.sync_engine
    event.listen(engine, "before_cursor_execute", listen)
    return seen, lambda: event.remove(engine, "before_cursor_execute", listen)


async def test_meetings_view_shows_the_newest_and_counts_the_rest_with_the_room_attendance_only(room, store):
    await past_meetings(store, ROOM, LIST_LIMIT + 5)
    await past_meetings(store, OTHER_ROOM, 3)
    seen, stop = statements(store)
    try:
        effects = await say(room, "!réunions", ANNIE)
    finally:
        stop()
    text = effects[0].content.plain
    assert f"n°{LIST_LIMIT + 5} « R{LIST_LIMIT + 5} »" in text and "n°6 « R6 »" in text and "n°5 " not in text
    assert text.count("1 présent") == LIST_LIMIT
    assert "… et 5 réunions plus anciennes." in text
    reads = [s for s in seen if "meeting" in s and s.lstrip().upper().startswith("SELECT")]
    assert not any("actions_json" in s for s in reads)  # the stored minutes are not read to list meetings
    attendance = [s for s in reads if "meeting_attendance" in s]
    assert attendance and all("IN" in s.upper() for s in attendance)  # the shown meetings' only


async def test_minutes_carry_the_first_open_actions_and_say_how_many_more(room, store):
    for i in range(CARRIED_SHOWN + 7):
        await store.actions.create(ROOM, text=f"ancienne {i + 1}", created_by=ANNIE, at=NOW)
    await say(room, "!réunion début Plénière")
    await say(room, "!action nouvelle décidée en réunion", ANNIE)
    effects = await say(room, "!réunion fin")
    minutes = next(e for e in effects if isinstance(e, Notice)).content.plain
    assert "#1 ancienne 1" in minutes and f"#{CARRIED_SHOWN} ancienne {CARRIED_SHOWN}" in minutes
    assert f"#{CARRIED_SHOWN + 1} ancienne" not in minutes
    assert "… et 7 autres actions ouvertes d'avant, non listées ici." in minutes
    assert f"#{CARRIED_SHOWN + 8} nouvelle décidée en réunion" in minutes
    # What the end stored: this meeting's action and the first ones carried, not the room's whole open list.
    async with store.session() as s:
        stored = json.loads(await s.scalar(select(Meeting.__table__.c.actions_json)))
    assert len(stored) == CARRIED_SHOWN + 1
    # Posted again later, the minutes say the same, whatever happened to the actions since.
    await store.actions.create(ROOM, text="plus tard", created_by=ANNIE, at=NOW)
    effects = await say(room, "!compte-rendu 1", ANNIE)
    again = next(e for e in effects if isinstance(e, Notice)).content.plain
    assert again == minutes


async def test_draft_minutes_are_bounded_too_in_english(room, store):
    await say(room, "!settings language en")
    for i in range(CARRIED_SHOWN + 1):
        await store.actions.create(ROOM, text=f"old {i + 1}", created_by=ANNIE, at=NOW)
    await say(room, "!meeting start")
    effects = await say(room, "!minutes", ANNIE)
    draft = next(e for e in effects if isinstance(e, (Notice, Reply))).content.plain
    assert f"#{CARRIED_SHOWN} old {CARRIED_SHOWN}" in draft and f"old {CARRIED_SHOWN + 1}" not in draft
    assert "… and 1 more open action from before, not listed here." in draft
