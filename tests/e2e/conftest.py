"""The bot under test: a real Relais (real nio client, real storage) against the suite's Synapse."""
from __future__ import annotations

import asyncio
import secrets
from dataclasses import replace
from functools import partial

import pytest
from nio import DownloadError
from nio.crypto.attachments import decrypt_attachment

from bot.app import Relais
from bot.config import BotConfig, Config, DigestConfig, EncryptionConfig, MatrixConfig, RemindersConfig
from bot.mailer import EmailConfig


class BotHandle:
    """Starts, stops and restarts one bot account with one database, like an operator would."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.bot: Relais | None = None

    @property
    def user_id(self) -> str:
        return self.config.matrix.user_id

    async def start(self) -> Relais:
        self.bot = Relais(self.config, sync_timeout_ms=1_000)
        await self.bot.start()
        return self.bot

    async def stop(self) -> None:
        if self.bot:
            await self.bot.stop()
            self.bot = None

    async def restart(self) -> Relais:
        await self.stop()
        return await self.start()


@pytest.fixture
async def start_bot(synapse, tmp_path):
    """`await start_bot(allowed_inviters=(...))` → a running BotHandle with its own account and SQLite file."""
    handles: list[BotHandle] = []

    async def start(storage_url: str | None = None, reminders: RemindersConfig | None = None,
                    digest: DigestConfig | None = None, email: EmailConfig | None = None,
                    encryption: EncryptionConfig | None = None, **bot_settings) -> BotHandle:
        password = secrets.token_urlsafe(12)
        localpart = f"relais-{secrets.token_hex(4)}"
        user_id, _ = await asyncio.to_thread(synapse.register, localpart, password)
        config = Config(
            matrix=MatrixConfig(synapse.base_url, user_id, password, None, "relais-e2e"),
            bot=replace(BotConfig(), **bot_settings),
            storage_url=storage_url or f"sqlite+aiosqlite:///{tmp_path / (localpart + '.db')}",
            source="(e2e)",
            reminders=reminders or RemindersConfig(),  # e.g. offsets of a few seconds
            digest=digest or DigestConfig(),
            email=email,  # e.g. a local aiosmtpd server
            # On by default, as in production; the crypto store in the test's directory whatever the database.
            encryption=encryption or EncryptionConfig(store=str(tmp_path / f"{localpart}.crypto")),
        )
        handle = BotHandle(config)
        handles.append(handle)
        await handle.start()
        return handle

    yield start
    for handle in handles:
        await handle.stop()


@pytest.fixture
def make_member(make_user):
    """`await make_member("alice")` → a started MatrixUser whose client encrypts (keys in its own store)."""
    return partial(make_user, encrypting=True)


async def room_with_bot(owner, bot: BotHandle, *members, name: str | None = None, encrypted: bool = False) -> str:
    """A room created by `owner` (a coordinator: the creator), with the bot and `members` joined. `encrypted`, as
    Element creates private rooms: then the bot's greeting must arrive encrypted."""
    room_id = await owner.create_room(invite=[bot.user_id, *(m.user_id for m in members)], name=name,
                                      encrypted=encrypted)
    for member in members:
        await member.wait_invite(room_id)
        await member.join(room_id)
    await owner.wait_joined(room_id, bot.user_id)
    for member in members:
        await owner.wait_joined(room_id, member.user_id)
    # The bot greets the room once it has joined: from then on it reads commands. Keys may travel first.
    greeting = await owner.wait_for(lambda e: e.sender == bot.user_id, room_id=room_id, timeout=20 if encrypted else 15)
    assert not encrypted or was_encrypted(greeting), greeting.source
    return room_id


async def ask(user, room: str, bot: BotHandle, text: str, timeout: float = 15, **send_options):
    """`user` sends `text` in `room`: the bot's reply to it."""
    sent = await user.send(room, text, **send_options)
    return await user.wait_reply(room, sent, sender=bot.user_id, timeout=timeout)


def body(event) -> str:
    return event.source["content"]["body"]


def was_encrypted(event) -> bool:
    """Sent encrypted, and decrypted by the member's client (what reached Synapse was ciphertext)."""
    return getattr(event, "decrypted", False) is True


async def download_decrypted(user, file: dict) -> bytes:
    """An encrypted attachment (an event's `file`), downloaded by `user` and decrypted with its key."""
    resp = await user.client.download(file["url"])
    assert not isinstance(resp, DownloadError), resp
    return decrypt_attachment(resp.body, file["key"]["k"], file["hashes"]["sha256"], file["iv"])
