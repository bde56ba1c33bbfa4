"""End-to-end encryption against a real Synapse, with members whose clients encrypt (nio with a crypto
store, as Element would): commands in an encrypted room are read and answered encrypted (edits, redactions and
encrypted reactions too), reminders and direct messages arrive encrypted and decrypt on the member's side, files
are encrypted attachments (a tract posted encrypted is posted again readable), the bot keeps its device across
restarts and reads a burst sent while it was down through the gap, a command whose key arrives late is answered
once it does (and one whose key never comes gets one "could not read"), a command posted again as a new event
is refused, on a member's first room key or the next one, and the trust setting decides which devices can read
the bot."""
from __future__ import annotations

import asyncio
import io
from datetime import timedelta
from functools import partial
from uuid import uuid4

import pytest
from nio import Api, MegolmEvent
from icalendar import Calendar

from bot.config import EncryptionConfig, RemindersConfig
from handlers.core.interface import File
from tests.e2e.conftest import ask as ask_bot, body, download_decrypted, room_with_bot, was_encrypted
from tests.e2e.matrix_user import MatrixUser
from tests.postgres import create_database, drop_database, postgres_url  # noqa: F401 (fixture)

pytestmark = pytest.mark.e2e

encrypted_room = partial(room_with_bot, encrypted=True)


async def ask(user: MatrixUser, room: str, bot, text: str):
    """The bot's reply, which must arrive encrypted."""
    reply = await ask_bot(user, room, bot, text, timeout=20)
    assert was_encrypted(reply), reply.source
    return reply


async def test_ping_in_an_encrypted_room_is_answered_encrypted(make_member, start_bot):
    alice = await make_member("alice")
    bot = await start_bot()
    room = await encrypted_room(alice, bot)
    reply = await ask(alice, room, bot, "!ping")
    assert body(reply) == "pong"
    assert reply.source["content"]["msgtype"] == "m.notice"


async def test_an_action_with_an_owner_and_a_deadline(make_member, start_bot):
    coord = await make_member("coord")
    bob = await make_member("bob")
    bot = await start_bot()
    room = await encrypted_room(coord, bot, bob)
    bob_local = bob.user_id[1:].split(":")[0]
    created = await ask(coord, room, bot, f"!action @{bob_local} réserver la salle avant samedi")
    assert body(created).startswith(f"Action #1 enregistrée : réserver la salle\nResponsables : {bob_local}\n"
                                    "Échéance : samedi"), body(created)
    assert created.source["content"]["m.mentions"] == {"user_ids": [bob.user_id]}
    # The owner reads it too: the room key went to every member's devices.
    seen_by_bob = await bob.wait_event(lambda e: e.event_id == created.event_id, room_id=room)
    assert was_encrypted(seen_by_bob) and body(seen_by_bob) == body(created)
    listed = await ask(bob, room, bot, "!action liste mes")
    assert "#1 réserver la salle" in body(listed)


async def test_a_short_meeting_with_its_minutes(make_member, start_bot):
    coord = await make_member("coord")
    annie = await make_member("annie")
    bot = await start_bot()
    room = await encrypted_room(coord, bot, annie)
    started = await ask(coord, room, bot, "!réunion début Point chiffré")
    assert body(started).startswith("Réunion n°1 « Point chiffré » ouverte")
    for user, text in ((annie, "!présent"), (coord, "!sujet Local"), (annie, "!décision On garde le local"),
                       (coord, "!info Le bail court jusqu'en juin")):
        sent = await user.send(room, text)
        await user.wait_reaction(room, sent, key="✅", sender=bot.user_id, timeout=20)  # reactions stay in clear
    await coord.send(room, "!réunion fin")
    minutes = await annie.wait_for(lambda e: body(e).startswith("Compte rendu de la réunion n°1 : Point chiffré"),
                                   room_id=room, sender=bot.user_id, timeout=20)
    assert was_encrypted(minutes)
    topic = body(minutes).split("\n\n")[1].split("\n")
    assert topic[0] == "1. Local" and sorted(topic[1:]) == ["• Décision : On garde le local",
                                                             "• Info : Le bail court jusqu'en juin"]
    assert "Présents (1) : " in body(minutes)


async def test_reminder_and_coordinator_dm_arrive_encrypted_and_agenda_is_an_encrypted_file(make_member, start_bot):
    coord = await make_member("coord")
    bot = await start_bot(reminders=RemindersConfig(meeting=(timedelta(seconds=52),)))
    room = await encrypted_room(coord, bot)
    planned = await ask(coord, room, bot, "!réunion prévoir dans 1 minute Point chiffré")
    assert body(planned).startswith("Réunion prévue P1 : « Point chiffré »")

    reminder = await coord.wait_for(lambda e: body(e).startswith("Rappel : réunion P1 « Point chiffré »"),
                                    room_id=room, sender=bot.user_id, timeout=30)
    assert was_encrypted(reminder)
    dm_room = await coord.wait_invite(timeout=20)
    await coord.join(dm_room)
    dm = await coord.wait_for(lambda e: body(e).startswith("Rappel : réunion P1 « Point chiffré »"),
                              room_id=dm_room, sender=bot.user_id, timeout=20)
    assert was_encrypted(dm)

    await coord.send(room, "!agenda")
    posted = await coord.wait_for(lambda e: e.source["content"].get("msgtype") == "m.file",
                                  room_id=room, sender=bot.user_id, timeout=20)
    assert was_encrypted(posted)
    content = posted.source["content"]
    assert "url" not in content  # the homeserver holds only ciphertext; the key travels in the event
    ics = await download_decrypted(coord, content["file"])
    calendar = Calendar.from_ical(ics)
    [event] = [c for c in calendar.walk("VEVENT")]
    assert str(event["summary"]) == "Point chiffré"


async def test_a_restarted_bot_keeps_its_device_and_answers_what_was_sent_while_it_was_down(make_member, start_bot):
    alice = await make_member("alice")
    bot = await start_bot()
    room = await encrypted_room(alice, bot)
    device = bot.bot.client.device_id
    assert body(await ask(alice, room, bot, "!ping")) == "pong"
    await bot.stop()
    while_down = await alice.send(room, "!ping")
    restarted = await bot.start()
    assert restarted.client.device_id == device  # members see no new device
    reply = await alice.wait_reply(room, while_down, sender=bot.user_id, timeout=20)
    assert was_encrypted(reply) and body(reply) == "pong"
    devices = alice.client.device_store.active_user_devices(bot.user_id)
    assert [d.id for d in devices] == [device]


async def test_a_command_whose_key_arrives_late_is_answered_once_it_arrives(make_member, start_bot):
    alice = await make_member("alice")
    bot = await start_bot()
    room = await encrypted_room(alice, bot)
    bot_device = bot.bot.client.device_id
    # Alice's client keeps the new room key from the bot's device at first (as a slow client would)…
    key = withhold_key(alice, room, bot.user_id, bot_device)
    sent = await alice.send(room, "!aide ping")
    await asyncio.sleep(3)
    assert not replies_to(alice, room, sent, bot), "answered without the key"
    # …and shares it later: the command is answered then, once.
    await share_key_late(alice, key, bot.user_id, bot_device)
    reply = await alice.wait_reply(room, sent, sender=bot.user_id, timeout=20)
    assert was_encrypted(reply) and "!ping" in body(reply)
    await ask(alice, room, bot, "!ping")  # later commands go through; the late one was not answered again
    assert len(replies_to(alice, room, sent, bot)) == 1


async def test_a_message_whose_key_never_arrives_is_answered_once_that_it_could_not_be_read(make_member,
                                                                                             start_bot):
    alice = await make_member("alice")
    bot = await start_bot(encryption=EncryptionConfig(key_wait=timedelta(seconds=4)))
    room = await encrypted_room(alice, bot)
    withhold_key(alice, room, bot.user_id, bot.bot.client.device_id)
    sent = await alice.send(room, "!ping")
    told = await alice.wait_reply(room, sent, sender=bot.user_id, timeout=30)
    assert was_encrypted(told)
    assert "je n'ai pas pu lire votre message" in body(told)
    assert told.source["content"]["m.mentions"] == {"user_ids": [alice.user_id]}
    await bot.restart()  # kept in the database: told once, even after a restart
    await ask(alice, room, bot, "!ping")
    await asyncio.sleep(2)
    assert len(replies_to(alice, room, sent, bot)) == 1


async def test_a_command_posted_again_as_a_new_event_is_run_once(make_member, start_bot):
    # A replay: the same ciphertext (same room key and message index) posted again as a new event, as a
    # homeserver could. The command is run once; the copy is answered that it could not be read.
    alice = await make_member("alice")
    bot = await start_bot(encryption=EncryptionConfig(key_wait=timedelta(seconds=4)))
    room = await encrypted_room(alice, bot)
    sent = await alice.send(room, "!action imprimer les tracts")
    created = await alice.wait_reply(room, sent, sender=bot.user_id, timeout=20)
    assert body(created).startswith("Action #1 enregistrée"), body(created)
    copy = await post_again(alice, room, sent)
    told = await alice.wait_reply(room, copy, sender=bot.user_id, timeout=30)
    assert "je n'ai pas pu lire votre message" in body(told)
    listed = await ask(alice, room, bot, "!action liste")
    assert "imprimer les tracts" in body(listed) and "#2" not in body(listed), body(listed)


async def test_commands_across_new_room_keys_are_each_run_once_and_old_ones_replayed_are_refused(make_member,
                                                                                                 start_bot):
    # Clients start a new Megolm session (room key) every 100 messages or every week; the replay check keeps
    # one array of message indexes per session (bot/replay_guard.py). Two members, each on their second room key:
    # every command is answered once, and a command of either key posted again as a new event is refused.
    alice, bob = await make_member("alice"), await make_member("bob")
    bot = await start_bot(encryption=EncryptionConfig(key_wait=timedelta(seconds=4)))
    room = await encrypted_room(alice, bot, bob)
    first_key = []
    for n in range(2):
        for user, name in ((alice, "alice"), (bob, "bob")):
            first_key.append((user, await user.send(room, f"!action {name} tâche {n}")))
            await user.wait_reply(room, first_key[-1][1], sender=bot.user_id, timeout=20)
    for user in (alice, bob):
        user.client.olm.create_outbound_group_session(room)  # the client's next message uses a new room key
    second_key = []
    for n in range(2, 4):
        for user, name in ((alice, "alice"), (bob, "bob")):
            second_key.append((user, await user.send(room, f"!action {name} tâche {n}")))
            await user.wait_reply(room, second_key[-1][1], sender=bot.user_id, timeout=20)
    sessions = {await encrypted_session(user, room, sent) for user, sent in first_key + second_key}
    assert len(sessions) == 4, sessions  # two members, two room keys each
    for user, sent in (first_key[0], second_key[-1]):
        copy = await post_again(user, room, sent)
        told = await user.wait_reply(room, copy, sender=bot.user_id, timeout=30)
        assert "je n'ai pas pu lire votre message" in body(told)
    listed = await ask(alice, room, bot, "!action liste")
    for n in range(4):
        assert f"tâche {n}" in body(listed), body(listed)
    assert "#9" not in body(listed) and "#8" in body(listed), body(listed)
    for user, sent in first_key + second_key:
        assert len(replies_to(user, room, sent, bot)) == 1


async def encrypted_session(user: MatrixUser, room: str, event_id: str) -> str:
    client = user.client
    async with await client.send(*Api.room_get_event(client.access_token, room, event_id)) as resp:
        return (await resp.json())["content"]["session_id"]


async def post_again(user: MatrixUser, room: str, event_id: str) -> str:
    """The same ciphertext posted again as a new event, as a homeserver could; returns the copy's id."""
    client = user.client
    async with await client.send(*Api.room_get_event(client.access_token, room, event_id)) as resp:
        original = await resp.json()
    assert original["type"] == "m.room.encrypted"
    method, path, data = Api.room_send(client.access_token, room, "m.room.encrypted", original["content"], uuid4())
    async with await client.send(method, path, data, headers={"Content-Type": "application/json"}) as resp:
        assert resp.status == 200, await resp.text()
        return (await resp.json())["event_id"]


def replies_to(user: MatrixUser, room: str, event_id: str, bot) -> list:
    return [e for e in user.messages(room) if e.sender == bot.user_id and e.source["content"]
            .get("m.relates_to", {}).get("m.in_reply_to", {}).get("event_id") == event_id]


def withhold_key(user: MatrixUser, room: str, bot_id: str, device_id: str) -> dict:
    """The user's next message uses a new room key, which does not go to the bot's device (blacklisted).
    Returns that key as an m.room_key content, taken before any message used it."""
    olm = user.client.olm
    user.client.blacklist_device(olm.device_store[bot_id][device_id])
    olm.create_outbound_group_session(room)
    session = olm.outbound_group_sessions[room]
    return {"algorithm": "m.megolm.v1.aes-sha2", "room_id": room, "session_id": session.id,
            "session_key": session.session_key}


async def share_key_late(user: MatrixUser, key: dict, bot_id: str, device_id: str) -> None:
    """Send the room key the bot's device missed, Olm-encrypted to that device only."""
    client, olm = user.client, user.client.olm
    await client.keys_claim({bot_id: [device_id]})  # an Olm session with that device
    device = olm.device_store[bot_id][device_id]
    payload = olm._olm_encrypt(olm.session_store.get(device.curve25519), device, "m.room_key", key)
    to_device = {"messages": {bot_id: {device_id: payload}}}
    method, path, data = Api.to_device(client.access_token, "m.room.encrypted", to_device, uuid4())
    async with await client.send(method, path, data, headers={"Content-Type": "application/json"}) as resp:
        assert resp.status == 200, await resp.text()


@pytest.mark.postgres
async def test_postgresql_with_encryption(make_member, start_bot, pg_storage):
    alice = await make_member("alice")
    bot = await start_bot(storage_url=pg_storage)
    room = await encrypted_room(alice, bot)
    created = await ask(alice, room, bot, "!action écrire le tract pour vendredi")
    assert body(created).startswith("Action #1 enregistrée : écrire le tract")
    await bot.restart()
    listed = await ask(alice, room, bot, "!action liste")
    assert "#1 écrire le tract" in body(listed)


@pytest.fixture
async def pg_storage(postgres_url):  # noqa: F811
    url = await create_database(postgres_url)
    yield url
    await drop_database(url)


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


async def test_a_tract_posted_encrypted_is_taken_and_posted_again_readable(make_member, make_user, start_bot):
    coord = await make_member("coord")
    bot = await start_bot()
    room = await encrypted_room(coord, bot)
    announcement = await ask_bot(coord, room, bot, "!marche dans 3 jours à 14h Marche chiffrée à la Grand-Place",
                                 timeout=20)
    assert body(announcement).startswith("📣 Mobilisation M1 : Marche chiffrée")
    upload, keys = await coord.client.upload(io.BytesIO(PDF), content_type="application/octet-stream",
                                             filename="tract.pdf", encrypt=True, filesize=len(PDF))
    file = {**keys, "url": upload.content_uri}
    tract = await coord.send_event(room, "m.room.message", {
        "msgtype": "m.file", "body": "!tract", "filename": "tract.pdf", "file": file,
        "info": {"mimetype": "application/pdf", "size": len(PDF)},
        "m.relates_to": {"m.in_reply_to": {"event_id": announcement.event_id}}})
    taken = await coord.wait_reply(room, tract, sender=bot.user_id, timeout=20)
    assert body(taken).startswith("📎 Tract « tract.pdf » joint"), body(taken)

    # Posted again (as before the day): into the encrypted room with its key, into a plain room decrypted.
    plain_member = await make_user("plain")
    plain = await room_with_bot(plain_member, bot)
    again = File("tract.pdf", "application/pdf", b"", url=upload.content_uri, size=len(PDF))
    for room_id in (room, plain):
        await bot.bot.sender.perform(again, room_id, None)
    reposted = await coord.wait_for(lambda e: e.source["content"].get("msgtype") == "m.file",
                                    room_id=room, sender=bot.user_id, timeout=20)
    assert was_encrypted(reposted) and await download_decrypted(coord, reposted.source["content"]["file"]) == PDF
    in_clear = await plain_member.wait_for(lambda e: e.source["content"].get("msgtype") == "m.file",
                                           room_id=plain, sender=bot.user_id, timeout=20)
    assert in_clear.source["content"]["url"] != upload.content_uri  # the key never travels in clear
    downloaded = await plain_member.client.download(in_clear.source["content"]["url"])
    assert downloaded.body == PDF


async def test_a_burst_while_down_beyond_one_sync_is_read_through_the_gap_and_answered_once(make_member,
                                                                                             start_bot):
    alice = await make_member("alice")
    bot = await start_bot()
    room = await encrypted_room(alice, bot)
    await bot.stop()
    # More than the 100 events a sync carries: the bot's first sync is `limited`, the rest comes from /messages.
    sent = [await alice.send(room, "!ping") for _ in range(110)]
    await bot.start()
    for event_id in sent:
        reply = await alice.wait_reply(room, event_id, sender=bot.user_id, timeout=60)
        assert was_encrypted(reply) and body(reply) == "pong"
    await ask(alice, room, bot, "!ping")
    assert all(len(replies_to(alice, room, event_id, bot)) == 1 for event_id in sent)


async def test_edits_redactions_and_reactions_in_an_encrypted_room(make_member, start_bot):
    annie = await make_member("annie")
    bot = await start_bot()
    room = await encrypted_room(annie, bot)
    created = await annie.send(room, "!action réserver la salle")
    assert body(await annie.wait_reply(room, created, sender=bot.user_id, timeout=20)).startswith(
        "Action #1 enregistrée : réserver la salle")
    # The edit is encrypted, as Element sends it (the relation stays readable by the homeserver).
    await annie.send_event(room, "m.room.message", {
        "msgtype": "m.text", "body": "* !action réserver la grande salle",
        "m.new_content": {"msgtype": "m.text", "body": "!action réserver la grande salle"},
        "m.relates_to": {"rel_type": "m.replace", "event_id": created}})
    edited = await annie.wait_for(lambda e: body(e) == "Action #1 modifiée : réserver la grande salle",
                                  room_id=room, sender=bot.user_id, timeout=20)
    assert was_encrypted(edited)
    second = await annie.send(room, "!action imprimer les tracts")
    await annie.wait_reply(room, second, sender=bot.user_id, timeout=20)
    annie._ok(await annie.client.room_redact(room, second, reason="erreur"), "redact")  # redactions are never encrypted
    cancelled = await annie.wait_for(lambda e: body(e) == "Action #2 annulée : imprimer les tracts", room_id=room,
                                     sender=bot.user_id, timeout=20)
    assert was_encrypted(cancelled)

    # A reaction encrypted (as Element does) on a mobilisation's announcement counts the participant.
    announcement = await ask_bot(annie, room, bot, "!marche dans 3 jours à 14h Marche chiffrée à la Grand-Place",
                                 timeout=20)
    relation = {"m.relates_to": {"rel_type": "m.annotation", "event_id": announcement.event_id, "key": "✅"}}
    event_type, content = annie.client.encrypt(room, "m.reaction", relation)  # nio's room_send would not
    method, path, data = Api.room_send(annie.client.access_token, room, event_type, {**content, **relation}, uuid4())
    async with await annie.client.send(method, path, data, headers={"Content-Type": "application/json"}) as resp:
        assert resp.status == 200, await resp.text()
    await annie.wait_for(lambda e: "Participants : 1" in body(e) and e.source["content"].get("m.relates_to", {})
                         .get("event_id") == announcement.event_id, room_id=room, sender=bot.user_id, timeout=30)


@pytest.mark.parametrize("trust", ["tofu", "verified"])
async def test_the_trust_setting_decides_which_devices_can_read_the_bot(make_member, start_bot, trust):
    alice = await make_member("alice")
    bot = await start_bot(encryption=EncryptionConfig(trust=trust))
    room = await alice.create_room(invite=[bot.user_id], encrypted=True)
    await alice.wait_joined(room, bot.user_id)
    welcome = await alice.wait_event(lambda e: e.sender == bot.user_id and e.source.get("type") in (
        "m.room.message", "m.room.encrypted"), room_id=room, timeout=20, what="the welcome")
    if trust == "tofu":  # her device trusted on first sight
        assert was_encrypted(welcome) and body(welcome).startswith("Bonjour")
    else:  # never verified: her device gets no key, though the bot still reads her
        assert isinstance(welcome, MegolmEvent)
        sent = await alice.send(room, "!ping")
        await alice.wait_event(lambda e: e.sender == bot.user_id and isinstance(e, MegolmEvent)
                               and e.event_id != welcome.event_id, room_id=room, timeout=20, what="an answer")
        assert not replies_to(alice, room, sent, bot)  # an answer came, she cannot read it
