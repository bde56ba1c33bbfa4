"""A weekly digest reads the same few queries whatever the room's history, and its lists stay cut (LIST_LIMIT
lines, then "…") with the counts per person still over every open action."""
from datetime import datetime, timedelta, timezone

from sqlalchemy import event

from handlers.capabilities import registry
from handlers.core.clock import FakeClock
from handlers.core.digest import Week
from handlers.core.services import Defaults, Services
from handlers.digest import content
from storage.records import Person

NOW = datetime(2021, 4, 27, 18, 0, tzinfo=timezone.utc)
BIG, SMALL = "!grande:x", "!petite:x"
BOB = Person("@bob:x", "Bob")


async def build(store, room_id):
    seen: list[str] = []

    def listen(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    engine = store.engine.sync_engine
    event.listen(engine, "before_cursor_execute", listen)
    try:
        room = await store.rooms.get(room_id)
        services = Services(store, FakeClock(NOW), Defaults(), None, registry=registry)
        digest = await content.build(services, room, Week.containing(NOW, room.timezone), now=NOW,
                                     hooks=registry.digest_sections)
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    return digest.content.plain, len(seen)


async def test_the_digest_of_a_long_history_reads_as_many_queries_and_cuts_its_lists(store):
    for room_id, count in ((BIG, 60), (SMALL, 3)):
        await store.rooms.ensure(room_id, language="fr", timezone="Europe/Paris")
        for i in range(count):
            await store.actions.create(room_id, text=f"tâche {i + 1}", created_by=BOB.user_id,
                                       at=NOW - timedelta(days=30), owners=(BOB,) if i % 2 else (),
                                       due_at=NOW - timedelta(days=1, minutes=i))
    big, big_queries = await build(store, BIG)
    small, small_queries = await build(store, SMALL)
    assert big_queries == small_queries
    overdue = big.split("Actions en retard")[1].split("\n\n")[0]
    assert overdue.count("#") == content.LIST_LIMIT and overdue.rstrip().endswith("…")
    assert "#60 tâche 60" in overdue  # the longest overdue first
    assert "Bob : 30" in big and ": 30" in big.split("Bob : 30")[1]  # 30 unassigned, counted over all of them
