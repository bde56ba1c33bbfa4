"""The foundation against a real Synapse: commands, languages, permissions, invites, restarts, bursts."""
import asyncio

import pytest

from bot.config import EncryptionConfig
from tests.e2e.conftest import body, room_with_bot

pytestmark = pytest.mark.e2e


async def test_ping_gets_a_notice_reply_with_html(make_user, start_bot):
    alice = await make_user("alice")
    bot = await start_bot()
    room = await room_with_bot(alice, bot)
    sent = await alice.send(room, "!ping")
    reply = await alice.wait_reply(room, sent, sender=bot.user_id)
    content = reply.source["content"]
    assert content["msgtype"] == "m.notice"
    assert content["body"] == "pong"
    assert content["format"] == "org.matrix.custom.html" and content["formatted_body"] == "pong"


async def test_help_in_french_then_english(make_user, start_bot):
    alice = await make_user("alice")
    bot = await start_bot()
    room = await room_with_bot(alice, bot)
    reply = await alice.wait_reply(room, await alice.send(room, "!aide"), sender=bot.user_id)
    assert body(reply).startswith("Commandes de Relais")
    assert "`!réglages` — affiche ou change les réglages du salon" in body(reply)
    assert "<ul><li><code>!aide</code>" in reply.source["content"]["formatted_body"]

    changed = await alice.wait_reply(room, await alice.send(room, "!réglages langue en"), sender=bot.user_id)
    assert body(changed) == "Room language: `en`."
    reply = await alice.wait_reply(room, await alice.send(room, "!help"), sender=bot.user_id)
    assert body(reply).startswith("Relais commands")
    assert "`!settings` — show or change the room's settings" in body(reply)


async def test_unknown_command_names_the_nearest(make_user, start_bot):
    alice = await make_user("alice")
    bot = await start_bot()
    room = await room_with_bot(alice, bot)
    reply = await alice.wait_reply(room, await alice.send(room, "!pnig"), sender=bot.user_id)
    assert body(reply).startswith("Commande inconnue : `!pnig`. Vouliez-vous dire `!ping` ?")


async def test_settings_changed_by_coordinator_and_refused_to_member(make_user, start_bot):
    coord = await make_user("coord")
    member = await make_user("member")
    bot = await start_bot()
    room = await room_with_bot(coord, bot, member)

    refused = await member.wait_reply(room, await member.send(room, "!réglages fuseau America/Montreal"),
                                      sender=bot.user_id)
    assert body(refused).startswith("Seuls les coordinateurs (niveau de pouvoir ≥ 50 dans ce salon)")

    done = await coord.wait_reply(room, await coord.send(room, "!réglages fuseau America/Montreal"),
                                  sender=bot.user_id)
    assert body(done) == "Fuseau horaire du salon : `America/Montreal`."
    shown = await member.wait_reply(room, await member.send(room, "!réglages"), sender=bot.user_id)
    assert "Fuseau horaire : `America/Montreal`" in body(shown)


async def test_mention_pill_in_a_command_reaches_the_bot_as_a_user_id(make_user, start_bot):
    alice = await make_user("alice")
    bot = await start_bot()
    room = await room_with_bot(alice, bot)
    # A pill: the body shows a display name, the link carries the user id.
    sent = await alice.send(room, "!aide relais", formatted_body=f'!aide <a href="https://matrix.to/#/{bot.user_id}">relais</a>')
    reply = await alice.wait_reply(room, sent, sender=bot.user_id)
    assert f"`!{bot.user_id}`" in body(reply)  # understood as the user id, which is not a command


async def test_invite_from_a_non_allowed_user_is_rejected(make_user, start_bot):
    trusted = await make_user("trusted")
    stranger = await make_user("stranger")
    bot = await start_bot(allowed_inviters=(trusted.user_id,))

    rejected = await stranger.create_room(invite=[bot.user_id])
    accepted = await trusted.create_room(invite=[bot.user_id])
    await trusted.wait_joined(accepted, bot.user_id)
    await stranger.wait_event(
        lambda e: getattr(e, "state_key", None) == bot.user_id and getattr(e, "membership", None) == "leave",
        room_id=rejected, what="the bot rejecting the invite",
    )
    assert stranger.membership(rejected, bot.user_id) == "leave"


async def test_restart_neither_replays_old_commands_nor_creates_a_device(make_user, start_bot):
    alice = await make_user("alice")
    bot = await start_bot()
    room = await room_with_bot(alice, bot)
    before = await alice.send(room, "!ping")
    await alice.wait_reply(room, before, sender=bot.user_id)
    device = bot.bot.client.device_id
    devices_before = sorted(d.id for d in (await bot.bot.client.devices()).devices)

    await bot.stop()
    while_down = await alice.send(room, "!aide")  # must be answered once the bot is back
    await bot.start()
    await alice.wait_reply(room, while_down, sender=bot.user_id)
    after = await alice.send(room, "!ping")
    await alice.wait_reply(room, after, sender=bot.user_id)

    replies_to = lambda ev: [e for e in alice.messages(room)  # noqa: E731
                             if e.source["content"].get("m.relates_to", {}).get("m.in_reply_to", {}).get("event_id") == ev]
    assert len(replies_to(before)) == 1
    assert len(replies_to(while_down)) == 1
    # (the account's other device is the registration's own session)
    assert bot.bot.client.device_id == device
    assert sorted(d.id for d in (await bot.bot.client.devices()).devices) == devices_before


async def test_a_burst_larger_than_one_sync_is_answered_in_full(make_user, start_bot):
    """150 commands while the bot is down: the next sync is `limited`; the gap must be fetched."""
    alice = await make_user("alice")
    bot = await start_bot()
    room = await room_with_bot(alice, bot)
    await bot.stop()
    sent = [await alice.send(room, f"!ping {i}") for i in range(150)]
    await bot.start()
    for event_id in sent:
        await alice.wait_reply(room, event_id, sender=bot.user_id, timeout=60)
    answered = [e for e in alice.messages(room) if e.sender == bot.user_id
                and e.source["content"].get("m.relates_to", {}).get("m.in_reply_to", {}).get("event_id") in set(sent)]
    assert len(answered) == 150


async def test_the_bot_syncs_with_its_filter_stored_on_the_homeserver(make_user, start_bot):
    """The filter (no presence, no typing, up to 100 events a sync) is uploaded once and named by its id in
    every sync: the homeserver holds exactly it, and commands are answered through it."""
    from urllib.parse import quote

    from bot.app import SYNC_FILTER

    alice = await make_user("alice")
    bot = await start_bot()
    room = await room_with_bot(alice, bot)
    await alice.wait_reply(room, await alice.send(room, "!ping"), sender=bot.user_id)
    client = bot.bot.client
    assert isinstance(bot.bot._filter_id, str)
    path = f"/_matrix/client/v3/user/{quote(client.user_id)}/filter/{quote(bot.bot._filter_id)}"
    resp = await client.client_session.get(client.homeserver + path,
                                           headers={"Authorization": f"Bearer {client.access_token}"})
    stored = await resp.json()
    assert resp.status == 200, stored
    assert stored["room"]["timeline"]["limit"] == SYNC_FILTER["room"]["timeline"]["limit"]
    assert stored["presence"] == SYNC_FILTER["presence"]
    assert stored["room"]["ephemeral"] == SYNC_FILTER["room"]["ephemeral"]


async def test_a_filter_the_homeserver_no_longer_knows_is_uploaded_again(make_user, start_bot):
    """A homeserver restored from a backup may not know the filter's id any more: the bot syncs on."""
    alice = await make_user("alice")
    bot = await start_bot()
    room = await room_with_bot(alice, bot)
    bot.bot._filter_id = "987654"  # never uploaded
    # The first may still be read by the sync under way; the second only by one after the refused filter.
    for _ in range(2):
        await alice.wait_reply(room, await alice.send(room, "!ping"), sender=bot.user_id, timeout=30)
    assert isinstance(bot.bot._filter_id, str) and bot.bot._filter_id != "987654"


async def test_other_bots_notices_and_its_own_messages_are_ignored(make_user, start_bot):
    alice = await make_user("alice")
    other_bot = await make_user("otherbot")
    bot = await start_bot()
    room = await room_with_bot(alice, bot, other_bot)
    notice = await other_bot.send(room, "!ping", msgtype="m.notice")
    probe = await alice.send(room, "!ping")
    await alice.wait_reply(room, probe, sender=bot.user_id)
    await asyncio.sleep(0.5)
    assert not [e for e in alice.messages(room)
                if e.source["content"].get("m.relates_to", {}).get("m.in_reply_to", {}).get("event_id") == notice]


async def test_commands_sent_before_the_bot_joined_are_not_answered(make_user, start_bot):
    alice = await make_user("alice")
    bot = await start_bot()
    room = await alice.create_room()
    old = await alice.send(room, "!ping")  # before the invite: history, not a command to the bot
    await alice.invite(room, bot.user_id)
    await alice.wait_joined(room, bot.user_id)
    new = await alice.send(room, "!ping")
    await alice.wait_reply(room, new, sender=bot.user_id)
    await asyncio.sleep(0.5)
    assert not [e for e in alice.messages(room)
                if e.source["content"].get("m.relates_to", {}).get("m.in_reply_to", {}).get("event_id") == old]


async def test_first_start_skips_the_backlog_of_rooms_it_is_already_in(synapse, make_user, tmp_path):
    """The account was already in a room with commands in it before Relais ever ran with it."""
    import secrets

    from bot.config import Config, MatrixConfig
    from tests.e2e.conftest import BotHandle
    from tests.e2e.matrix_user import MatrixUser

    alice = await make_user("alice")
    password = secrets.token_urlsafe(12)
    bot_id, bot_token = await asyncio.to_thread(synapse.register, f"relais-{secrets.token_hex(4)}", password)
    room = await alice.create_room(invite=[bot_id])
    account = await MatrixUser.from_token(synapse.base_url, bot_token)  # someone used the account by hand
    await account.join(room)
    await account.close()
    backlog = await alice.send(room, "!aide")

    handle = BotHandle(Config(MatrixConfig(synapse.base_url, bot_id, password, None, "relais-e2e"),
                              storage_url=f"sqlite+aiosqlite:///{tmp_path / 'first.db'}"))
    await handle.start()
    try:
        fresh = await alice.send(room, "!ping")
        await alice.wait_reply(room, fresh, sender=bot_id)
        await asyncio.sleep(0.5)
        assert not [e for e in alice.messages(room) if e.sender == bot_id and e.source["content"]
                    .get("m.relates_to", {}).get("m.in_reply_to", {}).get("event_id") == backlog]
    finally:
        await handle.stop()


async def test_in_an_encrypted_room_the_bot_says_once_that_it_cannot_read(make_user, start_bot):
    alice = await make_user("alice")
    bot = await start_bot(encryption=EncryptionConfig(enabled=False))  # switched off in config.toml
    created = await alice.client.room_create(invite=[bot.user_id], initial_state=[
        {"type": "m.room.encryption", "state_key": "", "content": {"algorithm": "m.megolm.v1.aes-sha2"}}])
    room = created.room_id
    await alice.wait_joined(room, bot.user_id)
    encrypted = {"algorithm": "m.megolm.v1.aes-sha2", "ciphertext": "AwgAEnAcryptedCommand",
                 "sender_key": "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "session_id": "s3ss10n",
                 "device_id": "ALICEDEVICE"}
    for _ in range(2):
        await alice.send_event(room, "m.room.encrypted", encrypted)
    notice = await alice.wait_for(lambda e: "chiffré de bout en bout" in e.source["content"].get("body", ""),
                                  room_id=room, sender=bot.user_id)
    assert notice.source["content"]["msgtype"] == "m.notice"
    await asyncio.sleep(1)
    assert len([e for e in alice.messages(room) if "chiffré de bout en bout" in e.source["content"].get("body", "")]) == 1
