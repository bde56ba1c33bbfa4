"""Against a real Synapse: edits and redactions of commands (an edited `!action` edits the action, a redacted
one cancels it, any other edited command gets one notice), and a start-up with traffic that plans every
scheduled meeting's reminders."""
import asyncio
import logging
import sqlite3
from datetime import datetime, timedelta, timezone

import pytest

from storage import open_store

from tests.e2e.conftest import ask, body, room_with_bot

pytestmark = pytest.mark.e2e

EDIT_NOTICE = "Les modifications de commandes ne sont pas prises en compte"


async def edit(user, room: str, original: str, text: str) -> str:
    """An edit as Element sends it: a fallback body starting with '*', the new content in m.new_content."""
    return await user.send_event(room, "m.room.message", {
        "msgtype": "m.text", "body": f"* {text}",
        "m.new_content": {"msgtype": "m.text", "body": text},
        "m.relates_to": {"rel_type": "m.replace", "event_id": original},
    })


def in_reply_to(event) -> str | None:
    return event.source["content"].get("m.relates_to", {}).get("m.in_reply_to", {}).get("event_id")


async def test_an_edited_action_is_edited_a_redacted_one_cancelled_other_edits_get_one_notice(make_user,
                                                                                              start_bot):
    coord = await make_user("coord")
    annie = await make_user("annie")
    bot = await start_bot()
    room = await room_with_bot(coord, bot, annie)

    created = await annie.send(room, "!action réserver la salle")
    reply = await annie.wait_reply(room, created, sender=bot.user_id)
    assert body(reply).startswith("Action #1 enregistrée : réserver la salle")
    await edit(annie, room, created, "!action réserver la grande salle")
    edited = await annie.wait_for(lambda e: body(e) == "Action #1 modifiée : réserver la grande salle",
                                  room_id=room, sender=bot.user_id)
    assert in_reply_to(edited) == created
    assert "réserver la grande salle" in body(await ask(annie, room, bot, "!action voir 1"))

    second = await annie.send(room, "!action imprimer les tracts")
    assert body(await annie.wait_reply(room, second, sender=bot.user_id)).startswith("Action #2 enregistrée")
    annie._ok(await annie.client.room_redact(room, second, reason="erreur"), "redact")
    await annie.wait_for(lambda e: body(e) == "Action #2 annulée : imprimer les tracts", room_id=room,
                         sender=bot.user_id)
    listing = body(await ask(annie, room, bot, "!action liste"))
    assert "réserver la grande salle" in listing and "imprimer les tracts" not in listing

    ping = await annie.send(room, "!ping")
    assert body(await annie.wait_reply(room, ping, sender=bot.user_id)) == "pong"
    await edit(annie, room, ping, "!ping encore")
    await edit(annie, room, ping, "!ping toujours")
    await annie.wait_for(lambda e: body(e).startswith(EDIT_NOTICE), room_id=room, sender=bot.user_id)
    await ask(annie, room, bot, "!ping")  # everything before it was handled
    notices = [e for e in annie.messages(room) if e.sender == bot.user_id and body(e).startswith(EDIT_NOTICE)]
    assert len(notices) == 1 and in_reply_to(notices[0]) == ping

    chat = await annie.send(room, "bonjour")
    await edit(annie, room, chat, "bonjour à toutes")  # ordinary chat: nothing said
    await ask(annie, room, bot, "!ping")
    assert [e for e in annie.messages(room) if e.sender == bot.user_id and in_reply_to(e) == chat] == []


SCHEDULES = 200  # planning them takes long enough at start-up for commands to come in meanwhile


async def test_a_start_with_traffic_plans_every_scheduled_meeting(make_user, start_bot, caplog):
    """The bot starts while commands keep coming, with many schedules whose jobs a long stop dropped: every
    schedule gets its reminders planned again, in the database, at the first attempt, and every command is
    answered. (Before: a synchronous job-store write froze the loop ~5 s per schedule planned while a
    command's write was open, then failed with "database is locked".)"""
    caplog.set_level(logging.WARNING)
    coord = await make_user("coord")
    bot = await start_bot()
    room = await room_with_bot(coord, bot)
    await ask(coord, room, bot, "!réunion prévoir tous les lundis à 18h Point hebdo")
    await bot.stop()
    await add_schedules(bot.config.storage_url, room, SCHEDULES - 1)
    database = bot.config.storage_url.split("///", 1)[1]
    await asyncio.to_thread(clear_jobs, database)

    sent: list[str] = []

    async def traffic():
        for i in range(40):
            sent.append(await coord.send(room, f"!action tâche {i}"))
            await asyncio.sleep(0.02)

    traffic_task = asyncio.create_task(traffic())
    await asyncio.sleep(0.1)
    await bot.start()
    await traffic_task
    for event_id in sent:
        assert body(await coord.wait_reply(room, event_id, sender=bot.user_id, timeout=30)).startswith("Action #")
    assert await bot.bot.scheduler.flush(timeout=30)
    assert await asyncio.to_thread(planned_schedules, database, room) == set(range(1, SCHEDULES + 1))
    problems = [r.getMessage() for r in caplog.records
                if r.name in ("handlers.core.jobs", "bot.scheduler") and r.levelno >= logging.WARNING]
    assert problems == []


async def add_schedules(url: str, room: str, count: int) -> None:
    store = await open_store(url)
    try:
        now = datetime.now(timezone.utc)
        for i in range(count):
            await store.schedules.create(room, title=f"Groupe {i}", starts_at=now + timedelta(days=2, minutes=i),
                                         timezone="Europe/Paris", rule=None, created_by="@coord:localhost", at=now)
    finally:
        await store.close()


def clear_jobs(database: str) -> None:
    with sqlite3.connect(database) as conn:
        conn.execute("DELETE FROM apscheduler_jobs")


def planned_schedules(database: str, room: str) -> set[int]:
    """Numbers of the room's schedules whose roll job (meeting:{room}:{N}:{occurrence}:roll) is stored."""
    with sqlite3.connect(database) as conn:
        ids = [row[0] for row in conn.execute("SELECT id FROM apscheduler_jobs")]
    prefix = f"meeting:{room}:"
    return {int(i.removeprefix(prefix).split(":")[0]) for i in ids if i.startswith(prefix) and i.endswith(":roll")}


async def test_an_action_done_while_the_bot_was_stopped_has_its_reminders_removed_at_the_restart(make_user,
                                                                                                 start_bot):
    """`!action fait` sent while the bot is down is handled by the restart's catch-up, before jobs run: its
    reminders are removed from the job store, not only skipped when they fire. (Before: the catch-up ran before
    the stored jobs were read, so its cancels found nothing and the rows stayed.)"""
    coord = await make_user("coord")
    bot = await start_bot()
    room = await room_with_bot(coord, bot)
    created = body(await ask(coord, room, bot, "!action écrire le tract pour dans 3 jours"))
    assert created.startswith("Action #1 enregistrée")
    kept = body(await ask(coord, room, bot, "!action imprimer les tracts pour dans 4 jours"))
    assert kept.startswith("Action #2 enregistrée")
    database = bot.config.storage_url.split("///", 1)[1]
    assert await bot.bot.scheduler.flush(timeout=30)
    assert await asyncio.to_thread(action_jobs, database, room, 1)  # the deadline's reminders, stored
    second = await asyncio.to_thread(action_jobs, database, room, 2)
    assert second

    await bot.stop()
    done = await coord.send(room, "!action fait 1")
    await bot.start()
    assert body(await coord.wait_reply(room, done, sender=bot.user_id, timeout=30)).startswith("Action #1 faite")
    assert await bot.bot.scheduler.flush(timeout=30)
    assert await asyncio.to_thread(action_jobs, database, room, 1) == []
    assert await asyncio.to_thread(action_jobs, database, room, 2) == second  # the open one is still reminded
    assert [j for j, _ in bot.bot.scheduler.jobs() if j.startswith(f"action:{room}:1:")] == []


def action_jobs(database: str, room: str, number: int) -> list[str]:
    with sqlite3.connect(database) as conn:
        return sorted(row[0] for row in conn.execute("SELECT id FROM apscheduler_jobs WHERE id LIKE ?",
                                                     (f"action:{room}:{number}:%",)))
