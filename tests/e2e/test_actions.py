"""Actions against a real Synapse: several members create, assign, close and list; names resolve to real members."""
import pytest

from tests.e2e.conftest import ask, body, room_with_bot

pytestmark = pytest.mark.e2e


async def test_members_follow_actions_through(make_user, start_bot):
    coord = await make_user("coord")
    bertrand = await make_user("bertrand")
    annie = await make_user("annie")
    bot = await start_bot()
    room = await room_with_bot(coord, bot, bertrand, annie)
    await bertrand.client.set_displayname("Bertrand Dupont")
    await coord.wait_event(lambda e: getattr(e, "state_key", None) == bertrand.user_id
                           and e.source["content"].get("displayname") == "Bertrand Dupont", room_id=room)

    # A pill (as Element sends it), a @localpart, and a display name all resolve to room members.
    pill = f'<a href="https://matrix.to/#/{bertrand.user_id}">Bertrand Dupont</a>'
    created = await ask(annie, room, bot, "!action Bertrand Dupont prendre contact avec Nicolas pour fin mai",
                        formatted_body=f"!action {pill} prendre contact avec Nicolas pour fin mai")
    assert body(created).startswith("Action #1 enregistrée : prendre contact avec Nicolas\n"
                                    "Responsables : Bertrand Dupont\nÉchéance : ")
    assert created.source["content"]["m.mentions"] == {"user_ids": [bertrand.user_id]}
    assert f'href="https://matrix.to/#/{bertrand.user_id}"' in created.source["content"]["formatted_body"]

    annie_local = annie.user_id[1:].split(":")[0]
    second = await ask(coord, room, bot, f"!action @{annie_local} @Bertrand réserver la salle avant samedi")
    assert "Responsables : " + annie.user_id[1:].split(":")[0] in body(second)  # no display name: the localpart
    assert "Bertrand Dupont" in body(second)

    third = await ask(coord, room, bot, "!action relayer la marche du climat")
    assert "Responsables : personne pour l'instant" in body(third)

    # Someone who is neither creator, owner nor coordinator cannot edit; anyone can close.
    refused = await ask(annie, room, bot, "!action modifier 3 relayer l'appel à la marche")
    assert body(refused).startswith("Seuls le créateur de l'action #3")
    assert body(await ask(bertrand, room, bot, "!action assigner 3 @Bertrand")).startswith("Seuls le créateur")
    assert body(await ask(coord, room, bot, "!action assigner 3 @Bertrand")) == \
        "Action #3 — responsables : Bertrand Dupont."
    assert body(await ask(annie, room, bot, "!action fait 1")).startswith("Action #1 faite")

    listing = await ask(bertrand, room, bot, "!action liste mes")
    assert "#2 réserver la salle" in body(listing) and "#3 relayer la marche du climat" in body(listing)
    assert "#1" not in body(listing)
    shown = await ask(annie, room, bot, "!action voir 1")
    assert "l'a marquée faite" in body(shown)
