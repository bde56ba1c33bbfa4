"""The bot under adverse conditions: rate limiting (429) and a homeserver that goes away and comes back."""
import asyncio
import json
import logging
import secrets
import urllib.request

import pytest

from bot.devserver import Synapse, SynapseError
from tests.e2e.conftest import BotHandle, body, room_with_bot
from tests.e2e.matrix_user import MatrixUser

pytestmark = pytest.mark.e2e


def override_ratelimit(synapse, admin_token: str, user_id: str, per_second: int, burst: int) -> None:
    request = urllib.request.Request(
        f"{synapse.base_url}/_synapse/admin/v1/users/{user_id}/override_ratelimit",
        data=json.dumps({"messages_per_second": per_second, "burst_count": burst}).encode(),
        headers={"Authorization": f"Bearer {admin_token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as resp:
        assert resp.status == 200


async def test_rate_limited_replies_wait_and_are_all_delivered(synapse, make_user, start_bot, caplog):
    caplog.set_level(logging.WARNING)
    _, admin_token = await asyncio.to_thread(synapse.register, f"admin-{secrets.token_hex(4)}", "pw", True)
    alice = await make_user("alice")
    bot = await start_bot()
    room = await room_with_bot(alice, bot)
    # The bot may send one message a second, after a burst of 1: its replies will meet 429s.
    await asyncio.to_thread(override_ratelimit, synapse, admin_token, bot.user_id, 1, 1)
    sent = [await alice.send(room, f"!ping {i}") for i in range(4)]
    for event_id in sent:
        reply = await alice.wait_reply(room, event_id, sender=bot.user_id, timeout=40)
        assert body(reply) == "pong"
    assert "ratelimited" in caplog.text or "429" in caplog.text


async def test_bot_reconnects_after_the_homeserver_restarts(tmp_path):
    """Synapse stops for a few seconds: the bot backs off, reconnects and answers what was sent after."""
    server = Synapse(tmp_path / "synapse")
    try:
        server.start()
    except SynapseError as exc:
        pytest.fail(f"could not start Synapse: {exc}", pytrace=False)
    handle = None
    alice = None
    try:
        alice_id, alice_token = server.register("alice", "alice-pw")
        bot_id, _ = server.register("relais", "relais-pw")
        from bot.config import Config, MatrixConfig

        handle = BotHandle(Config(MatrixConfig(server.base_url, bot_id, "relais-pw", None, "relais-e2e"),
                                  storage_url=f"sqlite+aiosqlite:///{tmp_path / 'relais.db'}"))
        await handle.start()
        alice = await MatrixUser.from_token(server.base_url, alice_token)
        await alice.start()
        room = await room_with_bot(alice, handle)
        await alice.close()

        await asyncio.to_thread(server.stop)
        await asyncio.sleep(3)  # the bot's syncs fail meanwhile
        await asyncio.to_thread(server.start)

        alice = await MatrixUser.from_token(server.base_url, alice_token)
        await alice.start()
        sent = await alice.send(room, "!ping")
        reply = await alice.wait_reply(room, sent, sender=bot_id, timeout=90)
        assert body(reply) == "pong"
    finally:
        if alice:
            await alice.close()
        if handle:
            await handle.stop()
        server.stop()
