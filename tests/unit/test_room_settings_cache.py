"""Room settings are read once and kept (one query less per command), never at the cost of a stale or rolled-back
value: what a command changes is what the next one reads."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import event

from storage import open_store

ROOM = "!room:x"


@pytest.fixture
async def store(tmp_path):
    store = await open_store(f"sqlite+aiosqlite:///{tmp_path / 'relais.db'}")
    yield store
    await store.close()


def count_room_reads(store) -> list[str]:
    reads: list[str] = []

    @event.listens_for(store.engine.sync_engine, "before_cursor_execute")
    def _seen(conn, cursor, statement, *args):
        if statement.lstrip().startswith("SELECT") and "FROM rooms" in statement:
            reads.append(statement)

    return reads


async def test_settings_are_read_once_then_kept(store):
    await store.rooms.ensure(ROOM, language="fr", timezone="Europe/Paris")
    reads = count_room_reads(store)
    for _ in range(5):
        assert (await store.rooms.ensure(ROOM, language="en", timezone="UTC")).language == "fr"
    assert len(reads) <= 1


async def test_a_change_is_read_back_by_the_next_command(store):
    await store.rooms.ensure(ROOM, language="fr", timezone="Europe/Paris")
    await store.rooms.get(ROOM)
    async with store.atomic():
        await store.rooms.update(ROOM, language="en", overrides={"meeting-reminders": ["1h"]})
    room = await store.rooms.get(ROOM)
    assert (room.language, room.overrides) == ("en", {"meeting-reminders": ["1h"]})


async def test_a_rolled_back_change_is_not_kept(store):
    await store.rooms.ensure(ROOM, language="fr", timezone="Europe/Paris")
    with pytest.raises(RuntimeError):
        async with store.atomic():
            await store.rooms.update(ROOM, language="en")
            assert (await store.rooms.get(ROOM)).language == "en"  # read inside the unit, after its write
            raise RuntimeError("the command fails")
    assert (await store.rooms.get(ROOM)).language == "fr"


async def test_changing_a_copy_changes_nothing(store):
    await store.rooms.set_joined(ROOM, datetime(2026, 1, 1, tzinfo=timezone.utc), language="fr",
                                 timezone="Europe/Paris")
    room = await store.rooms.get(ROOM)
    room.overrides["x"] = 1
    assert (await store.rooms.get(ROOM)).overrides == {}
    assert (await store.rooms.get(ROOM)).joined_at == datetime(2026, 1, 1, tzinfo=timezone.utc)
