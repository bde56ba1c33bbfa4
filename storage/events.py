"""Which Matrix events were already handled, so that a restart or a re-sync never handles one twice."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, delete
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, Repo, UTCDateTime, insert_ignore


class ProcessedEvent(Base):
    __tablename__ = "processed_events"

    event_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    room_id: Mapped[str] = mapped_column(String(255))
    processed_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class EventRepo(Repo):
    async def claim(self, event_id: str, room_id: str, at: datetime) -> bool:
        """Record the event; True if this call recorded it, False if it was already recorded.

        One ``INSERT ... ON CONFLICT DO NOTHING``: exactly one of any number of concurrent claims of
        the same id wins, on SQLite and PostgreSQL alike.
        """
        async with self._session() as s:
            stmt = insert_ignore(
                s,
                ProcessedEvent.__table__,
                {"event_id": event_id, "room_id": room_id, "processed_at": at},
            )
            return (await s.execute(stmt)).first() is not None

    async def prune(self, older_than: datetime) -> int:
        """Forget events processed strictly before ``older_than``; returns how many were removed."""
        async with self._session() as s:
            result = await s.execute(
                delete(ProcessedEvent).where(ProcessedEvent.processed_at < older_than)
            )
            return result.rowcount or 0
