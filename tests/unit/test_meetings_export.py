"""`python -m bot minutes export`: the stored minutes written to a file as Markdown, HTML or JSON."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest

from bot.__main__ import main
from handlers.capabilities import registry
from handlers.core.router import Router
from handlers.core.services import Defaults, Services
from storage import open_store
from tests.unit.conftest import ROOM, Chat

COORD = "@claire:pacte.example"


@pytest.fixture
async def db(tmp_path, clock):
    """A database file with two meetings held in the room (the second in English)."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'relais.db'}"
    store = await open_store(url)
    chat = Chat(Router(registry, Services(store, clock, Defaults())), clock)
    chat.join(COORD, "Claire", 100)
    for text in ["!réunion début Plénière <avril>", "!présent", '!excusé @"Camille R" malade', "!sujet Énergie",
                 "!décision on adopte *le* budget", "!action relancer la mairie @claire", "!réunion fin",
                 "!réunion début Deuxième", "!réunion fin"]:
        clock.advance(timedelta(minutes=5))
        await chat.say(text, sender=COORD)
    await store.close()
    return url


def run(*args: str) -> int:
    return main(["minutes", "export", *args])


def test_markdown_to_a_file_named_after_the_room_and_meeting(db, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert run("--storage-url", db, "--room", ROOM, "--meeting", "1", "--format", "md") == 0
    path = tmp_path / "minutes-salon_pacte.example-1.md"
    assert capsys.readouterr().out.strip() == str(path.name)
    md = path.read_text(encoding="utf-8")
    assert md.startswith("# Compte rendu de la réunion n°1 : Plénière \\<avril\\>  \n"
                         "mardi 27 avril 2021, de 20h05 à 20h35 (Europe/Paris)  \n")
    assert "**Excusés (1) :** Camille R (malade)" in md
    assert "## 1. Énergie\n- **Décision :** on adopte \\*le\\* budget\n- **Action** #1 relancer la mairie — Claire" in md


def test_html_and_json_and_the_default_meeting_is_the_last_one(db, tmp_path, capsys):
    out = tmp_path / "cr.html"
    assert run("--storage-url", db, "--room", ROOM, "--format", "html", "--output", str(out), "--lang", "en") == 0
    page = out.read_text(encoding="utf-8")
    assert "<title>Minutes of meeting 2: Deuxième</title>" in page
    assert capsys.readouterr().out.strip() == str(out)
    assert run("--storage-url", db, "--room", ROOM, "--meeting", "1", "--format", "json", "-o", "-") == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["number"], data["title"]) == (1, "Plénière <avril>")
    assert data["excused"] == [{"user_id": None, "name": "Camille R", "reason": "malade"}]
    assert [(a["number"], a["text"], a["new"]) for a in data["actions"]] == [(1, "relancer la mairie", True)]


def test_the_storage_url_can_come_from_the_config_file(db, tmp_path, capsys):
    config = tmp_path / "config.toml"
    config.write_text('[matrix]\nhomeserver = "http://localhost:8008"\nuser_id = "@relais:localhost"\n'
                      'password = "x"\n\n[storage]\nurl = "' + db + '"\n', encoding="utf-8")
    assert run("--config", str(config), "--room", ROOM, "--format", "json", "-o", "-") == 0
    assert json.loads(capsys.readouterr().out)["number"] == 2


def test_clear_errors(db, tmp_path, capsys):
    assert run("--storage-url", db, "--room", "!inconnu:x", "--format", "md") == 1
    assert "no room '!inconnu:x'" in capsys.readouterr().err
    assert run("--storage-url", db, "--room", ROOM, "--meeting", "9", "--format", "md") == 1
    assert "no meeting number 9" in capsys.readouterr().err
    missing = f"sqlite+aiosqlite:///{tmp_path / 'absent.db'}"
    assert run("--storage-url", missing, "--room", ROOM, "--format", "md") == 2
    assert "no database at" in capsys.readouterr().err
    assert not (tmp_path / "absent.db").exists()
    assert run("--config", str(tmp_path / "nope.toml"), "--room", ROOM, "--format", "md") == 2
    assert "give --config or --storage-url" in capsys.readouterr().err
