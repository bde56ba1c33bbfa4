"""Which Matrix events were already handled, so that a restart or a re-sync never handles one twice;
and, for a command, what it was (who sent it when, the action it created), so that an edit or a
redaction of it can be acted on (handlers/edits.py)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Integer, String, bindparam, delete, select, update
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, Repo, UTCDateTime, execute_later, insert_ignore_parts

COMMAND = "command"  # the kind of a claim made for a command (edits, redactions and markers have none)


class ProcessedEvent(Base):
    __tablename__ = "processed_events"

    event_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    room_id: Mapped[str] = mapped_column(String(255))
    processed_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    kind: Mapped[str | None] = mapped_column(String(16))
    sender: Mapped[str | None] = mapped_column(String(255))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    action_number: Mapped[int | None] = mapped_column(Integer)


_T = ProcessedEvent.__table__
# Built once (a statement built at each call costs SQLAlchemy a new cache key): run for every `!action`.
_SET_ACTION = update(_T).where(_T.c.event_id == bindparam("event")).values(action_number=bindparam("number"))


@dataclass(frozen=True)
class CommandRecord:
    event_id: str
    room_id: str
    sender: str
    sent_at: datetime
    action_number: int | None  # the action this command created, if it did


class EventRepo(Repo):
    async def claim(self, event_id: str, room_id: str, at: datetime, *, sender: str | None = None,
                    sent_at: datetime | None = None) -> bool:
        """Record the event; True if this call recorded it, False if it was already recorded.
        With `sender` and `sent_at`, it is recorded as a command (see `command`).

        One ``INSERT ... ON CONFLICT DO NOTHING``: exactly one of any number of concurrent claims of
        the same id wins, on SQLite and PostgreSQL alike.
        """
        values = {"event_id": event_id, "room_id": room_id, "processed_at": at}
        if sender is not None and sent_at is not None:
            values |= {"kind": COMMAND, "sender": sender, "sent_at": sent_at}
        async with self._session() as s:
            return (await s.execute(*insert_ignore_parts(ProcessedEvent.__table__, values))).first() is not None

    async def command(self, event_id: str) -> CommandRecord | None:
        """The command handled for this event; None if the event was not a command (or is forgotten)."""
        t = ProcessedEvent.__table__
        async with self._session() as s:
            row = (await s.execute(select(t).where(t.c.event_id == event_id, t.c.kind == COMMAND))).first()
        if row is None:
            return None
        return CommandRecord(row.event_id, row.room_id, row.sender, row.sent_at, row.action_number)

    async def set_action(self, event_id: str, number: int) -> None:
        """Note that the command of this event created action `number`."""
        async with self._session() as s:  # nothing reads its result: sent with the unit's next statement
            await execute_later(s, _SET_ACTION, {"event": event_id, "number": number})

    async def number_given(self, room_id: str, kind: str) -> int | None:
        """The number of the room's `kind` sequence taken in the current unit of work (the last one, if
        several), None if none was; no statement. Outside a unit of work, always None."""
        from storage.db import given_in_unit  # storage.db imports this module

        return given_in_unit(room_id, kind)

    async def prune(self, older_than: datetime) -> int:
        """Forget events processed strictly before ``older_than``; returns how many were removed."""
        async with self._session() as s:
            result = await s.execute(
                delete(ProcessedEvent).where(ProcessedEvent.processed_at < older_than)
            )
            return result.rowcount or 0
