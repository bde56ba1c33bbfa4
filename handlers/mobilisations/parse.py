"""Reading `!mobilisation <date et heure> <titre> [à <lieu>] [par <organisation>] [lien]`, as `!réunion prévoir`
reads a meeting (handlers/schedule/parse.py), without recurrence:
 1. A quoted part ("…", «…», “…”) is the title, whatever it contains.
 2. A link (http…) anywhere is the mobilisation's link.
 3. The date layer's find_date (the longest date phrase, which must have a time; a weekday contradicting the
    date is refused by the date layer; a date already past gets the date layer's reply).
 4. The organiser: what follows the last "par", "by", "organisé(e) par", "organised by".
 5. The place: what follows the last "à", "au", "aux", "chez", "at", "lieu :", "place:".
 6. What is left is the title (required).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from handlers.core.errors import UserError
from handlers.dates.dates import DateError, find_date, parse_date

_URL = re.compile(r"https?://[^\s<>\"]+")
_QUOTED = re.compile(r'"([^"]+)"|«\s*([^»]+?)\s*»|“([^”]+)”')
_PLACE = re.compile(r"(?:^|\s)(?:à|au|aux|chez|at|lieu\s*:|location\s*:|place\s*:)\s+(?=\S)", re.I)
_ORGANISER = re.compile(r"(?:^|\s)(?:organisée?s?\s+par|organi[sz]ed\s+by|par|by)\s+(?=\S)", re.I)
_SEPARATORS = " \t\n,;:-–—"


@dataclass(frozen=True)
class Draft:
    title: str | None
    place: str | None
    link: str | None
    organiser: str | None
    when: datetime | None  # aware, in the room's zone; None when no date was asked for and none found


def split_link(text: str) -> tuple[str, str | None]:
    url = _URL.search(text)
    if not url:
        return text, None
    link = url.group().rstrip(".,;:!?)»")
    return f"{text[:url.start()]} {text[url.start() + len(link):]}", link


def parse_mobilisation(text: str, *, now: datetime, tz: str, lang: str) -> Draft:
    """See the module docstring. Raises DateError, or UserError (no date, a day without time, no title)."""
    title = None
    quoted = _QUOTED.search(text)
    if quoted:
        title = next(g for g in quoted.groups() if g is not None).strip() or None
        text = f"{text[:quoted.start()]} {text[quoted.end():]}"
    text, link = split_link(text)
    found = find_date(text, now=now, tz=tz, lang=lang)
    if found is None:
        _raise_if_past(text, now=now, tz=tz, lang=lang)
        raise UserError("mobilisation.no_date", text=text.strip())
    parsed, rest = found
    _raise_if_past(text, now=now, tz=tz, lang=lang, around=parsed.phrase)
    if not parsed.has_time:
        raise UserError("mobilisation.needs_time", phrase=parsed.phrase)
    organiser = None
    markers = list(_ORGANISER.finditer(rest))
    if markers:
        organiser = rest[markers[-1].end():].strip(_SEPARATORS) or None
        rest = rest[:markers[-1].start()]
    place = None
    markers = list(_PLACE.finditer(rest))
    if markers:
        place = rest[markers[-1].end():].strip(_SEPARATORS) or None
        rest = rest[:markers[-1].start()]
    rest = re.sub(r"\s+", " ", rest).strip(_SEPARATORS)
    if title is None:
        title = rest or None
    elif rest:
        place = f"{rest}, {place}" if place else rest
    if title is None:
        raise UserError("mobilisation.no_title")
    return Draft(title, place, link, organiser, parsed.when)


def _raise_if_past(text: str, *, now: datetime, tz: str, lang: str, around: str | None = None) -> None:
    """find_date skips past dates: "hier 14h" would be read as "14h". Look again for a date phrase that is past
    (one containing `around`, the phrase found, when given), to say so rather than guess (as schedule/parse.py)."""
    words = list(re.finditer(r"\S+", text))
    inner: tuple[int, int] | None = None
    if around:
        start = text.find(around)
        inside = [i for i, w in enumerate(words) if w.start() >= start and w.end() <= start + len(around)]
        if start < 0 or not inside:
            return
        inner = (inside[0], inside[-1])
    for length in range(min(8, len(words)), 0, -1):
        for first in range(len(words) - length + 1):
            last = first + length - 1
            if inner is not None and not (first <= inner[0] and last >= inner[1] and length > inner[1] - inner[0] + 1):
                continue
            phrase = text[words[first].start():words[last].end()].strip(",;:!?()")
            try:
                parse_date(phrase, now=now, tz=tz, lang=lang)
            except DateError as error:
                if error.code == "past":
                    raise
