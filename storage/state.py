"""Bot-wide key/value state: access token, device id, user id, sync token."""
from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import Column, String, Text, delete, select

from storage.base import Base, Repo, execute_later, upsert


class BotState(Base):
    __tablename__ = "bot_state"

    key = Column(String(255), primary_key=True)
    value = Column(Text, nullable=False)


class StateRepo(Repo):
    async def get(self, key: str) -> str | None:
        async with self._session() as s:
            return await s.scalar(select(BotState.value).where(BotState.key == key))

    async def set(self, key: str, value: str | None) -> None:
        """Store ``value`` under ``key``; ``None`` deletes the key."""
        await self.set_many({key: value})

    async def set_many(self, values: Mapping[str, str | None]) -> None:
        """Set (or, for ``None``, delete) several keys in one transaction."""
        if not values:
            return
        async with self._session() as s:
            # Nothing reads these statements' results: on SQLite they go with the commit, one trip in all.
            gone = [k for k, v in values.items() if v is None]
            if gone:
                await execute_later(s, delete(BotState).where(BotState.key.in_(gone)))
            for k, v in values.items():
                if v is not None:
                    await execute_later(s, upsert(s, BotState.__table__, {"key": k, "value": v}, ["value"]))
