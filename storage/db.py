"""Opening the database: engine set-up, migrations to head, and the ``Store`` facade."""
from __future__ import annotations

import asyncio
import contextvars
import logging
import os
import re
import sqlite3
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, nullcontext, suppress
from contextvars import ContextVar
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, event, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import StaticPool

from storage.actions import ActionRepo, ThemeRepo
from storage.events import EventRepo
from storage import sqlite_driver
from storage import jobs as _jobs  # noqa: F401  (the job store's table belongs to the metadata)
from storage.meetings import MeetingRepo
from storage.mobilisations import MobilisationRepo
from storage.outbox import OutboxRepo
from storage.pages import PageReads, PageRepo
from storage.pending import PendingRepo
from storage.rooms import RoomRepo
from storage.schedules import ScheduleRepo, SubscriptionRepo
from storage.state import StateRepo

if TYPE_CHECKING:  # Alembic (~10 MiB with Mako) is imported only when the schema is behind: see migrate()
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# How long a write waits for another connection's lock before failing with "database is locked"
# (read when a connection opens: tests lower it).
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
    options: dict[str, Any] = dict(ENGINE_OPTIONS)
    if u.drivername == "sqlite+aiosqlite" and (module := sqlite_driver.dbapi()) is not None:
        options["module"] = module  # one trip to aiosqlite's thread per statement, not four
    engine = (create_async_engine(u, poolclass=StaticPool, **options) if memory
              else create_async_engine(u, **options))

    @event.listens_for(engine.sync_engine, "connect")
    def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            if not memory:
                cursor.execute("PRAGMA journal_mode=WAL")
                # In WAL mode NORMAL syncs at checkpoints, not at every commit: a commit survives a crash of
                # the process (it is in the -wal file the OS holds), and only an OS crash or power loss can
                # lose the last commits — never corrupt the database (docs/performance.md).
                cursor.execute("PRAGMA synchronous=NORMAL")
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
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    cfg.attributes["connection"] = connection
    return cfg


_REVISION_LINE = re.compile(r'^(down_revision|revision)\b[^=]*=\s*["\']?([^"\'\s]*)', re.MULTILINE)


def head_revision() -> str | None:
    """The head of the migration chain, read from the version files' ``revision`` / ``down_revision`` lines
    without importing Alembic; None if the chain is not one line (then Alembic decides)."""
    revisions, parents = set(), set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        found = dict((k, v) for k, v in _REVISION_LINE.findall(path.read_text(encoding="utf-8")))
        if "revision" in found:
            revisions.add(found["revision"])
            if found.get("down_revision") not in (None, "", "None"):
                parents.add(found["down_revision"])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


async def current_revision(engine: AsyncEngine) -> str | None:
    """The database's revision (Alembic's ``alembic_version`` table), None when it has none yet."""
    try:
        async with engine.connect() as connection:
            return (await connection.execute(text("SELECT version_num FROM alembic_version"))).scalar()
    except sa_exc.DBAPIError as exc:
        if storage_failure(exc) and "alembic_version" not in str(exc.orig):
            raise  # the database is down, not empty
        return None  # no such table: a new database


async def migrate(engine: AsyncEngine, revision: str = "head") -> None:
    """Upgrade the database to ``revision`` (a no-op when already there), in one transaction on
    PostgreSQL. A database already at the head is checked with one plain query: Alembic is not even
    imported then (it is the heaviest import of a start-up)."""
    if revision == "head" and (head := head_revision()) is not None and await current_revision(engine) == head:
        return
    from alembic import command

    def upgrade(sync_connection: Connection) -> None:
        command.upgrade(alembic_config(sync_connection), revision)

    async with engine.begin() as connection:
        await connection.run_sync(upgrade)


# ---- failures of the database itself ---------------------------------------------------------------

# SQLSTATE classes that mean the server, not the statement, is the problem: connection exception (08),
# insufficient resources such as a full disk (53), operator intervention such as a shutdown or a server
# still starting (57), system error (58).
_UNAVAILABLE_SQLSTATES = ("08", "53", "57", "58")


class UnitAborted(Exception):
    """A unit of work (``Store.atomic``) failed part-way and was rolled back whole; ``__cause__`` is the
    first failure. Raised when the block ends, and by any use of the store inside the block after the
    failure (there is nothing left to write into)."""


def storage_failure(exc: BaseException | None) -> bool:
    """Is `exc` the database failing — locked, full, unreachable, restarting, timed out — rather than a
    bug or a constraint? Such a failure is worth a "try again in a moment" to the user."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, (sa_exc.IntegrityError, sa_exc.ProgrammingError, sa_exc.DataError)):
            return False
        if isinstance(exc, (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError,
                            sa_exc.DisconnectionError, sqlite3.OperationalError, ConnectionError, TimeoutError)):
            return True
        if isinstance(exc, sa_exc.DBAPIError) and exc.connection_invalidated:
            return True
        sqlstate = getattr(exc, "sqlstate", None)
        if isinstance(sqlstate, str) and sqlstate[:2] in _UNAVAILABLE_SQLSTATES:
            return True
        if type(exc).__module__.startswith("asyncpg") and type(exc).__name__ == "InterfaceError":
            return True  # asyncpg's "connection is closed"
        if isinstance(exc, sa_exc.DBAPIError):
            exc = exc.orig
        else:
            exc = exc.__cause__
    return False


def _poisons(exc: BaseException) -> bool:
    """Does `exc`, raised inside a unit of work, leave its transaction unusable? Database errors do (on
    PostgreSQL the transaction is aborted; on SQLite a failed write may have half-happened); a handler's
    own exception (ActionNotFound, a UserError…) does not."""
    return (isinstance(exc, (sa_exc.SQLAlchemyError, sqlite3.Error, OSError, TimeoutError))
            or type(exc).__module__.startswith("asyncpg") or storage_failure(exc))


class Unit:
    """One unit of work: a single connection and transaction shared by every repository call made inside
    ``Store.atomic()`` by the task that opened it."""

    def __init__(self, store: "Store", connection: AsyncConnection) -> None:
        self.store = store
        self.connection = connection
        self.failure: BaseException | None = None
        self.given: dict[tuple[str, str], int] = {}  # numbers taken in the unit (storage/counters.py)
        self.on_end: list[Callable[[], None]] = []  # run when the block ends, committed or rolled back
        self.on_commit: list[Callable[[], None]] = []  # run once it is committed
        self.active = True  # False once the block has ended
        self.task = asyncio.current_task()

    def joins(self, store: "Store") -> bool:
        """Is a call on `store` part of this unit? Only from the task that opened it, while it is open: a
        task or callback started from inside the block (asyncio copies the context into them — APScheduler
        does, when a handler schedules a job) runs on its own transactions."""
        return self.active and self.store is store and asyncio.current_task() is self.task

    def _check(self) -> None:
        if self.failure is not None:
            raise UnitAborted("an earlier statement of this unit of work failed") from self.failure

    @asynccontextmanager
    async def part(self) -> AsyncIterator[AsyncConnection]:
        """What ``Store.session()`` gives inside the unit: the unit's connection, no commit."""
        self._check()
        try:
            yield self.connection
        except BaseException as exc:
            if _poisons(exc) and self.failure is None:
                self.failure = exc
            raise


_unit: ContextVar[Unit | None] = ContextVar("relais_unit_of_work", default=None)


def after_unit(callback: Callable[[], None]) -> None:
    """`callback()` when the current task's unit of work ends (committed or rolled back); nothing outside one.
    A cache dropping an entry written in a unit uses it: what the unit read after its write may be rolled back."""
    unit = _current_unit()
    if unit is not None:
        unit.on_end.append(callback)


def after_commit(callback: Callable[[], None]) -> None:
    """`callback()` once the current task's unit of work is committed (never if it rolls back); at once outside
    one (the caller's own transaction is then committed already)."""
    unit = _current_unit()
    if unit is None:
        callback()
    else:
        unit.on_commit.append(callback)


def _current_unit() -> Unit | None:
    unit = _unit.get()
    return unit if unit is not None and unit.active and unit.task is asyncio.current_task() else None


def note_given(connection: AsyncConnection, room_id: str, kind: str, number: int) -> None:
    """`number` of the room's `kind` sequence was taken on `connection`: noted if that is the current task's
    unit of work (a number taken in another transaction is not the unit's)."""
    unit = _current_unit()
    if unit is not None and unit.connection is connection:
        unit.given[(room_id, kind)] = number


def commit_with_next_statement() -> None:
    """The current task's unit of work ends with its next statement: on SQLite the commit goes to the database
    in the same trip to aiosqlite's thread (storage/sqlite_driver.py), one trip less per unit. If that statement
    fails, nothing is committed and the unit rolls back as before. Only for the last statement of a unit: what
    the unit runs after it would be in a transaction of its own. Nothing changes outside a unit, in a unit
    where a database error was raised, or on PostgreSQL."""
    unit = _current_unit()
    if unit is None or unit.failure is not None:
        return
    adapted = sqlite_driver.one_trip_of(unit.connection)
    if adapted is not None:
        adapted.commit_with_next = True


def given_in_unit(room_id: str, kind: str) -> int | None:
    """The last number of that sequence taken in the current task's unit of work; None outside one."""
    unit = _current_unit()
    return unit.given.get((room_id, kind)) if unit is not None else None


def outside_unit() -> contextvars.Context:
    """A copy of the current context outside any unit of work: give it to ``asyncio.create_task``
    (``context=``) for a task that must not share the unit's transaction (e.g. sending what it decided)."""
    context = contextvars.copy_context()
    context.run(_unit.set, None)
    return context


class Store:
    """The repositories, over one engine. Build it with ``open_store``."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        sqlite = engine.url.get_backend_name() == "sqlite"
        # SQLite: the Store's transactions go one at a time, on one connection. In memory that connection is
        # the database (two interleaved transactions on it would be one). In a file SQLite writes one
        # transaction at a time anyway; a second connection would only read alongside, at the cost of its own
        # aiosqlite thread, schema copy and page cache, the latter dropped whenever the other one writes
        # (docs/performance.md, round 20). PostgreSQL's pool serves transactions side by side.
        self._lock = asyncio.Lock() if sqlite else None
        # SQLite in a file: that connection stays checked out between transactions. Checking one out of
        # SQLAlchemy's pool and giving it back cost ~0.16 ms of CPU a unit (two greenlet hops, a shielded
        # task, the pool's reset): about a statement's worth (docs/performance.md, round 8).
        self._kept: AsyncConnection | None = None
        self._keeps = sqlite and not is_sqlite_memory(engine.url)
        self._kept_from = engine.sync_engine.pool  # replaced by engine.dispose(): then the kept one is closed
        self.state = StateRepo(self.session)
        self.rooms = RoomRepo(self.session)
        self.events = EventRepo(self.session)
        self.actions = ActionRepo(self.session)
        self.themes = ThemeRepo(self.session)
        self.meetings = MeetingRepo(self.session)
        self.schedules = ScheduleRepo(self.session)
        self.subscriptions = SubscriptionRepo(self.session)
        self.mobilisations = MobilisationRepo(self.session)
        self.outbox = OutboxRepo(self.session)
        self.pages = PageRepo(self.session)  # a room's web pages: token, on/off
        self.page_reads = PageReads(self.session)  # the pages' bounded reads
        self.pending = PendingRepo(self.session)  # encrypted events waiting for their key

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncConnection]:
        """One transaction, on a SQLAlchemy Core connection: commits when the block ends, rolls back if it
        raises.

        Repositories open one per method, run statements (no ORM session: its bookkeeping cost more than the
        statements, docs/performance.md) and return plain dataclasses. Do not open one while holding
        another (on SQLite it would wait for itself forever). Inside ``atomic()`` the block is part of the
        unit's transaction instead, committed with it.
        """
        unit = _unit.get()
        if unit is not None and unit.joins(self):
            async with unit.part() as session:
                yield session
            return
        async with self._turn() as connection, connection.begin():
            yield connection

    @asynccontextmanager
    async def atomic(self) -> AsyncIterator[Unit]:
        """A unit of work: every repository call in the block (in this task) runs in one transaction,
        committed when the block ends, rolled back whole if it raises — or if a database error was raised
        inside it, even one that something caught (then ``UnitAborted`` is raised, from that error).

        A command's claim, its changes and its outbox rows are one unit: after a crash either all of
        them are in the database or none is. Nested ``atomic()`` blocks are part of the outer one. Tasks
        created in the block are not part of it (on SQLite they wait for it to end).
        """
        current = _unit.get()
        if current is not None and current.joins(self):
            yield current
            return
        async with self._turn() as connection:
            unit = Unit(self, connection)
            token = _unit.set(unit)
            try:
                async with connection.begin():
                    yield unit
                    unit._check()
                committed = unit.on_commit
            finally:
                unit.active = False
                for callback in unit.on_end:
                    callback()
                _unit.reset(token)
            for callback in committed:
                callback()

    @asynccontextmanager
    async def _turn(self) -> AsyncIterator[AsyncConnection]:
        """A connection for one transaction: on SQLite the kept one, once the transaction before is over."""
        async with self._lock or nullcontext():
            connection = await self._connection()
            try:
                yield connection
            finally:
                await self._give_back(connection)

    async def _connection(self) -> AsyncConnection:
        """The kept connection (taken: given back by ``_give_back``), or a new one."""
        kept, self._kept = self._kept, None
        if kept is not None and self.engine.sync_engine.pool is not self._kept_from:  # disposed: open anew
            self._kept_from = self.engine.sync_engine.pool
            await kept.close()
            kept = None
        return kept if kept is not None else await self.engine.connect()

    async def _give_back(self, connection: AsyncConnection) -> None:
        """Keep a transaction's connection for the next one if it ended clean (its transaction over, still
        valid); else close it, whatever cancels the closing task (as ``async with engine.connect()`` does)."""
        if (self._keeps and self._kept is None and not connection.invalidated
                and not connection.in_transaction()):
            self._kept = connection
            return
        await asyncio.shield(connection.close())

    async def close(self) -> None:
        kept, self._kept, self._keeps = self._kept, None, False
        if kept is not None:
            await kept.close()
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
