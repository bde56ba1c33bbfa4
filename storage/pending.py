"""Encrypted events the bot could not decrypt yet (its room key had not arrived), kept until the key comes
or the sender is told their message could not be read (bot/pending_keys.py). Kept in the database so that
a restart loses none. The event is stored as it came (JSON): storage knows no Matrix types."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Column, Index, String, Text, delete, select, update

from storage.base import Base, Repo, UTCDateTime, insert_ignore


class PendingEvent(Base):
    __tablename__ = "pending_events"

    event_id = Column(String(255), primary_key=True)
    room_id = Column(String(255), nullable=False)
    sender = Column(String(255), nullable=False)
    source = Column(Text, nullable=False)  # the encrypted event, JSON
    received_at = Column(UTCDateTime(), nullable=False)
    # The sender was told it could not be read: kept (until pruned) so that it is never kept or told again.
    told = Column(Boolean, default=False, nullable=False)

    __table_args__ = (Index("ix_pending_events_told_received_at", "told", "received_at"),)


@dataclass(frozen=True)
class Pending:
    event_id: str
    room_id: str
    sender: str
    source: dict[str, Any]
    received_at: datetime
    told: bool


class PendingRepo(Repo):
    async def add(self, event_id: str, room_id: str, sender: str, source: dict[str, Any], at: datetime) -> bool:
        """Keep the event; False if it was already kept."""
        values = {"event_id": event_id, "room_id": room_id, "sender": sender, "source": json.dumps(source),
                  "received_at": at, "told": False}
        async with self._session() as s:
            return (await s.execute(insert_ignore(s, PendingEvent.__table__, values))).first() is not None

    async def oldest(self, limit: int) -> list[Pending]:
        """The `limit` oldest events still waiting (not told)."""
        t = PendingEvent.__table__
        async with self._session() as s:
            rows = (await s.execute(select(t).where(t.c.told.is_(False)).order_by(t.c.received_at)
                                    .limit(limit))).all()
        return [Pending(r.event_id, r.room_id, r.sender, json.loads(r.source), r.received_at, r.told) for r in rows]

    async def mark_told(self, event_id: str) -> bool:
        """True if this call marked it (the sender is told once, whoever else tries)."""
        t = PendingEvent.__table__
        async with self._session() as s:
            result = await s.execute(update(t).where(t.c.event_id == event_id, t.c.told.is_(False))
                                     .values(told=True))
            return result.rowcount == 1

    async def prune(self, before: datetime) -> None:
        async with self._session() as s:
            await s.execute(delete(PendingEvent).where(PendingEvent.received_at < before))

    async def remove(self, event_id: str) -> None:
        async with self._session() as s:
            await s.execute(delete(PendingEvent).where(PendingEvent.event_id == event_id))
