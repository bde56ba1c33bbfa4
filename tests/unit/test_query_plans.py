"""The room's lists read the room's rows through a room index, whatever the rest of the database holds: the
queries ActionRepo.page and MeetingRepo.list really run, checked with SQLite's `EXPLAIN QUERY PLAN` and
PostgreSQL's `EXPLAIN` (sequential scans disabled, so that a tiny table still shows which index serves)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import event

from storage import open_store
from storage.records import Person
from tests.postgres import create_database, drop_database, postgres_url  # noqa: F401 (fixture)

T0 = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)
ROOM = "!grand:x"


@pytest.fixture(params=["sqlite-file", pytest.param("postgres", marks=pytest.mark.postgres)])
async def store(request, tmp_path):
    if request.param == "sqlite-file":
        url = f"sqlite+aiosqlite:///{tmp_path / 'relais.db'}"
    else:
        url = await create_database(request.getfixturevalue("postgres_url"))
    s = await open_store(url)
    for room in (ROOM, "!autre:x", "!troisieme:x"):
        for i in range(30):
            a = await s.actions.create(room, text=f"t{i}", created_by="@a:x", at=T0, owners=(Person("@b:x", "B"),))
            if i % 3 == 0:
                await s.actions.change(room, a.number, actor="@a:x", at=T0, kind="done", status="done")
    yield s
    await s.close()
    if request.param != "sqlite-file":
        await drop_database(url)


async def plans(store, call, verb: str = "SELECT") -> list[tuple[str, str]]:
    """(statement, its plan) for every statement starting with `verb` that `call` runs."""
    seen: list[tuple[str, object]] = []

    def listen(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(verb):
            seen.append((statement, parameters))

    engine = store.engine.sync_engine
    event.listen(engine, "before_cursor_execute", listen)
    try:
        await call()
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    out = []
    async with store.engine.connect() as conn:
        postgres = conn.dialect.name == "postgresql"
        if postgres:
            await conn.exec_driver_sql("SET enable_seqscan = off")
        for statement, parameters in seen:
            explain = "EXPLAIN " if postgres else "EXPLAIN QUERY PLAN "
            rows = (await conn.exec_driver_sql(explain + statement, parameters)).all()
            out.append((statement, "\n".join(str(r[-1]) for r in rows)))
    return out


def of_actions(found):
    return [(sql, plan) for sql, plan in found if "FROM actions" in sql and "action_owners" not in sql.split("FROM")[1]]


async def test_the_rooms_action_list_reads_the_room_index_in_order(store):
    found = await plans(store, lambda: store.actions.page(ROOM, limit=10, offset=0))
    actions = of_actions(found)
    assert len(actions) == 1  # the page carries its total: one statement
    [(page, page_plan)] = actions
    assert "count(" in page  # the total of all matches, in the same statement
    assert "ix_actions_room_id_status_number" in page_plan, (page, page_plan)
    assert "SCAN actions" not in page_plan and "Seq Scan" not in page_plan, page_plan  # the count too: the room's rows
    assert "TEMP B-TREE" not in page_plan.upper() and "Sort" not in page_plan, page_plan  # in order, not sorted


async def test_a_page_past_the_last_one_counts_the_rooms_rows(store):
    found = await plans(store, lambda: store.actions.page(ROOM, limit=10, offset=500))
    [(page, page_plan), (count, count_plan)] = of_actions(found)  # no row carries the total: counted alone
    assert page.lstrip().upper().startswith("SELECT ACTIONS.ID") and "count(" in count, count
    assert "ix_actions_room_id_status_" in count_plan, (count, count_plan)  # either room index: the room's rows


async def test_a_pages_owners_and_themes_are_read_by_the_pages_ids(store):
    found = await plans(store, lambda: store.actions.page(ROOM, limit=10, offset=0))
    people = [(sql, plan) for sql, plan in found if "action_owners" in sql]
    assert len(people) == 1 and "action_themes" in people[0][0]  # owners and themes: one statement
    sql, plan = people[0]
    assert "SCAN action_owners" not in plan and "SCAN action_themes" not in plan and "Seq Scan" not in plan, plan


async def test_listing_meetings_reads_the_shown_meetings_attendance_only(store):
    for i in range(3):
        m = await store.meetings.start(ROOM, title=None, by=Person("@a:x", "A"), at=T0)
        await store.meetings.end(m.id, by="@a:x", at=T0, actions=[])
    found = await plans(store, lambda: store.meetings.list(ROOM, limit=20))
    assert len(found) == 2
    for table, (sql, plan) in zip(("meetings", "meeting_attendance"), found):
        assert f"SCAN {table}" not in plan and "Seq Scan" not in plan, (sql, plan)  # not the whole table
        assert "INDEX" in plan.upper(), (sql, plan)


async def test_a_digests_deadlines_read_the_rooms_deadline_index(store):
    now = T0 + timedelta(days=1)
    found = await plans(store, lambda: store.actions.week_view(ROOM, T0, T0 + timedelta(days=7), now=now,
                                                               soon_until=now + timedelta(days=7), limit=16))
    deadlines = [(sql, plan) for sql, plan in found if "actions.due_at <" in sql and "ORDER BY actions.due_at" in sql]
    assert len(deadlines) == 2  # overdue, soon
    for sql, plan in deadlines:
        assert "ix_actions_room_id_status_due_at" in plan, (sql, plan)
    for sql, plan in found:
        assert "SCAN actions" not in plan and "Seq Scan on actions" not in plan, (sql, plan)


async def test_replanning_a_rooms_deadlines_reads_the_rooms_deadline_index(store):
    found = await plans(store, lambda: store.actions.due_after(ROOM, T0, limit=500))
    [(sql, plan)] = of_actions(found)
    assert "ix_actions_room_id_status_due_at" in plan, (sql, plan)
    assert "TEMP B-TREE" not in plan.upper(), plan  # SQLite pages in the index's order (PostgreSQL sorts the room's)


async def test_a_page_of_themes_and_its_counts_read_the_rooms_rows(store):
    for room in (ROOM, "!autre:x"):
        for i in range(40):
            await store.themes.ensure(room, f"k{i:02}", f"k{i:02}")
    themes, total = await store.themes.page(ROOM, limit=30)
    assert total == 40 and [t.key for t in themes][:2] == ["k00", "k01"]
    found = await plans(store, lambda: store.themes.page(ROOM, limit=30))
    found += await plans(store, lambda: store.actions.open_counts_by_theme(ROOM, keys=[t.key for t in themes]))
    for sql, plan in found:
        assert "SCAN themes" not in plan and "SCAN actions" not in plan and "Seq Scan" not in plan, (sql, plan)


async def test_the_replanning_pages_follow_each_other_without_gaps_or_repeats(store):
    for i in range(7):  # equal deadlines too: the id breaks the tie
        await store.actions.create(ROOM, text=f"d{i}", created_by="@a:x", at=T0,
                                   due_at=T0 + timedelta(days=1 + i // 3))
    seen, last = [], None
    while page := await store.actions.due_after(ROOM, T0, limit=2, last=last):
        seen += [a.text for a in page]
        last = page[-1]
    assert seen == [f"d{i}" for i in range(7)]
    found = await plans(store, lambda: store.actions.due_after(ROOM, T0, limit=2, last=last))
    [(sql, plan)] = of_actions(found)
    assert "ix_actions_room_id_status_due_at" in plan, (sql, plan)


async def test_a_new_action_reads_its_number_and_the_open_meeting_by_index(store):
    """The insert reads the counter it just bumped and the room's open meeting itself (no read of its own):
    by the counter's key and the one-open-meeting index, whatever the database holds."""
    from storage.records import Person as P

    await store.meetings.start(ROOM, title="Plénière", by=P("@a:x", "A"), at=T0)
    found = await plans(store, lambda: store.actions.create(ROOM, text="t", created_by="@a:x", at=T0,
                                                            in_open_meeting=True), verb="INSERT INTO ACTIONS")
    assert len(found) == 1
    sql, plan = found[0]
    assert "counters" in sql and "meetings" in sql
    assert "SCAN" not in plan.replace("SCALAR", "") and "Seq Scan" not in plan, plan
    assert "ix_meetings_one_open_per_room" in plan, plan
    assert "sqlite_autoindex_counters_1" in plan or "pk_counters" in plan, plan  # the (room, kind) key
