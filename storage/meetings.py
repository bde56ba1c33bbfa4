"""Meetings: one open meeting per room, its attendance, topics and items, who spoke, and at its end a
snapshot of the actions, so that the minutes can be rendered again later exactly as they were.

Tables
    meetings            one row per meeting; ``ended_at IS NULL`` while open (at most one per room,
                        enforced by a partial unique index); chair and scribe; the current topic;
                        ``actions_json``: the actions as they stood when the meeting ended.
    meeting_attendance  (meeting, person) -> present | excused | late, with a reason; a correction
                        replaces the earlier entry. ``person_key`` is the user id, or ``~`` and the
                        folded name of someone outside Matrix (the caller computes it).
    meeting_items       topics and what was recorded under them (info, decision, idea, link), in the
                        order recorded (``id``); an item's ``topic_id`` is the topic item it belongs to.
    meeting_speakers    who said something while the meeting was open (suggested as present).

Everything a meeting needs lives here, so a restart in the middle of a meeting loses nothing.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Column,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    bindparam,
    case,
    delete,
    func,
    insert,
    literal,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.base import Base, Repo, UTCDateTime, _dialect_insert, read_back, upsert
from storage.counters import next_number
from storage.records import (
    ActionSnapshot,
    AttendanceRecord,
    ItemRecord,
    MeetingDetails,
    MeetingRecord,
    MeetingSummary,
    Person,
    SpeakerRecord,
)

COUNTER_KIND = "meeting"
ATTENDANCE = ("present", "excused", "late")
ITEM_KINDS = ("topic", "info", "decision", "idea", "link")
_OPEN = "ended_at IS NULL"


class Meeting(Base):
    __tablename__ = "meetings"
    __table_args__ = (
        UniqueConstraint("room_id", "number"),
        # At most one open meeting per room, whatever the concurrency. On PostgreSQL too (revision 0003 makes it
        # there with `postgresql_where`); saying so here would import PostgreSQL's dialect on every SQLite start
        # (2 MiB), and Alembic's comparison of model and schema reads no index's condition either way.
        Index("ix_meetings_one_open_per_room", "room_id", unique=True,
              sqlite_where=text(_OPEN)),
        Index("ix_meetings_room_started_at", "room_id", "started_at"),  # a weekly digest's (revision 0009)
    )

    id = Column(Integer, primary_key=True)
    room_id = Column(String(255), nullable=False)
    number = Column(Integer, nullable=False)
    title = Column(Text)
    started_at = Column(UTCDateTime(), nullable=False)
    started_by = Column(String(255), nullable=False)
    started_by_name = Column(Text, nullable=False)
    ended_at = Column(UTCDateTime())
    ended_by = Column(String(255))
    chair_user_id = Column(String(255))
    chair_name = Column(Text)
    scribe_user_id = Column(String(255))
    scribe_name = Column(Text)
    current_topic_id = Column(Integer)
    actions_json = Column(Text)
    # Open actions from before left out of actions_json (it keeps the first ones only; revision 0012).
    carried_more = Column(Integer)
    schedule_number = Column(Integer)  # the scheduled meeting it was started for


class MeetingAttendance(Base):
    __tablename__ = "meeting_attendance"
    __table_args__ = (CheckConstraint("status IN ('present', 'excused', 'late')", name="status"),)

    meeting_id = Column(
        Integer, ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True)
    person_key = Column(String(255), primary_key=True)
    user_id = Column(String(255))
    name = Column(Text, nullable=False)
    status = Column(String(16), nullable=False)
    reason = Column(Text)
    set_by = Column(String(255), nullable=False)
    set_at = Column(UTCDateTime(), nullable=False)


class MeetingItem(Base):
    __tablename__ = "meeting_items"
    __table_args__ = (
        CheckConstraint("kind IN ('topic', 'info', 'decision', 'idea', 'link')", name="kind"),
    )

    id = Column(Integer, primary_key=True)
    meeting_id = Column(
        Integer, ForeignKey("meetings.id", ondelete="CASCADE"), index=True, nullable=False)
    topic_id = Column(Integer)
    kind = Column(String(16), nullable=False)
    text = Column(Text, nullable=False)
    url = Column(Text)
    author = Column(String(255), nullable=False)
    author_name = Column(Text, nullable=False)
    created_at = Column(UTCDateTime(), nullable=False)


class MeetingSpeaker(Base):
    __tablename__ = "meeting_speakers"

    meeting_id = Column(
        Integer, ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True)
    user_id = Column(String(255), primary_key=True)
    name = Column(Text, nullable=False)
    first_at = Column(UTCDateTime(), nullable=False)


class MeetingAlreadyOpen(Exception):
    def __init__(self, meeting: MeetingRecord) -> None:
        super().__init__(f"meeting {meeting.number} is open in {meeting.room_id}")
        self.meeting = meeting


# --- helpers ------------------------------------------------------------------------------------------

_M = Meeting.__table__
_A = MeetingAttendance.__table__
_I = MeetingItem.__table__
_S = MeetingSpeaker.__table__
# What a MeetingRecord holds: never the stored action snapshot, which only the minutes read (MeetingRepo.details).
_FIELDS = tuple(c for c in _M.c if c.name not in ("actions_json", "carried_more"))


def _who(user_id: str | None, name: str | None) -> Person | None:
    return Person(user_id, name) if name is not None else None


def _meeting(row: Any) -> MeetingRecord:
    return MeetingRecord(
        id=row.id,
        room_id=row.room_id,
        number=row.number,
        title=row.title,
        started_at=row.started_at,
        started_by=Person(row.started_by, row.started_by_name),
        ended_at=row.ended_at,
        ended_by=row.ended_by,
        chair=_who(row.chair_user_id, row.chair_name),
        scribe=_who(row.scribe_user_id, row.scribe_name),
        current_topic_id=row.current_topic_id,
        schedule_number=row.schedule_number,
    )


def _item(row: Any) -> ItemRecord:
    return ItemRecord(
        id=row.id,
        meeting_id=row.meeting_id,
        topic_id=row.topic_id,
        kind=row.kind,
        text=row.text,
        url=row.url,
        author=Person(row.author, row.author_name),
        created_at=row.created_at,
    )


async def _attendance(s: AsyncConnection, meeting_id: int) -> list[AttendanceRecord]:
    rows = await s.execute(select(_A).where(_A.c.meeting_id == meeting_id).order_by(_A.c.set_at, _A.c.person_key))
    return [AttendanceRecord(r.person_key, Person(r.user_id, r.name), r.status, r.reason, r.set_by, r.set_at)
            for r in rows]


async def _one(s: AsyncConnection, *where: Any) -> MeetingRecord | None:
    return await _first(s, select(*_FIELDS).where(*where))


# Built once, their values given at execution: the open meeting is read by every `!action` (to link it).
_CURRENT = select(*_FIELDS).where(_M.c.room_id == bindparam("room"), _M.c.ended_at.is_(None))
_BY_NUMBER = select(*_FIELDS).where(_M.c.room_id == bindparam("room"), _M.c.number == bindparam("number"))


async def _first(s: AsyncConnection, statement: Any, **params: Any) -> MeetingRecord | None:
    row = (await s.execute(statement, params)).first()
    return _meeting(row) if row is not None else None


# --- repository ---------------------------------------------------------------------------------------


class MeetingRepo(Repo):
    # --- finding meetings

    async def current(self, room_id: str) -> MeetingRecord | None:
        """The room's open meeting, if any."""
        async with self._session() as s:
            return await _first(s, _CURRENT, room=room_id)

    async def get(self, room_id: str, number: int) -> MeetingRecord | None:
        async with self._session() as s:
            return await _first(s, _BY_NUMBER, room=room_id, number=number)

    async def by_id(self, meeting_id: int) -> MeetingRecord | None:
        async with self._session() as s:
            return await _one(s, _M.c.id == meeting_id)

    async def latest(self, room_id: str, *, ended: bool = False) -> MeetingRecord | None:
        """The room's meeting with the highest number (only among ended ones with ``ended``)."""
        where = [_M.c.room_id == room_id]
        if ended:
            where.append(_M.c.ended_at.is_not(None))
        async with self._session() as s:
            row = (await s.execute(select(*_FIELDS).where(*where).order_by(_M.c.number.desc()).limit(1))).first()
            return _meeting(row) if row is not None else None

    async def list(self, room_id: str, *, limit: int | None = None) -> list[MeetingSummary]:
        """The room's meetings, newest first (the ``limit`` newest), with attendance counts (late counts as
        present): two queries on the room's meetings only."""
        stmt = select(*_FIELDS).where(_M.c.room_id == room_id).order_by(_M.c.number.desc())
        if limit is not None:
            stmt = stmt.limit(limit)
        attended = func.sum(case((_A.c.status.in_(("present", "late")), 1), else_=0))
        excused = func.sum(case((_A.c.status == "excused", 1), else_=0))
        async with self._session() as s:
            rows = (await s.execute(stmt)).all()
            if not rows:
                return []
            counts = {r.meeting_id: (int(r.present or 0), int(r.excused or 0)) for r in await s.execute(
                select(_A.c.meeting_id, attended.label("present"), excused.label("excused"))
                .where(_A.c.meeting_id.in_([r.id for r in rows])).group_by(_A.c.meeting_id))}
            return [MeetingSummary(_meeting(r), *counts.get(r.id, (0, 0))) for r in rows]

    async def count(self, room_id: str) -> int:
        """How many meetings the room has held or holds."""
        async with self._session() as s:
            return int(await s.scalar(select(func.count()).select_from(_M).where(_M.c.room_id == room_id)) or 0)

    async def held_for(self, room_id: str, schedule_number: int) -> list[int]:
        """The numbers of the room's meetings started for that scheduled meeting, in order."""
        async with self._session() as s:
            return list(await s.scalars(select(_M.c.number).where(
                _M.c.room_id == room_id, _M.c.schedule_number == schedule_number).order_by(_M.c.number)))

    async def between(self, room_id: str, start: datetime, end: datetime) -> list[MeetingRecord]:
        """The room's meetings started in [start, end), oldest first (a weekly digest's)."""
        stmt = (select(*_FIELDS).where(_M.c.room_id == room_id, _M.c.started_at >= start, _M.c.started_at < end)
                .order_by(_M.c.number))
        async with self._session() as s:
            return [_meeting(r) for r in (await s.execute(stmt)).all()]

    async def numbers(self, room_id: str, ids: Sequence[int] | None = None) -> dict[int, int]:
        """Meeting id -> number, for the room's meetings (those of ``ids`` only, when given)."""
        where = [_M.c.room_id == room_id]
        if ids is not None:
            where.append(_M.c.id.in_(list(ids)))
        async with self._session() as s:
            rows = await s.execute(select(_M.c.id, _M.c.number).where(*where))
            return {r.id: r.number for r in rows}

    # --- opening and closing

    async def start(self, room_id: str, *, title: str | None, by: Person, at: datetime,
                    chair: Person | None = None, schedule_number: int | None = None) -> MeetingRecord:
        """Open the room's next meeting. Raises MeetingAlreadyOpen (with the open one) if there is one."""
        if (existing := await self.current(room_id)) is not None:
            raise MeetingAlreadyOpen(existing)
        if by.user_id is None:
            raise ValueError("a meeting is opened by a member (a Person with a user_id)")
        chair = chair or by
        try:
            async with self._session() as s:
                number = await next_number(s, room_id, COUNTER_KIND)  # first: takes the write lock
                meeting_id = await s.scalar(
                    insert(_M).values(
                        room_id=room_id, number=number, title=title, started_at=at,
                        started_by=by.user_id, started_by_name=by.name,
                        chair_user_id=chair.user_id, chair_name=chair.name, schedule_number=schedule_number,
                    ).returning(_M.c.id)
                )
                return read_back(await _one(s, _M.c.id == meeting_id), f"meeting {meeting_id}")
        except IntegrityError:
            # Someone else opened one between our check and our insert (the partial unique index).
            existing = await self.current(room_id)
            if existing is None:
                raise
            raise MeetingAlreadyOpen(existing) from None

    async def end(self, meeting_id: int, *, by: str, at: datetime,
                  actions: Sequence[ActionSnapshot], carried_more: int = 0) -> MeetingRecord | None:
        """Close the meeting, keeping the actions as they stand (``carried_more``: open actions from before left
        out of ``actions``). None if it was not open any more."""
        snapshot = json.dumps([a.to_json() for a in actions], ensure_ascii=False)
        async with self._session() as s:
            result = await s.execute(
                update(_M).where(_M.c.id == meeting_id, _M.c.ended_at.is_(None))
                .values(ended_at=at, ended_by=by, actions_json=snapshot, carried_more=carried_more)
            )
            if result.rowcount != 1:
                return None
            return await _one(s, _M.c.id == meeting_id)

    async def set_role(self, meeting_id: int, role: str, who: Person) -> MeetingRecord:
        """Set the meeting's ``chair`` or ``scribe`` (replacing the previous one)."""
        if role not in ("chair", "scribe"):
            raise ValueError(f"unknown meeting role {role!r}")
        async with self._session() as s:
            await s.execute(update(_M).where(_M.c.id == meeting_id)
                            .values(**{f"{role}_user_id": who.user_id, f"{role}_name": who.name}))
            return read_back(await _one(s, _M.c.id == meeting_id), f"meeting {meeting_id}")

    # --- attendance

    async def set_attendance(self, meeting_id: int, people: Sequence[tuple[str, Person]], *, status: str,
                             reason: str | None, by: str, at: datetime, only_if_absent: bool = False) -> None:
        """Record ``status`` for each (person_key, person), replacing what was recorded for them before
        (with ``only_if_absent``, people already recorded are left as they are)."""
        if status not in ATTENDANCE:
            raise ValueError(f"attendance status must be one of {ATTENDANCE}, not {status!r}")
        async with self._session() as s:
            for key, who in people:
                values = {"meeting_id": meeting_id, "person_key": key, "user_id": who.user_id,
                          "name": who.name, "status": status, "reason": reason, "set_by": by, "set_at": at}
                if only_if_absent:
                    stmt = _dialect_insert(s, _A).values(**values).on_conflict_do_nothing()
                else:
                    stmt = upsert(s, _A, values, ["user_id", "name", "status", "reason", "set_by"])
                await s.execute(stmt)

    async def attendance(self, meeting_id: int) -> list[AttendanceRecord]:
        """The meeting's attendance, in the order first recorded."""
        async with self._session() as s:
            return await _attendance(s, meeting_id)

    async def remove_attendance(self, meeting_id: int, keys: Sequence[str]) -> int:
        async with self._session() as s:
            result = await s.execute(delete(_A).where(_A.c.meeting_id == meeting_id, _A.c.person_key.in_(keys)))
            return int(result.rowcount or 0)

    # --- topics and items

    async def add_item(self, meeting_id: int, *, kind: str, text: str, author: Person, at: datetime,
                       url: str | None = None) -> ItemRecord | None:
        """Record a topic or an item under the current topic. A topic becomes the current one.
        None if the meeting is not open any more."""
        if kind not in ITEM_KINDS:
            raise ValueError(f"item kind must be one of {ITEM_KINDS}, not {kind!r}")
        if author.user_id is None:
            raise ValueError("an item is written by a member (a Person with a user_id)")
        async with self._session() as s:
            # Write first (takes the write lock), so that the topic read below is the latest one.
            result = await s.execute(update(_M).where(_M.c.id == meeting_id, _M.c.ended_at.is_(None))
                                     .values(current_topic_id=_M.c.current_topic_id))
            if result.rowcount != 1:
                return None
            topic_id = await s.scalar(select(_M.c.current_topic_id).where(_M.c.id == meeting_id))
            item_id = await s.scalar(
                insert(_I).values(
                    meeting_id=meeting_id, topic_id=None if kind == "topic" else topic_id, kind=kind,
                    text=text, url=url, author=author.user_id, author_name=author.name, created_at=at,
                ).returning(_I.c.id)
            )
            if kind == "topic":
                await s.execute(update(_M).where(_M.c.id == meeting_id).values(current_topic_id=item_id))
            row = (await s.execute(select(_I).where(_I.c.id == item_id))).one()
            return _item(row)

    async def items(self, meeting_id: int) -> list[ItemRecord]:
        async with self._session() as s:
            rows = await s.execute(select(_I).where(_I.c.meeting_id == meeting_id).order_by(_I.c.id))
            return [_item(r) for r in rows]

    async def last_item_by(self, meeting_id: int, author: str) -> ItemRecord | None:
        async with self._session() as s:
            row = (await s.execute(
                select(_I).where(_I.c.meeting_id == meeting_id, _I.c.author == author)
                .order_by(_I.c.id.desc()).limit(1)
            )).first()
            return _item(row) if row is not None else None

    async def delete_item(self, item_id: int) -> bool:
        """Remove an item. Removing the current topic makes the previous topic current again; items
        recorded under a removed topic (the caller should prevent it) would be left without one."""
        async with self._session() as s:
            row = (await s.execute(select(_I).where(_I.c.id == item_id))).first()
            if row is None:
                return False
            await s.execute(delete(_I).where(_I.c.id == item_id))
            if row.kind == "topic":
                await s.execute(update(_I).where(_I.c.topic_id == item_id).values(topic_id=None))
                previous = (
                    select(func.max(_I.c.id))
                    .where(_I.c.meeting_id == row.meeting_id, _I.c.kind == "topic", _I.c.id < item_id)
                    .scalar_subquery()
                )
                await s.execute(update(_M).where(_M.c.id == row.meeting_id, _M.c.current_topic_id == item_id)
                                .values(current_topic_id=previous))
            return True

    # --- speakers

    async def note_speaker(self, room_id: str, user_id: str, name: str, at: datetime) -> None:
        """Remember that ``user_id`` spoke in the room's open meeting, if there is one: one statement,
        a no-op when no meeting is open or when they already spoke."""
        async with self._session() as s:
            source = select(_M.c.id, literal(user_id), literal(name), literal(at, UTCDateTime())).where(
                _M.c.room_id == room_id, _M.c.ended_at.is_(None))
            stmt = (_dialect_insert(s, _S)
                    .from_select(["meeting_id", "user_id", "name", "first_at"], source)
                    .on_conflict_do_nothing())
            await s.execute(stmt)

    # --- everything, for the minutes

    async def details(self, meeting_id: int) -> MeetingDetails | None:
        async with self._session() as s:
            row = (await s.execute(select(_M).where(_M.c.id == meeting_id))).first()
            if row is None:
                return None
            attendance = await _attendance(s, meeting_id)
            items = [_item(r) for r in await s.execute(
                select(_I).where(_I.c.meeting_id == meeting_id).order_by(_I.c.id))]
            speakers = [
                SpeakerRecord(r.user_id, r.name, r.first_at)
                for r in await s.execute(select(_S).where(_S.c.meeting_id == meeting_id)
                                         .order_by(_S.c.first_at, _S.c.user_id))
            ]
            actions = (tuple(ActionSnapshot.from_json(a) for a in json.loads(row.actions_json))
                       if row.actions_json is not None else None)
            return MeetingDetails(_meeting(row), tuple(attendance), tuple(items), tuple(speakers), actions,
                                  carried_more=row.carried_more or 0)


__all__ = [
    "ATTENDANCE",
    "ITEM_KINDS",
    "Meeting",
    "MeetingAlreadyOpen",
    "MeetingAttendance",
    "MeetingItem",
    "MeetingRepo",
    "MeetingSpeaker",
]
