"""A meeting against a real Synapse: a coordinator and two members take attendance, record two topics,
see each item acknowledged by a reaction, survive a restart of the bot mid-meeting, and get minutes
posted (and re-posted) in the room, checked section by section; then a scheduled meeting P1 beside the
held n°1."""
import re

import pytest

from tests.e2e.conftest import ask, body, room_with_bot

pytestmark = pytest.mark.e2e


async def noted(user, room, bot, text, **kw) -> str:
    """A command acknowledged with a ✅ reaction (and no reply)."""
    sent = await user.send(room, text, **kw)
    await user.wait_reaction(room, sent, key="✅", sender=bot.user_id)
    return sent


async def notice(user, room, bot, text: str, prefix: str, seen: set[str]):
    """Send a command and wait for a new notice (not a reply) from the bot starting with `prefix`."""
    await user.send(room, text)
    event = await user.wait_event(
        lambda e: e.sender == bot.user_id and e.source.get("type") == "m.room.message"
        and e.event_id not in seen and body(e).startswith(prefix)
        and "m.in_reply_to" not in e.source["content"].get("m.relates_to", {}),
        room_id=room, what=f"a notice starting with {prefix!r}")
    seen.add(event.event_id)
    assert event.source["content"]["msgtype"] == "m.notice"
    return event


async def test_a_meeting_from_start_to_minutes_with_a_restart_in_the_middle(make_user, start_bot):
    coord = await make_user("coord")
    bertrand = await make_user("bertrand")
    annie = await make_user("annie")
    bot = await start_bot()
    room = await room_with_bot(coord, bot, bertrand, annie)
    for user, name in ((bertrand, "Bertrand Dupont"), (annie, "Annie Martin")):
        await user.client.set_displayname(name)
        await coord.wait_event(lambda e, u=user, n=name: getattr(e, "state_key", None) == u.user_id
                               and e.source["content"].get("displayname") == n, room_id=room)
    coord_name = coord.user_id[1:].split(":")[0]  # no display name set: Synapse uses the localpart
    seen: set[str] = set()

    # Nothing open yet: the reply says how to start one.
    assert body(await ask(annie, room, bot, "!présent")).startswith("Aucune réunion n'est ouverte dans ce salon.")
    assert body(await ask(annie, room, bot, "!réunion début")).startswith("Seuls les coordinateurs")
    started = await ask(coord, room, bot, "!réunion début Plénière d'avril")
    assert body(started).startswith(f"Réunion n°1 « Plénière d'avril » ouverte — présidence : {coord_name}.")

    # Attendance: yourself, a member by display name, someone outside Matrix with a reason, the minute-taker.
    await noted(annie, room, bot, "!présent")
    await noted(coord, room, bot, '!excusé @"Camille Rousseau" en déplacement à Lyon')
    pill = f'<a href="https://matrix.to/#/{annie.user_id}">Annie Martin</a>'
    await noted(coord, room, bot, "!rédacteur Annie Martin", formatted_body=f"!rédacteur {pill}")

    # Bertrand speaks without being marked present: the draft suggests him, without adding him.
    await bertrand.send(room, "Bonsoir, je suis là !")
    draft = await notice(annie, room, bot, "!compte-rendu", "Brouillon du compte rendu de la réunion n°1", seen)
    assert "Présents (1) : Annie Martin" in body(draft)
    assert f"Ont aussi pris la parole (non notés présents) : Bertrand Dupont, {coord_name}" in body(draft)
    await noted(coord, room, bot, "!présent @Bertrand")

    # First topic.
    await noted(coord, room, bot, "!sujet Collectif énergie")
    await noted(annie, room, bot, "!info Le bilan 2020 est prêt")
    await noted(bertrand, room, bot, "!décision On adopte le budget <2021> & on le publie")
    await noted(annie, room, bot, "!idée Un atelier vélo")
    await noted(annie, room, bot, "!lien https://example.org/bilan Bilan 2020")
    await noted(annie, room, bot, "!info une faute de frappe")
    assert body(await ask(annie, room, bot, "!annuler")) == "Retiré : Info : une faute de frappe"
    created = await ask(coord, room, bot, "!action relancer la mairie @Bertrand")
    assert body(created).startswith("Action #1 enregistrée : relancer la mairie")

    # The bot restarts in the middle of the meeting; a command sent while it is down is handled after.
    await bot.stop()
    while_down = await bertrand.send(room, "!sujet Collectif mobilité")
    await bot.start()
    await bertrand.wait_reaction(room, while_down, key="✅", sender=bot.user_id)
    await noted(bertrand, room, bot, "!info Le covoiturage démarre en mai")
    await noted(coord, room, bot, "!décision On rejoint la fête du vélo")
    await noted(annie, room, bot, "!idée Une carte des pistes")
    await noted(annie, room, bot, "!lien https://example.org/carte")

    minutes = await notice(coord, room, bot, "!réunion fin", "Compte rendu de la réunion n°1", seen)
    sections = body(minutes).split("\n\n")
    head = sections[0].split("\n")
    assert head[0] == "Compte rendu de la réunion n°1 : Plénière d'avril"
    assert re.fullmatch(r"\w+ \d+(er)? \w+ \d{4}, de \d+h\d\d à \d+h\d\d \(Europe/Paris\)", head[1]), head[1]
    assert head[2:] == [
        "Présents (2) : Annie Martin, Bertrand Dupont",
        "Excusés (1) : Camille Rousseau (en déplacement à Lyon)",
        f"Présidence : {coord_name}",
        "Rédaction : Annie Martin",
        f"Ont aussi pris la parole (non notés présents) : {coord_name}",
    ]
    assert sections[1] == (
        "1. Collectif énergie\n"
        "• Info : Le bilan 2020 est prêt\n"
        "• Décision : On adopte le budget <2021> & on le publie\n"
        "• Idée : Un atelier vélo\n"
        "• Lien : Bilan 2020 — https://example.org/bilan\n"
        "• Action #1 relancer la mairie — Bertrand Dupont")
    assert sections[2] == (
        "2. Collectif mobilité\n"
        "• Info : Le covoiturage démarre en mai\n"
        "• Décision : On rejoint la fête du vélo\n"
        "• Idée : Une carte des pistes\n"
        "• Lien : https://example.org/carte")
    assert sections[3] == "Actions par personne\nBertrand Dupont\n• #1 relancer la mairie"
    assert len(sections) == 4
    html = minutes.source["content"]["formatted_body"]
    assert "On adopte le budget &lt;2021&gt; &amp; on le publie" in html and "<2021>" not in html
    assert f'<a href="https://matrix.to/#/{annie.user_id}">Annie Martin</a>' in html
    assert '<a href="https://example.org/bilan">Bilan 2020</a>' in html

    # The stored record renders the same minutes again, and the meeting is listed.
    again = await notice(bertrand, room, bot, "!compte-rendu", "Compte rendu de la réunion n°1", seen)
    assert body(again) == body(minutes)
    assert again.source["content"]["formatted_body"] == html
    listed = await ask(annie, room, bot, "!réunions")
    assert "n°1 « Plénière d'avril » — " in body(listed) and "2 présents, 1 excusé" in body(listed)
    assert body(await ask(annie, room, bot, "!info trop tard")).startswith("Aucune réunion n'est ouverte")

    # A scheduled meeting P1 next to the held n°1: each reference reaches its own kind.
    scheduled = await ask(coord, room, bot, "!réunion prévoir demain 18h Bilan")
    assert body(scheduled).startswith("Réunion prévue P1 : « Bilan »"), body(scheduled)
    assert body(await ask(annie, room, bot, "!compte-rendu P1")).startswith("P1 est une réunion prévue : un compte "
                                                                             "rendu existe pour les réunions tenues")
    again = await notice(annie, room, bot, "!compte-rendu 1", "Compte rendu de la réunion n°1", seen)
    assert body(again) == body(minutes)
    assert body(await ask(coord, room, bot, "!réunion annuler P1")) == "Réunion prévue P1 « Bilan » annulée."
