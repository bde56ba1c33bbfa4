"""storage.actions and storage.counters: action items, their history, themes; on SQLite (file and
in-memory) and PostgreSQL, with the fixtures of test_storage.py."""
from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError, StatementError

from storage import (
    ActionNotFound,
    ActionRecord,
    HistoryEntry,
    Store,
    Theme,
    next_number,
)
from storage.records import Person as Owner
from tests.unit.test_storage import (  # noqa: F401 (fixtures)
    BACKENDS,
    PARIS,
    T0,
    parametrize_backends,
    postgres_url,
    store,
)

R1, R2 = "!one:x", "!two:x"
ALICE, BOB, CAROL = "@alice:x", "@bob:x", "@carol:x"
T1 = T0 + timedelta(minutes=1)
T2 = T0 + timedelta(minutes=2)


async def make(store: Store, room: str = R1, text: str = "do it", **kw) -> ActionRecord:
    kw.setdefault("created_by", ALICE)
    kw.setdefault("at", T0)
    return await store.actions.create(room, text=text, **kw)


# --- schema ---------------------------------------------------------------------------------------


@parametrize_backends(BACKENDS)
async def test_tables_and_indexes_exist(store: Store) -> None:
    def describe(c):
        i = inspect(c)
        tables = set(i.get_table_names())
        indexes = {t: {tuple(ix["column_names"]) for ix in i.get_indexes(t)} for t in tables}
        uniques = {tuple(u["column_names"]) for u in i.get_unique_constraints("actions")}
        fks = i.get_foreign_keys("action_owners")
        return tables, indexes, uniques, fks

    async with store.engine.connect() as conn:
        tables, indexes, uniques, fks = await conn.run_sync(describe)
    assert {"counters", "actions", "action_owners", "action_themes", "action_history", "themes"} <= tables
    assert ("room_id", "number") in uniques
    assert ("status", "due_at") in indexes["actions"] and ("meeting_id",) in indexes["actions"]
    assert ("user_id",) in indexes["action_owners"]
    assert ("key",) in indexes["action_themes"]
    assert ("action_id",) in indexes["action_history"]
    assert fks[0]["referred_table"] == "actions" and fks[0]["options"].get("ondelete") == "CASCADE"


@parametrize_backends(BACKENDS)
async def test_deleting_an_action_cascades(store: Store) -> None:
    rec = await make(store, owners=[Owner(BOB, "Bob")], themes=["com"])
    await store.actions.change(R1, rec.number, actor=ALICE, at=T1, kind="edited", text="x")
    async with store.session() as s:
        await s.execute(text("DELETE FROM actions WHERE id = :id"), {"id": rec.id})
    async with store.session() as s:
        for table in ("action_owners", "action_themes", "action_history"):
            assert await s.scalar(text(f"SELECT count(*) FROM {table}")) == 0


@parametrize_backends(BACKENDS)
async def test_status_is_constrained(store: Store) -> None:
    rec = await make(store)
    with pytest.raises(ValueError):
        await store.actions.change(R1, rec.number, actor=ALICE, at=T1, kind="x", status="finished")
    with pytest.raises(IntegrityError):  # the CHECK constraint, for writes that bypass the repository
        async with store.session() as s:
            await s.execute(text("UPDATE actions SET status = 'finished'"))
    assert (await store.actions.get(R1, rec.number)).status == "open"


# --- counters ---------------------------------------------------------------------------------------


@parametrize_backends(BACKENDS)
async def test_next_number_per_room_and_kind(store: Store) -> None:
    async with store.session() as s:
        got = [
            await next_number(s, R1, "action"),
            await next_number(s, R1, "action"),
            await next_number(s, R2, "action"),
            await next_number(s, R1, "meeting"),
            await next_number(s, R1, "action"),
        ]
    assert got == [1, 2, 1, 1, 3]
    with pytest.raises(RuntimeError):
        async with store.session() as s:
            assert await next_number(s, R1, "action") == 4
            raise RuntimeError("rolled back")
    async with store.session() as s:  # a rolled-back number was never handed out
        assert await next_number(s, R1, "action") == 4


# --- create / get / numbering -------------------------------------------------------------------------


@parametrize_backends(BACKENDS)
async def test_create_and_get(store: Store) -> None:
    due = datetime(2025, 6, 10, 21, 59, tzinfo=UTC)
    rec = await make(
        store,
        text="Réserver la salle",
        owners=[Owner(BOB, "Bob"), Owner(None, "Dominique (mairie)"), Owner(ALICE, "Alice")],
        themes=["logistique", "com"],
        due_at=due.astimezone(PARIS),
        due_has_time=False,
        meeting_id=7,
        topic_id=3,
    )
    assert rec == ActionRecord(
        id=rec.id,
        room_id=R1,
        number=1,
        text="Réserver la salle",
        status="open",
        owners=(Owner(BOB, "Bob"), Owner(None, "Dominique (mairie)"), Owner(ALICE, "Alice")),
        themes=("com", "logistique"),
        due_at=due,
        due_has_time=False,
        created_by=ALICE,
        created_at=T0,
        closed_by=None,
        closed_at=None,
        meeting_id=7,
        topic_id=3,
        due_reminded_at=None,
        overdue_notified_at=None,
    )
    assert rec.due_at.tzinfo is UTC and rec.created_at.tzinfo is UTC
    assert await store.actions.get(R1, 1) == rec
    assert hash(rec) == hash(await store.actions.get(R1, 1))
    assert await store.actions.get(R1, 2) is None
    assert await store.actions.get(R2, 1) is None

    bare = await make(store, text="bare")
    assert (bare.number, bare.owners, bare.themes, bare.due_at, bare.due_has_time) == (2, (), (), None, False)
    assert (bare.meeting_id, bare.topic_id) == (None, None)


@parametrize_backends(BACKENDS)
async def test_owners_keep_their_order_and_each_person_once(store: Store) -> None:
    owners = [Owner(None, "Zoé"), Owner(CAROL, "Carol"), Owner(BOB, "Bob"), Owner(None, "Abel")]
    rec = await make(store, owners=owners)
    assert rec.owners == tuple(owners)
    dup = await make(
        store, owners=[Owner(BOB, "Bob"), Owner(None, "Zoé"), Owner(BOB, "Bobby"), Owner(None, "Zoé")]
    )
    assert dup.owners == (Owner(BOB, "Bob"), Owner(None, "Zoé"))
    assert (await store.actions.get(R1, dup.number)).owners == dup.owners
    with pytest.raises(TypeError):
        await make(store, owners=[BOB])
    with pytest.raises(TypeError):
        await make(store, themes="com")


@parametrize_backends(BACKENDS)
async def test_numbers_are_per_room_and_never_reused(store: Store) -> None:
    assert [(await make(store, R1)).number for _ in range(3)] == [1, 2, 3]
    assert [(await make(store, R2)).number for _ in range(2)] == [1, 2]
    await store.actions.change(R1, 3, actor=ALICE, at=T1, kind="cancelled", status="cancelled")
    assert (await make(store, R1)).number == 4
    # even a deleted action's number is not given again
    async with store.session() as s:
        await s.execute(text("DELETE FROM actions WHERE room_id = :r AND number = 4"), {"r": R1})
    assert (await make(store, R1)).number == 5
    assert (await make(store, R2)).number == 3


@parametrize_backends(BACKENDS)
async def test_concurrent_creates_get_distinct_numbers(store: Store) -> None:
    recs = await asyncio.gather(
        *(make(store, R1, text=f"a{i}", owners=[Owner(BOB, "Bob")], themes=[f"t{i % 3}"]) for i in range(20))
    )
    assert sorted(r.number for r in recs) == list(range(1, 21))
    for r in recs:
        assert await store.actions.get(R1, r.number) == r
    # two rooms at once
    recs = await asyncio.gather(*(make(store, (R1, R2)[i % 2]) for i in range(20)))
    assert sorted(r.number for r in recs if r.room_id == R1) == list(range(21, 31))
    assert sorted(r.number for r in recs if r.room_id == R2) == list(range(1, 11))
    assert len(await store.actions.list(R1)) == 30


@parametrize_backends(BACKENDS)
async def test_naive_datetimes_are_refused(store: Store) -> None:
    with pytest.raises((ValueError, StatementError)):
        await make(store, at=datetime(2025, 1, 1, 12, 0))
    rec = await make(store)
    with pytest.raises((ValueError, StatementError)):
        await store.actions.change(
            R1, rec.number, actor=ALICE, at=T1, kind="due", due_at=datetime(2025, 1, 2)
        )
    assert (await store.actions.get(R1, rec.number)).due_at is None
    assert len(await store.actions.history(R1, rec.number)) == 1


# --- list ---------------------------------------------------------------------------------------------


@parametrize_backends(BACKENDS)
async def test_list_filters(store: Store) -> None:
    await make(store, text="1", owners=[Owner(BOB, "Bob")], themes=["com"], meeting_id=1)
    await make(store, text="2", owners=[Owner(CAROL, "Carol"), Owner(BOB, "Bob")], themes=["com", "sous"])
    await make(store, text="3", owners=[Owner(None, "Bob")], themes=["sous"], meeting_id=1)
    await make(store, text="4", meeting_id=2)
    await make(store, R2, text="other room", owners=[Owner(BOB, "Bob")], themes=["com"], meeting_id=1)
    await store.actions.change(R1, 2, actor=BOB, at=T1, kind="done", status="done")
    await store.actions.change(R1, 4, actor=BOB, at=T1, kind="cancelled", status="cancelled")

    async def texts(**kw) -> list[str]:
        return [r.text for r in await store.actions.list(R1, **kw)]

    assert await texts() == ["1", "3"]  # open only, by default
    assert await texts(statuses=None) == ["1", "2", "3", "4"]
    assert await texts(statuses=("done", "cancelled")) == ["2", "4"]
    assert await texts(statuses=("done",)) == ["2"]
    assert await texts(statuses=()) == []
    assert await texts(owner=BOB) == ["1"]  # the outsider called "Bob" is not @bob
    assert await texts(owner=BOB, statuses=None) == ["1", "2"]
    assert await texts(owner=CAROL, statuses=None) == ["2"]
    assert await texts(owner="@nobody:x", statuses=None) == []
    assert await texts(theme="com", statuses=None) == ["1", "2"]
    assert await texts(theme="sous") == ["3"]
    assert await texts(theme="sous", owner=BOB, statuses=None) == ["2"]
    assert await texts(meeting_id=1) == ["1", "3"]
    assert await texts(meeting_id=2, statuses=None) == ["4"]
    assert await texts(meeting_id=1, theme="com") == ["1"]
    # the records listed carry all their owners and themes, not just the ones filtered on
    [two] = await store.actions.list(R1, statuses=None, theme="sous", owner=BOB)
    assert two.owners == (Owner(CAROL, "Carol"), Owner(BOB, "Bob")) and two.themes == ("com", "sous")
    assert [r.text for r in await store.actions.list(R2)] == ["other room"]
    assert await store.actions.list("!empty:x", statuses=None) == []


@parametrize_backends(BACKENDS)
async def test_list_is_ordered_by_number(store: Store) -> None:
    for i in range(12):  # 10, 11, 12 after 9: numeric, not text, order
        await make(store, text=str(i + 1), due_at=T0 - timedelta(hours=i))
    assert [r.number for r in await store.actions.list(R1)] == list(range(1, 13))


# --- change / history -----------------------------------------------------------------------------------


@parametrize_backends(BACKENDS)
async def test_change_and_history(store: Store) -> None:
    rec = await make(
        store, text="draft", owners=[Owner(BOB, "Bob")], themes=["com"], meeting_id=4, topic_id=9
    )
    due = datetime(2025, 6, 8, 16, 0, tzinfo=UTC)

    edited = await store.actions.change(R1, 1, actor=BOB, at=T1, kind="edited", text="final")
    assert edited == ActionRecord(**{**rec.__dict__, "text": "final"})
    assigned = await store.actions.change(
        R1, 1, actor=ALICE, at=T1, kind="assigned", owners=[Owner(None, "Zoé"), Owner(CAROL, "Carol")]
    )
    assert assigned.owners == (Owner(None, "Zoé"), Owner(CAROL, "Carol"))
    dated = await store.actions.change(
        R1, 1, actor=ALICE, at=T1, kind="due", due_at=due.astimezone(PARIS), due_has_time=True
    )
    assert (dated.due_at, dated.due_has_time) == (due, True) and dated.due_at.tzinfo is UTC
    themed = await store.actions.change(R1, 1, actor=ALICE, at=T1, kind="edited", themes=["sous", "admin"])
    assert themed.themes == ("admin", "sous")
    bookkept = await store.actions.change(R1, 1, actor="relais", at=T2, kind=None, due_reminded_at=T2)
    assert bookkept.due_reminded_at == T2
    done = await store.actions.change(
        R1, 1, actor=CAROL, at=T2, kind="done", status="done", closed_by=CAROL, closed_at=T2
    )
    assert (done.status, done.closed_by, done.closed_at) == ("done", CAROL, T2)
    reopened = await store.actions.change(
        R1, 1, actor=ALICE, at=T2, kind="reopened", status="open", closed_by=None, closed_at=None
    )
    assert (reopened.status, reopened.closed_by, reopened.closed_at) == ("open", None, None)
    unassigned = await store.actions.change(R1, 1, actor=ALICE, at=T2, kind="unassigned", owners=())
    assert unassigned.owners == ()
    cleared = await store.actions.change(R1, 1, actor=ALICE, at=T2, kind="edited", themes=[], due_at=None)
    assert (cleared.themes, cleared.due_at) == ((), None)
    assert await store.actions.get(R1, 1) == cleared
    # untouched all along
    assert (cleared.id, cleared.number, cleared.created_by, cleared.created_at) == (rec.id, 1, ALICE, T0)
    assert (cleared.meeting_id, cleared.topic_id, cleared.due_reminded_at) == (4, 9, T2)

    history = await store.actions.history(R1, 1)
    assert history == [
        HistoryEntry(T0, ALICE, "created", {
            "text": "draft",
            "owners": [{"user_id": BOB, "name": "Bob"}],
            "themes": ["com"],
            "due_at": None,
            "due_has_time": False,
            "meeting_id": 4,
            "topic_id": 9,
        }),
        HistoryEntry(T1, BOB, "edited", {"text": "final"}),
        HistoryEntry(T1, ALICE, "assigned", {
            "owners": [{"user_id": None, "name": "Zoé"}, {"user_id": CAROL, "name": "Carol"}]
        }),
        HistoryEntry(T1, ALICE, "due", {"due_at": "2025-06-08T16:00:00+00:00", "due_has_time": True}),
        HistoryEntry(T1, ALICE, "edited", {"themes": ["admin", "sous"]}),
        HistoryEntry(T2, CAROL, "done", {"status": "done", "closed_by": CAROL, "closed_at": T2.isoformat()}),
        HistoryEntry(T2, ALICE, "reopened", {"status": "open", "closed_by": None, "closed_at": None}),
        HistoryEntry(T2, ALICE, "unassigned", {"owners": []}),
        HistoryEntry(T2, ALICE, "edited", {"themes": [], "due_at": None}),
    ]
    assert all(h.at.tzinfo is UTC for h in history)
    assert {hash(h) for h in history}  # entries are hashable despite their dict
    assert await store.actions.history(R1, 99) == []
    assert await store.actions.history(R2, 1) == []


@parametrize_backends(BACKENDS)
async def test_history_is_per_action_and_kind_none_records_nothing(store: Store) -> None:
    await make(store, R1)
    await make(store, R2)
    await store.actions.change(R1, 1, actor=ALICE, at=T1, kind=None, overdue_notified_at=T1)
    await store.actions.change(R1, 1, actor=ALICE, at=T1, kind=None, owners=[Owner(BOB, "Bob")])
    await store.actions.change(R2, 1, actor=BOB, at=T1, kind="edited", text="two")
    assert [h.kind for h in await store.actions.history(R1, 1)] == ["created"]
    assert [h.kind for h in await store.actions.history(R2, 1)] == ["created", "edited"]
    rec = await store.actions.get(R1, 1)
    assert rec.overdue_notified_at == T1 and rec.owners == (Owner(BOB, "Bob"),)
    # a change with a kind but nothing changed is still recorded (e.g. "reminded by hand")
    await store.actions.change(R1, 1, actor=ALICE, at=T2, kind="poked")
    assert (await store.actions.history(R1, 1))[-1] == HistoryEntry(T2, ALICE, "poked", {})


@parametrize_backends(BACKENDS)
async def test_change_errors(store: Store) -> None:
    with pytest.raises(ActionNotFound):
        await store.actions.change(R1, 1, actor=ALICE, at=T1, kind="edited", text="x")
    rec = await make(store)
    with pytest.raises(ActionNotFound):
        await store.actions.change(R2, 1, actor=ALICE, at=T1, kind="edited", text="x")
    with pytest.raises(ActionNotFound):
        await store.actions.change(R1, 2, actor=ALICE, at=T1, kind=None, owners=[Owner(BOB, "Bob")])
    with pytest.raises(TypeError):
        await store.actions.change(R1, 1, actor=ALICE, at=T1, kind="edited", number=5)
    with pytest.raises(TypeError):
        await store.actions.change(R1, 1, actor=ALICE, at=T1, kind="edited", text="x", room_id=R2)
    with pytest.raises(TypeError):
        await store.actions.change(R1, 1, actor=ALICE, at=T1, kind="edited", created_by=BOB)
    assert issubclass(ActionNotFound, LookupError)
    assert await store.actions.get(R1, 1) == rec
    assert len(await store.actions.history(R1, 1)) == 1


@parametrize_backends(BACKENDS)
async def test_concurrent_owner_changes_do_not_mix(store: Store) -> None:
    await make(store)
    sets = [[Owner(f"@u{i}:x", f"U{i}"), Owner(None, f"Outsider {i}")] for i in range(10)]
    await asyncio.gather(
        *(store.actions.change(R1, 1, actor=ALICE, at=T1, kind="assigned", owners=o) for o in sets)
    )
    final = (await store.actions.get(R1, 1)).owners
    assert list(final) in sets
    assert len(await store.actions.history(R1, 1)) == 11


# --- deadlines ----------------------------------------------------------------------------------------


@parametrize_backends(BACKENDS)
async def test_due_between_across_rooms(store: Store) -> None:
    start, end = T0, T0 + timedelta(days=1)
    await make(store, R1, text="at start", due_at=start)
    await make(store, R1, text="before", due_at=start - timedelta(microseconds=1))
    await make(store, R2, text="inside", due_at=start + timedelta(hours=3))
    await make(store, R1, text="at end", due_at=end)
    await make(store, R1, text="no deadline")
    await make(store, R2, text="done inside", due_at=start + timedelta(hours=1))
    await make(store, R1, text="last second", due_at=end - timedelta(microseconds=1))
    await store.actions.change(R2, 2, actor=ALICE, at=T1, kind="done", status="done")

    found = await store.actions.due_between(start, end)
    assert [(r.room_id, r.text) for r in found] == [(R1, "at start"), (R2, "inside"), (R1, "last second")]
    # any timezone for the bounds
    assert await store.actions.due_between(start.astimezone(PARIS), end.astimezone(PARIS)) == found
    assert await store.actions.due_between(end, end + timedelta(days=1)) == [await store.actions.get(R1, 3)]


@parametrize_backends(BACKENDS)
async def test_is_overdue(store: Store) -> None:
    rec = await make(store, due_at=T1)
    assert not rec.is_overdue(T0) and not rec.is_overdue(T1) and rec.is_overdue(T2)
    assert not (await make(store)).is_overdue(T2)
    done = await store.actions.change(R1, 1, actor=ALICE, at=T2, kind="done", status="done")
    assert not done.is_overdue(T2)


# --- themes -------------------------------------------------------------------------------------------


@parametrize_backends(BACKENDS)
async def test_open_counts_by_theme(store: Store) -> None:
    assert await store.actions.open_counts_by_theme(R1) == {}
    await make(store, themes=["com", "sous"])
    await make(store, themes=["com"])
    await make(store, themes=["com"])
    await make(store, themes=["admin"])
    await make(store)
    await make(store, R2, themes=["com", "other"])
    await store.actions.change(R1, 3, actor=ALICE, at=T1, kind="done", status="done")
    await store.actions.change(R1, 4, actor=ALICE, at=T1, kind="cancelled", status="cancelled")
    assert await store.actions.open_counts_by_theme(R1) == {"com": 2, "sous": 1}
    assert await store.actions.open_counts_by_theme(R2) == {"com": 1, "other": 1}


@parametrize_backends(BACKENDS)
async def test_themes_ensure_set_referent_all(store: Store) -> None:
    assert await store.themes.get(R1, "com") is None
    assert await store.themes.all(R1) == []
    com = await store.themes.ensure(R1, "com", "Communication")
    assert com == Theme(R1, "com", "Communication", None, None)
    assert await store.themes.ensure(R1, "com", "COM!") == com  # keeps the first name
    assert await store.themes.get(R1, "com") == com

    with_ref = await store.themes.set_referent(R1, "com", "Comm", user_id=BOB, label="Bob")
    assert with_ref == Theme(R1, "com", "Communication", BOB, "Bob")
    outsider = await store.themes.set_referent(R1, "com", "Comm", user_id=None, label="Zoé")
    assert outsider == Theme(R1, "com", "Communication", None, "Zoé")
    cleared = await store.themes.set_referent(R1, "com", "Comm", user_id=None, label=None)
    assert cleared == com
    created = await store.themes.set_referent(R1, "admin", "Administratif", user_id=CAROL, label="Carol")
    assert created == Theme(R1, "admin", "Administratif", CAROL, "Carol")
    await store.themes.ensure(R1, "sous", "Sous")
    await store.themes.ensure(R2, "com", "Com (room 2)")

    assert [t.key for t in await store.themes.all(R1)] == ["admin", "com", "sous"]
    assert await store.themes.get(R1, "admin") == created
    assert await store.themes.all(R2) == [Theme(R2, "com", "Com (room 2)", None, None)]


@parametrize_backends(BACKENDS)
async def test_concurrent_theme_ensure(store: Store) -> None:
    results = await asyncio.gather(*(store.themes.ensure(R1, "com", f"Name {i}") for i in range(20)))
    assert len(set(results)) == 1
    assert len(await store.themes.all(R1)) == 1


@parametrize_backends(BACKENDS)
async def test_created_action_is_what_a_read_gives_back(store: Store) -> None:
    """`create` returns the action without reading it again: exactly what `get` reads afterwards."""
    due = datetime(2030, 5, 6, 18, 0, tzinfo=PARIS)
    created = await make(store, text="tracts à imprimer", owners=[Owner(BOB, "Bob"), Owner(None, "Zoé"),
                         Owner(BOB, "Bob")], themes=["tracts", "admin", "tracts"], due_at=due, due_has_time=True,
                         at=datetime(2030, 5, 1, 9, 30, 15, 123456, tzinfo=PARIS))
    assert created == await store.actions.get(R1, created.number)
    assert created.due_at.tzinfo == UTC and created.owners == (Owner(BOB, "Bob"), Owner(None, "Zoé"))


@parametrize_backends(BACKENDS)
async def test_a_page_tells_the_total_whether_it_is_full_short_or_past_the_end(store: Store) -> None:
    assert await store.actions.page(R1, limit=5) == ([], 0)
    for i in range(7):
        await make(store, text=f"t{i}")
    await make(store, room=R2)
    first, total = await store.actions.page(R1, limit=5)
    assert [a.number for a in first] == [1, 2, 3, 4, 5] and total == 7  # full page: counted
    last, total = await store.actions.page(R1, limit=5, offset=5)
    assert [a.number for a in last] == [6, 7] and total == 7  # short page: the last one
    assert await store.actions.page(R1, limit=5, offset=10) == ([], 7)  # past the end
    assert (await store.actions.page(R1, limit=10))[1] == 7


@parametrize_backends(BACKENDS)
async def test_a_page_filters_by_status_owner_theme_and_deadline_and_counts_what_it_filtered(store: Store) -> None:
    """Each filter binds only its own values: a page with one, several, no or any status, with owners in or out of
    Matrix, a theme, a deadline — its records whole (all their owners and themes) and its total the filtered one."""
    await make(store, text="1", owners=[Owner(BOB, "Bob")], themes=["com"], due_at=T0)
    await make(store, text="2", owners=[Owner(CAROL, "Carol"), Owner(None, "Zoé")], themes=["com", "sous"])
    await make(store, text="3", owners=[Owner(None, "Zoé")], due_at=T1 + timedelta(days=1))
    await make(store, text="4", owners=[Owner(BOB, "Bob")], themes=["sous"])
    await make(store, R2, text="other room", owners=[Owner(BOB, "Bob")], themes=["com"], due_at=T0)
    await store.actions.change(R1, 2, actor=BOB, at=T1, kind="done", status="done")
    await store.actions.change(R1, 4, actor=BOB, at=T1, kind="cancelled", status="cancelled")

    async def texts(limit: int = 2, **kw) -> tuple[list[str], int]:
        found, total = await store.actions.page(R1, limit=limit, **kw)
        return [r.text for r in found], total

    assert await texts() == (["1", "3"], 2)  # open only, by default
    assert await texts(statuses=None) == (["1", "2"], 4)  # a full page: the total counted
    assert await texts(statuses=("done", "cancelled")) == (["2", "4"], 2)
    assert await texts(statuses=()) == ([], 0)
    assert await texts(statuses=None, owner_ids=(BOB,)) == (["1", "4"], 2)
    assert await texts(statuses=None, owner_names=("Zoé",)) == (["2", "3"], 2)
    assert await texts(statuses=None, owner_ids=(CAROL,), owner_names=("Zoé",), limit=5) == (["2", "3"], 2)
    assert await texts(statuses=None, theme="sous", limit=1) == (["2"], 2)
    assert await texts(due_before=T1) == (["1"], 1)
    [two], _ = await store.actions.page(R1, limit=1, statuses=("done",), theme="sous")
    assert two.owners == (Owner(CAROL, "Carol"), Owner(None, "Zoé")) and two.themes == ("com", "sous")
    assert two == await store.actions.get(R1, 2)  # the page's total column is not read as a field


@parametrize_backends(BACKENDS)
async def test_an_action_made_in_the_open_meeting_is_filed_under_it_and_its_current_topic(store: Store) -> None:
    """`in_open_meeting`: the insert itself reads the room's open meeting (the handler's read folded in)."""
    chair = Owner(ALICE, "Alice")
    assert (await make(store, R1, in_open_meeting=True)).meeting_id is None  # no meeting open: none
    meeting = await store.meetings.start(R1, title="Plénière", by=chair, at=T0)
    await store.meetings.start(R2, title="Ailleurs", by=chair, at=T0)
    before_topic = await make(store, R1, in_open_meeting=True)
    assert (before_topic.meeting_id, before_topic.topic_id) == (meeting.id, None)
    topic = await store.meetings.add_item(meeting.id, kind="topic", text="Énergie", author=chair, at=T1)
    during = await make(store, R1, in_open_meeting=True)
    assert (during.number, during.meeting_id, during.topic_id) == (3, meeting.id, topic.id)
    assert await store.actions.get(R1, 3) == during  # what was returned is what was stored
    await store.meetings.end(meeting.id, by=ALICE, at=T1, actions=())
    after = await make(store, R1, in_open_meeting=True)
    assert (after.number, after.meeting_id, after.topic_id) == (4, None, None)  # ended: no longer open
    with pytest.raises(ValueError):
        await make(store, R1, in_open_meeting=True, meeting_id=meeting.id)
