"""Dates typed in commands: parsed in the room's zone and language, errors turned into replies."""
from handlers.dates import DateError, ParsedDate, parse_date
from handlers.router import Invocation, UserError


def read_date(inv: Invocation, phrase: str, *, deadline: bool = False) -> ParsedDate:
    """parse_date in the room's zone and language; a bad phrase becomes a reply with examples."""
    try:
        return parse_date(phrase, now=inv.services.clock.now(), tz=inv.room.timezone, lang=inv.lang,
                          deadline=deadline)
    except DateError as exc:
        raise UserError(date_error_key(exc), phrase=exc.phrase or phrase) from None


def date_error_key(exc: DateError) -> str:
    return "date.past" if exc.code == "past" else "date.unparseable"
