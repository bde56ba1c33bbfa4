"""Mobilisations (a march, a public action), who takes part, and by which reactions.

Tables
    mobilisations               one row per mobilisation, numbered per room (counter kind "mobilisation", shown
                                M1, M2…); ``starts_at`` an aware UTC instant, ``timezone`` the room's when it was
                                announced. A cancelled one keeps its row (numbers are never reused).
    mobilisation_joins          (mobilisation, person): joined by command (`!participe N [+2]`), in a room
                                (the announcing room or a relaying one), with ``guests``.
    mobilisation_relays         (mobilisation, room): relayed to another room, where it has a number of that room's
                                counter (so `!participe M3` there names it).
    mobilisation_reactions      one row per ✅/👍 reaction event counted, by its event id: a reaction is
                                counted once, and its redaction withdraws exactly it.

A person takes part when they joined by command or have at least one counted reaction; the head count is the
people plus their guests.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import Column, ForeignKey, Integer, String, Text, UniqueConstraint, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.base import Base, Repo, UTCDateTime, insert_ignore, upsert
from storage.counters import next_number
from storage.records import MobilisationRecord, Participant, Relay, TractFile

COUNTER_KIND = "mobilisation"


class Mobilisation(Base):
    __tablename__ = "mobilisations"
    __table_args__ = (UniqueConstraint("room_id", "number"),)

    id = Column(Integer, primary_key=True)
    room_id = Column(String(255), nullable=False)
    number = Column(Integer, nullable=False)
    title = Column(Text)
    place = Column(Text)
    link = Column(Text)
    organiser = Column(Text)
    tract = Column(Text)  # a link to the tract
    # The tract as a file posted in the room (revision 0010): its mxc:// URI, re-posted as is.
    tract_url = Column(Text)
    tract_filename = Column(Text)
    tract_mimetype = Column(String(255))
    tract_size = Column(Integer)
    starts_at = Column(UTCDateTime(), nullable=False)
    timezone = Column(String(64), nullable=False)
    created_by = Column(String(255), nullable=False)
    created_at = Column(UTCDateTime(), nullable=False)
    cancelled_at = Column(UTCDateTime())
    cancelled_by = Column(String(255))
    cancel_reason = Column(Text)
    revision = Column(Integer, default=0, server_default="0", nullable=False)


class MobilisationJoin(Base):
    __tablename__ = "mobilisation_joins"

    mobilisation_id = Column(
        Integer, ForeignKey("mobilisations.id", ondelete="CASCADE"), primary_key=True)
    user_id = Column(String(255), primary_key=True)
    room_id = Column(String(255), nullable=False)
    guests = Column(Integer, default=0, server_default="0", nullable=False)
    joined_at = Column(UTCDateTime(), nullable=False)


class MobilisationReaction(Base):
    __tablename__ = "mobilisation_reactions"

    event_id = Column(String(255), primary_key=True)
    mobilisation_id = Column(
        Integer, ForeignKey("mobilisations.id", ondelete="CASCADE"), index=True, nullable=False)
    user_id = Column(String(255), nullable=False)
    room_id = Column(String(255), nullable=False)
    reacted_at = Column(UTCDateTime(), nullable=False)


class MobilisationRelay(Base):
    __tablename__ = "mobilisation_relays"
    __table_args__ = (UniqueConstraint("room_id", "number"),)

    mobilisation_id = Column(
        Integer, ForeignKey("mobilisations.id", ondelete="CASCADE"), primary_key=True)
    room_id = Column(String(255), primary_key=True)
    number = Column(Integer, nullable=False)
    relayed_by = Column(String(255), nullable=False)
    relayed_at = Column(UTCDateTime(), nullable=False)


_M = Mobilisation.__table__
_L = MobilisationRelay.__table__
_J = MobilisationJoin.__table__
_R = MobilisationReaction.__table__


def _record(row: Any, relays: tuple[Relay, ...] = ()) -> MobilisationRecord:
    return MobilisationRecord(
        id=row.id, room_id=row.room_id, number=row.number, title=row.title, place=row.place, link=row.link,
        organiser=row.organiser, starts_at=row.starts_at, timezone=row.timezone, created_by=row.created_by,
        created_at=row.created_at, cancelled_at=row.cancelled_at, cancelled_by=row.cancelled_by,
        cancel_reason=row.cancel_reason, revision=row.revision, relays=relays, tract=row.tract,
        tract_file=TractFile(row.tract_url, row.tract_filename or "tract", row.tract_mimetype, row.tract_size)
        if row.tract_url else None)


async def _load(s: AsyncConnection, *where: Any) -> list[MobilisationRecord]:
    rows = (await s.execute(select(_M).where(*where).order_by(_M.c.starts_at, _M.c.room_id, _M.c.number))).all()
    if not rows:
        return []
    relays: dict[int, list[Relay]] = {r.id: [] for r in rows}
    for r in await s.execute(select(_L).where(_L.c.mobilisation_id.in_(list(relays))).order_by(_L.c.relayed_at)):
        relays[r.mobilisation_id].append(Relay(r.room_id, r.number, r.relayed_by))
    return [_record(r, tuple(relays[r.id])) for r in rows]


class MobilisationRepo(Repo):
    async def create(self, room_id: str, *, title: str | None, starts_at: datetime, timezone: str,
                     created_by: str, at: datetime, place: str | None = None, link: str | None = None,
                     organiser: str | None = None) -> MobilisationRecord:
        async with self._session() as s:
            number = await next_number(s, room_id, COUNTER_KIND)
            await s.execute(insert(_M).values(
                room_id=room_id, number=number, title=title, place=place, link=link, organiser=organiser,
                starts_at=starts_at, timezone=timezone, created_by=created_by, created_at=at, revision=0))
            return (await _load(s, _M.c.room_id == room_id, _M.c.number == number))[0]

    async def get(self, room_id: str, number: int) -> MobilisationRecord | None:
        async with self._session() as s:
            found = await _load(s, _M.c.room_id == room_id, _M.c.number == number)
            return found[0] if found else None

    async def by_id(self, mobilisation_id: int) -> MobilisationRecord | None:
        async with self._session() as s:
            found = await _load(s, _M.c.id == mobilisation_id)
            return found[0] if found else None

    async def list(self, room_id: str, *, cancelled: bool = False) -> list[MobilisationRecord]:
        """The room's mobilisations by date; the cancelled ones only with ``cancelled``."""
        where = [_M.c.room_id == room_id]
        if not cancelled:
            where.append(_M.c.cancelled_at.is_(None))
        async with self._session() as s:
            return await _load(s, *where)

    async def active(self) -> list[MobilisationRecord]:
        async with self._session() as s:
            return await _load(s, _M.c.cancelled_at.is_(None))

    async def update(self, mobilisation_id: int, **values: Any) -> MobilisationRecord | None:
        """Change title, place, link, organiser, tract (tract_url…) or starts_at (a new revision)."""
        async with self._session() as s:
            result = await s.execute(update(_M).where(_M.c.id == mobilisation_id, _M.c.cancelled_at.is_(None))
                                     .values(**values, revision=_M.c.revision + 1))
            if result.rowcount != 1:
                return None
            return (await _load(s, _M.c.id == mobilisation_id))[0]

    async def cancel(self, mobilisation_id: int, *, by: str, at: datetime,
                     reason: str | None) -> MobilisationRecord | None:
        return await self.update(mobilisation_id, cancelled_at=at, cancelled_by=by, cancel_reason=reason)

    # --- relays -----------------------------------------------------------------------------------------

    async def relay(self, mobilisation_id: int, room_id: str, *, by: str, at: datetime) -> tuple[int, bool]:
        """Relay to another room: (its number there, True) — or (the number it already had there, False)."""
        async with self._session() as s:
            known = await s.scalar(select(_L.c.number).where(_L.c.mobilisation_id == mobilisation_id,
                                                             _L.c.room_id == room_id))
            if known is not None:
                return known, False
            number = await next_number(s, room_id, COUNTER_KIND)  # shared with the room's own mobilisations
            await s.execute(insert(_L).values(mobilisation_id=mobilisation_id, room_id=room_id, number=number,
                                              relayed_by=by, relayed_at=at))
            return number, True

    async def relayed(self, room_id: str, number: int) -> MobilisationRecord | None:
        """The mobilisation relayed to this room under this number, seen from it (`shown_number`)."""
        async with self._session() as s:
            found = await s.scalar(select(_L.c.mobilisation_id).where(_L.c.room_id == room_id, _L.c.number == number))
            records = await _load(s, _M.c.id == found) if found is not None else []
        return replace(records[0], shown_number=number) if records else None

    async def relayed_to(self, room_id: str, *, cancelled: bool = False) -> list[MobilisationRecord]:
        """The mobilisations relayed to this room, seen from it."""
        async with self._session() as s:
            pairs = (await s.execute(select(_L.c.mobilisation_id, _L.c.number).where(_L.c.room_id == room_id))).all()
            where = [_M.c.id.in_([p.mobilisation_id for p in pairs])]
            if not cancelled:
                where.append(_M.c.cancelled_at.is_(None))
            records = await _load(s, *where) if pairs else []
        numbers = {p.mobilisation_id: p.number for p in pairs}
        return [replace(r, shown_number=numbers[r.id]) for r in records]

    # --- participants ---------------------------------------------------------------------------------

    async def join(self, mobilisation_id: int, user_id: str, room_id: str, guests: int, at: datetime) -> bool:
        """Join by command (or change one's guests); False when they had already joined by command with
        the same guests."""
        async with self._session() as s:
            before = await s.scalar(select(_J.c.guests).where(_J.c.mobilisation_id == mobilisation_id,
                                                              _J.c.user_id == user_id))
            values = {"mobilisation_id": mobilisation_id, "user_id": user_id, "room_id": room_id,
                      "guests": guests, "joined_at": at}
            await s.execute(upsert(s, _J, values, ["guests", "room_id"]))
            return before != guests

    async def leave(self, mobilisation_id: int, user_id: str) -> bool:
        """Withdraw (the command join and every counted reaction); False when they were not taking part."""
        async with self._session() as s:
            a = await s.execute(delete(_J).where(_J.c.mobilisation_id == mobilisation_id, _J.c.user_id == user_id))
            b = await s.execute(delete(_R).where(_R.c.mobilisation_id == mobilisation_id, _R.c.user_id == user_id))
            return bool(a.rowcount or b.rowcount)

    async def add_reaction(self, event_id: str, mobilisation_id: int, user_id: str, room_id: str,
                           at: datetime) -> bool:
        """Count a reaction; False when this event was already counted."""
        async with self._session() as s:
            values = {"event_id": event_id, "mobilisation_id": mobilisation_id, "user_id": user_id,
                      "room_id": room_id, "reacted_at": at}
            return (await s.execute(insert_ignore(s, _R, values))).first() is not None

    async def remove_reaction(self, event_id: str) -> int | None:
        """Forget a counted reaction (it was redacted); the mobilisation's id, None when it was never counted."""
        async with self._session() as s:
            found = await s.scalar(delete(_R).where(_R.c.event_id == event_id).returning(_R.c.mobilisation_id))
            return found

    async def participants(self, mobilisation_id: int) -> list[Participant]:
        """Who takes part, in the order they first joined; each once."""
        async with self._session() as s:
            joins = (await s.execute(select(_J).where(_J.c.mobilisation_id == mobilisation_id))).all()
            reactions = (await s.execute(select(_R).where(_R.c.mobilisation_id == mobilisation_id)
                                         .order_by(_R.c.reacted_at))).all()
        people: dict[str, Participant] = {}
        for j in joins:
            people[j.user_id] = Participant(j.user_id, j.room_id, j.guests, j.joined_at, True)
        for r in reactions:
            if r.user_id not in people:
                people[r.user_id] = Participant(r.user_id, r.room_id, 0, r.reacted_at, False)
            elif r.reacted_at < people[r.user_id].since:
                p = people[r.user_id]
                people[r.user_id] = Participant(p.user_id, p.room_id, p.guests, r.reacted_at, p.by_command)
        return sorted(people.values(), key=lambda p: (p.since, p.user_id))


__all__ = ["Mobilisation", "MobilisationJoin", "MobilisationReaction", "MobilisationRelay", "MobilisationRepo"]
