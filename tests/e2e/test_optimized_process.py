"""Relais as the Docker image runs it: its own process, Python with PYTHONOPTIMIZE=2 (no docstrings, no asserts;
docs/performance.md, round 10) and PYTHONNODEBUGRANGES=1 (no column positions in its bytecode, round 12). A
member's day in an encrypted room (an action with a deadline, a meeting and its minutes, wrong input, help), then a
restart: each command answered once, nothing replayed, the data kept."""
from __future__ import annotations

import asyncio
import secrets
from types import SimpleNamespace

import pytest

from bench.common import child_env
from tests.e2e.bot_process import BotProcess
from tests.e2e.conftest import ask, body, room_with_bot, was_encrypted

pytestmark = pytest.mark.e2e


async def test_an_optimized_bot_process_serves_a_meeting_and_survives_a_restart(synapse, make_member, tmp_path):
    password = secrets.token_urlsafe(12)
    user_id, _ = await asyncio.to_thread(synapse.register, f"relais-{secrets.token_hex(4)}", password)
    workdir = tmp_path / "relais"
    workdir.mkdir()
    (workdir / "config.toml").write_text(
        f'[matrix]\nhomeserver = "{synapse.base_url}"\nuser_id = "{user_id}"\n', encoding="utf-8")
    bot = BotProcess(workdir, child_env(RELAIS_MATRIX_PASSWORD=password, PYTHONOPTIMIZE="2", PYTHONNODEBUGRANGES="1"))
    bot.start()
    handle = SimpleNamespace(user_id=user_id)
    logs = []
    try:
        annie = await make_member("annie")
        bertrand = await make_member("bertrand")
        room = await room_with_bot(annie, handle, bertrand, encrypted=True)
        b_local = bertrand.user_id[1:].split(":")[0]

        created = await ask(annie, room, handle, f"!action @{b_local} préparer le tract <marche> pour demain 18h")
        assert was_encrypted(created)
        assert "préparer le tract <marche>" in body(created) and "#1" in body(created)
        assert "&lt;marche&gt;" in created.source["content"]["formatted_body"]  # escaped in HTML
        assert "demain" in body(created) or "18h" in body(created), body(created)

        started = await ask(annie, room, handle, "!réunion début Plénière de mai")
        assert "Plénière de mai" in body(started)
        decision = await bertrand.send(room, "!décision On relaie la marche du 9 mai")
        await bertrand.wait_reaction(room, decision, "✅", sender=user_id)  # noted items get a reaction
        end = await annie.send(room, "!réunion fin")
        minutes = await annie.wait_for(lambda e: body(e).startswith("Compte rendu de la réunion n°1"), room_id=room,
                                       sender=user_id)  # the minutes: a notice of their own
        assert body(minutes).startswith("Compte rendu de la réunion n°1 : Plénière de mai"), body(minutes)
        assert "Décision : On relaie la marche du 9 mai" in body(minutes)

        wrong = await ask(bertrand, room, handle, "!action fait abc")
        assert "!action fait" in body(wrong), body(wrong)
        helped = await ask(bertrand, room, handle, "!aide")
        assert "!action" in body(helped) and "!réunion" in body(helped)
        commands = [e.event_id for e in annie.messages(room) if e.sender != user_id and body(e).startswith("!")
                    and e.event_id not in (decision, end)]
        assert len(commands) == 4  # the action, the meeting's start, the wrong input, the help

        logs.append(await bot.stop())
        bot.start()
        listed = await ask(bertrand, room, handle, "!action liste", timeout=60)
        assert "#1" in body(listed) and "préparer le tract <marche>" in body(listed), body(listed)
        await asyncio.sleep(2)  # anything replayed after the restart would have arrived by now
        for command in commands:  # each answered once, across the restart
            replies = [e for e in annie.messages(room) if e.sender == user_id
                       and e.source["content"].get("m.relates_to", {}).get("m.in_reply_to", {}).get("event_id")
                       == command]
            assert len(replies) == 1, (command, [body(e) for e in replies])
        reactions = [e for e in annie.events(room) if e.sender == user_id
                     and e.source["content"].get("m.relates_to", {}).get("event_id") == decision]
        assert len(reactions) == 1
        assert len([e for e in annie.messages(room) if body(e).startswith("Compte rendu de la réunion")]) == 1
    finally:
        if bot.running():
            logs.append(await bot.stop())
    for output in logs:
        assert "Traceback" not in output and "ERROR" not in output, output
