"""Dates typed in commands: parsed in the room's zone and language, errors turned into replies (the texts:
handlers/dates/texts.py)."""
from __future__ import annotations

import calendar
from typing import TYPE_CHECKING

from handlers.core.errors import UserError
from handlers.dates.dates import (MAX_YEARS_AHEAD, DateError, ParsedDate, format_day, month_name, parse_date,
                                  weekday_name)

if TYPE_CHECKING:
    from handlers.core.router import Invocation

_KEYS = {"past": "date.past", "weekday_mismatch": "date.weekday_mismatch", "too_far": "date.too_far",
         "no_such_day": "date.no_such_day", "no_such_time": "date.no_such_time"}


def read_date(inv: "Invocation", phrase: str, *, deadline: bool = False) -> ParsedDate:
    """parse_date in the room's zone and language; a bad phrase becomes a reply with examples."""
    try:
        return parse_date(phrase, now=inv.services.clock.now(), tz=inv.room.timezone, lang=inv.lang,
                          deadline=deadline)
    except DateError as exc:
        raise date_error(exc, inv.lang, phrase) from None


def date_error(exc: DateError, lang: str, phrase: str | None = None) -> UserError:
    """The reply to a date that cannot be used: its catalogue key and every value the text needs."""
    return UserError(date_error_key(exc), **date_error_values(exc, lang, phrase))


def date_error_key(exc: DateError) -> str:
    if exc.code == "no_such_day" and exc.missing and exc.missing[2]:
        return "date.no_such_day_in_year"
    return _KEYS.get(exc.code, "date.unparseable")


def date_error_values(exc: DateError, lang: str, phrase: str | None = None) -> dict[str, object]:
    """Values for the text of date_error_key(exc), in `lang`; `phrase` stands in for an empty exc.phrase."""
    values: dict[str, object] = {"phrase": exc.phrase or phrase or ""}
    if exc.code == "too_far":
        values["years"] = MAX_YEARS_AHEAD
    if exc.code == "no_such_day":  # "Il n'y a pas de 31 février (en 2027)." / "There is no February 31 (in 2027)."
        day, month, year = exc.missing
        last = calendar.monthrange(year or 2001, month)[1]  # without a year, a common one: 28 February
        values.update(day=day, month=month_name(month, lang), year=year or "", last=last)
    if exc.code == "no_such_time":  # "« mercredi 12 mai 25h » : 25h n'est pas une heure…"
        values["clock"] = exc.clock
    if exc.code == "weekday_mismatch":  # "Le 9 mai 2027 est un dimanche, pas un samedi."
        values.update(date=format_day(exc.day, lang), weekday=weekday_name(exc.day.weekday(), lang),
                      stated=weekday_name(exc.stated, lang))
    return values
