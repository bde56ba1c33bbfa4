"""storage/pages.py on every backend (SQLite file and memory, PostgreSQL): one token finds one room, a replaced
token finds nothing, pages turned off are not found; the pages' reads stay within their room and their limit."""
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from storage.records import Person
from tests.unit.test_storage import BACKENDS, parametrize_backends, postgres_url, store  # noqa: F401 (fixtures)

T0 = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
A, B = "!a:example.org", "!b:example.org"


@parametrize_backends(BACKENDS)
async def test_tokens_find_their_room_only_while_on(store):
    assert await store.pages.get(A) is None
    link = await store.pages.set(A, token="t" * 43, enabled=True, by="@c:example.org", at=T0)
    assert (await store.pages.by_token("t" * 43)).room_id == A
    assert await store.pages.by_token("u" * 43) is None
    await store.pages.set(A, token="n" * 43, enabled=True, by="@c:example.org", at=T0)
    assert await store.pages.by_token(link.token) is None
    assert (await store.pages.get(A)).token == "n" * 43
    assert await store.pages.turn_off(A, by="@c:example.org", at=T0)
    assert not await store.pages.turn_off(A, by="@c:example.org", at=T0)
    assert await store.pages.by_token("n" * 43) is None
    with pytest.raises(IntegrityError):  # a token is one room's
        await store.pages.set(B, token="n" * 43, enabled=True, by="@c:example.org", at=T0)


@parametrize_backends(BACKENDS)
async def test_reads_stay_in_their_room_and_limit(store):
    for room in (A, B):
        await store.rooms.ensure(room, language="fr", timezone="Europe/Paris")
        for n in range(12):
            await store.actions.create(room, text=f"{room} {n}", owners=(Person(None, "Zoé"),), themes=(),
                                       due_at=T0 + timedelta(days=12 - n) if n % 2 else None,
                                       due_has_time=False, created_by="@c:example.org", at=T0)
        for n in range(3):
            m = await store.meetings.start(room, title=f"r{n}", by=Person("@c:example.org", "c"), at=T0 + timedelta(days=n))
            await store.meetings.add_item(m.id, kind="decision", text=f"{room} décision {n}",
                                          author=Person("@c:example.org", "c"), at=T0)
            await store.meetings.end(m.id, by="@c:example.org", at=T0 + timedelta(days=n, hours=1), actions=())
    actions, total = await store.page_reads.open_actions(A, 5)
    assert total == 12 and len(actions) == 5 and all(a.room_id == A for a in actions)
    assert [a.number for a in actions] == [12, 10, 8, 6, 4]  # soonest deadline first
    meetings, count = await store.page_reads.meetings(A, offset=1, limit=1)
    assert count == 3 and [m.number for m in meetings] == [2]
    decisions = await store.page_reads.last_decisions(A, 2)
    assert [(n, d.text) for n, _, d in decisions] == [(3, f"{A} décision 2"), (2, f"{A} décision 1")]
    assert await store.page_reads.first_meeting_at(A) == T0
