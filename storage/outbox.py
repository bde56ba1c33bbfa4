"""The outbox: what the bot has decided to send, kept until the homeserver has accepted it.

A command's effects (replies, reactions, notices, direct messages, files) are written here in the same
transaction as the command's claim and its changes (``Store.atomic``), then sent. A row is marked sent once
the homeserver accepted every event of it; a row still unsent at start-up (the bot was killed between the
commit and the send) is sent again. Each row carries a random transaction id (``txn``), kept with it: the
events of a row are always sent with transaction ids derived from it, so a row sent again after a crash
between "sent" and "marked sent" is recognised by the homeserver and not posted twice.

Rows hold the effect as JSON built by the chat layer (bot/sender.py): storage knows no Matrix types.
"""
from __future__ import annotations

import json
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Integer, String, Text, bindparam, delete, insert, select, update

from storage.base import Base, Repo, UTCDateTime, execute_later


class OutboxRow(Base):
    __tablename__ = "outbox"

    id = Column(Integer, primary_key=True, autoincrement=True)
    room_id = Column(String(255), nullable=False)  # the room the effect is about (where a reply goes)
    event_id = Column(String(255))  # the event replied or reacted to, if any
    effect = Column(Text, nullable=False)  # JSON, see bot/sender.py
    txn = Column(String(64), nullable=False)  # transaction-id stem of the row's events
    created_at = Column(UTCDateTime(), nullable=False)
    sent_at = Column(UTCDateTime(), index=True)


@dataclass(frozen=True)
class Outgoing:
    id: int
    room_id: str
    event_id: str | None
    effect: dict[str, Any]
    txn: str
    created_at: datetime


def _outgoing(row: Any) -> Outgoing:
    return Outgoing(row.id, row.room_id, row.event_id, json.loads(row.effect), row.txn, row.created_at)


# Built once, given its values at execution: a new `.values()` statement per row costs a cache key.
_INSERT = insert(OutboxRow.__table__).returning(OutboxRow.__table__.c.id)
_T = OutboxRow.__table__
_MARK_SENT = update(_T).where(_T.c.id.in_(bindparam("ids", expanding=True)), _T.c.sent_at.is_(None)).values(
    sent_at=bindparam("at"))


class OutboxRepo(Repo):
    async def add(self, room_id: str, event_id: str | None, effects: Sequence[dict[str, Any]],
                  at: datetime, *, ends_unit: bool = False) -> list[Outgoing]:
        """Queue `effects` (JSON-ready dicts), in order; inside ``Store.atomic`` they commit with the rest.
        `ends_unit`: the caller's unit of work does nothing after this call, so its commit may go with the last
        row (``commit_with_next_statement``: one trip less per command on SQLite)."""
        if not effects:
            return []
        from storage.db import commit_with_next_statement  # storage.db imports this module

        added: list[Outgoing] = []
        async with self._session() as s:
            for n, effect in enumerate(effects, 1):
                if ends_unit and n == len(effects):
                    commit_with_next_statement()
                txn = secrets.token_hex(12)
                text = json.dumps(effect, ensure_ascii=False, sort_keys=True)
                row_id = await s.scalar(_INSERT, {"room_id": room_id, "event_id": event_id, "effect": text,
                                                    "txn": txn, "created_at": at})
                added.append(Outgoing(int(row_id), room_id, event_id, dict(effect), txn, at))
        return added

    async def unsent(self) -> list[Outgoing]:
        """Every row not marked sent, oldest first."""
        t = OutboxRow.__table__
        async with self._session() as s:
            rows = (await s.execute(select(t).where(t.c.sent_at.is_(None)).order_by(t.c.id))).all()
        return [_outgoing(r) for r in rows]

    async def mark_sent(self, ids: Iterable[int], at: datetime) -> None:
        ids = list(ids)
        if not ids:
            return
        async with self._session() as s:  # nothing reads its result: on SQLite it goes with the commit, one trip
            await execute_later(s, _MARK_SENT, {"ids": ids, "at": at})

    async def prune(self, older_than: datetime) -> int:
        """Forget rows sent strictly before ``older_than`` (unsent rows are kept); returns how many."""
        t = OutboxRow.__table__
        async with self._session() as s:
            result = await s.execute(delete(t).where(t.c.sent_at.is_not(None), t.c.sent_at < older_than))
            return result.rowcount or 0


__all__ = ["OutboxRepo", "OutboxRow", "Outgoing"]
