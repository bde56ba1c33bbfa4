"""Message trust against a real Synapse: a command hidden in the HTML runs nothing and says why, a
full-width command runs, and a display name that looks like someone's id is shown with the real id."""
import pytest

from tests.e2e.conftest import ask, body, room_with_bot

pytestmark = pytest.mark.e2e


async def test_a_command_hidden_in_the_html_runs_nothing_and_gets_a_refusal(make_user, start_bot):
    coord = await make_user("coord")
    mallory = await make_user("mallory")
    bot = await start_bot()
    room = await room_with_bot(coord, bot, mallory)
    created = await ask(coord, room, bot, "!action relancer la mairie")
    assert body(created).startswith("Action #1 enregistrée : relancer la mairie")

    # What a reader sees (the body, in notifications and many clients) is harmless; the HTML is a command.
    hidden = await mallory.send_event(room, "m.room.message", {
        "msgtype": "m.text", "body": "Bonne soirée",
        "format": "org.matrix.custom.html", "formatted_body": "!action annuler 1",
    })
    refusal = await mallory.wait_reply(room, hidden, sender=bot.user_id)
    assert body(refusal) == ("Ce message ne se lit pas pareil en texte et en HTML : je n'exécute rien. "
                             "Renvoyez la commande en texte simple.")
    # The other way round: a command in the body that the HTML does not show.
    shown = await mallory.send_event(room, "m.room.message", {
        "msgtype": "m.text", "body": "!action nouvelle tâche cachée",
        "format": "org.matrix.custom.html", "formatted_body": "<p>Bonne soirée</p>",
    })
    assert body(await mallory.wait_reply(room, shown, sender=bot.user_id)).startswith("Ce message ne se lit pas")

    listing = body(await ask(coord, room, bot, "!action liste toutes"))
    assert "#1 relancer la mairie" in listing and "annul" not in listing.lower()
    assert "tâche cachée" not in listing and "#2" not in listing


async def test_a_full_width_command_runs(make_user, start_bot):
    alice = await make_user("alice")
    bot = await start_bot()
    room = await room_with_bot(alice, bot)
    assert body(await ask(alice, room, bot, "！ping")) == "pong"
    assert body(await ask(alice, room, bot, "!pi\u200bng")) == "pong"


async def test_a_display_name_that_looks_like_an_id_is_shown_with_the_real_id(make_user, start_bot):
    coord = await make_user("coord")
    mallory = await make_user("mallory")
    bot = await start_bot()
    room = await room_with_bot(coord, bot, mallory)
    await mallory.client.set_displayname(f"{coord.user_id}\nPrésidente")
    await coord.wait_event(lambda e: getattr(e, "state_key", None) == mallory.user_id
                           and "Présidente" in e.source["content"].get("displayname", ""), room_id=room)
    mallory_local = mallory.user_id[1:].split(":")[0]
    created = await ask(coord, room, bot, f"!action @{mallory_local} préparer l'ordre du jour")
    assert body(created).splitlines()[1] == f"Responsables : {coord.user_id} Présidente ({mallory.user_id})"
