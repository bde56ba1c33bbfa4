"""Opening the database: engine set-up, migrations to head, and the ``Store`` facade."""
from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, nullcontext, suppress
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

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 10_000
# The bot_state table holds the access token: SQL values never reach the logs, nor error messages.
ENGINE_OPTIONS = {"hide_parameters": True}
SQLITE_FILES = ("", "-wal", "-shm", "-journal")  # the database and SQLite's companion files

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


def database_exists(url: str | URL) -> bool:
    """Whether opening ``url`` would find a database rather than create one; the check creates nothing.
    A server database (PostgreSQL) counts as existing: opening it leaves no file behind."""
    u = normalize_url(url)
    if u.get_backend_name() != "sqlite":
        return True
    return not is_sqlite_memory(u) and Path(u.database).exists()


def create_engine(url: str | URL) -> AsyncEngine:
    """The async engine for ``url``, with the SQLite connection settings applied."""
    u = normalize_url(url)
    if u.get_backend_name() != "sqlite":
        return create_async_engine(u, pool_pre_ping=True, **ENGINE_OPTIONS)
    memory = is_sqlite_memory(u)
    if not memory:
        owner_only(Path(u.database))
    # In memory: one connection shared by every session (StaticPool), else each would get its own
    # empty database. Store serialises sessions on it, see Store.session().
    engine = (create_async_engine(u, poolclass=StaticPool, **ENGINE_OPTIONS) if memory
              else create_async_engine(u, **ENGINE_OPTIONS))

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


def owner_only(path: Path) -> None:
    """The database holds the bot's access token: readable by its owner only.

    A missing directory is created 0700, the file 0600 before SQLite opens it (SQLite then gives its
    -wal/-shm/-journal files the database's mode). An existing file and its companions lose group and
    other access; an existing directory is left as it is (it may be shared on purpose, e.g. a volume).
    """
    _private_dirs(path.parent)
    if not path.exists():
        with suppress(FileExistsError):  # created meanwhile: the chmod below applies
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    for name in SQLITE_FILES:
        file = path.with_name(path.name + name)
        try:
            if file.exists() and file.stat().st_mode & 0o077:
                file.chmod(0o600)
        except OSError as exc:  # not ours to change: say so, SQLite will tell if it cannot use it
            log.warning("could not make %s readable by its owner only: %s", file, exc)


def _private_dirs(directory: Path) -> None:
    missing = []
    while not directory.exists():
        missing.append(directory)
        directory = directory.parent
    for d in reversed(missing):
        d.mkdir(mode=0o700, exist_ok=True)


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
