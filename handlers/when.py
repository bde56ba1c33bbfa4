"""!quand / !when: how Relais reads a date phrase, so people can check before scheduling."""
from handlers.date_input import read_date
from handlers.dates import format_when
from handlers.registry import registry
from handlers.router import Invocation, UsageError


@registry.command("when", fr="quand", en="when")
async def when(inv: Invocation) -> None:
    if not inv.rest:
        raise UsageError()
    parsed = read_date(inv, inv.rest)
    inv.reply("when.understood", phrase=inv.rest, when=format_when(parsed.when, inv.lang, parsed.has_time),
              tz=inv.room.timezone)
