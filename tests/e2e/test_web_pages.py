"""The web pages against a real Synapse: a bot run with a [web] section, a coordinator turns the room's pages on
in the room, holds a short meeting and schedules another; the meeting's minutes are on its page, on the home page
and in the feed, the scheduled meeting is in calendar.ics; a new link makes the old address answer 404."""
import re
from dataclasses import replace

import aiohttp
import feedparser
import icalendar
import pytest

from bot.config import WebConfig
from bot.devserver import free_port
from tests.e2e.conftest import body, room_with_bot
from tests.e2e.test_meetings import ask, noted, notice

pytestmark = pytest.mark.e2e

ADDRESS = re.compile(r"(http://127\.0\.0\.1:\d+/p/[A-Za-z0-9_-]+/)")


async def fetch(http: aiohttp.ClientSession, url: str) -> tuple[int, str]:
    async with http.get(url) as r:
        return r.status, await r.text()


async def test_a_meeting_held_in_the_room_is_on_its_pages_and_in_the_feed(make_user, start_bot):
    coord = await make_user("coord")
    handle = await start_bot()
    port = free_port()
    handle.config = replace(handle.config, web=WebConfig(f"127.0.0.1:{port}", f"http://127.0.0.1:{port}"))
    await handle.restart()  # as an operator adding [web] to config.toml
    room = await room_with_bot(coord, handle)

    reply = await ask(coord, room, handle, "!pages on")
    assert body(reply).startswith("Pages web activées.")
    url = ADDRESS.search(body(reply)).group(1)

    await ask(coord, room, handle, "!réunion début Point rapide")
    await noted(coord, room, handle, "!présent")
    await noted(coord, room, handle, "!sujet Budget de la fête")
    await noted(coord, room, handle, "!décision On vote 300 € pour la sono")
    await notice(coord, room, handle, "!réunion fin", "Compte rendu de la réunion n°1", set())
    scheduled = await ask(coord, room, handle, "!réunion prévoir demain 19h Plénière de rentrée")
    assert body(scheduled).startswith("Réunion prévue P1")

    async with aiohttp.ClientSession() as http:
        status, minutes = await fetch(http, url + "minutes/1")
        assert status == 200
        assert "Point rapide — la réunion du" in minutes and "Budget de la fête" in minutes
        assert "On vote 300 € pour la sono" in minutes
        _, home = await fetch(http, url)
        assert "On vote 300 € pour la sono" in home and "P1 Plénière de rentrée" in home

        status, text = await fetch(http, url + "feed.atom")
        feed = feedparser.parse(text)
        assert status == 200 and not feed.bozo
        assert [e.link for e in feed.entries if "/minutes/" in e.link] == [url + "minutes/1"]

        status, text = await fetch(http, url + "calendar.ics")
        events = icalendar.Calendar.from_ical(text).walk("VEVENT")
        assert status == 200 and [str(e["SUMMARY"]) for e in events] == ["Plénière de rentrée"]

        renewed = await ask(coord, room, handle, "!pages nouveau-lien")
        new = ADDRESS.search(body(renewed)).group(1)
        assert new != url
        assert (await fetch(http, url))[0] == 404
        assert (await fetch(http, new + "minutes/1"))[0] == 200
