"""Per-room settings: language, timezone, when the bot joined, and free-form JSON overrides."""
from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Row, String, Text, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.base import Base, Repo, UTCDateTime, insert_ignore, read_back, utcnow
from storage.records import RoomSettings


class Room(Base):
    __tablename__ = "rooms"

    room_id = Column(String(255), primary_key=True)
    language = Column(String(32), nullable=False)
    timezone = Column(String(64), nullable=False)
    joined_at = Column(UTCDateTime())
    created_at = Column(UTCDateTime(), default=utcnow, nullable=False)
    settings = Column(Text, default="{}", server_default="{}", nullable=False)


class RoomNotFound(LookupError):
    pass


_UPDATABLE = {"language", "timezone", "joined_at", "overrides"}


def _to_settings(room: Any) -> RoomSettings:  # a row of the rooms table
    return RoomSettings(
        room_id=room.room_id,
        language=room.language,
        timezone=room.timezone,
        joined_at=room.joined_at,
        overrides=json.loads(room.settings or "{}"),
    )


async def _load(s: AsyncConnection, room_id: str) -> Row[Any] | None:
    return (await s.execute(select(Room.__table__).where(Room.room_id == room_id))).first()


class RoomRepo(Repo):
    def __init__(self, session) -> None:
        super().__init__(session)
        # Settings read once per room and kept until this repository writes them (the bot is their only writer:
        # `!réglages` goes through update()): one query less per command. Rooms not found are not kept.
        self._cache: dict[str, RoomSettings] = {}

    async def get(self, room_id: str) -> RoomSettings | None:
        cached = self._cache.get(room_id)
        if cached is None:
            async with self._session() as s:
                room = await _load(s, room_id)
                if room is None:
                    return None
                cached = self._cache[room_id] = _to_settings(room)
        return replace(cached, overrides=dict(cached.overrides))  # a copy: the cache is not changed through it

    @asynccontextmanager
    async def _writing(self, room_id: str) -> AsyncIterator[AsyncConnection]:
        """A session that writes the room: its cached settings go before, after the commit (a read by another
        task meanwhile saw the old row), and when the unit of work it is part of ends (a read in the unit after
        the write may still be rolled back)."""
        from storage.db import after_unit  # storage.db imports this module

        self._cache.pop(room_id, None)
        after_unit(lambda: self._cache.pop(room_id, None))
        try:
            async with self._session() as s:
                yield s
        finally:
            self._cache.pop(room_id, None)

    async def ensure(self, room_id: str, *, language: str, timezone: str) -> RoomSettings:
        """The room's settings, created with these defaults if the room is unknown.

        Safe under concurrent calls: the create is an ``INSERT ... ON CONFLICT DO NOTHING``, so the
        first writer wins and everyone reads the same row back.
        """
        found = await self.get(room_id)  # the common case: a read only
        if found is not None:
            return found
        async with self._writing(room_id) as s:
            await self._insert_if_missing(s, room_id, language, timezone)
            return _to_settings(read_back(await _load(s, room_id), "the room's settings"))

    async def update(self, room_id: str, **changes: Any) -> RoomSettings:
        """Change some of ``language``, ``timezone``, ``joined_at``, ``overrides`` (replaced whole).

        Raises ``RoomNotFound`` if the room is unknown (use ``ensure`` first).
        """
        async with self._writing(room_id) as s:
            room = await self._update(s, room_id, changes)
            if room is None:
                raise RoomNotFound(room_id)
            return _to_settings(room)

    async def set_joined(
        self, room_id: str, joined_at: datetime | None, *, language: str, timezone: str
    ) -> RoomSettings:
        """``ensure`` the room with these defaults, then set its ``joined_at``, in one transaction."""
        async with self._writing(room_id) as s:
            await self._insert_if_missing(s, room_id, language, timezone, joined_at=joined_at)
            room = await self._update(s, room_id, {"joined_at": joined_at})
            return _to_settings(read_back(room, "the room's settings"))

    async def all(self) -> list[RoomSettings]:
        async with self._session() as s:
            rooms = (await s.execute(select(Room.__table__).order_by(Room.room_id))).all()
            return [_to_settings(r) for r in rooms]

    @staticmethod
    async def _insert_if_missing(
        s: AsyncConnection, room_id: str, language: str, timezone: str, **extra: Any
    ) -> None:
        values = {"room_id": room_id, "language": language, "timezone": timezone, **extra}
        await s.execute(insert_ignore(s, Room.__table__, values))

    @staticmethod
    async def _update(s: AsyncConnection, room_id: str, changes: Mapping[str, Any]) -> Row[Any] | None:
        unknown = set(changes) - _UPDATABLE
        if unknown:
            raise TypeError(f"cannot update room field(s): {', '.join(sorted(unknown))}")
        values = {k: v for k, v in changes.items() if k != "overrides"}
        if "overrides" in changes:
            overrides = changes["overrides"]
            if not isinstance(overrides, Mapping):
                raise TypeError("overrides must be a mapping")
            values["settings"] = json.dumps(dict(overrides), sort_keys=True)
        if values:  # write first (no read-then-write upgrade, which SQLite may refuse under load)
            await s.execute(update(Room).where(Room.room_id == room_id).values(**values))
        return await _load(s, room_id)
