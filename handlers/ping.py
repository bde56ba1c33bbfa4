"""!ping: a health check that answers at once (used by the benchmarks)."""
from handlers.registry import registry
from handlers.router import Invocation


@registry.command("ping", fr="ping", en="ping")
async def ping(inv: Invocation) -> None:
    inv.reply("ping.pong")
