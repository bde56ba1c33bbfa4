"""Per-room sequences (action numbers, meeting numbers, ...): 1, 2, 3... allocated atomically, never
reused."""
from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Integer, ScalarSelect, String, bindparam, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.base import Base, read_back


class Counter(Base):
    __tablename__ = "counters"

    room_id = Column(String(255), primary_key=True)
    kind = Column(String(32), primary_key=True)
    value = Column(Integer, nullable=False)


async def next_number(session: AsyncConnection, room_id: str, kind: str) -> int:
    """The next number of the room's ``kind`` sequence (1 the first time), in the caller's transaction.

    One statement, ``INSERT ... ON CONFLICT (room_id, kind) DO UPDATE SET value = counters.value + 1
    RETURNING value``: concurrent callers each get a distinct number on SQLite (>= 3.35) and
    PostgreSQL alike. Being a write, it also takes the write lock (SQLite) or the counter row's lock
    (PostgreSQL) until the transaction ends, so make it the transaction's first statement.
    A number whose transaction rolls back is given again; one that is committed never is.
    """
    value = read_back(await session.scalar(_NEXT, {"room_id": room_id, "kind": kind}), f"the room's next {kind}")
    return given(session, room_id, kind, int(value))


def given(session: AsyncConnection, room_id: str, kind: str, number: int) -> int:
    """Note in the unit of work (storage/db.py) that it took `number`, so `given_in_unit` tells which number the
    unit took without reading the counter again (handlers/actions/edits.py); every taker of a number calls it."""
    from storage.db import note_given  # storage.db imports this module

    note_given(session, room_id, kind, number)
    return number


# Text, the same on SQLite (>= 3.35) and PostgreSQL: SQLAlchemy 2.0 compiles a dialect's on_conflict statement
# at every call (storage/base.py says why); this one is compiled once.
_BUMP = ("INSERT INTO counters (room_id, kind, value) VALUES (:room_id, :kind, 1) "
         "ON CONFLICT (room_id, kind) DO UPDATE SET value = counters.value + 1")
_NEXT = text(_BUMP + " RETURNING value")
BUMP = text(_BUMP)


def taken(room_id_param: str, kind: str) -> ScalarSelect[Any]:
    """The room's `kind` counter as it stands, inside a statement: after ``BUMP`` in the same transaction, the
    number that bump took. For an insert that takes its number without a trip of its own (storage/actions.py);
    `room_id_param` names the bound room id (an insert reserves the column's own name)."""
    c = Counter.__table__
    return select(c.c.value).where(c.c.room_id == bindparam(room_id_param), c.c.kind == kind).scalar_subquery()


__all__ = ["BUMP", "Counter", "given", "next_number", "taken"]
