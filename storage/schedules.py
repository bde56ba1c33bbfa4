"""Scheduled meetings (one-off or recurring), the changes made to single occurrences, and who asked for
reminders by direct message.

Tables
    schedules           one row per scheduled meeting, numbered per room (counter kind "schedule");
                        ``starts_at`` is the first occurrence (UTC instant), ``timezone`` the zone its
                        wall time belongs to (the room's when it was scheduled), ``rule`` the recurrence
                        (handlers/dates/recurrence.py's text form, None for a one-off). A cancelled series keeps
                        its row (``cancelled_at``), so numbers are never reused. ``revision`` counts the
                        changes (the calendar export's SEQUENCE).
    schedule_changes    one occurrence of a series, by its original start (UTC): moved (``moved_to``) or
                        cancelled (``moved_to IS NULL``). Setting it again replaces it.
    subscriptions       (room, person): that person gets the room's meeting reminders by direct message.

The repository stores and returns; computing occurrences is the handlers' business.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, ForeignKey, Integer, String, Text, UniqueConstraint, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.base import Base, Repo, UTCDateTime, insert_ignore, read_back, upsert
from storage.counters import next_number
from storage.records import OccurrenceChange, ScheduleRecord

COUNTER_KIND = "schedule"


class Schedule(Base):
    __tablename__ = "schedules"
    __table_args__ = (UniqueConstraint("room_id", "number"),)

    id = Column(Integer, primary_key=True)
    room_id = Column(String(255), nullable=False)
    number = Column(Integer, nullable=False)
    title = Column(Text)
    place = Column(Text)
    link = Column(Text)
    starts_at = Column(UTCDateTime(), nullable=False)
    timezone = Column(String(64), nullable=False)
    rule = Column(Text)
    created_by = Column(String(255), nullable=False)
    created_at = Column(UTCDateTime(), nullable=False)
    cancelled_at = Column(UTCDateTime())
    cancelled_by = Column(String(255))
    revision = Column(Integer, default=0, server_default="0", nullable=False)
    # The mobilisation it prepares (revision 0010; no foreign key: another capability's table).
    mobilisation_id = Column(Integer, index=True)


class ScheduleChange(Base):
    __tablename__ = "schedule_changes"

    schedule_id = Column(
        Integer, ForeignKey("schedules.id", ondelete="CASCADE"), primary_key=True)
    original_at = Column(UTCDateTime(), primary_key=True)
    moved_to = Column(UTCDateTime())
    set_by = Column(String(255), nullable=False)
    set_at = Column(UTCDateTime(), nullable=False)


class Subscription(Base):
    __tablename__ = "subscriptions"

    room_id = Column(String(255), primary_key=True)
    user_id = Column(String(255), primary_key=True)
    created_at = Column(UTCDateTime(), nullable=False)


# --- helpers ------------------------------------------------------------------------------------------

_S = Schedule.__table__
_C = ScheduleChange.__table__
_U = Subscription.__table__


def _record(row: Any, changes: list[OccurrenceChange]) -> ScheduleRecord:
    return ScheduleRecord(
        id=row.id, room_id=row.room_id, number=row.number, title=row.title, place=row.place, link=row.link,
        starts_at=row.starts_at, timezone=row.timezone, rule=row.rule, created_by=row.created_by,
        created_at=row.created_at, cancelled_at=row.cancelled_at, cancelled_by=row.cancelled_by,
        revision=row.revision, changes=tuple(changes), mobilisation_id=row.mobilisation_id,
    )


async def _load(s: AsyncConnection, *where: Any) -> list[ScheduleRecord]:
    rows = (await s.execute(select(_S).where(*where).order_by(_S.c.room_id, _S.c.number))).all()
    if not rows:
        return []
    ids = [r.id for r in rows]
    changes: dict[int, list[OccurrenceChange]] = {i: [] for i in ids}
    for c in await s.execute(select(_C).where(_C.c.schedule_id.in_(ids)).order_by(_C.c.original_at)):
        changes[c.schedule_id].append(OccurrenceChange(c.original_at, c.moved_to, c.set_by, c.set_at))
    return [_record(r, changes[r.id]) for r in rows]


async def _one(s: AsyncConnection, room_id: str, number: int) -> ScheduleRecord | None:
    found = await _load(s, _S.c.room_id == room_id, _S.c.number == number)
    return found[0] if found else None


# --- repositories -------------------------------------------------------------------------------------


class ScheduleRepo(Repo):
    async def create(self, room_id: str, *, title: str | None, starts_at: datetime, timezone: str,
                     rule: str | None, created_by: str, at: datetime, place: str | None = None,
                     link: str | None = None, mobilisation_id: int | None = None) -> ScheduleRecord:
        async with self._session() as s:
            number = await next_number(s, room_id, COUNTER_KIND)  # first: takes the write lock
            await s.execute(insert(_S).values(
                room_id=room_id, number=number, title=title, place=place, link=link, starts_at=starts_at,
                timezone=timezone, rule=rule, created_by=created_by, created_at=at, revision=0,
                mobilisation_id=mobilisation_id))
            return read_back(await _one(s, room_id, number), f"schedule {number}")

    async def get(self, room_id: str, number: int) -> ScheduleRecord | None:
        async with self._session() as s:
            return await _one(s, room_id, number)

    async def list(self, room_id: str, *, cancelled: bool = False) -> list[ScheduleRecord]:
        """The room's schedules by number; the cancelled ones only with ``cancelled``."""
        where = [_S.c.room_id == room_id]
        if not cancelled:
            where.append(_S.c.cancelled_at.is_(None))
        async with self._session() as s:
            return await _load(s, *where)

    async def preparing(self, mobilisation_id: int) -> list[ScheduleRecord]:
        """The scheduled meetings (not cancelled) that prepare this mobilisation (index on mobilisation_id)."""
        async with self._session() as s:
            return await _load(s, _S.c.mobilisation_id == mobilisation_id, _S.c.cancelled_at.is_(None))

    async def active(self) -> list[ScheduleRecord]:
        """Every room's schedules that are not cancelled (to plan their reminders at start-up)."""
        async with self._session() as s:
            return await _load(s, _S.c.cancelled_at.is_(None))

    async def cancel(self, room_id: str, number: int, *, by: str, at: datetime) -> ScheduleRecord | None:
        """Cancel the whole schedule. None if there is none, or it was already cancelled."""
        async with self._session() as s:
            result = await s.execute(
                update(_S).where(_S.c.room_id == room_id, _S.c.number == number, _S.c.cancelled_at.is_(None))
                .values(cancelled_at=at, cancelled_by=by, revision=_S.c.revision + 1))
            if result.rowcount != 1:
                return None
            return await _one(s, room_id, number)

    async def move(self, room_id: str, number: int, starts_at: datetime) -> ScheduleRecord | None:
        """Change the start of a schedule (a one-off's only date)."""
        async with self._session() as s:
            result = await s.execute(
                update(_S).where(_S.c.room_id == room_id, _S.c.number == number)
                .values(starts_at=starts_at, revision=_S.c.revision + 1))
            if result.rowcount != 1:
                return None
            return await _one(s, room_id, number)

    async def change_occurrence(self, room_id: str, number: int, original_at: datetime,
                                moved_to: datetime | None, *, by: str, at: datetime) -> ScheduleRecord | None:
        """Move one occurrence of a series (``moved_to``) or cancel it (``moved_to=None``)."""
        async with self._session() as s:
            schedule_id = await s.scalar(
                update(_S).where(_S.c.room_id == room_id, _S.c.number == number)
                .values(revision=_S.c.revision + 1).returning(_S.c.id))
            if schedule_id is None:
                return None
            values = {"schedule_id": schedule_id, "original_at": original_at, "moved_to": moved_to,
                      "set_by": by, "set_at": at}
            await s.execute(upsert(s, _C, values, ["moved_to", "set_by", "set_at"]))
            return await _one(s, room_id, number)


class SubscriptionRepo(Repo):
    async def add(self, room_id: str, user_id: str, *, at: datetime) -> bool:
        """Subscribe; False if they already were."""
        async with self._session() as s:
            result = await s.execute(insert_ignore(s, _U, {"room_id": room_id, "user_id": user_id, "created_at": at}))
            return result.first() is not None

    async def remove(self, room_id: str, user_id: str) -> bool:
        """Unsubscribe; False if they were not subscribed."""
        async with self._session() as s:
            result = await s.execute(delete(_U).where(_U.c.room_id == room_id, _U.c.user_id == user_id))
            return result.rowcount == 1

    async def list(self, room_id: str) -> list[str]:
        """The room's subscribers, in the order they subscribed."""
        async with self._session() as s:
            rows = await s.execute(select(_U.c.user_id).where(_U.c.room_id == room_id)
                                   .order_by(_U.c.created_at, _U.c.user_id))
            return [r.user_id for r in rows]


__all__ = [
    "Schedule",
    "ScheduleChange",
    "ScheduleRepo",
    "Subscription",
    "SubscriptionRepo",
]
