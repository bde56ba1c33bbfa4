"""A room's web pages: whether they are served, under which token, and the bounded reads they are drawn from.

    web_pages   one row per room that ever turned its pages on: the capability token (unique: a token finds
                one room and only one), whether the pages are served, who changed that and when.

The token is kept as is (the address is shown again to coordinators by `!pages`); the database is already
owner-only (it holds the bot's access token). A new link replaces the token: the old address finds nothing.

The reads (`PageReads`) are the pages' own: each filtered by room and limited, whatever the history (a room with
thousands of actions and hundreds of meetings costs a page a few small queries).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Column, Index, String, func, select, update

from storage.actions import Action, _records
from storage.base import Base, Repo, UTCDateTime, upsert
from storage.meetings import Meeting, MeetingItem, _item, _meeting
from storage.records import ActionRecord, ItemRecord, MeetingRecord, PageLink


class WebPage(Base):
    __tablename__ = "web_pages"
    __table_args__ = (Index("ix_web_pages_token", "token", unique=True),)

    room_id = Column(String(255), primary_key=True)
    token = Column(String(128), nullable=False)
    enabled = Column(Boolean, nullable=False)
    changed_by = Column(String(255), nullable=False)
    changed_at = Column(UTCDateTime(), nullable=False)


_W = WebPage.__table__
_MT = Meeting.__table__
_IT = MeetingItem.__table__
_AC = Action.__table__


def _link(row: Any) -> PageLink:
    return PageLink(row.room_id, row.token, bool(row.enabled), row.changed_by, row.changed_at)


class PageRepo(Repo):
    async def get(self, room_id: str) -> PageLink | None:
        async with self._session() as s:
            row = (await s.execute(select(_W).where(_W.c.room_id == room_id))).first()
            return _link(row) if row is not None else None

    async def by_token(self, token: str) -> PageLink | None:
        """The room served under `token`: None when no room has it, or its pages are off."""
        async with self._session() as s:
            row = (await s.execute(select(_W).where(_W.c.token == token, _W.c.enabled.is_(True)))).first()
            return _link(row) if row is not None else None

    async def set(self, room_id: str, *, token: str, enabled: bool, by: str, at: datetime) -> PageLink:
        """Store the room's token and state (creating its row)."""
        values = {"room_id": room_id, "token": token, "enabled": enabled, "changed_by": by, "changed_at": at}
        async with self._session() as s:
            await s.execute(upsert(s, _W, values, ["token", "enabled", "changed_by", "changed_at"]))
        return PageLink(room_id, token, enabled, by, at)

    async def turn_off(self, room_id: str, *, by: str, at: datetime) -> bool:
        """False when the pages were not on."""
        async with self._session() as s:
            result = await s.execute(update(_W).where(_W.c.room_id == room_id, _W.c.enabled.is_(True))
                                     .values(enabled=False, changed_by=by, changed_at=at))
            return result.rowcount == 1


class PageReads(Repo):
    async def open_actions(self, room_id: str, limit: int) -> tuple[list[ActionRecord], int]:
        """Up to `limit` open actions (soonest deadline first, then those without one, by number), and how many
        are open in all."""
        where = (_AC.c.room_id == room_id, _AC.c.status == "open")
        order = (_AC.c.due_at.is_(None), _AC.c.due_at, _AC.c.number)
        chosen = select(_AC.c.id).where(*where).order_by(*order).limit(limit)
        async with self._session() as s:
            total = await s.scalar(select(func.count()).select_from(_AC).where(*where))
            found = await _records(s, _AC.c.id.in_(chosen), order=order) if total else []
            return found, int(total or 0)

    async def meetings(self, room_id: str, *, offset: int, limit: int,
                       ended: bool = False) -> tuple[list[MeetingRecord], int]:
        """A page of the room's meetings, newest first, and how many there are (ended ones only with `ended`)."""
        where = [_MT.c.room_id == room_id]
        if ended:
            where.append(_MT.c.ended_at.is_not(None))
        async with self._session() as s:
            total = await s.scalar(select(func.count()).select_from(_MT).where(*where))
            rows = (await s.execute(select(_MT).where(*where).order_by(_MT.c.number.desc())
                                    .offset(offset).limit(limit))).all()
            return [_meeting(r) for r in rows], int(total or 0)

    async def last_decisions(self, room_id: str, limit: int) -> list[tuple[int, datetime, ItemRecord]]:
        """The room's latest decisions: (meeting number, meeting start, the decision), newest first."""
        stmt = (select(_IT, _MT.c.number.label("meeting_number"), _MT.c.started_at.label("meeting_at"))
                .join(_MT, _MT.c.id == _IT.c.meeting_id)
                .where(_MT.c.room_id == room_id, _IT.c.kind == "decision")
                .order_by(_IT.c.id.desc()).limit(limit))
        async with self._session() as s:
            return [(r.meeting_number, r.meeting_at, _item(r)) for r in (await s.execute(stmt)).all()]

    async def first_meeting_at(self, room_id: str) -> datetime | None:
        async with self._session() as s:
            return await s.scalar(select(func.min(_MT.c.started_at)).where(_MT.c.room_id == room_id))
