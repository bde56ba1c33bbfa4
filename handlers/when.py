"""!quand / !when: how Relais reads a date phrase, so people can check before scheduling."""
from handlers.dates import DateError, format_when, parse_date
from handlers.registry import registry
from handlers.router import Invocation, UsageError, UserError


def read_date(inv: Invocation, phrase: str, *, deadline: bool = False):
    """parse_date in the room's zone and language; a bad phrase becomes a reply with examples."""
    try:
        return parse_date(phrase, now=inv.services.clock.now(), tz=inv.room.timezone, lang=inv.lang,
                          deadline=deadline)
    except DateError as exc:
        raise UserError(date_error_key(exc), phrase=exc.phrase or phrase) from None


def date_error_key(exc: DateError) -> str:
    return "date.past" if exc.code == "past" else "date.unparseable"


@registry.command("when", fr="quand", en="when")
async def when(inv: Invocation) -> None:
    if not inv.rest:
        raise UsageError()
    parsed = read_date(inv, inv.rest)
    inv.reply("when.understood", phrase=inv.rest, when=format_when(parsed.when, inv.lang, parsed.has_time),
              tz=inv.room.timezone)
