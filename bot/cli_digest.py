"""`relais digest --room <room id> [--week 2021-W17] [--format md|html|text|eml]`: prints a room's weekly digest,
built by the same code from the same data as the one the bot posts (handlers/digest), to standard output.

Without ``--week``: the current week (so far). A past week is told as it stood at its end (overdue, due soon).
The database comes from ``--storage-url``, else from the config file's ``[storage] url``; ``eml`` is the e-mail
the mailing list gets (From: the ``[email] from`` address when configured)."""
from __future__ import annotations

import argparse
import html as _html
import re
import sys
from functools import partial

from bot.cli_store import Failure, add_storage_options, room_of, run
from handlers.core.text import template_to_markdown

FORMATS = ("md", "html", "text", "eml")


def add_parser(sub) -> None:
    p = sub.add_parser("digest", help="print a room's weekly digest (md, html, text or eml)")
    p.add_argument("--room", required=True, help="the room's id, e.g. '!abc:example.org'")
    p.add_argument("--week", help="ISO week, e.g. 2021-W17 (default: the current week)")
    p.add_argument("--format", default="text", choices=FORMATS, help="md, html, text (default) or eml")
    p.add_argument("--room-name", help="the room's name in the title (default: its id)")
    add_storage_options(p)


def digest_command(args: argparse.Namespace) -> int:
    return run(args, partial(_print, args), no_database=1)


async def _print(args: argparse.Namespace, url: str) -> int:
    sys.stdout.write(await render(url, args))
    return 0


def _config(args: argparse.Namespace):
    from bot.config import ConfigError, load

    path = args.export_config or getattr(args, "config", None)
    if not path:
        return None
    try:
        return load(path)
    except ConfigError:
        return None


async def render(url: str, args: argparse.Namespace) -> str:
    from handlers.capabilities import registry
    from handlers.core.clock import SystemClock
    from handlers.core.digest import Week
    from handlers.core.services import Defaults, Services
    from handlers.digest import build
    from handlers.digest.settings import mailing_list
    from storage import open_store

    config = _config(args)
    store = await open_store(url)
    try:
        room = await room_of(store, args.room)
        clock = SystemClock()
        now = clock.now()
        try:
            week = Week.of_label(args.week, room.timezone) if args.week else Week.containing(now, room.timezone)
        except ValueError:
            raise Failure(f"--week must be an ISO week like 2021-W17, got {args.week!r}") from None
        services = Services(store, clock, config.defaults if config else Defaults(),
                            room_name=lambda room_id: args.room_name or room_id, registry=registry)
        digest = await build(services, room, week, now=min(now, week.end), hooks=registry.digest_sections)
        address = mailing_list(room)
    finally:
        await store.close()
    if args.format == "text":
        return digest.content.plain.rstrip("\n") + "\n"
    if args.format == "md":
        return markdown(digest.content.html) + "\n"
    if args.format == "html":
        return page(digest.subject, digest.content.html, digest.lang)
    from bot.mailer import message
    from handlers.core.interface import Email

    sender = config.email.sender if config and config.email else "relais@localhost"
    return message(Email(room.room_id, address or "undisclosed-recipients:;", digest.subject, digest.content,
                         digest.lang), sender).as_string()


def page(title: str, body: str, lang: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="{_html.escape(lang)}"><head><meta charset="utf-8">'
            f"<title>{_html.escape(title)}</title></head><body>{body}</body></html>\n")


_LINK = re.compile(r'<a href="([^"]*)">(.*?)</a>')


def markdown(html_text: str) -> str:
    """The digest's small HTML subset as Markdown (user text stays as typed)."""
    out = _LINK.sub(lambda m: f"[{m[2]}]({m[1]})", html_text)
    out = template_to_markdown(re.sub(r"<(?!/?(?:br|ul|ol|li|p|code|b|strong|i|em)\b)[^>]+>", "", out))
    return re.sub(r"\n{3,}", "\n\n", out).strip()
