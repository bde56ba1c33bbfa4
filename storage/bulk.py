"""Loading many rows at once (seeding a benchmark database, importing a collective's history): SQLAlchemy Core
inserts of whole batches in one transaction each, instead of one repository call (and one commit) per row.

    bulk = BulkLoader(store.session, store.engine)
    await bulk.rooms([("!r:x", "fr", "Europe/Paris"), ...])
    ids = await bulk.actions("!r:x", [NewAction(text=..., created_by=..., created_at=...), ...])

Numbers continue the room's counters (storage/counters.py) and the counters are moved past them, so the
repositories number what comes next as usual. A batch is one transaction: all its rows or none.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy import text as sql_text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from storage import actions as _actions, meetings as _meetings, mobilisations as _mobilisations, schedules as _schedules
from storage.actions import Action, ActionHistory, ActionOwner, ActionTheme
from storage.base import Repo, SessionFactory, insert_ignore
from storage.counters import Counter
from storage.meetings import Meeting, MeetingAttendance, MeetingItem
from storage.mobilisations import Mobilisation, MobilisationJoin
from storage.records import Person
from storage.rooms import Room
from storage.schedules import Schedule

CHUNK = 2_000  # rows per INSERT statement (multi-row VALUES), within every driver's parameter limit


@dataclass(frozen=True)
class NewAction:
    text: str
    created_by: str
    created_at: datetime
    status: str = "open"
    owners: tuple[Person, ...] = ()
    themes: tuple[str, ...] = ()
    due_at: datetime | None = None
    due_has_time: bool = False
    closed_at: datetime | None = None
    closed_by: str | None = None
    meeting_id: int | None = None


@dataclass(frozen=True)
class NewMeeting:
    title: str | None
    started_at: datetime
    started_by: Person
    ended_at: datetime | None
    attendance: tuple[tuple[str, Person, str], ...] = ()  # (person key, person, status)
    items: tuple[tuple[str, str], ...] = ()  # (kind, text) in order, each under the topic before it
    actions_json: str | None = "[]"


@dataclass(frozen=True)
class NewMobilisation:
    title: str
    starts_at: datetime
    timezone: str
    created_by: str
    created_at: datetime
    participants: tuple[str, ...] = field(default=())  # user ids, joined by command in the room


async def _numbers(s: AsyncConnection, room_id: str, kind: str, count: int) -> int:
    """Reserve ``count`` numbers of the room's counter; the first one."""
    c = Counter.__table__
    await s.execute(insert_ignore(s, c, {"room_id": room_id, "kind": kind, "value": 0}))
    last = await s.scalar(update(c).where(c.c.room_id == room_id, c.c.kind == kind)
                          .values(value=c.c.value + count).returning(c.c.value))
    return int(last) - count + 1


async def _insert(s: AsyncConnection, table: Any, rows: Sequence[dict], returning: Any = None) -> list[int]:
    ids: list[int] = []
    for i in range(0, len(rows), CHUNK):
        chunk = list(rows[i:i + CHUNK])
        if returning is None:
            await s.execute(insert(table), chunk)
        else:
            result = await s.execute(insert(table).returning(returning, sort_by_parameter_order=True), chunk)
            ids.extend(result.scalars())
    return ids


async def _numbered(s: AsyncConnection, table: Any, room_id: str, kind: str, rows: list[dict],
                    returning: Any = None) -> list[int]:
    """Insert `rows` as the room's next ones, numbered in order on its counter `kind`; their ids with `returning`."""
    first = await _numbers(s, room_id, kind, len(rows))
    for i, row in enumerate(rows):  # set in place: no second copy of every row
        row["room_id"], row["number"] = room_id, first + i
    return await _insert(s, table, rows, returning)


class BulkLoader(Repo):
    def __init__(self, session: SessionFactory, engine: AsyncEngine) -> None:
        super().__init__(session)
        self._engine = engine  # for `analyze`, which runs outside any transaction

    async def rooms(self, rooms: Sequence[tuple[str, str, str]], *, at: datetime) -> None:
        """(room id, language, timezone) for each room."""
        async with self._session() as s:
            await _insert(s, Room.__table__, [{"room_id": r, "language": lang, "timezone": tz, "joined_at": at,
                                               "created_at": at, "settings": "{}"} for r, lang, tz in rooms])

    async def actions(self, room_id: str, actions: Sequence[NewAction]) -> list[int]:
        """The room's next actions, with owners, themes and their "created" history entry; their ids."""
        a = Action.__table__
        async with self._session() as s:
            ids = await _numbered(s, a, room_id, _actions.COUNTER_KIND, [
                {"text": n.text, "status": n.status, "due_at": n.due_at, "due_has_time": n.due_has_time,
                 "created_by": n.created_by, "created_at": n.created_at, "closed_by": n.closed_by,
                 "closed_at": n.closed_at, "meeting_id": n.meeting_id, "topic_id": None, "due_reminded_at": None,
                 "overdue_notified_at": None}
                for n in actions], returning=a.c.id)
            await _insert(s, ActionOwner.__table__, [
                {"action_id": action_id, "position": p, "user_id": o.user_id, "name": o.name}
                for action_id, n in zip(ids, actions) for p, o in enumerate(n.owners)])
            await _insert(s, ActionTheme.__table__, [
                {"action_id": action_id, "key": k} for action_id, n in zip(ids, actions) for k in n.themes])
            await _insert(s, ActionHistory.__table__, [
                {"action_id": action_id, "at": n.created_at, "actor": n.created_by, "kind": "created",
                 "detail": json.dumps({"text": n.text}, ensure_ascii=False)}
                for action_id, n in zip(ids, actions)])
            return ids

    async def meetings(self, room_id: str, meetings: Sequence[NewMeeting]) -> list[int]:
        """The room's next meetings with attendance and items (topics first in their section); their ids."""
        m = Meeting.__table__
        async with self._session() as s:
            ids = await _numbered(s, m, room_id, _meetings.COUNTER_KIND, [
                {"title": n.title, "started_at": n.started_at, "started_by": n.started_by.user_id,
                 "started_by_name": n.started_by.name, "ended_at": n.ended_at,
                 "ended_by": n.started_by.user_id if n.ended_at else None, "chair_user_id": n.started_by.user_id,
                 "chair_name": n.started_by.name, "actions_json": n.actions_json if n.ended_at else None}
                for n in meetings], returning=m.c.id)
            await _insert(s, MeetingAttendance.__table__, [
                {"meeting_id": meeting_id, "person_key": key, "user_id": who.user_id, "name": who.name,
                 "status": status, "reason": None, "set_by": n.started_by.user_id, "set_at": n.started_at}
                for meeting_id, n in zip(ids, meetings) for key, who, status in n.attendance])
            for meeting_id, n in zip(ids, meetings):  # items refer to their topic's id: one meeting at a time
                await self._items(s, meeting_id, n)
            return ids

    @staticmethod
    async def _items(s: AsyncConnection, meeting_id: int, n: NewMeeting) -> None:
        i = MeetingItem.__table__
        topic_id = None
        pending: list[dict] = []
        for kind, text in n.items:
            row = {"meeting_id": meeting_id, "topic_id": None if kind == "topic" else topic_id, "kind": kind,
                   "text": text, "url": None, "author": n.started_by.user_id, "author_name": n.started_by.name,
                   "created_at": n.started_at}
            if kind == "topic":
                await _insert(s, i, pending)
                pending = []
                topic_id = await s.scalar(insert(i).values(**row).returning(i.c.id))
            else:
                pending.append(row)
        await _insert(s, i, pending)

    async def schedules(self, room_id: str, schedules: Sequence[dict]) -> None:
        """The room's next scheduled meetings: dicts of title, starts_at, timezone, rule, created_by, created_at."""
        async with self._session() as s:
            await _numbered(s, Schedule.__table__, room_id, _schedules.COUNTER_KIND, [
                {"place": None, "link": None, "revision": 0, **row} for row in schedules])

    async def mobilisations(self, room_id: str, mobilisations: Sequence[NewMobilisation]) -> list[int]:
        """The room's next mobilisations and who joined them by command; their ids."""
        t = Mobilisation.__table__
        async with self._session() as s:
            ids = await _numbered(s, t, room_id, _mobilisations.COUNTER_KIND, [
                {"title": n.title, "starts_at": n.starts_at, "timezone": n.timezone, "created_by": n.created_by,
                 "created_at": n.created_at, "revision": 0}
                for n in mobilisations], returning=t.c.id)
            await _insert(s, MobilisationJoin.__table__, [
                {"mobilisation_id": mid, "user_id": user_id, "room_id": room_id, "guests": 0, "joined_at": n.created_at}
                for mid, n in zip(ids, mobilisations) for user_id in n.participants])
            return ids

    async def analyze(self) -> None:
        """Once the loading is done, what autovacuum would do at its next pass (a minute or more later) on
        PostgreSQL: the planner's statistics (it plans with the sizes it last measured, and a table filled in one
        go has none: a page's owners were read by scanning the whole owners table, 3 ms at 20,000 actions where
        the index takes 0.1 ms) and the visibility map (a count of the room's open actions then reads the index
        alone). `VACUUM ANALYZE`, outside a transaction as it must be. SQLite's planner takes the indexes without
        statistics: nothing to do there."""
        if self._engine.dialect.name != "postgresql":
            return
        async with self._engine.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(sql_text("VACUUM ANALYZE"))

    async def count(self, table: Any) -> int:
        from sqlalchemy import func

        async with self._session() as s:
            return int(await s.scalar(select(func.count()).select_from(table)) or 0)


__all__ = ["BulkLoader", "NewAction", "NewMeeting", "NewMobilisation"]
