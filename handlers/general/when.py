"""!quand / !when: how Relais reads a date phrase, so people can check before scheduling."""
from handlers.core.arguments import Date
from handlers.core.commands import command
from handlers.core.router import Invocation
from handlers.dates.dates import ParsedDate, format_when


@command("when", fr="quand", en="when", args=[Date("phrase")])
async def when(inv: Invocation, parsed: ParsedDate) -> None:
    inv.reply("when.understood", phrase=parsed.phrase, when=format_when(parsed.when, inv.lang, parsed.has_time),
              tz=inv.room.timezone)
