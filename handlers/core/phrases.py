"""Pieces of free text that several commands read the same way: a quoted title, a link, the date, "à <lieu>",
and what is left as a title. `!réunion prévoir` and `!mobilisation` both read their text with these."""
from __future__ import annotations

import re
from datetime import datetime

from handlers.core.errors import UserError
from handlers.dates.dates import ParsedDate, find_date, raise_if_past

URL = re.compile(r"https?://[^\s<>\"]+")
QUOTED = re.compile(r'"([^"]+)"|«\s*([^»]+?)\s*»|“([^”]+)”')
PLACE = re.compile(r"(?:^|\s)(?:à|au|aux|chez|at|lieu\s*:|location\s*:|place\s*:)\s+(?=\S)", re.I)
SEPARATORS = " \t\n,;:-–—"


def take_quoted(text: str) -> tuple[str, str | None]:
    """The first quoted part ("…", «…», “…”) is a title whatever it contains: (text without it, title)."""
    quoted = QUOTED.search(text)
    if not quoted:
        return text, None
    title = next(g for g in quoted.groups() if g is not None).strip() or None
    return f"{text[:quoted.start()]} {text[quoted.end():]}", title


def take_link(text: str) -> tuple[str, str | None]:
    """The first http(s) link, without the punctuation that ends a sentence: (text without it, link)."""
    url = URL.search(text)
    if not url:
        return text, None
    link = url.group().rstrip(".,;:!?)»")
    return f"{text[:url.start()]} {text[url.start() + len(link):]}", link


def take_after_last(marker: re.Pattern[str], text: str) -> tuple[str, str | None]:
    """What follows the last `marker` (e.g. the place after the last "à"): (text before it, value)."""
    markers = list(marker.finditer(text))
    if not markers:
        return text, None
    return text[:markers[-1].start()], text[markers[-1].end():].strip(SEPARATORS) or None


def title_and_place(rest: str, title: str | None, place: str | None) -> tuple[str | None, str | None]:
    """What is left is the title; when the title was quoted, what is left belongs to the place."""
    rest = re.sub(r"\s+", " ", rest).strip(SEPARATORS)
    if title is None:
        return rest or None, place
    if rest:
        place = f"{rest}, {place}" if place else rest
    return title, place


def take_date(text: str, *, now: datetime, tz: str, lang: str, no_date: str) -> tuple[ParsedDate, str]:
    """The text's date phrase and the text around it. Raises DateError for a past date (find_date skips those,
    so it is looked for again: said rather than a shorter phrase guessed), else UserError(`no_date`) without one."""
    found = find_date(text, now=now, tz=tz, lang=lang)
    if found is None:
        raise_if_past(text, now=now, tz=tz, lang=lang)
        raise UserError(no_date, text=text.strip())
    parsed, rest = found
    raise_if_past(text, now=now, tz=tz, lang=lang, around=parsed.phrase)
    return parsed, rest
