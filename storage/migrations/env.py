"""Alembic environment for Relais' storage.

At run time ``storage.db.migrate`` passes an open connection in ``config.attributes["connection"]``.
From the command line (to write a new revision), run from the repository root:

    alembic -c storage/alembic.ini -x url=sqlite:///relais.db revision --autogenerate -m "add meetings"

(or set ``RELAIS_STORAGE_URL``).
"""
from __future__ import annotations

import asyncio
import os

from alembic import context
from sqlalchemy import Connection

import storage.db  # imports every model module, filling Base.metadata
from storage.base import Base
from storage.jobs import compared

target_metadata = Base.metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things: autogenerate "move and copy" batch operations there.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=compared,  # an index of one dialect, not declared
    )
    with context.begin_transaction():
        context.run_migrations()


def _command_line_url() -> str:
    url = context.get_x_argument(as_dictionary=True).get("url") or os.environ.get("RELAIS_STORAGE_URL")
    if not url:
        raise SystemExit("give the database: alembic -x url=sqlite:///relais.db ... (or RELAIS_STORAGE_URL)")
    return url


async def _run_on_new_engine(url: str) -> None:
    engine = storage.db.create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(_configure)
    finally:
        await engine.dispose()


connection = context.config.attributes.get("connection")
if connection is not None:
    _configure(connection)
elif context.is_offline_mode():
    context.configure(url=_command_line_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    asyncio.run(_run_on_new_engine(_command_line_url()))
