"""The date phrase in a command's free text (handlers/core/phrases.py reads the rest of it): `!réunion prévoir` and
`!mobilisation` both require one, and refuse a missing or past one the same way."""
from __future__ import annotations

from datetime import datetime

from handlers.core.errors import UserError
from handlers.dates.dates import ParsedDate, find_date, raise_if_past


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
