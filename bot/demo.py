"""`relais` with no config: a throwaway Synapse on loopback, the bot, and a terminal chat with it.

Everything lives in a temporary folder that is removed on exit.
"""
from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

from bot.app import Relais
from bot.config import BotConfig, Config, MatrixConfig, WebConfig
from bot.devserver import Synapse, SynapseError, free_port
from bot.terminal_chat import TerminalChat
from handlers.pages import room_url, turn_on

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
    web_port = free_port()  # the room's web pages, on loopback
    config = Config(
        matrix=MatrixConfig(synapse.base_url, bot_id, BOT_PASSWORD, None, "relais-demo"),
        bot=BotConfig(allowed_inviters=(user_id,)),
        storage_url=f"sqlite+aiosqlite:///{workdir / 'relais.db'}",
        source="(demo)",
        web=WebConfig(f"127.0.0.1:{web_port}", f"http://127.0.0.1:{web_port}"),
    )
    # Before the room exists: the bot greets it as soon as it joins, and the greeting must come after this.
    say(f"Homeserver: {synapse.base_url} — you are {user_id}, the bot is {bot_id}.")
    say("Type !aide (or !help) and press Enter. /restart stops the bot and starts it again (its database "
        "kept); Ctrl-D or /quit leaves; everything is thrown away.")
    bot = Relais(config, sync_timeout_ms=5_000)
    chat: TerminalChat | None = None

    async def restart() -> None:
        # What a deployment's restart does: the same database, a new process' state (a new Relais).
        nonlocal bot
        say("Arrêt du bot…")
        await bot.stop()
        bot = Relais(config, sync_timeout_ms=5_000)
        await bot.start()
        say("Bot redémarré (même base de données).")

    try:
        await bot.start()
        chat = await TerminalChat.open(synapse.base_url, user_id, USER_PASSWORD, bot_id)
        link, _ = await turn_on(bot.store, chat.room_id, by=user_id, at=bot.clock.now())
        say(f"The room's web pages (for members off Matrix; !pages off stops them): "
            f"{room_url(config.web.public_url, link.token)}")
        await chat.run(restart)
    finally:
        say("Arrêt du serveur de démonstration…")
        if chat is not None:
            await chat.close()
        await bot.stop()  # waits only for replies being sent, quick while Synapse is still up
    return 0


def say(text: str) -> None:
    print(f"* {text}", file=sys.stderr, flush=True)
