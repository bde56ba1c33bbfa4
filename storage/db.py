"""Opening the database: engine set-up, migrations to head, and the ``Store`` facade."""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, nullcontext
from pathlib import Path
from types import TracebackType
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import StaticPool

from storage.actions import ActionRepo, ThemeRepo
from storage.events import EventRepo
from storage import jobs as _jobs  # noqa: F401  (the job store's table belongs to the metadata)
from storage.meetings import MeetingRepo
from storage.rooms import RoomRepo
from storage.schedules import ScheduleRepo, SubscriptionRepo
from storage.state import StateRepo

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 10_000

_ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "sqlite+pysqlite": "sqlite+aiosqlite",
    "postgres": "postgresql+asyncpg",
    "postgresql": "postgresql+asyncpg",
    "postgresql+psycopg2": "postgresql+asyncpg",
}


def normalize_url(url: str | URL) -> URL:
    """Parse ``url``, swapping a synchronous driver (``sqlite://``, ``postgresql://``) for its
    async counterpart, so a config may name either."""
    u = make_url(url)
    return u.set(drivername=_ASYNC_DRIVERS.get(u.drivername, u.drivername))


def is_sqlite_memory(url: URL) -> bool:
    return url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:")


def create_engine(url: str | URL) -> AsyncEngine:
    """The async engine for ``url``, with the SQLite connection settings applied."""
    u = normalize_url(url)
    if u.get_backend_name() != "sqlite":
        return create_async_engine(u, pool_pre_ping=True)
    memory = is_sqlite_memory(u)
    # In memory: one connection shared by every session (StaticPool), else each would get its own
    # empty database. Store serialises sessions on it, see Store.session().
    engine = create_async_engine(u, poolclass=StaticPool) if memory else create_async_engine(u)

    @event.listens_for(engine.sync_engine, "connect")
    def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            if not memory:
                cursor.execute("PRAGMA journal_mode=WAL")
        finally:
            cursor.close()

    return engine


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration, built in code: no alembic.ini is read, whatever the cwd.

    With ``connection``, env.py migrates on that connection; without it (command line), env.py
    takes the URL from ``-x url=...`` or ``$RELAIS_STORAGE_URL``.
    """
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    cfg.attributes["connection"] = connection
    return cfg


async def migrate(engine: AsyncEngine, revision: str = "head") -> None:
    """Upgrade the database to ``revision`` (a no-op when already there), in one transaction on
    PostgreSQL."""

    def upgrade(sync_connection: Connection) -> None:
        command.upgrade(alembic_config(sync_connection), revision)

    async with engine.begin() as connection:
        await connection.run_sync(upgrade)


class Store:
    """The repositories, over one engine. Build it with ``open_store``."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._sessions = async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
        # An in-memory SQLite database is one shared connection: two interleaved transactions on it
        # would be one transaction. Serialise sessions there; real databases need no lock.
        self._lock = asyncio.Lock() if is_sqlite_memory(engine.url) else None
        self.state = StateRepo(self.session)
        self.rooms = RoomRepo(self.session)
        self.events = EventRepo(self.session)
        self.actions = ActionRepo(self.session)
        self.themes = ThemeRepo(self.session)
        self.meetings = MeetingRepo(self.session)
        self.schedules = ScheduleRepo(self.session)
        self.subscriptions = SubscriptionRepo(self.session)

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """One transaction: commits when the block ends, rolls back if it raises.

        Repositories open one per method and return plain dataclasses, never ORM objects. Do not
        open a session while holding another (it would deadlock on an in-memory database).
        """
        async with self._lock or nullcontext():
            async with self._sessions() as session, session.begin():
                yield session

    async def close(self) -> None:
        await self.engine.dispose()

    async def __aenter__(self) -> Store:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()


async def open_store(url: str | URL) -> Store:
    """Connect to ``url`` (``sqlite+aiosqlite:///path``, ``sqlite+aiosqlite://`` for an in-memory
    database, ``postgresql+asyncpg://...``), migrate it to head and return the ``Store``."""
    engine = create_engine(url)
    try:
        await migrate(engine)
    except BaseException:
        await engine.dispose()
        raise
    return Store(engine)
