"""The bulk loader (storage/bulk.py) writes what the repositories read back, and numbering goes on after it."""
from datetime import datetime, timedelta, timezone

import pytest

from storage.bulk import BulkLoader, NewAction, NewMeeting, NewMobilisation
from storage.records import Person
from tests.postgres import create_database, drop_database, postgres_url  # noqa: F401 (fixture)

T0 = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)
ROOM = "!r:x"
ANNIE = Person("@annie:x", "Annie")


async def test_bulk_rows_read_back_through_the_repositories_and_numbers_continue(store):
    bulk = BulkLoader(store.session, store.engine)
    await bulk.rooms([(ROOM, "fr", "Europe/Paris")], at=T0)
    await bulk.actions(ROOM, [NewAction(text=f"t{i}", created_by=ANNIE.user_id, created_at=T0, owners=(ANNIE,),
                                        themes=("logistique",), status="open" if i % 2 else "done")
                              for i in range(5)])
    (meeting_id,) = await bulk.meetings(ROOM, [NewMeeting(
        title="AG", started_at=T0, started_by=ANNIE, ended_at=T0 + timedelta(hours=1),
        attendance=((ANNIE.user_id, ANNIE, "present"),), items=(("topic", "Budget"), ("decision", "Voté")))])
    await bulk.schedules(ROOM, [{"title": "Point", "starts_at": T0 + timedelta(days=2), "timezone": "Europe/Paris",
                                 "rule": "FREQ=WEEKLY", "created_by": ANNIE.user_id, "created_at": T0}])
    await bulk.mobilisations(ROOM, [NewMobilisation(title="Marche", starts_at=T0 + timedelta(days=9),
                                                    timezone="Europe/Paris", created_by=ANNIE.user_id,
                                                    created_at=T0, participants=("@a:x", "@b:x"))])

    opened = await store.actions.list(ROOM)
    assert [(a.number, a.text, a.owners, a.themes) for a in opened] == [
        (2, "t1", (ANNIE,), ("logistique",)), (4, "t3", (ANNIE,), ("logistique",))]
    assert [h.kind for h in await store.actions.history(ROOM, 1)] == ["created"]
    created = await store.actions.create(ROOM, text="après", created_by=ANNIE.user_id, at=T0)
    assert created.number == 6
    (summary,) = await store.meetings.list(ROOM)
    assert (summary.meeting.number, summary.present) == (1, 1)
    details = await store.meetings.details(meeting_id)
    topic, decision = details.items
    assert decision.topic_id == topic.id and details.actions == ()
    assert (await store.schedules.get(ROOM, 1)).rule == "FREQ=WEEKLY"
    assert (await store.schedules.create(ROOM, title=None, starts_at=T0, timezone="Europe/Paris", rule=None,
                                         created_by=ANNIE.user_id, at=T0)).number == 2


@pytest.mark.postgres
async def test_after_a_bulk_load_postgresql_reads_a_pages_owners_through_the_index(postgres_url):
    """Loaded in one go, PostgreSQL has no statistics until autovacuum passes, and read a page's owners by
    scanning every owner of the database; `analyze` gives the planner the sizes, and the index is taken."""
    from sqlalchemy import event

    from storage import open_store

    url = await create_database(postgres_url)
    store = await open_store(url)
    try:
        bulk = BulkLoader(store.session, store.engine)
        rooms = [f"!r{i}:x" for i in range(20)]
        await bulk.rooms([(r, "fr", "Europe/Paris") for r in rooms], at=T0)
        for r in rooms:
            await bulk.actions(r, [NewAction(text=f"t{i}", created_by=ANNIE.user_id, created_at=T0, owners=(ANNIE,),
                                             themes=("logistique",)) for i in range(500)])
        await bulk.analyze()
        seen: list[tuple[str, object]] = []
        engine = store.engine.sync_engine
        listen = lambda conn, cursor, statement, parameters, context, many: (  # noqa: E731
            seen.append((statement, parameters)) if "action_owners" in statement else None)
        event.listen(engine, "before_cursor_execute", listen)
        try:
            await store.actions.page(rooms[3], limit=25, offset=0)
        finally:
            event.remove(engine, "before_cursor_execute", listen)
        (statement, parameters), = seen
        async with store.engine.connect() as conn:
            plan = "\n".join(r[0] for r in (await conn.exec_driver_sql("EXPLAIN " + statement, parameters)).all())
        assert "Seq Scan on action_owners" not in plan and "pk_action_owners" in plan, plan
    finally:
        await store.close()
        await drop_database(url)
