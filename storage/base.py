"""Building blocks shared by every model and repository: the models' base class, the UTC datetime
column type, dialect-aware "insert if absent" / "upsert" statements, and `execute_later` for writes whose
result nobody reads."""
from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, ClassVar, TypeVar

from sqlalchemy import Column, DateTime, Executable, MetaData, Table, TextClause, bindparam, text
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.types import TypeDecorator

from storage import sqlite_driver

T = TypeVar("T")


def read_back(value: T | None, what: str) -> T:
    """`value`, a row this transaction has just written and read back. Checked with a raise, not an assert:
    the Docker image runs Python with asserts off (PYTHONOPTIMIZE=2)."""
    if value is None:
        raise LookupError(f"{what} was not found right after it was written")
    return value


# Deterministic constraint names: Alembic needs them to drop/alter constraints later, and SQLite's
# batch mode ("move and copy") relies on them.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base:
    """A model: a table declared as a class, as SQLAlchemy's declarative base would, without its ORM — Relais
    runs Core statements only, and the ORM is 6 MiB of the bot's memory (docs/performance.md). The class's
    `Column`s (named by their attribute) and `__table_args__` make `__table__` in `metadata`; the attributes
    are then the table's columns (`Action.room_id`), and the class stands for its table in statements
    (`select(Action)`, `insert(Action)`)."""

    metadata: ClassVar[MetaData] = MetaData(naming_convention=NAMING_CONVENTION)
    __tablename__: ClassVar[str]
    __table__: ClassVar[Table]
    __table_args__: ClassVar[tuple[Any, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        columns = {name: value for name, value in vars(cls).items() if isinstance(value, Column)}
        for name, column in columns.items():
            column.key = name
            if column.name is None:
                column.name = name
        cls.__table__ = Table(cls.__tablename__, cls.metadata, *columns.values(), *cls.__table_args__)
        for name in columns:
            setattr(cls, name, cls.__table__.c[name])

    @classmethod
    def __clause_element__(cls) -> Table:
        return cls.__table__


SessionFactory = Callable[[], AbstractAsyncContextManager[AsyncConnection]]
"""What a repository receives: ``async with session() as s:`` runs one transaction on a Core connection."""


class Repo:
    """Base class of repositories: holds the store's transaction factory (``Store.session``)."""

    def __init__(self, session: SessionFactory) -> None:
        self._session = session


async def page_total(s: AsyncConnection, shown: int, *, limit: int, offset: int, count: Executable,
                     params: dict[str, Any] | None = None) -> int:
    """How many rows a paged list has in all: known without counting when the page is short (the last one) or
    the first page is empty, else `count` (a SELECT count(*)) is run, with `params` if it has bound ones."""
    if 0 < shown < limit:
        return offset + shown
    if shown == 0 and offset == 0 and limit > 0:
        return 0
    return int(await s.scalar(count, params) or 0)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime stored as UTC, read back as an aware UTC datetime on every backend.

    PostgreSQL stores ``timestamptz``; SQLite has no timezone support, so values are converted to
    UTC and stored naive (same text format for every row, hence comparisons and ORDER BY work).
    Naive datetimes are refused rather than guessed at.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime, got {type(value).__name__}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: storage only accepts timezone-aware datetimes")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            value = value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _dialect_insert(session: AsyncConnection, table: Table) -> Any:
    name = session.dialect.name  # each dialect's module imported when used: PostgreSQL's is 2 MiB
    if name == "postgresql":
        from sqlalchemy.dialects import postgresql
        return postgresql.insert(table)
    if name == "sqlite":
        from sqlalchemy.dialects import sqlite
        return sqlite.insert(table)
    raise NotImplementedError(f"storage supports SQLite and PostgreSQL, not {name!r}")


def insert_ignore(session: AsyncConnection, table: Table, values: dict[str, Any]) -> Executable:
    """``INSERT ... ON CONFLICT DO NOTHING``: atomic under concurrency on SQLite and PostgreSQL.

    The statement has ``RETURNING`` the primary key, so ``result.first() is not None`` tells whether
    the row was inserted by this statement.
    """
    statement, values = insert_ignore_parts(table, values)
    return statement.params(**values)


def insert_ignore_parts(table: Table, values: dict[str, Any]) -> tuple[Executable, dict[str, Any]]:
    """`insert_ignore`, as the statement and its parameters (`session.execute(*parts)`): no copy of the
    statement per call, for the hot paths (a command's claim)."""
    values = _with_defaults(table, values)
    return _insert_ignore(table, tuple(values)), values


def upsert(session: AsyncConnection, table: Table, values: dict[str, Any], update: list[str]) -> Executable:
    """``INSERT ... ON CONFLICT (pk) DO UPDATE SET <update columns> = excluded.<column>``."""
    values = _with_defaults(table, values)
    return _upsert(table, tuple(values), tuple(update)).params(**values)


def upsert_statement(table: Table, columns: tuple[str, ...], update: tuple[str, ...],
                     only_if_changed: str | None = None) -> TextClause:
    """`upsert`'s statement alone, built once per table and columns: its values given at execution, one row or a
    list of rows (executemany). No Python-side column defaults are added. With `only_if_changed` (a column), a
    row whose column already holds the value given is left as it is: not rewritten."""
    return _upsert(table, columns, update, only_if_changed)


def _with_defaults(table: Table, values: dict[str, Any]) -> dict[str, Any]:
    """The columns' Python-side defaults (`default=`) for those not given, as the ORM's insert would add them."""
    missing = [c for c in table.columns if c.key not in values and c.default is not None]
    if not missing:
        return values
    values = dict(values)
    for c in missing:
        if c.default.is_callable:
            values[c.key] = c.default.arg(None)  # type: ignore[union-attr]  (SQLAlchemy passes a context)
        elif c.default.is_scalar:
            values[c.key] = c.default.arg  # type: ignore[union-attr]
        else:
            raise NotImplementedError(f"{table.name}.{c.key}: a SQL default is not supported here")
    return values


# Written as text (the same SQL on SQLite >= 3.35 and PostgreSQL): SQLAlchemy 2.0 cannot cache the dialects'
# `insert().on_conflict_…()` statements and compiles them again at every call (~0.4 ms of CPU each, a
# command's claim among them); a text statement with typed parameters is compiled once.
@lru_cache(maxsize=None)
def _insert_ignore(table: Table, columns: tuple[str, ...]) -> TextClause:
    returning = ", ".join(_q(c.name) for c in table.primary_key.columns)
    return _typed(table, columns, f"{_insert(table, columns)} ON CONFLICT DO NOTHING RETURNING {returning}")


@lru_cache(maxsize=None)
def _upsert(table: Table, columns: tuple[str, ...], update: tuple[str, ...],
            only_if_changed: str | None = None) -> TextClause:
    keys = ", ".join(_q(c.name) for c in table.primary_key.columns)
    sets = ", ".join(f"{_q(name)} = excluded.{_q(name)}" for name in update)
    where = (f" WHERE {_q(table.name)}.{_q(only_if_changed)} <> excluded.{_q(only_if_changed)}"
             if only_if_changed else "")  # a NOT NULL column (NULL <> x is never true)
    return _typed(table, columns, f"{_insert(table, columns)} ON CONFLICT ({keys}) DO UPDATE SET {sets}{where}")


def _insert(table: Table, columns: tuple[str, ...]) -> str:
    names = ", ".join(_q(table.c[name].name) for name in columns)
    return f"INSERT INTO {_q(table.name)} ({names}) VALUES ({', '.join(f':{name}' for name in columns)})"


def _typed(table: Table, columns: tuple[str, ...], sql: str) -> TextClause:
    # Each parameter with its column's type: UTC datetimes and the like are converted as the ORM would.
    return text(sql).bindparams(*(bindparam(name, type_=table.c[name].type) for name in columns))


def _q(name: str) -> str:
    return f'"{name}"'  # quoted: some columns are keywords ("key")


async def execute_later(connection: AsyncConnection, statement: Any, parameters: Any = None) -> None:
    """Run a statement whose result nobody reads (a history line, an action's owners): on SQLite it goes to the
    database with the transaction's next trip to aiosqlite's thread — its next statement, or its commit — not
    in a trip of its own (storage/sqlite_driver.py). What it writes is read by the statements after it as
    usual. An error it raises is raised by that next trip, noted with its SQL, and the unit of work rolls back
    as for any database error; a rollback drops it. On PostgreSQL it runs at once."""
    adapted = sqlite_driver.one_trip_of(connection)
    if adapted is None:
        await connection.execute(statement, parameters)
        return
    adapted.defer_next = True
    try:
        await connection.execute(statement, parameters)
    finally:  # never left armed for a statement that did not ask (e.g. if this one failed to compile)
        adapted.defer_next = False


__all__ = [
    "Base",
    "Repo",
    "SessionFactory",
    "UTCDateTime",
    "execute_later",
    "insert_ignore",
    "upsert",
    "upsert_statement",
    "utcnow",
]
