"""SQLite through aiosqlite with one trip to its thread per statement.

SQLAlchemy's aiosqlite adapter makes four trips to aiosqlite's worker thread for every statement (open a
cursor, execute, fetch, close), each a future, a queue hand-off and a wake-up of the event loop: most of the
CPU a command spent in SQL (docs/performance.md). This adapter runs the four steps as one function on that
thread, so a statement costs one trip, and a rollback or a commit with no transaction open (the pool's reset of
every connection given back, even after a commit; the end of a block that only read) costs none. The database,
its transactions and its errors are aiosqlite's and sqlite3's as before; only the number of hand-offs changes.

Two requests of a unit of work save more trips (docs/performance.md, round 7): a statement whose result nobody
reads (``storage.base.execute_later``: a history line, an action's owners) waits and goes with the transaction's
next trip, before its statement or its commit; and the unit's last statement can carry its commit
(``storage.db.commit_with_next_statement``: a command's outbox row). Either way every statement of a
transaction still runs in it, in the order it was run, and a failure of any of them commits nothing.

Given to SQLAlchemy as the DBAPI ``module`` of the ``sqlite+aiosqlite`` dialect (``storage.db.create_engine``).
It relies on ``aiosqlite.Connection._execute`` (the method every public aiosqlite call goes through, present
from 0.17 to 0.22, the range pyproject allows); without it the stock adapter is used.
"""
from __future__ import annotations

import sqlite3
from collections import deque
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)


Deferred = list[tuple[bool, str, Any]]  # statements whose results nobody reads: (many?, operation, parameters)


def _run_deferred(connection: aiosqlite.Connection, deferred: Deferred) -> None:
    """On aiosqlite's thread, before the statement or commit they were sent with, in the order they were run."""
    for many, operation, parameters in deferred:
        try:
            if many:
                connection._conn.executemany(operation, parameters)
            elif parameters is None:
                connection._conn.execute(operation)
            else:
                connection._conn.execute(operation, parameters)
        except sqlite3.Error as error:  # raised by the statement it came with: say which one failed
            error.add_note(f"raised by an earlier statement of the transaction, sent with this one: {operation}")
            raise


def _run(connection: aiosqlite.Connection, operation: str, parameters: Any, many: bool = False,
         deferred: Deferred | None = None, commit: bool = False) -> tuple[Any, Any, Any, int]:
    """On aiosqlite's thread: the whole statement, rows included (what the stock adapter does in four trips),
    after the statements deferred until it; with `commit`, the transaction's commit after it (nothing is
    committed if a statement fails: its error is raised first)."""
    if deferred:
        _run_deferred(connection, deferred)
    cursor = connection._conn.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        elif parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else None
        result = description, rows, cursor.lastrowid, cursor.rowcount
    finally:
        cursor.close()
    if commit:
        connection._conn.commit()
    return result


def _commit(connection: aiosqlite.Connection, deferred: Deferred) -> None:
    """On aiosqlite's thread: the statements deferred until the commit, then the commit."""
    _run_deferred(connection, deferred)
    connection._conn.commit()


async def _nothing() -> None:
    return None


class OneTripCursor(AsyncAdapt_aiosqlite_cursor):
    __slots__ = ()

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        self._one_trip(operation, parameters, False)

    def executemany(self, operation: Any, seq_of_parameters: Any) -> Any:
        self._one_trip(operation, list(seq_of_parameters), True)

    def _one_trip(self, operation: str, parameters: Any, many: bool) -> None:
        adapted = self._adapt_connection
        if adapted.defer_next:  # nobody reads its result (storage.base.execute_later): sent with the next trip
            adapted.defer_next = False
            adapted.deferred.append((many, operation, parameters))
            self.description, self.lastrowid, self.rowcount = None, None, -1
            self.await_(_nothing())  # SQLAlchemy requires an await in every execution; this one leaves no thread
            return
        deferred, adapted.deferred = adapted.deferred, []
        commit, adapted.commit_with_next = adapted.commit_with_next, False  # the unit's last statement
        try:
            description, rows, lastrowid, rowcount = self.await_(self._connection._execute(
                _run, self._connection, operation, parameters, many, deferred, commit))
        except Exception as error:
            self._adapt_connection._handle_exception(error)
        if description:
            self.description = description
            self.lastrowid = self.rowcount = -1
            self._rows = deque(rows)
        else:
            self.description = None
            self.lastrowid = lastrowid
            self.rowcount = rowcount


class OneTripConnection(AsyncAdapt_aiosqlite_connection):
    # commit_with_next: the next statement is the unit of work's last; it commits in the same trip. SQLAlchemy's
    # commit then finds no transaction open and costs nothing (see commit below).
    # defer_next: the next statement's result is not read; it waits in `deferred` for the next trip.
    __slots__ = ("commit_with_next", "defer_next", "deferred")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commit_with_next = self.defer_next = False
        self.deferred: Deferred = []

    def commit(self) -> None:
        # A block that only read opened no transaction (sqlite3 begins one before a write): its commit is a
        # no-op in sqlite3, so no trip for it (every read-only `Store.session()` ends with one). Nor for a unit
        # whose last statement committed it. Statements deferred until now go with the commit.
        self.commit_with_next = False
        if self.deferred:
            deferred, self.deferred = self.deferred, []
            try:
                self.await_(self._connection._execute(_commit, self._connection, deferred))
            except Exception as error:
                self._handle_exception(error)
        elif self._connection.in_transaction:
            super().commit()

    def rollback(self) -> None:
        # The pool rolls back every connection it is given back, even after a commit: no trip when sqlite3
        # says no transaction is open (nothing runs on the connection meanwhile: it is back in the pool).
        # Deferred statements never ran: dropped.
        self.commit_with_next, self.deferred = False, []
        if self._connection.in_transaction:
            super().rollback()

    def cursor(self, server_side: bool = False) -> AsyncAdapt_aiosqlite_cursor:
        if server_side:  # streamed results keep their cursor open between fetches: the stock way
            if self.deferred:  # after what was deferred, which they may read
                deferred, self.deferred = self.deferred, []
                try:
                    self.await_(self._connection._execute(_run_deferred, self._connection, deferred))
                except Exception as error:
                    self._handle_exception(error)
            return super().cursor(server_side=True)
        return OneTripCursor(self)


class OneTripDBAPI(AsyncAdapt_aiosqlite_dbapi):
    def connect(self, *arg: Any, **kw: Any) -> AsyncAdapt_aiosqlite_connection:
        stock = super().connect(*arg, **kw)
        if type(stock) is not AsyncAdapt_aiosqlite_connection:  # async_fallback: keep SQLAlchemy's
            return stock
        return OneTripConnection(self, stock._connection)


def one_trip_of(connection: Any) -> OneTripConnection | None:
    """The adapter under a SQLAlchemy ``AsyncConnection``, if it is this one (SQLite); None otherwise (PostgreSQL,
    the stock adapter, a connection not started)."""
    sync = connection.sync_connection
    adapted = sync.connection.dbapi_connection if sync is not None else None
    return adapted if isinstance(adapted, OneTripConnection) else None


def dbapi() -> AsyncAdapt_aiosqlite_dbapi | None:
    """The DBAPI module to give ``create_async_engine(module=…)``, or None (keep SQLAlchemy's) if this
    aiosqlite has no ``_execute``."""
    if not callable(getattr(aiosqlite.Connection, "_execute", None)):
        return None
    return OneTripDBAPI(aiosqlite, sqlite3)
