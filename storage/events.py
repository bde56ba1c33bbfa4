"""Which Matrix events were already handled, so that a restart or a re-sync never handles one twice;
and, for a command, what it was (who sent it when, the action it created), so that an edit or a
redaction of it can be acted on (handlers/edits.py)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exc as sa_exc
from sqlalchemy import Column, Integer, String, bindparam, delete, insert, select, update

from storage import sqlite_driver
from storage.base import Base, Repo, SessionFactory, UTCDateTime, execute_later, insert_ignore_parts

COMMAND = "command"  # the kind of a claim made for a command (edits, redactions and markers have none)


class ProcessedEvent(Base):
    __tablename__ = "processed_events"

    event_id = Column(String(255), primary_key=True)
    room_id = Column(String(255), nullable=False)
    processed_at = Column(UTCDateTime(), index=True, nullable=False)
    kind = Column(String(16))
    sender = Column(String(255))
    sent_at = Column(UTCDateTime())
    action_number = Column(Integer)


_T = ProcessedEvent.__table__
_CLAIM = insert(_T)  # a claim known to be new (see EventRepo.claim): a conflict fails the unit of work
RECENT_CLAIMS = 1024
# Built once (a statement built at each call costs SQLAlchemy a new cache key): run for every `!action`.
_SET_ACTION = update(_T).where(_T.c.event_id == bindparam("event")).values(action_number=bindparam("number"))


def already_handled(exc: BaseException | None) -> bool:
    """Is `exc` (or what caused it) a claim made without a trip of its own that found its event claimed after
    all (see `EventRepo.claim`)? Its unit of work rolls back whole: nothing was done twice."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, sa_exc.IntegrityError) and f"{_T.name}.event_id" in str(exc.orig):
            return True
        exc = exc.__cause__
    return False


@dataclass(frozen=True)
class CommandRecord:
    event_id: str
    room_id: str
    sender: str
    sent_at: datetime
    action_number: int | None  # the action this command created, if it did


class EventRepo(Repo):
    def __init__(self, session: SessionFactory) -> None:
        super().__init__(session)
        # Events claimed through this repository lately: seen again (a gap fetched over a timeline, a batch
        # read again after a failed sync), they are refused without a statement.
        self._recent: dict[str, None] = {}
        # Commands sent after this (the bot's start, plus a margin for the homeserver's clock) cannot have been
        # claimed by an earlier run of the bot; set by bot/app.py. None: every claim asks the database first.
        self.unseen_after: datetime | None = None

    async def claim(self, event_id: str, room_id: str, at: datetime, *, sender: str | None = None,
                    sent_at: datetime | None = None) -> bool:
        """Record the event; True if this call recorded it, False if it was already recorded.
        With `sender` and `sent_at`, it is recorded as a command (see `command`).

        One ``INSERT ... ON CONFLICT DO NOTHING``: exactly one of any number of concurrent claims of
        the same id wins, on SQLite and PostgreSQL alike. A command sent after `unseen_after` that this
        repository has not claimed yet is new to the database: on SQLite its plain ``INSERT`` then goes with
        the unit of work's next trip, not in one of its own (``execute_later``); were it claimed after all,
        that trip fails and the unit rolls back whole, so nothing is done twice.
        """
        if event_id in self._recent:
            return False
        values = {"event_id": event_id, "room_id": room_id, "processed_at": at}
        if sender is not None and sent_at is not None:
            values |= {"kind": COMMAND, "sender": sender, "sent_at": sent_at}
        async with self._session() as s:
            if (sent_at is not None and self.unseen_after is not None and sent_at > self.unseen_after
                    and sqlite_driver.one_trip_of(s) is not None):
                await execute_later(s, _CLAIM, values)
            elif (await s.execute(*insert_ignore_parts(_T, values))).first() is None:
                return False
        from storage.db import after_commit  # storage.db imports this module

        after_commit(lambda: self._remember(event_id))  # a claim rolled back may be made again
        return True

    def _remember(self, event_id: str) -> None:
        self._recent[event_id] = None
        if len(self._recent) > RECENT_CLAIMS:
            del self._recent[next(iter(self._recent))]

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
        self._recent.clear()  # it may hold some of them
        async with self._session() as s:
            result = await s.execute(
                delete(ProcessedEvent).where(ProcessedEvent.processed_at < older_than)
            )
            return result.rowcount or 0
