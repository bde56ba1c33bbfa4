"""How Relais says times, durations, titles and rooms in a message, in the room's language and zone: one way
for every capability (a command's reply and a reminder sent hours later read the same)."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_timedelta
from babel.lists import format_list

from handlers.core.catalogue import babel_locale
from handlers.core.text import Rendered, raw
from handlers.dates.dates import format_time, format_when


def when_text(at: datetime, tz: str, lang: str, has_time: bool = True) -> str:
    """"mercredi 12 mai 2027 à 18h00" in the room's zone (has_time=False: the day only)."""
    return format_when(at.astimezone(ZoneInfo(tz)), lang, has_time)


def clock_text(at: datetime, tz: str, lang: str) -> str:
    """"18h00" / "18:00" in the room's zone."""
    return format_time(at.astimezone(ZoneInfo(tz)).time(), lang)


def title_part(t: Callable[..., Rendered], title: str | None, key: str = "title_part") -> Rendered | str:
    """" « Plénière »" after a meeting's number, or nothing when it has no title. `t(key, **values)` renders in
    the room's language (Invocation.t, or a catalogue's t with the language bound)."""
    return t(key, title=title) if title else ""


def say_duration(delta: timedelta, lang: str) -> str:
    """"24 h", "1 h 30 min", "30 min", "45 s", "2 jours"."""
    seconds = int(delta.total_seconds())
    if seconds >= 2 * 86400 and seconds % 86400 == 0:
        return format_timedelta(timedelta(days=seconds // 86400), granularity="day", threshold=10_000,
                                locale=babel_locale(lang)).replace("\xa0", " ")
    hours, minutes, secs = seconds // 3600, seconds % 3600 // 60, seconds % 60
    parts = [f"{n} {unit}" for n, unit in ((hours, "h"), (minutes, "min"), (secs, "s")) if n]
    return " ".join(parts) or "0 s"


def say_left(delta: timedelta, lang: str) -> str:
    """A time left (or passed) as people say it: to the second under two minutes, else to the minute
    (a reminder fired at 18:00:01 for 18:00 the next day is "24 h" away, not "23 h 59 min 59 s")."""
    seconds = round(abs(delta.total_seconds()))
    if seconds >= 120:
        seconds = round(seconds / 60) * 60
    return say_duration(timedelta(seconds=seconds), lang)


def and_list(items: list[str], lang: str) -> str:
    """"a, b et c" / "a, b and c"."""
    return format_list(items, locale=babel_locale(lang)) if items else ""


def room_link(room_id: str, name: str) -> Rendered:
    """The room's name, linked to it in HTML: where a direct message comes from."""
    link = raw(name)
    return Rendered(link.plain, f'<a href="https://matrix.to/#/{room_id}">{link.html}</a>')
