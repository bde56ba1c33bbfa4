"""Whole scenarios as a collective's members live them, against the real Synapse with real nio members (some
encrypting, some not), each checking what every member and coordinator receives:
1. a climate pact's encrypted room: a meeting scheduled, a march announced, members joining by reaction and by
   command, an action linked to it, a tract file, a relay to a plain English room, countdown notices in both rooms
   (each once across a restart), a cancellation reaching every participant by direct message, each room and each
   participant told in their own language; the day before, a direct message to every participant who did not opt
   out, in the language of the room where they joined;
2. a meeting held in an encrypted room whose minutes are on the room's web page and in its feed, and a new link
   that makes the old address answer 404;
3. wrong input in both languages in an encrypted room: a clear reply each time, nothing recorded half;
4. a busy room: 150 commands sent while the bot is stopped (some in an encrypted room), each answered once."""
from __future__ import annotations

import asyncio
import io
import re
from dataclasses import replace
from datetime import datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

import aiohttp
import feedparser
import icalendar
import pytest

import handlers.core.jobs
from bot.config import RemindersConfig, WebConfig
from bot.devserver import free_port
from tests.e2e.conftest import ask as ask_bot, body, download_decrypted, room_with_bot, was_encrypted
from tests.e2e.matrix_user import MatrixUser

pytestmark = pytest.mark.e2e

PARIS = ZoneInfo("Europe/Paris")
JOURS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
MOIS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
        "novembre", "décembre"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TITLE = "Marche pour le climat"


def local(user: MatrixUser) -> str:
    return user.user_id[1:].split(":")[0]


def content(event) -> dict:
    return event.source.get("content", {})


def relates(event) -> dict:
    return content(event).get("m.relates_to") or {}


def edit_saying(text: str, of: str | None = None, sender: str | None = None):
    """Matches an edit (m.replace) whose new body contains `text`; an edit of the event `of`, by `sender`, when
    given."""
    def match(e) -> bool:
        new = content(e).get("m.new_content") or {}
        return (relates(e).get("rel_type") == "m.replace" and text in new.get("body", "")
                and of in (None, relates(e).get("event_id")) and sender in (None, e.sender))
    return match


def next_sunday_at_14h() -> datetime:
    """The next Sunday at least two days away, 14:00 in Paris (its eve is not during the test)."""
    today = datetime.now(PARIS).date()
    day = today + timedelta(days=2)
    while day.weekday() != 6:
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, 14, tzinfo=PARIS)


def french(day: datetime) -> str:
    return f"{JOURS[day.weekday()]} {day.day} {MOIS[day.month - 1]}"


ask = partial(ask_bot, timeout=20)  # most rooms here are encrypted: keys may travel before the reply


def from_bot(bot, room: str, user: MatrixUser, needle: str) -> list:
    """The bot's messages (not edits) in the room containing `needle`, as `user` saw them."""
    return [e for e in user.messages(room) if e.sender == bot.user_id and needle in body(e)
            and relates(e).get("rel_type") != "m.replace"]


encrypted_room = partial(room_with_bot, name="Pacte climat", encrypted=True)  # the pact's room, as Element makes it


async def dm_room_of(user: MatrixUser, known: tuple[str, ...]) -> str:
    room = await user._wait(lambda: next((r for r in user.invites if r not in known), None),
                            "an invite to a direct chat", 20)
    await user.join(room)
    return room


# --- 1. a climate pact's march ------------------------------------------------------------------------------

async def test_a_climate_pact_announces_a_march_relays_it_counts_down_and_cancels_it(make_member, make_user,
                                                                                   start_bot, monkeypatch):
    monkeypatch.setattr(handlers.core.jobs, "LATE_AFTER", timedelta(seconds=2))
    loop = asyncio.get_running_loop()
    coord, annie, bertrand, philippe = [await make_member(n) for n in ("coord", "annie", "bertrand", "philippe")]
    emma = await make_user("emma")  # English, plain client, only in the relaying room
    sunday = next_sunday_at_14h()
    # Countdown notices ~60 s and ~80 s from now (offsets of days and seconds before Sunday 14h); no morning one.
    first_at = datetime.now(PARIS) + timedelta(seconds=60)
    offsets = tuple(timedelta(seconds=round((sunday - first_at).total_seconds()) - s) for s in (0, 20))
    bot = await start_bot(reminders=RemindersConfig(mobilisation=offsets, mobilisation_morning=None))
    first_at_loop = loop.time() + (first_at - datetime.now(PARIS)).total_seconds()
    room = await encrypted_room(coord, bot, annie, bertrand, philippe)
    other = await room_with_bot(coord, bot, emma, name="Climate pact EN")
    assert body(await ask(coord, other, bot, "!réglages langue en")).startswith("Room language: `en`")

    # A meeting of the pact (not about the march), then the march.
    planned = await ask(coord, room, bot, f"!réunion prévoir {french(sunday + timedelta(days=1))} 18h "
                                          "Plénière du pacte")
    assert was_encrypted(planned) and body(planned).startswith("Réunion prévue P1 : « Plénière du pacte »"), \
        body(planned)
    announcement = await ask(coord, room, bot, f"!marche {french(sunday)} 14h {TITLE} à la Grand-Place "
                                               "https://example.org/marche")
    text = body(announcement)
    assert was_encrypted(announcement) and text.startswith(f"📣 Mobilisation M1 : {TITLE}"), text
    assert "Lieu : la Grand-Place" in text and "https://example.org/marche" in text and "Participants : 0" in text
    assert "Pour participer : réagissez ✅ ou 👍" in text
    # Every member reads it.
    for member in (annie, bertrand):
        seen = await member.wait_event(lambda e: e.event_id == announcement.event_id, room_id=room)
        assert was_encrypted(seen) and body(seen) == text

    # Its preparation meeting, the day before, linked to it.
    prep = await ask(coord, room, bot, f"!réunion prévoir {french(sunday - timedelta(days=1))} 10h "
                                       "Modalités de participation pour la mobilisation 1")
    assert body(prep).startswith("Réunion prévue P2 : « Modalités de participation »"), body(prep)

    # The relay to the English room, where Emma joins by command.
    relayed_reply = await ask(coord, room, bot, f"!mobilisation M1 relayer {other}")
    assert "relayée dans" in body(relayed_reply), body(relayed_reply)
    relayed = await emma.wait_for(lambda e: body(e).startswith(f"📣 Mobilization M1: {TITLE}"), room_id=other,
                                  sender=bot.user_id)
    assert "Relayed from" in body(relayed) and "To join: react ✅ or 👍" in body(relayed), body(relayed)

    # The action linked to the march, with an owner and a deadline.
    action = await ask(coord, room, bot, f"!action préparer le tract @{local(annie)} pour M1 avant vendredi")
    assert was_encrypted(action), action.source
    assert body(action).startswith(f"Action #1 enregistrée : préparer le tract\nResponsables : {local(annie)}"), \
        body(action)
    assert "Échéance : vendredi" in body(action) and "📣 Prépare la mobilisation M1" in body(action), body(action)
    assert content(action)["m.mentions"] == {"user_ids": [annie.user_id]}

    # The tract, an encrypted PDF posted as a reply to the announcement with !tract.
    upload, keys = await coord.client.upload(io.BytesIO(PDF), content_type="application/octet-stream",
                                             filename="tract.pdf", encrypt=True, filesize=len(PDF))
    tract = await coord.send_event(room, "m.room.message", {
        "msgtype": "m.file", "body": "!tract", "filename": "tract.pdf", "file": {**keys, "url": upload.content_uri},
        "info": {"mimetype": "application/pdf", "size": len(PDF)},
        "m.relates_to": {"m.in_reply_to": {"event_id": announcement.event_id}}})
    taken = await coord.wait_reply(room, tract, sender=bot.user_id, timeout=20)
    assert body(taken).startswith("📎 Tract « tract.pdf » joint"), body(taken)

    # Joining: Annie by reaction, Bertrand by command with two guests, Emma in English in the other room;
    # Philippe reacts and takes his reaction back.
    await annie.react(room, announcement.event_id, "✅")
    philippe_reaction = await philippe.react(room, announcement.event_id, "👍")
    joined = await ask(bertrand, room, bot, "!participe M1 +2")
    assert "avec 2 accompagnant·es" in body(joined), body(joined)
    joined = await ask(emma, other, bot, "!join M1")
    assert body(joined).startswith(f"✅ You are joining mobilization M1 “{TITLE}”"), body(joined)
    count_fr, count_en = "Participants : 5 (dont 2 accompagnant·es)", "Taking part: 5 (of whom 2 guests)"
    await coord.wait_event(edit_saying("Participants : 6 (dont 2"), room_id=room, timeout=20,
                           what="the announcement edited to 6, Philippe's reaction counted")
    await philippe.client.room_redact(room, philippe_reaction)
    await annie.wait_event(edit_saying(count_fr, announcement.event_id, bot.user_id), timeout=20, room_id=room,
                           what="the announcement edited to 5")
    await emma.wait_event(edit_saying(count_en, relayed.event_id, bot.user_id), timeout=20, room_id=other,
                          what="the relay edited to 5")
    view = body(await ask(coord, room, bot, "!mobilisation M1"))
    assert count_fr in view and "À préparer : #1 préparer le tract" in view, view
    assert "Réunion de préparation : P2 « Modalités de participation » — samedi" in view, view
    who = next(line for line in view.split("\n") if line.startswith("Qui : "))  # names, for coordinators
    assert all(local(u) in who for u in (annie, bertrand, emma)) and local(coord) not in who, view
    assert local(philippe) not in who, view
    assert "Par salon : Pacte climat : 4, Climate pact EN : 1" in view, view
    seen_by_emma = body(await ask(emma, other, bot, "!mobilization M1"))
    assert count_en in seen_by_emma and "Who:" not in seen_by_emma, seen_by_emma  # names: coordinators only
    assert loop.time() < first_at_loop - 3, "the setup took longer than planned: the count would be early"

    # The first countdown notice in both rooms: the total and the open action with its owner.
    head = f"« {TITLE} » (M1)"
    first = await annie.wait_for(lambda e: head in body(e) and "rendez-vous" in body(e), room_id=room,
                                 sender=bot.user_id, timeout=90)
    assert was_encrypted(first) and count_fr in body(first), body(first)
    assert f"à préparer : #1 préparer le tract ({local(annie)}" in body(first), body(first)
    there = await emma.wait_for(lambda e: f"“{TITLE}” (M1)" in body(e) and "meet at" in body(e), room_id=other,
                                sender=bot.user_id, timeout=15)
    assert count_en in body(there) and f"; to prepare: préparer le tract ({local(annie)}" in body(there), body(there)

    # Stopped before the second notice (~20 s later), started after it: sent once, marked late.
    await bot.stop()
    await asyncio.sleep(max(0.0, first_at_loop + 24 - loop.time()))
    await bot.start()
    late = await annie.wait_for(lambda e: body(e).startswith("(rappel en retard") and head in body(e),
                                room_id=room, sender=bot.user_id, timeout=30)
    assert count_fr in body(late), body(late)
    late_there = await emma.wait_for(lambda e: body(e).startswith("(late reminder") and "meet at" in body(e),
                                     room_id=other, sender=bot.user_id, timeout=15)
    assert count_en in body(late_there), body(late_there)
    # The last notice brings the tract again: encrypted in the encrypted room, readable in the plain one.
    again = await annie.wait_for(lambda e: content(e).get("msgtype") == "m.file", room_id=room,
                                 sender=bot.user_id, timeout=20)
    assert was_encrypted(again) and await download_decrypted(annie, content(again)["file"]) == PDF
    plain = await emma.wait_for(lambda e: content(e).get("msgtype") == "m.file", room_id=other,
                                sender=bot.user_id, timeout=20)
    assert (await emma.client.download(content(plain)["url"])).body == PDF
    await bot.restart()
    await ask(coord, room, bot, "!ping")
    assert len(from_bot(bot, room, annie, "rendez-vous")) == 2, annie.describe()
    assert len(from_bot(bot, other, emma, "meet at")) == 2, emma.describe()

    # The coming march in the English room's list and calendar file too.
    listed = body(await ask(emma, other, bot, "!mobilizations"))
    assert f"M1 {TITLE} — Sunday {sunday.day} {MONTHS[sunday.month - 1]}" in listed and "5 taking part" in listed, \
        listed
    await emma.send(other, "!agenda")
    ics = await emma.wait_for(lambda e: content(e).get("msgtype") == "m.file" and body(e).endswith(".ics"),
                              room_id=other, sender=bot.user_id)
    events = icalendar.Calendar.from_ical((await emma.client.download(content(ics)["url"])).body).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == [f"📣 {TITLE}"] and events[0].decoded("DTSTART") == sunday

    # Moved a week later: every participant told by direct message — encrypted for those whose client encrypts —
    # in the language of the room where they joined; the English room told in English.
    later = sunday + timedelta(days=7)
    moved = await ask(coord, room, bot, f"!mobilisation déplacer M1 {french(later)} 14h")
    assert body(moved).startswith(f"📅 La mobilisation M1 « {TITLE} » est déplacée du {french(sunday)}"), body(moved)
    dms: dict[str, str] = {}
    for member in (annie, bertrand):
        dms[member.user_id] = await dm_room_of(member, (room,))
        dm = await member.wait_for(lambda e: "est déplacée" in body(e), room_id=dms[member.user_id],
                                   sender=bot.user_id)
        assert was_encrypted(dm), dm.source
        assert body(dm).startswith(f"📅 La mobilisation « {TITLE} » (M1, Pacte climat) à laquelle vous "
                                   "participez est déplacée"), body(dm)
        assert f"au {french(later)}" in body(dm), body(dm)
    dms[emma.user_id] = await dm_room_of(emma, (other,))
    dm = await emma.wait_for(lambda e: "is moved" in body(e), room_id=dms[emma.user_id], sender=bot.user_id)
    assert body(dm).startswith(f"📅 The mobilization “{TITLE}” (M1, Climate pact EN) you are joining is moved from "
                               f"Sunday {sunday.day} {MONTHS[sunday.month - 1]}"), body(dm)
    told = await emma.wait_for(lambda e: body(e).startswith("📅 Mobilization M1"), room_id=other, sender=bot.user_id)
    assert f"to Sunday {later.day} {MONTHS[later.month - 1]}" in body(told), body(told)

    # Cancelled: posted, and by direct message to every participant, in the same direct chats.
    cancelled = await ask(coord, room, bot, "!mobilisation annuler M1 pluie")
    assert body(cancelled).startswith(f"❌ La mobilisation M1 « {TITLE} »") and "Raison : pluie" in body(cancelled)
    for member in (annie, bertrand):
        dm_room = dms[member.user_id]
        dm = await member.wait_for(lambda e: "est annulée" in body(e), room_id=dm_room, sender=bot.user_id)
        assert was_encrypted(dm), dm.source
        assert body(dm).startswith(f"❌ La mobilisation « {TITLE} » (M1, Pacte climat) du {french(later)}"), \
            body(dm)
        assert body(dm).endswith("Raison : pluie"), body(dm)
    dm_room = dms[emma.user_id]
    dm = await emma.wait_for(lambda e: "is cancelled" in body(e), room_id=dm_room, sender=bot.user_id)
    assert body(dm).startswith(f"❌ The mobilization “{TITLE}” (M1, Climate pact EN) on Sunday"), body(dm)
    assert body(dm).endswith("Reason: pluie"), body(dm)
    told = await emma.wait_for(lambda e: body(e).startswith("❌ Mobilization M1"), room_id=other, sender=bot.user_id)
    assert body(told) == (f"❌ Mobilization M1 “{TITLE}” on Sunday {later.day} {MONTHS[later.month - 1]} "
                          f"{later.year} at 14:00 is cancelled. Reason: pluie"), body(told)
    for member in (annie, bertrand, emma):  # one direct chat each, not one per message
        assert len([r for r in member.invites if r not in (room, other)]) == 1, member.invites
    await asyncio.sleep(1)
    assert coord.invites == [] and philippe.invites == [room]  # no direct message but to participants
    # Each room heard the bot in its own language only.
    french_words, english_words = ("Participants :", "Raison", "dimanche", "décembre", "Tract "), \
        ("Taking part", "Reason:", "Sunday", "December", "Leaflet")
    for user, room_id, foreign in ((coord, room, english_words), (emma, other, french_words)):
        for e in from_bot(bot, room_id, user, ""):
            if not body(e).startswith(("Bonjour", "Room language")):
                assert not any(w in body(e) for w in foreign), body(e)


# --- 1b. the day before ------------------------------------------------------------------------------------

async def test_the_day_before_participants_get_a_message_in_their_room_s_language_unless_they_opted_out(
        make_member, make_user, start_bot):
    coord, annie, bertrand = [await make_member(n) for n in ("coord", "annie", "bertrand")]
    emma = await make_user("emma")
    bot = await start_bot(reminders=RemindersConfig(mobilisation=(timedelta(days=1),), mobilisation_morning=None))
    room = await encrypted_room(coord, bot, annie, bertrand)
    other = await room_with_bot(coord, bot, emma, name="Climate pact EN")
    await ask(coord, other, bot, "!settings language en")
    # Tomorrow, at the first whole minute 45 s or more from now: its eve (J-1) is within two minutes.
    at = datetime.now(PARIS) + timedelta(days=1, seconds=45 + 60)
    at = at.replace(second=0, microsecond=0)
    announced = await ask(coord, room, bot, f"!marche {french(at)} {at.hour}h{at.minute:02d} Vélo-école "
                                            "à la Citadelle")
    assert body(announced).startswith("📣 Mobilisation M1 : Vélo-école"), body(announced)
    tract = await ask(coord, room, bot, "!mobilisation M1 tract https://example.org/tract.pdf")
    assert body(tract).startswith("Tract joint à la mobilisation M1"), body(tract)
    await ask(coord, room, bot, f"!mobilisation M1 relayer {other}")
    await annie.react(room, announced.event_id, "✅")
    await ask(bertrand, room, bot, "!participe M1")
    opted_out = await ask(bertrand, room, bot, "!désabonner mobilisations")
    assert body(opted_out).startswith("C'est noté : plus de message privé la veille"), body(opted_out)
    await ask(emma, other, bot, "!join M1")

    notice = await annie.wait_for(lambda e: body(e).startswith("📣 J-1 avant « Vélo-école » (M1)"), room_id=room,
                                  sender=bot.user_id, timeout=130)
    assert was_encrypted(notice) and "Participants : 3 — rendez-vous" in body(notice), body(notice)
    assert "Tract : https://example.org/tract.pdf" in body(notice), body(notice)
    there = await emma.wait_for(lambda e: body(e).startswith("📣 1 day to “Vélo-école” (M1)"), room_id=other,
                                sender=bot.user_id, timeout=20)
    assert "Taking part: 3 — meet at" in body(there) and "Leaflet: https://example.org/tract.pdf" in body(there)

    dm_room = await dm_room_of(annie, (room,))
    dm = await annie.wait_for(lambda e: body(e).startswith("📣 Demain : « Vélo-école » (M1, Pacte climat)"),
                              room_id=dm_room, sender=bot.user_id)
    assert was_encrypted(dm) and "la Citadelle" in body(dm) and "Merci de votre participation" in body(dm)
    dm_room = await dm_room_of(emma, (other,))
    dm = await emma.wait_for(lambda e: body(e).startswith("📣 Tomorrow: “Vélo-école” (M1, Climate pact EN)"),
                             room_id=dm_room, sender=bot.user_id)
    assert "Thank you for joining" in body(dm), body(dm)
    await asyncio.sleep(2)
    assert bertrand.invites == [room]  # opted out: no message the day before


# --- 2. a meeting's minutes on the web page ----------------------------------------------------------------

async def start_bot_with_web(start_bot):
    """A bot whose config.toml has a [web] section on a free local port (added as an operator would, then restarted)."""
    bot = await start_bot()
    port = free_port()
    bot.config = replace(bot.config, web=WebConfig(f"127.0.0.1:{port}", f"http://127.0.0.1:{port}"))
    await bot.restart()
    return bot


ADDRESS = re.compile(r"(http://127\.0\.0\.1:\d+/p/[A-Za-z0-9_-]+/)")


async def test_a_meeting_in_an_encrypted_room_is_on_the_web_page_and_in_the_feed(make_member, start_bot):
    coord, annie = await make_member("coord"), await make_member("annie")
    bot = await start_bot_with_web(start_bot)
    room = await encrypted_room(coord, bot, annie)

    started = await ask(coord, room, bot, "!réunion début Plénière de décembre")
    assert was_encrypted(started) and body(started).startswith("Réunion n°1 « Plénière de décembre » ouverte")
    for user, text in ((annie, "!présent"), (coord, "!présent"), (coord, "!sujet Local & budget"),
                       (annie, "!décision On garde le local <rue Nationale>"), (coord, "!info Le bail court"),
                       (coord, f"!action @{local(annie)} appeler le bailleur avant vendredi")):
        sent = await user.send(room, text)
        if text.startswith("!action"):
            reply = await coord.wait_reply(room, sent, sender=bot.user_id, timeout=20)
            assert body(reply).startswith("Action #1 enregistrée : appeler le bailleur"), body(reply)
        else:
            await user.wait_reaction(room, sent, key="✅", sender=bot.user_id, timeout=20)
    await coord.send(room, "!réunion fin")
    minutes = await annie.wait_for(lambda e: body(e).startswith("Compte rendu de la réunion n°1"), room_id=room,
                                   sender=bot.user_id, timeout=20)
    assert was_encrypted(minutes)
    text = body(minutes)
    assert "Présents (2) : " in text and "1. Local & budget" in text, text
    assert "• Décision : On garde le local <rue Nationale>" in text and "appeler le bailleur" in text, text

    # What is coming: a march Annie joins by an (encrypted) reaction, and a scheduled meeting.
    sunday = next_sunday_at_14h()
    march = await ask(coord, room, bot, f"!marche {french(sunday)} 14h Marche pour le climat à la Grand-Place "
                                        "https://example.org/marche")
    await annie.react(room, march.event_id, "👍")
    await annie.wait_event(edit_saying("Participants : 1"), room_id=room, timeout=20,
                           what="the announcement edited to 1")
    planned = await ask(coord, room, bot, f"!réunion prévoir {french(sunday + timedelta(days=1))} 18h Bilan")
    assert body(planned).startswith("Réunion prévue P1 : « Bilan »"), body(planned)

    refused = await ask(annie, room, bot, "!pages on")
    assert body(refused).startswith("Seuls les coordinateurs"), body(refused)
    on = await ask(coord, room, bot, "!pages on")
    assert was_encrypted(on) and body(on).startswith("Pages web activées."), body(on)
    url = ADDRESS.search(body(on)).group(1)
    async with aiohttp.ClientSession() as http:
        async with http.get(url + "minutes/1") as r:
            page = await r.text()
            assert r.status == 200, page
        assert "Plénière de décembre — la réunion du" in page and "Local &amp; budget" in page, page
        assert "On garde le local &lt;rue Nationale&gt;" in page and "<rue Nationale>" not in page
        assert "appeler le bailleur" in page
        async with http.get(url) as r:
            home = await r.text()
        assert "On garde le local &lt;rue Nationale&gt;" in home and "appeler le bailleur" in home, home
        assert '<html lang="fr">' in home and "<title>Pacte climat</title>" in home, home
        assert "<strong>P1 Bilan</strong>" in home, home
        mobilisation = re.search(r"<li><strong>M1 Marche pour le climat</strong>.*?</li>", home)
        assert mobilisation and "Lieu : la Grand-Place" in mobilisation.group(0), home
        assert 'href="https://example.org/marche"' in mobilisation.group(0), mobilisation.group(0)
        assert "1 participant" in mobilisation.group(0), mobilisation.group(0)
        async with http.get(url + "calendar.ics") as r:
            events = icalendar.Calendar.from_ical(await r.text()).walk("VEVENT")
        assert sorted(str(e["SUMMARY"]) for e in events) == ["Bilan", "📣 Marche pour le climat"], events
        [march_event] = [e for e in events if "Marche" in str(e["SUMMARY"])]
        assert str(march_event["LOCATION"]) == "la Grand-Place"
        assert march_event.decoded("DTSTART") == sunday

        # Another room's pages show nothing of this one.
        plain = await room_with_bot(coord, bot, name="Pacte climat — bureau")
        other_url = ADDRESS.search(body(await ask(coord, plain, bot, "!pages on"))).group(1)
        async with http.get(other_url + "minutes/1") as r:
            assert r.status == 404
        async with http.get(other_url) as r:
            other_home = await r.text()
        assert r.status == 200 and "Marche pour le climat" not in other_home and "bailleur" not in other_home
        # In English once the room speaks English.
        await ask(coord, room, bot, "!réglages langue en")
        async with http.get(url) as r:
            home = await r.text()
        assert '<html lang="en">' in home and "Next mobilizations" in home, home
        assert "Place: la Grand-Place" in home and "1 taking part" in home, home
        async with http.get(url + "feed.atom") as r:
            feed = feedparser.parse(await r.text())
        assert not feed.bozo and [e.link for e in feed.entries] == [url + "minutes/1"], feed.entries

        renewed = await ask(coord, room, bot, "!pages nouveau-lien")
        new = ADDRESS.search(body(renewed)).group(1)
        assert new != url
        for old in (url, url + "minutes/1", url + "feed.atom"):
            async with http.get(old) as r:
                assert r.status == 404, old
        async with http.get(new + "minutes/1") as r:
            assert r.status == 200 and "Plénière de décembre" in await r.text()
        # The address outlives a restart of the bot; off serves nothing, on again gives the same address.
        await bot.restart()
        async with http.get(new + "minutes/1") as r:
            assert r.status == 200
        off = await ask(coord, room, bot, "!pages off")
        assert was_encrypted(off)
        async with http.get(new) as r:
            assert r.status == 404
        again = await ask(coord, room, bot, "!pages on")
        assert new in body(again), body(again)
        async with http.get(new + "feed.atom") as r:
            assert r.status == 200 and not feedparser.parse(await r.text()).bozo


# --- 3. wrong input, in French then in English ---------------------------------------------------------------

async def test_wrong_input_in_both_languages_gets_a_clear_reply_and_records_nothing(make_member, make_user,
                                                                                    start_bot):
    coord, annie = await make_member("coord"), await make_member("annie")
    outsider = await make_user("outsider")
    bot = await start_bot_with_web(start_bot)
    room = await encrypted_room(coord, bot, annie)
    elsewhere = await outsider.create_room()  # a room the bot is not in
    sunday = next_sunday_at_14h()
    when_fr, when_en = f"{sunday.day} {MOIS[sunday.month - 1]}", f"{sunday.day} {MONTHS[sunday.month - 1]}"
    saturday_en = f"Saturday {when_en}"
    created = await ask(coord, room, bot, f"!marche {french(sunday)} 14h Vélorution")
    assert body(created).startswith("📣 Mobilisation M1 : Vélorution"), body(created)

    async def refused(user, text: str, *expected: str) -> str:
        reply = await ask(user, room, bot, text)
        assert was_encrypted(reply), reply.source
        for part in expected:
            assert part in body(reply), f"{text!r} → {body(reply)!r}"
        assert not body(reply).startswith(("Action #", "📣", "Réunion prévue", "Meeting planned")), body(reply)
        return body(reply)

    french_cases = [
        (coord, "!marche hier 14h Marche passée", "« hier 14h » est déjà passé. Donnez une date à venir"),
        (coord, f"!marche samedi {when_fr} 14h Marche du samedi",
         f"Le {when_fr} {sunday.year} est un dimanche, pas un samedi."),
        (coord, f"!réunion prévoir samedi {when_fr} 18h Réunion du samedi",
         f"Le {when_fr} {sunday.year} est un dimanche, pas un samedi."),
        (coord, "!réunion prévoir hier 18h Réunion passée", "« hier 18h » est déjà passé."),
        (coord, "!réunion prévoir demain 25h Plénière",
         "« demain 25h » : 25h n'est pas une heure, les heures vont de 0h à 23h59."),
        (coord, "!marche à la Grand-Place", "Je ne trouve pas de date"),
        (annie, "!participe M9", "Il n'y a pas de mobilisation M9 dans ce salon (`!mobilisations`)."),
        (coord, "!action préparer les banderoles pour M9",
         "Il n'y a pas de mobilisation M9 dans ce salon : rien n'est enregistré."),
        (coord, "!action liste page 99", "Il n'y a pas de page 99 : toute la liste, 1 action, tient en une page"),
        (annie, "!pages on", "Seuls les coordinateurs (niveau de pouvoir ≥ 50 dans ce salon)"),
        (coord, f"!mobilisation M1 relayer {elsewhere}",
         f"Je ne suis pas dans le salon « {elsewhere} » : invitez-moi"),
        (coord, "!mobilisation M1 relayer #nulle-part:localhost",
         "Je ne suis pas dans le salon « #nulle-part:localhost »"),
        (coord, f"!action réserver la salle avant samedi {when_fr}",
         f"Le {when_fr} {sunday.year} est un dimanche, pas un samedi."),
        (coord, "!réunion prévoir demain 18h Modalités pour la mobilisation 9",
         "Il n'y a pas de mobilisation M9 dans ce salon : rien n'est enregistré.", "par exemple `!réunion prévoir"),
        (coord, "!mobilisation déplacer M1 hier 14h", "« hier 14h » est déjà passé."),
        (coord, "!mobilisation modifier M1 couleur rouge", "« couleur » : je peux modifier titre, lieu, lien ou par"),
        (annie, "!participe M1 +999", "« +999 » : écrivez le nombre d'accompagnant·es ainsi : `+2` (au plus 50)."),
        (annie, "!désiste M1", "Vous ne participiez pas à la mobilisation M1."),
        (coord, "!tract", "Aucun fichier à joindre : postez le tract (un PDF ou une image) en réponse"),
        (annie, "!mobilisation annuler M1", "Seuls les coordinateurs"),
        (coord, "!mobilisation annuler M7 pluie", "Il n'y a pas de mobilisation M7 dans ce salon"),
        (coord, "!marche demain Marche sans heure", "« demain » n'a pas d'heure : à quelle heure ?"),
        (annie, "!langue en", "Commande inconnue : `!langue`. Vouliez-vous dire `!réglages langue en` ?"),
        (coord, "!action relire le compte rendu pour le 31 février",
         "Il n'y a pas de 31 février. Donnez un jour qui existe, par exemple `28 février` ou `fin février`."),
        (annie, "!réunions", "Aucune réunion n'a encore eu lieu dans ce salon. Celles qui sont prévues : "
                             "`!réunion liste`."),
    ]
    english_cases = [
        (coord, "!march yesterday 2pm Past march", "“yesterday 2pm” is already past. Give a date to come"),
        (coord, f"!march {saturday_en} 2pm Saturday march",
         f"{when_en} {sunday.year} is a Sunday, not a Saturday."),
        (coord, f"!meeting plan {saturday_en} 6pm Saturday meeting",
         f"{when_en} {sunday.year} is a Sunday, not a Saturday."),
        (coord, "!meeting plan yesterday 6pm Past meeting", "“yesterday 6pm” is already past."),
        (coord, "!meeting plan tomorrow 13pm Plenary", "“tomorrow 13pm”: 13pm is not a time of day"),
        (coord, "!march at the Grand-Place", "I can't find a date"),
        (annie, "!join M9", "There is no mobilization M9 in this room (`!mobilizations`)."),
        (coord, "!action prepare the banners for M9", "There is no mobilization M9 in this room: nothing recorded."),
        (coord, "!action list page 99", "There is no page 99: the whole list, 1 action, fits on one page"),
        (annie, "!pages on", "Only coordinators (power level ≥ 50 in this room)"),
        (coord, f"!mobilization M1 relay {elsewhere}", f"I am not in the room “{elsewhere}”: invite me first"),
        (coord, f"!action book the hall by Saturday {when_en}",
         f"{when_en} {sunday.year} is a Sunday, not a Saturday."),
        (coord, "!mobilization move M1 yesterday 2pm", "“yesterday 2pm” is already past."),
        (coord, "!meeting schedule tomorrow 6pm Arrangements for M9",
         "There is no mobilization M9 in this room: nothing recorded.", "for example `!meeting schedule"),
        (annie, "!join M1 +999", "“+999”: write the number of guests like `+2` (at most 50)."),
        (annie, "!leave M1", "You were not joining mobilization M1."),
        (annie, "!mobilization cancel M1", "Only coordinators"),
        (coord, "!march tomorrow Timeless march", "“tomorrow” has no time: at what time?"),
        (annie, "!timezone Europe/Paris", "Unknown command: `!timezone`. Did you mean "
                                          "`!settings timezone Europe/Paris`?"),
        (coord, "!action check the minutes by April 31",
         "There is no April 31. Give a day that exists, for example `April 30` or `end of April`."),
    ]
    await ask(coord, room, bot, "!action préparer les pancartes")  # one action, so that page 99 is beyond it
    # A ✅ on something else than an announcement is not a join (and gets no reply: it would be noise).
    chat = await annie.send(room, "On se retrouve où ?")
    await annie.react(room, chat, "✅")
    for user, text, *expected in french_cases:
        await refused(user, text, *expected)
    assert body(await ask(coord, room, bot, "!réglages langue en")).startswith("Room language: `en`")
    for user, text, *expected in english_cases:
        await refused(user, text, *expected)

    # Nothing recorded half: one mobilisation, one action, no scheduled meeting, pages still off.
    listed = body(await ask(coord, room, bot, "!mobilizations all"))
    assert "M1 Vélorution" in listed and "M2" not in listed, listed
    actions = body(await ask(coord, room, bot, "!action list all"))
    assert "#1 préparer les pancartes" in actions and "#2" not in actions, actions
    meetings = body(await ask(coord, room, bot, "!meetings upcoming"))
    assert meetings.startswith("No meeting is scheduled"), meetings
    pages = body(await ask(coord, room, bot, "!pages"))
    assert pages.startswith("The room's web pages are off."), pages
    shown = body(await ask(coord, room, bot, "!mobilization M1"))
    assert "Taking part: 0" in shown and "To prepare" not in shown, shown
    assert f"When: Sunday {when_en} {sunday.year} at 14:00" in shown, shown  # not moved
    assert not [e for e in annie.messages(room) if relates(e).get("m.in_reply_to", {}).get("event_id") == chat]


# --- 4. a busy room ------------------------------------------------------------------------------------------

async def test_a_busy_room_150_commands_while_the_bot_is_down_each_answered_once(make_member, make_user,
                                                                                start_bot):
    alice = await make_member("alice")
    bob, carol, dan, erin = [await make_user(n) for n in ("bob", "carol", "dan", "erin")]
    bot = await start_bot()
    secret = await encrypted_room(alice, bot)
    busy = await room_with_bot(bob, bot, carol, dan, erin)
    march = await ask(bob, busy, bot, f"!marche {french(next_sunday_at_14h())} 14h Vélorution")
    await bot.stop()
    # 150 commands from five members in two rooms, joins of a mobilisation among them, and a reaction to it.
    sent: list[tuple[MatrixUser, str, str, str]] = []  # (user, room, event id, command)
    for i in range(80):
        text = f"!action tâche {i}" if i % 2 else "!ping"
        sent.append((bob, busy, await bob.send(busy, text), text))
    for user, join in ((carol, "!participe M1 +1"), (dan, "!join M1")):
        for text in (join, *["!ping"] * 9):
            sent.append((user, busy, await user.send(busy, text), text))
    await erin.react(busy, march.event_id, "✅")
    for i in range(50):
        text = f"!action secret {i}" if i % 2 else "!ping"
        sent.append((alice, secret, await alice.send(secret, text), text))
    assert len(sent) == 150
    await bot.start()

    numbers: dict[str, list[int]] = {busy: [], secret: []}
    for user, room_id, event_id, text in sent:
        reply = await user.wait_reply(room_id, event_id, sender=bot.user_id, timeout=90)
        if text == "!ping":
            assert body(reply) == "pong"
        elif text.startswith("!action"):
            found = re.match(r"Action #(\d+) enregistrée : (.+)", body(reply))
            assert found and found.group(2).split("\n")[0] == text.removeprefix("!action "), body(reply)
            numbers[room_id].append(int(found.group(1)))
        else:
            assert body(reply).startswith("✅ Vous participez à la mobilisation M1 « Vélorution »"), body(reply)
        if room_id == secret:
            assert was_encrypted(reply)
    assert sorted(numbers[busy]) == list(range(1, 41)) and sorted(numbers[secret]) == list(range(1, 26))
    # The reaction read through the gap counts too: Carol and her guest, Dan, Erin.
    view = body(await ask(bob, busy, bot, "!mobilisation M1"))
    assert "Participants : 4 (dont 1 accompagnant·es)" in view, view
    await erin.wait_event(edit_saying("Participants : 4 (dont 1", march.event_id), room_id=busy, timeout=20,
                          what="the announcement edited to 4")
    # 40 actions come in pages, each one event, the next page named.
    first = body(await ask(bob, busy, bot, "!action liste"))
    assert "Page 1 sur 2 : actions 1 à 25 sur 40." in first and "Page suivante : `!action liste page 2`" in first, \
        first
    assert "#1 tâche 1" in first and "#26 " not in first, first
    second = body(await ask(bob, busy, bot, "!action liste page 2"))
    assert "Page 2 sur 2 : actions 26 à 40 sur 40." in second and "#40 tâche 79" in second, second
    await ask(alice, secret, bot, "!ping")
    for user, room_id, event_id, _ in sent:
        replies = [e for e in user.messages(room_id) if e.sender == bot.user_id
                   and relates(e).get("m.in_reply_to", {}).get("event_id") == event_id]
        assert len(replies) == 1, (event_id, [body(e) for e in replies])
