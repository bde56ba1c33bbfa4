"""Reading `!réunion prévoir <text>`:
 1. A quoted part ("…", «…», “…”) is the title, whatever it contains.
 2. A link (http…) anywhere is the meeting's link (a video call).
 3. A recurrence ("tous les lundis à 18h", see handlers/dates/recurrence.py); else the date layer's find_date
    (the longest date phrase, which must have a time). A date already past gets the date layer's reply.
 4. The place: what follows the last "à", "au", "aux", "chez", "at", "lieu :", "location:".
 5. What is left is the title (optional).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from handlers.core.errors import UserError
from handlers.dates.dates import DateError, find_date, parse_date
from handlers.dates.recurrence import RecurrenceError, Rule, find_recurring

_URL = re.compile(r"https?://[^\s<>\"]+")
_QUOTED = re.compile(r'"([^"]+)"|«\s*([^»]+?)\s*»|“([^”]+)”')
_PLACE = re.compile(r"(?:^|\s)(?:à|au|aux|chez|at|lieu\s*:|location\s*:|place\s*:)\s+(?=\S)", re.I)
_SEPARATORS = " \t\n,;:-–—"


@dataclass(frozen=True)
class Draft:
    title: str | None
    place: str | None
    link: str | None
    first: datetime  # aware, in the room's zone
    rule: Rule | None


def parse_schedule(text: str, *, now: datetime, tz: str, lang: str) -> Draft:
    """See the module docstring. Raises DateError, RecurrenceError, or UserError("schedule.no_date")."""
    title = None
    quoted = _QUOTED.search(text)
    if quoted:
        title = next(g for g in quoted.groups() if g is not None).strip() or None
        text = f"{text[:quoted.start()]} {text[quoted.end():]}"
    link = None
    url = _URL.search(text)
    if url:
        link = url.group().rstrip(".,;:!?)»")
        text = f"{text[:url.start()]} {text[url.start() + len(link):]}"
    recurring = find_recurring(text, now=now, tz=tz, lang=lang)
    if recurring is not None:
        first, rule, rest = recurring.first, recurring.rule, recurring.rest
    else:
        found = find_date(text, now=now, tz=tz, lang=lang)
        if found is None:
            _raise_if_past(text, now=now, tz=tz, lang=lang)
            raise UserError("schedule.no_date", text=text.strip())
        parsed, rest = found
        _raise_if_past(text, now=now, tz=tz, lang=lang, around=parsed.phrase)
        if not parsed.has_time:
            raise RecurrenceError("needs_time", parsed.phrase)
        first, rule = parsed.when, None
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
    return Draft(title, place, link, first, rule)


def _raise_if_past(text: str, *, now: datetime, tz: str, lang: str, around: str | None = None) -> None:
    """find_date skips past dates: "hier 18h" would be read as "18h". Look again for a date phrase that
    is past (one containing `around`, the phrase found, when given), to say so rather than guess."""
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
