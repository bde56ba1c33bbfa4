"""Per-room sequences (action numbers, meeting numbers, ...): 1, 2, 3... allocated atomically, never
reused."""
from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, _dialect_insert


class Counter(Base):
    __tablename__ = "counters"

    room_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)


async def next_number(session: AsyncSession, room_id: str, kind: str) -> int:
    """The next number of the room's ``kind`` sequence (1 the first time), in the caller's transaction.

    One statement, ``INSERT ... ON CONFLICT (room_id, kind) DO UPDATE SET value = counters.value + 1
    RETURNING value``: concurrent callers each get a distinct number on SQLite (>= 3.35) and
    PostgreSQL alike. Being a write, it also takes the write lock (SQLite) or the counter row's lock
    (PostgreSQL) until the transaction ends, so make it the transaction's first statement.
    A number whose transaction rolls back is given again; one that is committed never is.
    """
    table = Counter.__table__
    ins = _dialect_insert(session, table).values(room_id=room_id, kind=kind, value=1)
    stmt = ins.on_conflict_do_update(
        index_elements=[table.c.room_id, table.c.kind],
        set_={"value": table.c.value + 1},
    ).returning(table.c.value)
    value = await session.scalar(stmt)
    assert value is not None
    # Noted in the session: inside a unit of work (storage/db.py) that is the unit's, so `given_in_unit`
    # tells which number the unit took without reading the counter again (handlers/actions/edits.py).
    session.info.setdefault(GIVEN, {})[(room_id, kind)] = int(value)
    return int(value)


GIVEN = "relais_numbers_given"  # session.info key: {(room_id, kind): the last number given in it}


def given_in_session(session: AsyncSession, room_id: str, kind: str) -> int | None:
    return session.info.get(GIVEN, {}).get((room_id, kind))


__all__ = ["Counter", "given_in_session", "next_number"]
