"""What the offline commands (`relais minutes export`, `relais calendar export`, `relais digest`) share: the options
naming the database, finding it, a room in it, and how a failure ends the command (`relais: …`, no traceback)."""
from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storage.records import RoomSettings


class Failure(Exception):
    """Why the command cannot do its work: printed, with an exit status instead of a traceback."""


def add_storage_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--storage-url", help="database URL (default: [storage] url of the config file)")
    parser.add_argument("--config", dest="export_config", metavar="CONFIG",
                        help="config file (default: ./config.toml or $RELAIS_CONFIG)")


def storage_url(args: argparse.Namespace) -> str:
    if args.storage_url:
        url = args.storage_url
    else:
        from bot.config import ConfigError, load

        path = Path(args.export_config or getattr(args, "config", None)
                    or os.environ.get("RELAIS_CONFIG", "config.toml"))
        if not path.exists():
            raise Failure(f"no config file at {path}: give --config or --storage-url")
        try:
            url = load(path).storage_url
        except ConfigError as exc:
            raise Failure(str(exc)) from None
    from storage.db import normalize_url

    u = normalize_url(url)
    if u.get_backend_name() == "sqlite" and u.database and u.database != ":memory:" and not Path(u.database).exists():
        raise Failure(f"no database at {u.database}")
    return url


def run(args: argparse.Namespace, work: Callable[[str], Awaitable[int]], *, no_database: int = 2) -> int:
    """`work(url)` on the database the options name; its exit status, or 1 after a Failure (`no_database` when the
    database itself is not found)."""
    try:
        url = storage_url(args)
    except Failure as exc:
        return _failed(exc, no_database)
    try:
        return asyncio.run(work(url))
    except Failure as exc:
        return _failed(exc, 1)


def _failed(exc: Failure, status: int) -> int:
    print(f"relais: {exc}", file=sys.stderr)
    return status


async def room_of(store, room_id: str) -> RoomSettings:
    """The room's settings; a Failure when the database does not know it."""
    room = await store.rooms.get(room_id)
    if room is None:
        raise Failure(f"no room {room_id!r} in this database")
    return room
