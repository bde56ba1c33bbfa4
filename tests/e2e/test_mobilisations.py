"""Mobilisations against a real Synapse: the announcement; members join by reaction and by command, one removes
the reaction; the announcement is edited to the right head count; a relay to a second room counts there too (one
member joins only there); an action linked to the mobilisation; a tract file posted as a reply with `!tract`;
countdown notices (offsets of a few seconds) arrive with that count and the open action, each once across a restart
between two of them, the last one followed by the tract file, the same mxc:// content; a cancellation reaches the
participants by direct message, the one who joined only in the relaying room included."""
import asyncio
import io
import re
from datetime import timedelta

import pytest

import handlers.core.jobs
from bot.config import RemindersConfig
from tests.e2e.conftest import body, room_with_bot

pytestmark = pytest.mark.e2e

TITLE = "Marche test"
COUNT = "Participants : 4 (dont 1 accompagnant·es)"
PREPARE = r"préparer le tract \(annie-\w+, philippe-\w+\)"  # user names end with a random suffix
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def relates(event) -> dict:
    return event.source.get("content", {}).get("m.relates_to") or {}


def files(bot, event, mxc: str) -> bool:
    content = event.source.get("content", {})
    return event.sender == bot.user_id and content.get("msgtype") == "m.file" and content.get("url") == mxc


def countdown(bot, room_id: str, user) -> list:
    return [e for e in user.messages(room_id) if e.sender == bot.user_id and f"« {TITLE} » (M1)" in body(e)
            and "rendez-vous" in body(e) and relates(e).get("rel_type") != "m.replace"]


async def test_announce_join_by_reaction_and_command_count_countdown_restart_and_cancel(make_user, start_bot,
                                                                                        monkeypatch):
    monkeypatch.setattr(handlers.core.jobs, "LATE_AFTER", timedelta(seconds=2))
    loop = asyncio.get_running_loop()
    coord, annie, philippe, bertrand, claire = [await make_user(n)
                                                for n in ("coord", "annie", "philippe", "bertrand", "claire")]
    # Mobilisation in three minutes: notices ~60 s and ~80 s after it is announced; no morning notice.
    bot = await start_bot(reminders=RemindersConfig(mobilisation=(timedelta(seconds=120), timedelta(seconds=100)),
                                                    mobilisation_morning=None))
    room = await room_with_bot(coord, bot, annie, philippe, bertrand)
    other = await room_with_bot(coord, bot, bertrand, claire)  # Claire is only in this one

    sent = await coord.send(room, f"!marche dans 3 minutes {TITLE} à la Grand-Place")
    announced_at = loop.time()
    announcement = await coord.wait_event(
        lambda e: e.sender == bot.user_id and relates(e).get("m.in_reply_to", {}).get("event_id") == sent
        and body(e).startswith(f"📣 Mobilisation M1 : {TITLE}"), room_id=room, what="the announcement")
    assert "Lieu : la Grand-Place\nParticipants : 0\nPour participer : réagissez ✅ ou 👍" in body(announcement)
    announce_id = announcement.event_id

    # Relayed to a second room, where Bertrand joins.
    relay = await coord.send(room, f"!mobilisation M1 relayer {other}")
    assert "relayée dans" in body(await coord.wait_reply(room, relay, sender=bot.user_id))
    relayed = await coord.wait_for(lambda e: body(e).startswith(f"📣 Mobilisation M1 : {TITLE}")
                                   and "Relayée depuis" in body(e), room_id=other, sender=bot.user_id)

    # What prepares it: an action linked to M1 (shown in the countdown while open).
    linked = await coord.send(room, "!action préparer le tract @annie @philippe pour la mobilisation 1")
    assert "📣 Prépare la mobilisation M1" in body(await coord.wait_reply(room, linked, sender=bot.user_id))
    # The tract as a file, posted as a reply to the announcement with !tract as its caption.
    upload, _ = await coord.client.upload(io.BytesIO(PDF), content_type="application/pdf", filename="tract.pdf",
                                          filesize=len(PDF))
    mxc = upload.content_uri
    tract = await coord.send_event(room, "m.room.message", {
        "msgtype": "m.file", "body": "!tract", "filename": "tract.pdf", "url": mxc,
        "info": {"mimetype": "application/pdf", "size": len(PDF)},
        "m.relates_to": {"m.in_reply_to": {"event_id": announce_id}}})
    assert body(await coord.wait_reply(room, tract, sender=bot.user_id)).startswith("📎 Tract « tract.pdf » joint")

    # Annie and Philippe react, Bertrand joins by command with a guest, Claire reacts in the relaying room;
    # Philippe takes his reaction back.
    await annie.react(room, announce_id, "✅")
    philippe_reaction = await philippe.react(room, announce_id, "👍")
    joined = await bertrand.send(other, "!participe M1 +1")
    reply = await bertrand.wait_reply(other, joined, sender=bot.user_id)
    assert "avec 1 accompagnant·es" in body(reply), body(reply)
    await claire.react(other, relayed.event_id, "✅")
    await philippe.client.room_redact(room, philippe_reaction)

    def edited_to(text: str, original: str):
        def match(e) -> bool:
            rel = relates(e)
            new = e.source.get("content", {}).get("m.new_content") or {}
            return (e.sender == bot.user_id and rel.get("rel_type") == "m.replace"
                    and rel.get("event_id") == original and text in new.get("body", ""))
        return match

    await coord.wait_event(edited_to(COUNT, announce_id), timeout=20, room_id=room, what="the announcement at 4")
    await coord.wait_event(edited_to(COUNT, relayed.event_id), timeout=20, room_id=other, what="the relay at 4")
    shown = await coord.send(room, "!mobilisation M1")
    view = body(await coord.wait_reply(room, shown, sender=bot.user_id))
    who = next(line for line in view.split("\n") if line.startswith("Qui : "))
    assert COUNT in view and who.startswith("Qui : annie") and "philippe" not in who, view
    assert " : 1, " in next(line for line in view.split("\n") if line.startswith("Par salon : ")), view
    assert re.search(f"\nÀ préparer : #1 {PREPARE}\n", view), view

    # The first countdown notice, on time, with the count.
    first = await coord.wait_for(lambda e: f"« {TITLE} » (M1)" in body(e) and "rendez-vous" in body(e),
                                 room_id=room, sender=bot.user_id, timeout=70)
    assert body(first).startswith("📣 Dans ") and COUNT in body(first), body(first)
    assert re.search(f" ; à préparer : #1 {PREPARE}\n", body(first)), body(first)
    there = await coord.wait_for(lambda e: f"« {TITLE} » (M1)" in body(e) and "rendez-vous" in body(e),
                                 room_id=other, sender=bot.user_id, timeout=10)
    assert COUNT in body(there) and re.search(f" ; à préparer : {PREPARE}\n", body(there)), body(there)
    # Stopped before the second (~80 s), started after it: it is sent once, late.
    await bot.stop()
    await asyncio.sleep(max(0.0, announced_at + 84 - loop.time()))
    await bot.start()
    late = await coord.wait_for(lambda e: body(e).startswith("(rappel en retard") and "rendez-vous" in body(e),
                                room_id=room, sender=bot.user_id, timeout=20)
    assert COUNT in body(late)
    # The last notice before the day is followed by the tract: the same mxc:// content, in both rooms.
    for room_id in (room, other):
        await coord.wait_for(lambda e: files(bot, e, mxc), room_id=room_id, sender=bot.user_id, timeout=20)
    await bot.restart()
    marker = await coord.send(room, "!mobilisations")
    listed = body(await coord.wait_reply(room, marker, sender=bot.user_id))
    assert f"M1 {TITLE}" in listed and "4 participants" in listed, listed
    await asyncio.sleep(2)
    assert len(countdown(bot, room, coord)) == 2 and len(countdown(bot, other, coord)) == 2
    for room_id in (room, other):  # once each, across the restarts
        assert len([e for e in coord.messages(room_id) if files(bot, e, mxc)]) == 1

    # The cancellation: posted, and by direct message to the participants (Annie, Bertrand, and Claire who is only
    # in the relaying room), not Philippe.
    cancel = await coord.send(room, "!mobilisation annuler M1 la pluie")
    reply = await coord.wait_reply(room, cancel, sender=bot.user_id)
    assert body(reply).startswith(f"❌ La mobilisation M1 « {TITLE} »") and "Raison : la pluie" in body(reply)
    for user in (annie, bertrand, claire):
        dm_room = await user._wait(lambda u=user: next((r for r in u.invites if r not in (room, other)), None),
                                   "an invite to a direct chat", 15)
        await user.join(dm_room)
        dm = await user.wait_for(lambda e: "est annulée" in body(e), room_id=dm_room, sender=bot.user_id)
        assert body(dm).startswith(f"❌ La mobilisation « {TITLE} » (M1, ") and "vous participiez" in body(dm)
    await asyncio.sleep(1)
    assert philippe.invites == [room]  # no direct message for who withdrew
