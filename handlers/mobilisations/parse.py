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
from handlers.core.phrases import PLACE, take_after_last, take_date, take_link, take_quoted, title_and_place

_ORGANISER = re.compile(r"(?:^|\s)(?:organisée?s?\s+par|organi[sz]ed\s+by|par|by)\s+(?=\S)", re.I)


@dataclass(frozen=True)
class Draft:
    title: str | None
    place: str | None
    link: str | None
    organiser: str | None
    when: datetime | None  # aware, in the room's zone; None when no date was asked for and none found


def parse_mobilisation(text: str, *, now: datetime, tz: str, lang: str) -> Draft:
    """See the module docstring. Raises DateError, or UserError (no date, a day without time, no title)."""
    text, title = take_quoted(text)
    text, link = take_link(text)
    parsed, rest = take_date(text, now=now, tz=tz, lang=lang, no_date="mobilisation.no_date")
    if not parsed.has_time:
        raise UserError("mobilisation.needs_time", phrase=parsed.phrase)
    rest, organiser = take_after_last(_ORGANISER, rest)
    rest, place = take_after_last(PLACE, rest)
    title, place = title_and_place(rest, title, place)
    if title is None:
        raise UserError("mobilisation.no_title")
    return Draft(title, place, link, organiser, parsed.when)
