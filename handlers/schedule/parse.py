"""Reading `!réunion prévoir <text>`:
 1. A quoted part ("…", «…», “…”) is the title, whatever it contains.
 2. A link (http…) anywhere is the meeting's link (a video call).
 3. A recurrence ("tous les lundis à 18h", see handlers/dates/recurrence.py); else the date layer's find_date
    (the longest date phrase, which must have a time). A date already past gets the date layer's reply.
 4. The place: what follows the last "à", "au", "aux", "chez", "at", "lieu :", "location:".
 5. What is left is the title (optional).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from handlers.core.phrases import PLACE, take_after_last, take_date, take_link, take_quoted, title_and_place
from handlers.dates.recurrence import RecurrenceError, Rule, find_recurring



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
