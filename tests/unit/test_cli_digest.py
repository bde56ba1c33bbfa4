"""`relais digest --room … [--week …] --format md|html|text|eml` prints the digest from the database."""
import asyncio
import email
from datetime import datetime
from email import policy
from zoneinfo import ZoneInfo

from bot.__main__ import main
from handlers.capabilities import registry
from handlers.core.clock import FakeClock
from handlers.core.router import Router
from handlers.core.services import Defaults, Services
from storage import open_store
from tests.unit.conftest import ROOM, Chat

COORD = "@coord:pacte.example"


def seed(url: str) -> None:
    async def run():
        store = await open_store(url)
        clock = FakeClock(datetime(2021, 5, 11, 9, tzinfo=ZoneInfo("Europe/Paris")))
        chat = Chat(Router(registry, Services(store, clock, Defaults())), clock)
        chat.join(COORD, "Coordinatrice", power=50)
        chat.join("@bertrand:pacte.example", "Bertrand")
        await chat.say("!action Bertrand prend contact avec Nicolas Desquinabo @bertrand pour vendredi", sender=COORD)
        await chat.say("!réglages liste-de-diffusion liste@pacte.example.org", sender=COORD)
        await store.close()

    asyncio.run(run())


def test_the_digest_of_a_week_in_every_format(tmp_path, capsys):
    url = f"sqlite+aiosqlite:///{tmp_path / 'relais.db'}"
    seed(url)
    common = ["digest", "--room", ROOM, "--week", "2021-W19", "--storage-url", url, "--room-name", "Pacte climat"]
    assert main([*common, "--format", "text"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("📋 Pacte climat — résumé de la semaine du 10 mai au 16 mai 2021\n")
    assert "• #1 Bertrand prend contact avec Nicolas Desquinabo — Bertrand (échéance : vendredi 14 mai 2021)" in text
    assert main([*common, "--format", "md"]) == 0
    md = capsys.readouterr().out
    assert md.startswith("**📋 Pacte climat — résumé de la semaine du 10 mai au 16 mai 2021**")
    assert "- #1 Bertrand prend contact" in md
    assert main([*common, "--format", "html"]) == 0
    assert capsys.readouterr().out.startswith('<!DOCTYPE html>\n<html lang="fr">')
    assert main([*common, "--format", "eml"]) == 0
    msg = email.message_from_string(capsys.readouterr().out, policy=policy.default)
    assert msg["Subject"] == "[Pacte climat] Résumé de la semaine du 10 mai"
    assert msg["To"] == "liste@pacte.example.org"
    assert msg.get_content_type() == "multipart/alternative"
    assert main(["digest", "--room", "!nope:x", "--storage-url", url]) == 1
    assert "no room" in capsys.readouterr().err
    assert main([*common[:3], "--week", "2021-17", "--storage-url", url]) == 1
    assert "--week must be an ISO week" in capsys.readouterr().err
