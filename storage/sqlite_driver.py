"""SQLite through aiosqlite with one trip to its thread per statement.

SQLAlchemy's aiosqlite adapter makes four trips to aiosqlite's worker thread for every statement (open a
cursor, execute, fetch, close), each a future, a queue hand-off and a wake-up of the event loop: most of the
CPU a command spent in SQL (docs/performance.md). This adapter runs the four steps as one function on that
thread, so a statement costs one trip, and a rollback or a commit with no transaction open (the pool's reset of
every connection given back, even after a commit; the end of a block that only read) costs none. The database,
its transactions and its errors are aiosqlite's and sqlite3's as before; only the number of hand-offs changes.

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


def _run(connection: aiosqlite.Connection, operation: str, parameters: Any) -> tuple[Any, Any, Any, int]:
    """On aiosqlite's thread: the whole statement, rows included (what the stock adapter does in four trips)."""
    cursor = connection._conn.cursor()
    try:
        if parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else None
        return description, rows, cursor.lastrowid, cursor.rowcount
    finally:
        cursor.close()


class OneTripCursor(AsyncAdapt_aiosqlite_cursor):
    __slots__ = ()

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        try:
            description, rows, lastrowid, rowcount = self.await_(
                self._connection._execute(_run, self._connection, operation, parameters))
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
    __slots__ = ()

    def commit(self) -> None:
        # A block that only read opened no transaction (sqlite3 begins one before a write): its commit is a
        # no-op in sqlite3, so no trip for it (every read-only `Store.session()` ends with one).
        if self._connection.in_transaction:
            super().commit()

    def rollback(self) -> None:
        # The pool rolls back every connection it is given back, even after a commit: no trip when sqlite3
        # says no transaction is open (nothing runs on the connection meanwhile: it is back in the pool).
        if self._connection.in_transaction:
            super().rollback()

    def cursor(self, server_side: bool = False) -> AsyncAdapt_aiosqlite_cursor:
        if server_side:  # streamed results keep their cursor open between fetches: the stock way
            return super().cursor(server_side=True)
        return OneTripCursor(self)


class OneTripDBAPI(AsyncAdapt_aiosqlite_dbapi):
    def connect(self, *arg: Any, **kw: Any) -> AsyncAdapt_aiosqlite_connection:
        stock = super().connect(*arg, **kw)
        if type(stock) is not AsyncAdapt_aiosqlite_connection:  # async_fallback: keep SQLAlchemy's
            return stock
        return OneTripConnection(self, stock._connection)


def dbapi() -> AsyncAdapt_aiosqlite_dbapi | None:
    """The DBAPI module to give ``create_async_engine(module=…)``, or None (keep SQLAlchemy's) if this
    aiosqlite has no ``_execute``."""
    if not callable(getattr(aiosqlite.Connection, "_execute", None)):
        return None
    return OneTripDBAPI(aiosqlite, sqlite3)
