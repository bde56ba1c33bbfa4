"""The rooms' web pages over real HTTP (bot/web.py on 127.0.0.1, port 0) with the real router: `!pages` and its
token rules (off by default, revocation, other rooms unreachable, coordinators only, large rooms by DM), every page
(home, minutes and their index, digests, calendar.ics parsed by icalendar, feed.atom parsed by feedparser), the
caching headers and 304s, robots, HEAD, escaping, and the 404 page for anything unknown."""
from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone

import aiohttp
import feedparser
import icalendar
import pytest

from bot.config import WebConfig
from bot.web import serve_pages
from handlers.capabilities import registry
from handlers.core.clock import FakeClock
from handlers.core.interface import DirectMessage, Reply
from handlers.core.router import Router
from handlers.core.services import Defaults, Services
from tests.unit.conftest import NOW, ROOM, Chat

COORD = "@coord:pacte.example"
ALICE = "@alice:pacte.example"
OTHER_ROOM = "!autre:pacte.example"
ADDRESS = re.compile(r"(http://127\.0\.0\.1:\d+/p/([A-Za-z0-9_-]+)/)")


class Web:
    def __init__(self, chat: Chat, server, http: aiohttp.ClientSession) -> None:
        self.chat, self.server, self.http = chat, server, http

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.port}"

    async def say(self, text: str, sender: str = COORD, room: str = ROOM) -> list:
        return await self.chat.say(text, sender=sender, room=room)

    async def turn_on(self, room: str = ROOM) -> str:
        """`!pages on` by a coordinator: the address it replies with."""
        effects = await self.say("!pages on", room=room)
        reply = next(e for e in effects if isinstance(e, Reply))
        return ADDRESS.search(reply.content.plain).group(1)

    async def get(self, url: str, **headers) -> tuple[int, Mapping[str, str], str]:
        async with self.http.get(url, headers=headers, allow_redirects=True) as r:
            return r.status, r.headers.copy(), await r.text()


@pytest.fixture
async def web(store):
    clock = FakeClock(NOW)
    chat = Chat(None, clock)
    services = Services(store, clock, Defaults(), None, lambda room_id: tuple(chat.members.values()),
                        lambda room_id: "Pacte <climat>" if room_id == ROOM else "Autre salon")
    chat.router = Router(registry, services)
    chat.join(COORD, "Coordinatrice", power=50)
    chat.join(ALICE)
    chat.join("@bob:pacte.example")
    server = await serve_pages(services, WebConfig("127.0.0.1:0", "http://127.0.0.1:0"), registry.digest_sections)
    # The port is known once listening: the public address follows it.
    server.site.public_url = services.web_url = f"http://127.0.0.1:{server.port}"
    async with aiohttp.ClientSession() as http:
        yield Web(chat, server, http)
    await server.stop()


async def hold_meeting(web: Web, room: str = ROOM) -> None:
    for line in ["!réunion début Plénière d'avril", "!présent @alice:pacte.example", "!excusé @bob:pacte.example malade",
                 "!rédacteur @alice:pacte.example", "!sujet Marche pour le climat",
                 "!info La préfecture a répondu <script>alert(1)</script>", "!décision On marche le 9 mai",
                 "!lien https://example.org/tract Le tract", "!action @alice:pacte.example imprimer les tracts d'ici vendredi",
                 "!réunion fin"]:
        await web.say(line, room=room)


# --- !pages and the token ------------------------------------------------------------------------------------


async def test_nothing_is_served_until_a_coordinator_turns_the_pages_on(web):
    assert "désactivées" in (await web.chat.reply("!pages", sender=COORD)).content.plain
    refused = await web.chat.reply("!pages on", sender=ALICE)
    assert "coordinat" in refused.content.plain.lower()
    status, _, text = await web.get(f"{web.base}/p/{'A' * 43}/")
    assert status == 404 and "Page introuvable" in text
    url = await web.turn_on()
    token = ADDRESS.search(url).group(2)
    assert len(token) >= 43  # 32 random bytes, base64: 256 bits
    status, headers, text = await web.get(url)
    assert status == 200 and "Pacte &lt;climat&gt;" in text
    assert headers["X-Robots-Tag"].startswith("noindex")
    again = await web.chat.reply("!pages", sender=COORD)
    assert url in again.content.plain and "webcal://" in again.content.plain


async def test_a_new_link_revokes_the_old_one_and_off_serves_nothing(web):
    old = await web.turn_on()
    reply = await web.chat.reply("!pages nouveau-lien", sender=COORD)
    new = ADDRESS.search(reply.content.plain).group(1)
    assert new != old
    assert (await web.get(old))[0] == 404
    assert (await web.get(old + "calendar.ics"))[0] == 404
    assert (await web.get(new))[0] == 200
    assert "désactivées" in (await web.chat.reply("!pages off", sender=COORD)).content.plain
    for path in ("", "minutes/", "digests/", "calendar.ics", "feed.atom"):
        assert (await web.get(new + path))[0] == 404
    back = await web.chat.reply("!pages on", sender=COORD)  # on again: the same address
    assert new in back.content.plain
    assert (await web.get(new))[0] == 200


async def test_one_room_token_never_reaches_another_rooms_records(web):
    mine = await web.turn_on()
    await hold_meeting(web, room=OTHER_ROOM)
    status, _, text = await web.get(mine + "minutes/1")
    assert status == 404 and "Marche pour le climat" not in text
    _, _, home = await web.get(mine)
    assert "Marche" not in home and "Autre salon" not in home
    theirs = await web.turn_on(room=OTHER_ROOM)
    assert theirs != mine
    assert "Marche pour le climat" in (await web.get(theirs + "minutes/1"))[2]


async def test_in_a_large_room_the_address_goes_by_direct_message(web):
    for n in range(25):
        web.chat.join(f"@m{n}:pacte.example")
    effects = await web.say("!pages on")
    dm = next(e for e in effects if isinstance(e, DirectMessage))
    reply = next(e for e in effects if isinstance(e, Reply))
    assert dm.user_id == COORD and ADDRESS.search(dm.content.plain)
    assert not ADDRESS.search(reply.content.plain) and "message privé" in reply.content.plain


async def test_without_a_web_server_the_command_says_so(store):
    chat = Chat(None, FakeClock(NOW))
    chat.router = Router(registry, Services(store, chat.clock, Defaults()))
    chat.join(COORD, power=50)
    assert "[web]" in (await chat.reply("!pages on", sender=COORD)).content.plain


async def test_the_command_in_english(web):
    await web.say("!réglages langue en")
    reply = await web.chat.reply("!pages on", sender=COORD)
    assert "Web pages turned on" in reply.content.plain
    url = ADDRESS.search(reply.content.plain).group(1)
    _, _, text = await web.get(url)
    assert '<html lang="en">' in text and "Open actions" in text


# --- the pages -------------------------------------------------------------------------------------------------


async def test_home_shows_meetings_mobilisations_actions_and_decisions(web):
    url = await web.turn_on()
    await web.say("!réunion prévoir mardi 4 mai 2021 19h Plénière à la Maison des assos")
    await web.say("!mobilisation dimanche 9 mai 2021 14h Marche climat à la Grand-Place https://example.org/m")
    await web.say("!participe M1 +2", sender=ALICE)
    await hold_meeting(web)
    await web.say("!action @coord:pacte.example relancer la mairie pour vendredi")
    await web.say("!action sans personne")
    web.chat.clock.set(datetime(2021, 5, 3, 10, 0, tzinfo=timezone.utc))  # Friday's deadline is past
    status, headers, text = await web.get(url)
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert '<html lang="fr">' in text and "<script" not in text
    assert "P1 Plénière" in text and "Maison des assos" in text and "(demain)" in text
    assert "M1 Marche climat" in text and "dans 6 jours" in text and "3 participants" in text and 'href="https://example.org/m"' in text
    assert "imprimer les tracts" in text and "Sans responsable" in text and "Par thème" in text
    assert re.search(r'relancer la mairie <span class="overdue">\(échéance [^)]*, en retard\)', text)
    assert "On marche le 9 mai" in text and 'href="minutes/1"' in text


async def test_minutes_page_is_an_article_with_attendance_and_topics(web):
    url = await web.turn_on()
    await hold_meeting(web)
    status, _, text = await web.get(url + "minutes/1")
    assert status == 200
    assert "<h1>Plénière d&#x27;avril — la réunion du 27 avril 2021</h1>" in text
    assert re.search(r"<dt>Présents</dt><dd>alice</dd>", text)
    assert "<dt>Excusés</dt><dd>bob (malade)</dd>" in text and "<dt>Compte rendu</dt><dd>alice</dd>" in text
    assert "<h2>1. Marche pour le climat</h2>" in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "<script>" not in text
    assert 'href="https://example.org/tract"' in text and "imprimer les tracts" in text
    _, _, index = await web.get(url + "minutes/")
    assert 'href="1"' in index and "la réunion du 27 avril 2021" in index
    for missing in ("minutes/2", "minutes/0", "minutes/99999999999999", "minutes/abc", "digests/1999-W01",
                    "digests/nonsense", "minutes/?page=9", "nothing-here"):
        status, _, text = await web.get(url + missing)
        assert status == 404 and "Page introuvable" in text and "Traceback" not in text, missing


async def test_digests_are_archived_by_week(web):
    url = await web.turn_on()
    await hold_meeting(web)
    web.chat.clock.set(NOW + timedelta(days=8))
    _, _, index = await web.get(url + "digests/")
    assert 'href="2021-W17"' in index and 'href="2021-W18"' in index
    status, _, text = await web.get(url + "digests/2021-W17")
    assert status == 200 and "La semaine du 26 avril au 2 mai 2021" in text and "On marche le 9 mai" in text


async def test_calendar_parses_and_is_cached(web):
    url = await web.turn_on()
    await web.say("!réunion prévoir tous les mardis 19h Plénière")
    await web.say("!mobilisation dimanche 9 mai 2021 14h Marche climat")
    status, headers, text = await web.get(url + "calendar.ics")
    assert status == 200 and headers["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(text)
    events = [e for e in cal.walk("VEVENT")]
    assert any("RRULE" in e for e in events) and any("Marche climat" in str(e["SUMMARY"]) for e in events)
    etag, modified = headers["ETag"], headers["Last-Modified"]
    web.chat.clock.set(NOW + timedelta(minutes=5))  # a calendar app polling again: nothing changed
    assert (await web.get(url + "calendar.ics", **{"If-None-Match": etag}))[0] == 304
    assert (await web.get(url + "calendar.ics", **{"If-Modified-Since": modified}))[0] == 304
    await web.say("!réunion prévoir jeudi 6 mai 2021 18h Réunion en plus")
    status, headers, _ = await web.get(url + "calendar.ics", **{"If-None-Match": etag})
    assert status == 200 and headers["ETag"] != etag


async def test_feed_has_one_entry_per_minutes_and_per_digest(web):
    url = await web.turn_on()
    await hold_meeting(web)
    web.chat.clock.set(NOW + timedelta(days=14))
    status, headers, text = await web.get(url + "feed.atom")
    assert status == 200 and headers["Content-Type"].startswith("application/atom+xml")
    parsed = feedparser.parse(text)
    assert not parsed.bozo, parsed.bozo_exception
    links = [e.link for e in parsed.entries]
    assert url + "minutes/1" in links
    assert url + "digests/2021-W17" in links and url + "digests/2021-W18" in links
    assert all(ADDRESS.search(link) for link in links)


async def test_robots_head_and_headers(web):
    url = await web.turn_on()
    status, headers, text = await web.get(f"{web.base}/robots.txt")
    assert status == 200 and "Disallow: /" in text
    async with web.http.head(url) as r:
        assert r.status == 200 and r.headers["ETag"] and await r.read() == b""
    _, headers, _ = await web.get(url)
    assert headers["Referrer-Policy"] == "no-referrer" and "script-src" not in headers["Content-Security-Policy"]
    async with web.http.get(url.rstrip("/"), allow_redirects=False) as r:
        assert r.status == 301


# --- configuration -----------------------------------------------------------------------------------------------

MATRIX = {"matrix": {"homeserver": "https://matrix.example.org", "user_id": "@relais:example.org", "password": "x"}}


def test_web_config_is_off_without_its_section_and_checked_with_it():
    from bot.config import ConfigError, parse

    assert parse(MATRIX, "config.toml", {}).web is None
    web = parse({**MATRIX, "web": {"listen": "127.0.0.1:8081", "public_url": "https://relais.example.org/"}},
                "config.toml", {}).web
    assert web == WebConfig("127.0.0.1:8081", "https://relais.example.org")
    for section, message in [({"listen": "8080", "public_url": "https://a.org"}, "[web] listen"),
                             ({"listen": "127.0.0.1:8080"}, "[web] public_url is missing"),
                             ({"public_url": "relais.example.org"}, "[web] public_url must be an http(s) URL")]:
        with pytest.raises(ConfigError, match=re.escape(message)):
            parse({**MATRIX, "web": section}, "config.toml", {})


async def test_a_failing_page_is_a_short_500_page_never_a_traceback(web, monkeypatch):
    url = await web.turn_on()

    async def broken(token):
        raise RuntimeError("database exploded")

    monkeypatch.setattr(web.server.site, "home", broken)
    status, headers, text = await web.get(url)
    assert status == 500 and "Un problème est survenu" in text
    assert "Traceback" not in text and "exploded" not in text and headers["X-Robots-Tag"].startswith("noindex")


async def test_the_home_page_title_names_the_room_once(web):
    """A browser tab or bookmark reads "Pacte <climat>", not "Pacte <climat> — Pacte <climat>"; other pages add the
    room after their own title."""
    url = await web.turn_on()
    await hold_meeting(web)
    _, _, home = await web.get(url)
    assert "<title>Pacte &lt;climat&gt;</title>" in home, home[:800]
    _, _, minutes = await web.get(url + "minutes/1")
    assert re.search(r"<title>Plénière d&#x27;avril — [^<]+ — Pacte &lt;climat&gt;</title>", minutes), minutes[:800]
