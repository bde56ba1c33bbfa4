"""The weekly digest against a real Synapse and a real local SMTP server (aiosmtpd): `!résumé` on demand; the
automatic digest at the time the room chose (the next minute, in the test) with the week's content, in the room,
by direct message to a subscriber, and as a multipart e-mail (plain + HTML) with the right subject."""
import asyncio
import email
import re
from datetime import datetime, timedelta
from email import policy
from zoneinfo import ZoneInfo

import pytest

from bot.mailer import EmailConfig
from handlers.dates.dates import format_time, weekday_name
from tests.e2e.conftest import ask, body, room_with_bot
from tests.smtp import smtp  # noqa: F401 (fixture)

pytestmark = pytest.mark.e2e

ROOM_NAME = "Pacte climat"
LIST = "liste@pacte.example.org"


def is_digest(event) -> bool:
    return "résumé de la semaine du" in body(event)


async def test_digest_on_demand_automatic_by_dm_and_by_email(make_user, start_bot, smtp):
    controller, inbox = smtp
    coord = await make_user("coord")
    member = await make_user("bertrand")
    bot = await start_bot(email=EmailConfig("127.0.0.1", "relais@pacte.example.org", controller.port, "none"))
    room = await room_with_bot(coord, bot, member, name=ROOM_NAME)

    async def command(user, text: str) -> str:
        return body(await ask(user, room, bot, text))

    assert (await command(coord, f"!action Bertrand prend contact avec Nicolas Desquinabo {member.user_id}")
            ).startswith("Action #1")
    assert LIST in await command(coord, f"!réglages liste-de-diffusion {LIST}")
    assert await command(member, "!abonner résumé") == (
        "Vous recevrez le résumé de la semaine de ce salon en message privé.")

    # On demand, for anyone.
    now = await command(member, "!résumé")
    assert f"{ROOM_NAME} — résumé de la semaine du" in now
    assert "#1 Bertrand prend contact avec Nicolas Desquinabo" in now

    # Posted automatically at the next minute (at least 15 s ahead), in the room's zone.
    local = datetime.now(ZoneInfo("Europe/Paris"))
    at = (local + timedelta(seconds=75)).replace(second=0, microsecond=0)
    day, clock = weekday_name(at.weekday(), "fr"), format_time(at.time(), "fr")
    planned = await command(coord, f"!résumé {day} {clock}")
    assert planned.startswith(f"Le résumé sera publié chaque {day} à {clock} (Europe/Paris). Prochain : "), planned
    wait = (at - datetime.now(ZoneInfo("Europe/Paris"))).total_seconds()
    posted = await coord.wait_for(lambda e: is_digest(e) and "m.relates_to" not in e.source["content"],
                                  room_id=room, sender=bot.user_id, timeout=wait + 20)
    assert datetime.now(ZoneInfo("Europe/Paris")) >= at
    text = body(posted)
    assert posted.source["content"]["msgtype"] == "m.notice"
    assert "(résumé en retard)" not in text
    # Which week it covers depends on today (the day before the post's); the open action is there anyway.
    assert "👥 Actions ouvertes par personne" in text, text
    assert "<b>" in posted.source["content"]["formatted_body"]

    # The subscriber gets it by direct message.
    for _ in range(100):  # an invite to another room than the one already joined
        dm_room = next((r for r in member.invites if r != room), None)
        if dm_room:
            break
        await asyncio.sleep(0.2)
    assert dm_room, "no invite to a direct-message room"
    await member.join(dm_room)
    dm = await member.wait_for(lambda e: body(e).startswith(f"Résumé du salon {ROOM_NAME} :"), room_id=dm_room,
                               sender=bot.user_id, timeout=20)
    assert "résumé de la semaine du" in body(dm)

    # The mailing list gets a multipart e-mail.
    for _ in range(100):
        if inbox.messages:
            break
        await asyncio.sleep(0.2)
    assert len(inbox.messages) == 1
    msg = email.message_from_bytes(inbox.messages[0][2], policy=policy.default)
    assert re.fullmatch(rf"\[{ROOM_NAME}\] Résumé de la semaine du \d+(er)? \w+", msg["Subject"]), msg["Subject"]
    assert msg["To"] == LIST and msg["From"] == "relais@pacte.example.org"
    assert msg.get_content_type() == "multipart/alternative"
    assert "👥 Actions ouvertes par personne" in msg.get_body(("plain",)).get_content()
    assert "<b>" in msg.get_body(("html",)).get_content()
