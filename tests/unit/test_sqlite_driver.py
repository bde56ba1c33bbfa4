"""SQLite's statements take one trip to aiosqlite's thread (storage/sqlite_driver.py): what SQLAlchemy gives
back — rows, counts, generated ids, errors, transactions — is what the stock adapter gave."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import text

from storage import open_store
from storage.sqlite_driver import OneTripCursor, OneTripDBAPI


@pytest.fixture
async def store(tmp_path: Path):
    s = await open_store(f"sqlite+aiosqlite:///{tmp_path / 'relais.db'}")
    yield s
    await s.close()


async def test_the_file_database_uses_one_trip_per_statement(store) -> None:
    assert isinstance(store.engine.dialect.dbapi, OneTripDBAPI)
    async with store.session() as s:
        raw = await s.get_raw_connection()
        assert isinstance(raw.dbapi_connection.cursor(), OneTripCursor)


async def test_rows_counts_ids_and_errors_come_back_as_before(store) -> None:
    async with store.session() as s:
        await s.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT UNIQUE)"))
        inserted = await s.execute(text("INSERT INTO t (v) VALUES ('a'), ('b'), ('c')"))
        assert inserted.rowcount == 3
        one = await s.execute(text("INSERT INTO t (v) VALUES ('d')"))
        assert one.lastrowid == 4
        assert (await s.execute(text("SELECT v FROM t ORDER BY id"))).scalars().all() == ["a", "b", "c", "d"]
        assert (await s.execute(text("SELECT v FROM t WHERE id = :i"), {"i": 2})).scalar_one() == "b"
        assert (await s.execute(text("SELECT v FROM t WHERE id = 99"))).first() is None
        updated = await s.execute(text("UPDATE t SET v = v || '!' WHERE id > 2"))
        assert updated.rowcount == 2
        returned = await s.execute(text("INSERT INTO t (v) VALUES ('e') RETURNING id, v"))
        assert returned.one() == (5, "e")
    with pytest.raises(sa_exc.IntegrityError):
        async with store.session() as s:
            await s.execute(text("INSERT INTO t (v) VALUES ('a')"))
    with pytest.raises(sa_exc.OperationalError):
        async with store.session() as s:
            await s.execute(text("SELECT * FROM no_such_table"))


async def test_a_failed_block_is_rolled_back_whole(store) -> None:
    async with store.session() as s:
        await s.execute(text("CREATE TABLE t (v TEXT UNIQUE)"))
    with pytest.raises(sa_exc.IntegrityError):
        async with store.session() as s:
            await s.execute(text("INSERT INTO t VALUES ('kept only if all succeed')"))
            await s.execute(text("INSERT INTO t VALUES ('x'), ('x')"))
    async with store.session() as s:
        assert (await s.execute(text("SELECT count(*) FROM t"))).scalar_one() == 0


async def test_a_connection_given_back_mid_transaction_is_rolled_back(store) -> None:
    """The pool's reset skips the rollback only when no transaction is open: an abandoned one is undone."""
    async with store.session() as s:
        await s.execute(text("CREATE TABLE t (v TEXT)"))
    async with store.engine.connect() as conn:
        await conn.execute(text("INSERT INTO t VALUES ('never committed')"))
        raw = await conn.get_raw_connection()
        assert raw.dbapi_connection._connection.in_transaction
    async with store.session() as s:  # the same pooled connection, given back without a commit
        assert (await s.execute(text("SELECT count(*) FROM t"))).scalar_one() == 0


async def test_a_block_that_only_read_makes_no_commit_trip_and_one_that_wrote_commits(store, tmp_path) -> None:
    import aiosqlite

    async with store.session() as s:
        await s.execute(text("CREATE TABLE t (v TEXT)"))
    trips: list[str] = []
    execute = aiosqlite.Connection._execute

    async def counted(self, fn, *args, **kwargs):
        trips.append(getattr(fn, "__name__", repr(fn)))
        return await execute(self, fn, *args, **kwargs)

    aiosqlite.Connection._execute = counted
    try:
        async with store.session() as s:
            assert (await s.execute(text("SELECT count(*) FROM t"))).scalar_one() == 0
        assert trips == ["_run"]  # the SELECT; nothing to commit
        trips.clear()
        async with store.session() as s:
            await s.execute(text("SELECT count(*) FROM t"))
            await s.execute(text("INSERT INTO t VALUES ('after a read')"))
        assert trips == ["_run", "_run", "commit"]
    finally:
        aiosqlite.Connection._execute = execute
    other = await open_store(f"sqlite+aiosqlite:///{tmp_path / 'relais.db'}")  # another process's view
    try:
        async with other.session() as s:
            assert (await s.execute(text("SELECT v FROM t"))).scalars().all() == ["after a read"]
    finally:
        await other.close()
