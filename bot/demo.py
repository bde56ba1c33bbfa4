"""`relais` with no config: a throwaway Synapse on loopback, the bot, and a terminal chat with it.

Everything lives in a temporary folder that is removed on exit.
"""
from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

from bot.app import Relais
from bot.config import BotConfig, Config, MatrixConfig
from bot.devserver import Synapse, SynapseError
from bot.terminal_chat import TerminalChat

BOT_PASSWORD = "relais-demo-bot"
USER_PASSWORD = "relais-demo-user"


async def run_demo() -> int:
    with tempfile.TemporaryDirectory(prefix="relais-demo-") as tmp:
        workdir = Path(tmp)
        say("Starting a throwaway Matrix homeserver (Synapse) on 127.0.0.1…")
        synapse = Synapse(workdir / "synapse")
        try:
            await asyncio.to_thread(synapse.start)
        except SynapseError as exc:
            say(f"Synapse could not start: {exc}")
            return 1
        try:
            return await _with_homeserver(synapse, workdir)
        finally:
            await asyncio.to_thread(synapse.stop)


async def _with_homeserver(synapse: Synapse, workdir: Path) -> int:
    bot_id, _ = await asyncio.to_thread(synapse.register, "relais", BOT_PASSWORD)
    user_id, _ = await asyncio.to_thread(synapse.register, "vous", USER_PASSWORD)
    config = Config(
        matrix=MatrixConfig(synapse.base_url, bot_id, BOT_PASSWORD, None, "relais-demo"),
        bot=BotConfig(allowed_inviters=(user_id,)),
        storage_url=f"sqlite+aiosqlite:///{workdir / 'relais.db'}",
        source="(demo)",
    )
    # Before the room exists: the bot greets it as soon as it joins, and the greeting must come after this.
    say(f"Homeserver: {synapse.base_url} — you are {user_id}, the bot is {bot_id}.")
    say("Type !aide (or !help) and press Enter. Ctrl-D or /quit leaves; everything is thrown away.")
    bot = Relais(config, sync_timeout_ms=5_000)
    chat: TerminalChat | None = None
    try:
        await bot.start()
        chat = await TerminalChat.open(synapse.base_url, user_id, USER_PASSWORD, bot_id)
        await chat.run()
    finally:
        say("Arrêt du serveur de démonstration…")
        if chat is not None:
            await chat.close()
        await bot.stop()  # waits only for replies being sent, quick while Synapse is still up
    return 0


def say(text: str) -> None:
    print(f"* {text}", file=sys.stderr, flush=True)
