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
import json
import re
import sys
from pathlib import Path

from bot.cli_store import Failure, add_storage_options, room_of, run

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
    add_storage_options(export)


def minutes_command(args: argparse.Namespace) -> int:
    return run(args, lambda url: export(url, room_id=args.room, number=args.meeting, fmt=args.format,
                                        output=args.output, lang=args.lang))


async def export(url: str, *, room_id: str, number: int | None, fmt: str, output: str | None,
                 lang: str | None) -> int:
    from handlers.meetings import minutes as render
    from handlers.meetings.common import load_minutes
    from storage import open_store

    store = await open_store(url)
    try:
        room = await room_of(store, room_id)
        if number is not None:
            meeting = await store.meetings.get(room_id, number)
            if meeting is None:
                raise Failure(f"no meeting number {number} in {room_id}")
        else:
            meeting = await store.meetings.latest(room_id, ended=True) or await store.meetings.current(room_id)
            if meeting is None:
                raise Failure(f"no meeting in {room_id} yet")
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
