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

from handlers.core.phrases import PLACE, take_after_last, take_date, take_link, take_quoted, title_and_place
from handlers.dates.recurrence import RecurrenceError, Rule, find_recurring
from handlers.dates.words import fold

# A text that starts like a recurrence ("tous les …", "every …") but is none that find_recurring knows: a typo
# ("every mondy 6pm") would otherwise make a one-off meeting titled "every mondy". Folded text.
_LOOKS_RECURRING = re.compile(r"^(?:tou(?:te)?s les|chaque|every|each)\s+\S+")



@dataclass(frozen=True)
class Draft:
    title: str | None
    place: str | None
    link: str | None
    first: datetime  # aware, in the room's zone
    rule: Rule | None


def parse_schedule(text: str, *, now: datetime, tz: str, lang: str) -> Draft:
    """See the module docstring. Raises DateError, RecurrenceError, or UserError("schedule.no_date")."""
    text, title = take_quoted(text)
    text, link = take_link(text)
    recurring = find_recurring(text, now=now, tz=tz, lang=lang)
    _check_understood(text, recurring.phrase if recurring is not None else None)
    if recurring is not None:
        first, rule, rest = recurring.first, recurring.rule, recurring.rest
    else:
        parsed, rest = take_date(text, now=now, tz=tz, lang=lang, no_date="schedule.no_date")
        if not parsed.has_time:
            raise RecurrenceError("needs_time", parsed.phrase)
        first, rule = parsed.when, None
    rest, place = take_after_last(PLACE, rest)
    title, place = title_and_place(rest, title, place)
    return Draft(title, place, link, first, rule)


def _check_understood(text: str, phrase: str | None) -> None:
    """RecurrenceError("not_understood") for a text that starts like a repetition that is not the one found
    (none, or "weekly" in the title of `every mondy at 6pm Weekly`)."""
    words = " ".join(text.split())
    folded = fold(words)
    start = _LOOKS_RECURRING.match(folded)
    if start is None or (phrase is not None and folded.startswith(fold(" ".join(phrase.split())))):
        return
    raise RecurrenceError("not_understood", " ".join(words.split()[:len(start.group().split())]))
