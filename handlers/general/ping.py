"""!ping: a health check that answers at once (used by the benchmarks)."""
from handlers.core.commands import command
from handlers.core.router import Invocation


@command("ping", fr="ping", en="ping", more_ok=True)
async def ping(inv: Invocation) -> None:
    inv.reply("ping.pong")
