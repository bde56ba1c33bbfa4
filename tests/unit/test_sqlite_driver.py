"""SQLite's statements take one trip to aiosqlite's thread (storage/sqlite_driver.py): what SQLAlchemy gives
back — rows, counts, generated ids, errors, transactions — is what the stock adapter gave."""
from __future__ import annotations

from pathlib import Path

import asyncio
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


@pytest.fixture
async def table(store) -> None:
    """A table `t` with a unique text column `v`."""
    async with store.session() as s:
        await s.execute(text("CREATE TABLE t (v TEXT UNIQUE)"))


@pytest.fixture
def trips():
    import aiosqlite

    seen: list[str] = []
    execute = aiosqlite.Connection._execute

    async def counted(self, fn, *args, **kwargs):
        name = getattr(fn, "__name__", repr(fn))
        if name == "_run":  # (connection, operation, parameters, many, deferred, commit)
            name += "+deferred" * bool(args[4:5] and args[4]) + "+commit" * (args[5:6] == (True,))
        seen.append(name)
        return await execute(self, fn, *args, **kwargs)

    aiosqlite.Connection._execute = counted
    yield seen
    aiosqlite.Connection._execute = execute


async def another_view(tmp_path: Path) -> list[str]:
    """The table as another connection (another process) reads it: what was committed."""
    other = await open_store(f"sqlite+aiosqlite:///{tmp_path / 'relais.db'}")
    try:
        async with other.session() as s:
            return (await s.execute(text("SELECT v FROM t ORDER BY v"))).scalars().all()
    finally:
        await other.close()


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


async def test_a_failed_block_is_rolled_back_whole(store, table) -> None:
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


async def test_a_block_that_only_read_makes_no_commit_trip_and_one_that_wrote_commits(
        store, tmp_path, table, trips) -> None:
    trips.clear()
    async with store.session() as s:
        assert (await s.execute(text("SELECT count(*) FROM t"))).scalar_one() == 0
    assert trips == ["_run"]  # the SELECT; nothing to commit
    trips.clear()
    async with store.session() as s:
        await s.execute(text("SELECT count(*) FROM t"))
        await s.execute(text("INSERT INTO t VALUES ('after a read')"))
    assert trips == ["_run", "_run", "commit"]
    assert await another_view(tmp_path) == ["after a read"]


async def test_a_unit_whose_last_statement_commits_takes_one_trip_less_and_commits_everything(
        store, tmp_path, trips, table) -> None:
    from storage.db import commit_with_next_statement

    trips.clear()
    async with store.atomic() as unit:
        await unit.connection.execute(text("INSERT INTO t VALUES ('claim')"))
        commit_with_next_statement()
        returned = await unit.connection.execute(text("INSERT INTO t VALUES ('reply') RETURNING v"))
        assert returned.scalar_one() == "reply"  # its rows come back as from any statement
    assert trips == ["_run", "_run+commit"]  # no third trip for the commit
    assert await another_view(tmp_path) == ["claim", "reply"]


async def test_a_unit_whose_last_statement_fails_commits_nothing(store, tmp_path, table) -> None:
    from storage.db import commit_with_next_statement

    with pytest.raises(sa_exc.IntegrityError):
        async with store.atomic() as unit:
            await unit.connection.execute(text("INSERT INTO t VALUES ('claim')"))
            commit_with_next_statement()
            await unit.connection.execute(text("INSERT INTO t VALUES ('x'), ('x')"))
    assert await another_view(tmp_path) == []
    async with store.atomic() as unit:  # the connection is usable again, and commits normally
        await unit.connection.execute(text("INSERT INTO t VALUES ('next')"))
    assert await another_view(tmp_path) == ["next"]


async def test_a_unit_that_already_met_a_database_error_is_not_committed_by_its_last_statement(
        store, tmp_path, trips, table) -> None:
    from storage.db import UnitAborted, commit_with_next_statement

    async with store.session() as s:
        await s.execute(text("INSERT INTO t VALUES ('x')"))
    with pytest.raises(UnitAborted):
        async with store.atomic():
            async with store.session() as s:
                await s.execute(text("INSERT INTO t VALUES ('claim')"))
            try:
                async with store.session() as s:
                    await s.execute(text("INSERT INTO t VALUES ('x')"))
            except sa_exc.IntegrityError:
                pass  # caught, but the unit knows
            commit_with_next_statement()
            async with store.session() as s:
                await s.execute(text("INSERT INTO t VALUES ('reply')"))
    assert "_run+commit" not in trips
    assert await another_view(tmp_path) == ["x"]


async def test_outside_a_unit_or_unused_the_request_changes_nothing(store, tmp_path, trips, table) -> None:
    from storage.db import commit_with_next_statement

    commit_with_next_statement()  # no unit: nothing to do
    async with store.atomic() as unit:
        await unit.connection.execute(text("INSERT INTO t VALUES ('a')"))
        commit_with_next_statement()  # and no statement follows: the block's own commit is made
    async with store.atomic() as unit:  # the next unit on that connection is not committed early
        await unit.connection.execute(text("INSERT INTO t VALUES ('b')"))
        await unit.connection.execute(text("INSERT INTO t VALUES ('c')"))
    assert "_run+commit" not in trips
    assert await another_view(tmp_path) == ["a", "b", "c"]


async def test_statements_run_later_go_with_the_next_statement_in_order_and_are_read_by_it(
        store, tmp_path, trips, table) -> None:
    from storage.base import execute_later

    trips.clear()
    async with store.atomic() as unit:
        c = unit.connection
        await execute_later(c, text("INSERT INTO t VALUES ('b')"))
        await execute_later(c, text("INSERT INTO t VALUES (:v)"), [{"v": "c"}, {"v": "d"}])  # executemany
        await execute_later(c, text("UPDATE t SET v = 'a' WHERE v = 'b'"))
        assert trips == []  # nothing sent yet
        assert (await c.execute(text("SELECT v FROM t ORDER BY v"))).scalars().all() == ["a", "c", "d"]
        await execute_later(c, text("INSERT INTO t VALUES ('e')"))
    assert trips == ["_run+deferred", "_commit"]  # the SELECT took the first three; the commit the last
    assert await another_view(tmp_path) == ["a", "c", "d", "e"]


async def test_a_statement_run_later_that_fails_fails_the_unit_and_names_itself(store, tmp_path, table) -> None:
    from storage.base import execute_later

    async with store.session() as s:
        await s.execute(text("INSERT INTO t VALUES ('x')"))
    with pytest.raises(sa_exc.IntegrityError) as failure:
        async with store.atomic() as unit:
            await unit.connection.execute(text("INSERT INTO t VALUES ('kept only if all succeed')"))
            await execute_later(unit.connection, text("INSERT INTO t VALUES ('x')"))
            await unit.connection.execute(text("SELECT 1"))
    assert "INSERT INTO t VALUES ('x')" in "\n".join(getattr(failure.value.orig, "__notes__", []))
    assert await another_view(tmp_path) == ["x"]
    with pytest.raises(sa_exc.IntegrityError):  # failing at the commit it went with: nothing committed either
        async with store.atomic() as unit:
            await unit.connection.execute(text("INSERT INTO t VALUES ('y')"))
            await execute_later(unit.connection, text("INSERT INTO t VALUES ('x')"))
    assert await another_view(tmp_path) == ["x"]


async def test_statements_run_later_are_dropped_by_a_rollback(store, tmp_path, trips, table) -> None:
    from storage.base import execute_later

    with pytest.raises(RuntimeError):
        async with store.atomic() as unit:
            await execute_later(unit.connection, text("INSERT INTO t VALUES ('never')"))
            raise RuntimeError("the handler failed")
    async with store.atomic() as unit:  # the same pooled connection: nothing left over from the rolled-back unit
        await unit.connection.execute(text("INSERT INTO t VALUES ('next')"))
    assert await another_view(tmp_path) == ["next"]


async def test_saving_the_sync_token_and_marking_replies_sent_take_one_trip(store, trips) -> None:
    from datetime import datetime, timezone

    at = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
    async with store.atomic():
        rows = await store.outbox.add("!r:x", "$e", [{"kind": "reply", "text": "ok"}] * 3, at, ends_unit=True)
    trips.clear()
    async with store.atomic():  # as the bot's bookkeeping writes them (bot/app.py, Relais._keep)
        await store.state.set("sync_token", "s42")
        await store.outbox.mark_sent([r.id for r in rows], at)
    assert trips == ["_commit"]  # both statements went with the commit
    assert await store.state.get("sync_token") == "s42"
    assert await store.outbox.unsent() == []


async def test_a_unit_cancelled_half_way_leaves_nothing_to_the_next_unit(store, table, tmp_path) -> None:
    # Units keep their connection for the next one (storage/db.py, Store._give_back): one cancelled with its
    # transaction open (the bot stopped mid-command) must not hand that transaction on.
    started = asyncio.Event()

    async def cancelled_unit() -> None:
        async with store.atomic() as unit:
            await unit.connection.execute(text("INSERT INTO t VALUES ('half')"))
            started.set()
            await asyncio.sleep(60)

    task = asyncio.create_task(cancelled_unit())
    await started.wait()
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    for value in ("a", "b"):
        async with store.atomic() as unit:
            await unit.connection.execute(text("INSERT INTO t VALUES (:v)"), {"v": value})
    assert await another_view(tmp_path) == ["a", "b"]


async def test_a_new_command_is_claimed_with_the_unit_s_next_trip_and_once(store, trips, tmp_path) -> None:
    from datetime import datetime, timedelta, timezone

    at = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
    store.events.unseen_after = at - timedelta(minutes=1)  # the bot started before it was sent (bot/app.py)
    async with store.atomic():
        assert await store.events.claim("$new", "!r:x", at, sender="@a:x", sent_at=at)
        await store.outbox.add("!r:x", "$new", [{"kind": "reply", "text": "pong"}], at, ends_unit=True)
    assert trips == ["_run+deferred+commit"]  # the claim, the reply's row and the commit: one trip
    trips.clear()
    assert not await store.events.claim("$new", "!r:x", at, sender="@a:x", sent_at=at)  # seen again: refused
    assert trips == []  # without asking the database
    restarted = await open_store(f"sqlite+aiosqlite:///{tmp_path / 'relais.db'}")
    try:
        assert not await restarted.events.claim("$new", "!r:x", at, sender="@a:x", sent_at=at)
        assert (await restarted.events.command("$new")).sender == "@a:x"
    finally:
        await restarted.close()
