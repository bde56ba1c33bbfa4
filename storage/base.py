"""Building blocks shared by every model and repository: the declarative base, the UTC datetime
column type, and dialect-aware "insert if absent" / "upsert" statements."""
from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Insert, MetaData, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

# Deterministic constraint names: Alembic needs them to drop/alter constraints later, and SQLite's
# batch mode ("move and copy") relies on them.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


SessionFactory = Callable[[], AbstractAsyncContextManager[AsyncSession]]
"""What a repository receives: ``async with session() as s:`` runs one transaction."""


class Repo:
    """Base class of repositories: holds the store's transactional session factory."""

    def __init__(self, session: SessionFactory) -> None:
        self._session = session


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


def _dialect_insert(session: AsyncSession, table: Table) -> Any:
    name = session.bind.dialect.name if session.bind is not None else ""
    if name == "postgresql":
        return postgresql.insert(table)
    if name == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"storage supports SQLite and PostgreSQL, not {name!r}")


def insert_ignore(session: AsyncSession, table: Table, values: dict[str, Any]) -> Insert:
    """``INSERT ... ON CONFLICT DO NOTHING``: atomic under concurrency on SQLite and PostgreSQL.

    The statement has ``RETURNING`` the primary key, so ``result.first() is not None`` tells whether
    the row was inserted by this statement.
    """
    stmt = _dialect_insert(session, table).values(**values).on_conflict_do_nothing()
    return stmt.returning(*table.primary_key.columns)


def upsert(session: AsyncSession, table: Table, values: dict[str, Any], update: list[str]) -> Insert:
    """``INSERT ... ON CONFLICT (pk) DO UPDATE SET <update columns> = excluded.<column>``."""
    ins = _dialect_insert(session, table).values(**values)
    return ins.on_conflict_do_update(
        index_elements=list(table.primary_key.columns),
        set_={name: ins.excluded[name] for name in update},
    )


__all__ = [
    "Base",
    "Repo",
    "SessionFactory",
    "UTCDateTime",
    "insert_ignore",
    "upsert",
    "utcnow",
]
