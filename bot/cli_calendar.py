"""`relais calendar export --room <room id> [--output FILE] [--lang fr|en]`.

Writes the room's scheduled meetings as an iCalendar file, exactly as `!agenda` posts it (recurrences as
RRULE, cancelled dates as EXDATE, moved ones as RECURRENCE-ID events). The database comes from
``--storage-url``, else from the config file's ``[storage] url`` (``--config``, ``$RELAIS_CONFIG`` or
./config.toml). Without ``--output`` (or with ``--output -``) the calendar goes to standard output:
``python -m bot calendar export --room '!abc:example.org' > agenda.ics``.
"""
from __future__ import annotations

import argparse
import sys
from datetime import datetime, timezone
from pathlib import Path

from bot.cli_store import add_storage_options, room_of, run


def add_parser(sub) -> None:
    """Add `calendar export` to the main command line's sub-commands."""
    calendar = sub.add_parser("calendar", help="the scheduled meetings as an .ics calendar (export)")
    csub = calendar.add_subparsers(dest="calendar_command", required=True)
    export = csub.add_parser("export", help="write a room's scheduled meetings as an .ics file")
    export.add_argument("--room", required=True, help="the room's id, e.g. '!abc:example.org'")
    export.add_argument("--output", "-o", help="file to write (default, or '-': standard output)")
    export.add_argument("--lang", choices=["fr", "en"], help="language of the texts (default: the room's)")
    export.add_argument("--name", help="the calendar's name (default: the room id)")
    add_storage_options(export)


def calendar_command(args: argparse.Namespace) -> int:
    return run(args, lambda url: export(url, room_id=args.room, output=args.output, lang=args.lang, name=args.name))


async def export(url: str, *, room_id: str, output: str | None, lang: str | None, name: str | None) -> int:
    from handlers.schedule.calendar import build_ics
    from storage import open_store

    store = await open_store(url)
    try:
        room = await room_of(store, room_id)
        records = await store.schedules.list(room_id)
    finally:
        await store.close()
    data = build_ics(records, room_name=name or room_id, lang=lang or room.language,
                     now=datetime.now(timezone.utc))
    if output in (None, "-"):
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return 0
    Path(output).write_bytes(data)
    print(output, file=sys.stderr)
    return 0
