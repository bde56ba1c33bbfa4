"""`relais parse-date "<phrase>" --now … --tz … --lang …`: the same date code path as the chat commands."""
from __future__ import annotations

import sys
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from handlers import i18n
from handlers.dates.date_input import date_error_key, date_error_values
from handlers.dates.dates import DateError, parse_date


def parse_date_command(args) -> int:
    try:
        zone = ZoneInfo(args.tz)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        print(f"unknown time zone {args.tz!r} (e.g. Europe/Paris)", file=sys.stderr)
        return 2
    if args.now:
        try:
            now = datetime.fromisoformat(args.now)
        except ValueError:
            print(f"--now must be ISO 8601, e.g. 2021-04-27T20:00 (got {args.now!r})", file=sys.stderr)
            return 2
        now = now if now.tzinfo else now.replace(tzinfo=zone)
    else:
        now = datetime.now(zone)
    try:
        parsed = parse_date(args.phrase, now=now, tz=args.tz, lang=args.lang)
    except DateError as exc:
        print(i18n.t(args.lang, date_error_key(exc), **date_error_values(exc, args.lang, args.phrase)).plain,
              file=sys.stderr)
        return 1
    print(parsed.when.isoformat())
    return 0
