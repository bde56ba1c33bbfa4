"""storage: migrations and repositories, on SQLite (file and in-memory) and PostgreSQL."""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, event, inspect, text
from sqlalchemy.exc import StatementError

from storage import RoomNotFound, RoomSettings, Store, open_store
from storage.base import Base
from storage.jobs import compared
from storage.db import alembic_config, create_engine, migrate
from storage.rooms import Room
from tests.postgres import create_database, drop_database, postgres_url  # noqa: F401 (fixture)

BACKENDS = [
    "sqlite-file",
    "sqlite-memory",
    pytest.param("postgres", marks=pytest.mark.postgres),
]
PERSISTENT = ["sqlite-file", pytest.param("postgres", marks=pytest.mark.postgres)]
TABLES = {"alembic_version", "bot_state", "rooms", "processed_events"}
PARIS = timezone(timedelta(hours=2))
T0 = datetime(2025, 6, 1, 12, 0, 0, 123456, tzinfo=UTC)


@pytest.fixture
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A URL to a new, empty (not even migrated) database of the requested backend."""
    backend = request.param
    if backend == "sqlite-file":
        yield f"sqlite+aiosqlite:///{tmp_path / 'relais.db'}"
    elif backend == "sqlite-memory":
        yield "sqlite+aiosqlite://"
    else:
        url = await create_database(request.getfixturevalue("postgres_url"))
        yield url
        await drop_database(url)


@pytest.fixture
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    """An open store on an empty database of the requested backend.

    PostgreSQL: the session's database (migrated once), emptied first, as creating a database per
    test costs ~0.4 s; SQLite: a new database each time.
    """
    backend = request.param
    if backend == "postgres":
        s = await open_store(request.getfixturevalue("postgres_url"))
        tables = [t.name for t in Base.metadata.sorted_tables]
        async with s.session() as session:
            await session.execute(text(f"TRUNCATE {', '.join(tables)}"))
    elif backend == "sqlite-file":
        s = await open_store(f"sqlite+aiosqlite:///{tmp_path / 'relais.db'}")
    else:
        s = await open_store("sqlite+aiosqlite://")
    yield s
    await s.close()


def parametrize_backends(backends: list, fixture: str = "store") -> pytest.MarkDecorator:
    return pytest.mark.parametrize(fixture, backends, indirect=True)


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


async def current_revision(s: Store) -> str | None:
    async with s.session() as session:
        return await session.scalar(text("SELECT version_num FROM alembic_version"))


async def table_names(s: Store) -> set[str]:
    async with s.engine.connect() as conn:
        return set(await conn.run_sync(lambda c: inspect(c).get_table_names()))


# --- migrations -----------------------------------------------------------------------------------


@parametrize_backends(BACKENDS, "db_url")
async def test_open_migrates_fresh_database_to_head(db_url: str) -> None:
    store = await open_store(db_url)
    try:
        assert await current_revision(store) == head_revision()
        assert TABLES <= await table_names(store)
        async with store.engine.connect() as conn:
            indexes = await conn.run_sync(lambda c: inspect(c).get_indexes("processed_events"))
        assert any(ix["column_names"] == ["processed_at"] for ix in indexes)
    finally:
        await store.close()


@parametrize_backends(PERSISTENT, "db_url")
async def test_reopening_keeps_data_and_runs_no_ddl(db_url: str) -> None:
    first = await open_store(db_url)
    await first.state.set("sync_token", "s1")
    await first.rooms.ensure("!a:x", language="fr", timezone="Europe/Paris")
    await first.close()

    engine = create_engine(db_url)
    statements: list[str] = []
    event.listen(
        engine.sync_engine, "before_cursor_execute", lambda *a: statements.append(a[2].strip().upper())
    )
    try:
        await migrate(engine)
    finally:
        await engine.dispose()
    writing = {"CREATE", "ALTER", "DROP", "INSERT", "UPDATE", "DELETE"}
    writes = [s for s in statements if s.split()[0] in writing]
    assert statements and not writes

    second = await open_store(db_url)
    try:
        assert await current_revision(second) == head_revision()
        assert await second.state.get("sync_token") == "s1"
        assert [r.room_id for r in await second.rooms.all()] == ["!a:x"]
    finally:
        await second.close()


@parametrize_backends(BACKENDS)
async def test_models_match_migrations(store: Store) -> None:
    """A model changed without a revision (or the reverse) shows up here."""

    def diff(connection: Connection) -> list:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "include_object": compared})
        return compare_metadata(context, Base.metadata)

    async with store.engine.connect() as conn:
        assert await conn.run_sync(diff) == []


async def test_sqlite_file_connection_settings(tmp_path: Path) -> None:
    s = await open_store(f"sqlite+aiosqlite:///{tmp_path / 'relais.db'}")
    try:
        async with s.session() as session:
            assert (await session.scalar(text("PRAGMA journal_mode"))).lower() == "wal"
            assert await session.scalar(text("PRAGMA foreign_keys")) == 1
            assert await session.scalar(text("PRAGMA busy_timeout")) >= 1000
    finally:
        await s.close()


async def test_sqlite_file_serves_many_tasks_on_one_connection(tmp_path: Path) -> None:
    # SQLite writes one transaction at a time: a second connection would cost a thread, a schema copy and a
    # page cache for nothing (storage/db.py, Store). Many tasks' units and sessions at once all land, one at a time.
    s = await open_store(f"sqlite+aiosqlite:///{tmp_path / 'relais.db'}")
    opened = []
    event.listen(s.engine.sync_engine, "connect", lambda *_: opened.append(1))
    try:
        async def write(i: int) -> str | None:
            async with s.atomic():
                await s.state.set(f"k{i}", str(i))
                await asyncio.sleep(0)  # another task's turn comes while this unit is open
                return await s.state.get(f"k{i}")

        async def claim(i: int) -> bool:  # a session of its own, outside any unit
            return await s.events.claim(f"$e{i}", "!r:x", T0)

        results = await asyncio.gather(*(write(i) for i in range(30)), *(claim(i) for i in range(30)))
        assert results == [str(i) for i in range(30)] + [True] * 30
        assert [await s.state.get(f"k{i}") for i in range(30)] == [str(i) for i in range(30)]
        assert len(opened) <= 1  # the connection open_store's migration check left in the pool, or one new
    finally:
        await s.close()


async def test_plain_sqlite_url_gets_the_async_driver() -> None:
    s = await open_store("sqlite://")
    try:
        assert s.engine.url.drivername == "sqlite+aiosqlite"
        assert await s.events.claim("$e", "!r", T0)
    finally:
        await s.close()


# --- processed events -----------------------------------------------------------------------------


@parametrize_backends(BACKENDS)
async def test_claim_is_true_once_then_false(store: Store) -> None:
    assert await store.events.claim("$e1", "!r:x", T0) is True
    assert await store.events.claim("$e1", "!r:x", T0 + timedelta(seconds=5)) is False
    assert await store.events.claim("$e1", "!other:x", T0) is False
    assert await store.events.claim("$e2", "!r:x", T0) is True


@parametrize_backends(BACKENDS)
async def test_concurrent_claims_have_exactly_one_winner(store: Store) -> None:
    for round_ in range(3):
        results = await asyncio.gather(
            *(store.events.claim(f"$same{round_}", "!r:x", T0) for _ in range(20))
        )
        assert results.count(True) == 1, results
    # and distinct ids claimed concurrently all win
    results = await asyncio.gather(*(store.events.claim(f"$d{i}", "!r:x", T0) for i in range(20)))
    assert all(results)


@parametrize_backends(BACKENDS)
async def test_prune_removes_strictly_older_events(store: Store) -> None:
    for i, age in enumerate([timedelta(hours=3), timedelta(hours=2), timedelta(hours=1), timedelta(0)]):
        assert await store.events.claim(f"$e{i}", "!r:x", T0 - age)
    assert await store.events.prune(T0 - timedelta(hours=2)) == 1  # only the 3h-old one
    assert await store.events.prune(T0 - timedelta(minutes=30)) == 2
    assert await store.events.prune(T0 - timedelta(minutes=30)) == 0
    # pruned ids can be claimed again; kept ones cannot
    assert await store.events.claim("$e0", "!r:x", T0) is True
    assert await store.events.claim("$e3", "!r:x", T0) is False
    # the cut-off may be given in any timezone
    assert await store.events.prune((T0 + timedelta(seconds=1)).astimezone(PARIS)) == 2


# --- rooms ------------------------------------------------------------------------------------------


@parametrize_backends(BACKENDS)
async def test_rooms_ensure_update_all(store: Store) -> None:
    assert await store.rooms.get("!a:x") is None
    created = await store.rooms.ensure("!a:x", language="fr", timezone="Europe/Paris")
    assert created == RoomSettings("!a:x", "fr", "Europe/Paris", None, {})
    # an existing room keeps its settings whatever defaults are passed
    assert await store.rooms.ensure("!a:x", language="en", timezone="UTC") == created
    assert await store.rooms.get("!a:x") == created

    updated = await store.rooms.update("!a:x", language="en", overrides={"prefix": "?", "n": [1, 2]})
    assert updated == RoomSettings("!a:x", "en", "Europe/Paris", None, {"prefix": "?", "n": [1, 2]})
    assert await store.rooms.get("!a:x") == updated
    updated = await store.rooms.update("!a:x", timezone="America/Montreal", joined_at=T0)
    assert updated.timezone == "America/Montreal" and updated.joined_at == T0
    assert updated.overrides == {"prefix": "?", "n": [1, 2]}
    assert (await store.rooms.update("!a:x", overrides={})).overrides == {}
    assert (await store.rooms.update("!a:x", joined_at=None)).joined_at is None

    await store.rooms.ensure("!c:x", language="de", timezone="Europe/Berlin")
    await store.rooms.ensure("!b:x", language="fr", timezone="Europe/Paris")
    assert [r.room_id for r in await store.rooms.all()] == ["!a:x", "!b:x", "!c:x"]


@parametrize_backends(BACKENDS)
async def test_room_update_errors(store: Store) -> None:
    with pytest.raises(RoomNotFound):
        await store.rooms.update("!nope:x", language="en")
    await store.rooms.ensure("!a:x", language="fr", timezone="Europe/Paris")
    with pytest.raises(TypeError):
        await store.rooms.update("!a:x", room_id="!b:x")
    with pytest.raises(TypeError):
        await store.rooms.update("!a:x", overrides=["not", "a", "dict"])
    assert await store.rooms.get("!a:x") == RoomSettings("!a:x", "fr", "Europe/Paris", None, {})


@parametrize_backends(BACKENDS)
async def test_set_joined_creates_or_updates(store: Store) -> None:
    joined = await store.rooms.set_joined("!new:x", T0, language="fr", timezone="Europe/Paris")
    assert joined == RoomSettings("!new:x", "fr", "Europe/Paris", T0, {})
    await store.rooms.update("!new:x", language="en")
    later = T0 + timedelta(days=1)
    rejoined = await store.rooms.set_joined("!new:x", later, language="fr", timezone="UTC")
    assert rejoined == RoomSettings("!new:x", "en", "Europe/Paris", later, {})


@parametrize_backends(BACKENDS)
async def test_concurrent_ensure_creates_one_room(store: Store) -> None:
    results = await asyncio.gather(
        *(store.rooms.ensure("!a:x", language=f"l{i}", timezone="UTC") for i in range(20))
    )
    assert len(set(results)) == 1
    assert len(await store.rooms.all()) == 1


@parametrize_backends(BACKENDS)
async def test_room_created_at_is_set(store: Store) -> None:
    before = datetime.now(UTC)
    await store.rooms.ensure("!a:x", language="fr", timezone="Europe/Paris")
    async with store.session() as session:
        created_at = await session.scalar(Room.__table__.select().with_only_columns(Room.created_at))
    assert created_at.tzinfo is UTC and before - timedelta(seconds=5) <= created_at <= datetime.now(UTC)


# --- datetimes --------------------------------------------------------------------------------------


@parametrize_backends(BACKENDS)
async def test_aware_datetimes_round_trip_as_utc(store: Store) -> None:
    paris_time = datetime(2025, 3, 30, 3, 30, 0, 654321, tzinfo=PARIS)
    room = await store.rooms.set_joined("!a:x", paris_time, language="fr", timezone="Europe/Paris")
    for value in (room.joined_at, (await store.rooms.get("!a:x")).joined_at):
        assert value == paris_time
        assert value.tzinfo is UTC
        assert value.utcoffset() == timedelta(0)
        assert (value.hour, value.microsecond) == (1, 654321)


@parametrize_backends(BACKENDS)
async def test_naive_datetimes_are_refused(store: Store) -> None:
    with pytest.raises((ValueError, StatementError)):
        await store.events.claim("$e", "!r:x", datetime(2025, 1, 1, 12, 0))
    await store.rooms.ensure("!a:x", language="fr", timezone="Europe/Paris")
    with pytest.raises((ValueError, StatementError)):
        await store.rooms.update("!a:x", joined_at=datetime(2025, 1, 1, 12, 0))
    assert await store.events.claim("$e", "!r:x", T0) is True


# --- bot state ----------------------------------------------------------------------------------------


@parametrize_backends(BACKENDS)
async def test_state_set_get_delete(store: Store) -> None:
    assert await store.state.get("access_token") is None
    await store.state.set("access_token", "secret")
    assert await store.state.get("access_token") == "secret"
    await store.state.set("access_token", "other")
    assert await store.state.get("access_token") == "other"
    await store.state.set("access_token", None)
    assert await store.state.get("access_token") is None
    await store.state.set("access_token", None)  # deleting a missing key is fine

    await store.state.set("device_id", "DEV")
    await store.state.set_many({"user_id": "@bot:x", "sync_token": "s42", "device_id": None})
    assert await store.state.get("user_id") == "@bot:x"
    assert await store.state.get("sync_token") == "s42"
    assert await store.state.get("device_id") is None
    await store.state.set_many({})
    await store.state.set("long", "x" * 100_000)
    assert await store.state.get("long") == "x" * 100_000


# --- sessions -------------------------------------------------------------------------------------------


@parametrize_backends(BACKENDS)
async def test_session_rolls_back_on_error(store: Store) -> None:
    with pytest.raises(RuntimeError):
        async with store.session() as session:
            await session.execute(text("INSERT INTO bot_state (key, value) VALUES ('k', 'v')"))
            raise RuntimeError("boom")
    assert await store.state.get("k") is None
    async with store.session() as session:
        await session.execute(text("INSERT INTO bot_state (key, value) VALUES ('k', 'v')"))
    assert await store.state.get("k") == "v"
