"""`relais minutes export --room <room id> [--meeting N] --format md|html|json [--output FILE]`.

Writes a meeting's minutes, rendered from its stored record exactly as `!compte-rendu` does, in the
room's language and time zone (``--lang`` overrides the language). The database comes from
``--storage-url``, else from the config file's ``[storage] url`` (``--config``, ``$RELAIS_CONFIG`` or
./config.toml). Without ``--meeting``: the room's last ended meeting (or, if none has ended yet, the
draft of the open one). Without ``--output``: ``minutes-<room>-<N>.<ext>`` in the current directory;
``--output -`` writes to standard output.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import sys
from pathlib import Path

EXTENSIONS = {"md": "md", "html": "html", "json": "json"}


def add_parser(sub) -> None:
    """Add `minutes export` to the main command line's sub-commands."""
    minutes = sub.add_parser("minutes", help="meeting minutes (export)")
    msub = minutes.add_subparsers(dest="minutes_command", required=True)
    export = msub.add_parser("export", help="write a meeting's minutes to a file (md, html or json)")
    export.add_argument("--room", required=True, help="the room's id, e.g. '!abc:example.org'")
    export.add_argument("--meeting", type=int, help="the meeting's number (default: the last one)")
    export.add_argument("--format", required=True, choices=sorted(EXTENSIONS), help="md, html or json")
    export.add_argument("--output", "-o", help="file to write (default: minutes-<room>-<N>.<ext>; '-': stdout)")
    export.add_argument("--lang", choices=["fr", "en"], help="language (default: the room's)")
    export.add_argument("--storage-url", help="database URL (default: [storage] url of the config file)")
    export.add_argument("--config", dest="export_config", metavar="CONFIG", help="config file (default: ./config.toml or $RELAIS_CONFIG)")


def minutes_command(args: argparse.Namespace) -> int:
    try:
        url = _storage_url(args)
    except _Failure as exc:
        print(f"relais: {exc}", file=sys.stderr)
        return 2
    try:
        return asyncio.run(export(url, room_id=args.room, number=args.meeting, fmt=args.format,
                                  output=args.output, lang=args.lang))
    except _Failure as exc:
        print(f"relais: {exc}", file=sys.stderr)
        return 1


class _Failure(Exception):
    pass


def _storage_url(args: argparse.Namespace) -> str:
    if args.storage_url:
        url = args.storage_url
    else:
        from bot.config import ConfigError, load

        path = Path(args.export_config or getattr(args, "config", None) or os.environ.get("RELAIS_CONFIG", "config.toml"))
        if not path.exists():
            raise _Failure(f"no config file at {path}: give --config or --storage-url")
        try:
            url = load(path).storage_url
        except ConfigError as exc:
            raise _Failure(str(exc)) from None
    from storage.db import normalize_url

    u = normalize_url(url)
    if u.get_backend_name() == "sqlite" and u.database and u.database != ":memory:" and not Path(u.database).exists():
        raise _Failure(f"no database at {u.database}")
    return url


async def export(url: str, *, room_id: str, number: int | None, fmt: str, output: str | None,
                 lang: str | None) -> int:
    from handlers.meetings import minutes as render
    from handlers.meetings.common import load_minutes
    from storage import open_store

    store = await open_store(url)
    try:
        room = await store.rooms.get(room_id)
        if room is None:
            raise _Failure(f"no room {room_id!r} in this database")
        if number is not None:
            meeting = await store.meetings.get(room_id, number)
            if meeting is None:
                raise _Failure(f"no meeting number {number} in {room_id}")
        else:
            meeting = await store.meetings.latest(room_id, ended=True) or await store.meetings.current(room_id)
            if meeting is None:
                raise _Failure(f"no meeting in {room_id} yet")
        minutes = await load_minutes(store, meeting, room.timezone)
    finally:
        await store.close()
    language = lang or room.language
    if fmt == "md":
        text = render.markdown(minutes, language)
    elif fmt == "html":
        text = render.html_document(minutes, language)
    else:
        text = json.dumps(render.to_json(minutes), ensure_ascii=False, indent=2) + "\n"
    if output == "-":
        sys.stdout.write(text)
        return 0
    path = Path(output or f"minutes-{_slug(room_id)}-{meeting.number}.{EXTENSIONS[fmt]}")
    path.write_text(text, encoding="utf-8")
    print(path)
    return 0


def _slug(room_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9.-]+", "_", room_id.lstrip("!#")).strip("_") or "room"
