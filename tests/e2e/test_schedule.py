"""Scheduled meeting reminders against a real Synapse, with reminder offsets of a few seconds: the room
reminder and the coordinator's direct message arrive on time; a bot stopped before a reminder is due and
started after it sends it once, marked late, saying the time actually left; a second restart sends nothing
more. The same again with every reminder planned beyond the scheduler's horizon (bot/job_store.py), so that each
is read back from the database before it is due."""
import asyncio
import re
from datetime import timedelta

import pytest

import bot.job_store as job_store
import handlers.core.jobs
from bot.config import RemindersConfig
from tests.e2e.conftest import body, room_with_bot

pytestmark = pytest.mark.e2e

TITLE = "Point test"
LATE = "(rappel en retard"
_LEFT = re.compile(r"\(dans (\d+) s\)")


def seconds_left(event) -> int | None:
    """The time left the reminder says, "(dans 52 s)" → 52."""
    match = _LEFT.search(body(event))
    return int(match[1]) if match else None


def on_time(event) -> bool:
    """The first reminder (52 s before), give or take the second it takes to send it."""
    return seconds_left(event) in (51, 52) and not body(event).startswith(LATE)


def reminders(user, room_id: str, bot) -> list:
    return [e for e in user.messages(room_id) if e.sender == bot.user_id and f"« {TITLE} »" in body(e)
            and "Rappel : réunion" in body(e)]


@pytest.mark.parametrize("horizon", [None, timedelta(seconds=6)], ids=["held", "from-the-database"])
async def test_reminders_arrive_once_and_a_missed_one_is_sent_late_after_a_restart(make_user, start_bot,
                                                                                     monkeypatch, horizon):
    # A job run more than 2 s after its time counts as late (60 s in production): a stop of a few seconds
    # is enough to see the marker.
    monkeypatch.setattr(handlers.core.jobs, "LATE_AFTER", timedelta(seconds=2))
    if horizon is not None:  # every reminder planned beyond the scheduler's horizon: read back a slice at a time
        monkeypatch.setattr(job_store, "HORIZON", horizon)
    loop = asyncio.get_running_loop()
    coord = await make_user("coord")
    # Meeting in one minute: reminders ~8 s and ~20 s after it is scheduled.
    bot = await start_bot(reminders=RemindersConfig(meeting=(timedelta(seconds=52), timedelta(seconds=40))))
    room = await room_with_bot(coord, bot)

    sent = await coord.send(room, f"!réunion prévoir dans 1 minute {TITLE}")
    scheduled_at = loop.time()
    reply = await coord.wait_reply(room, sent, sender=bot.user_id)
    assert body(reply).startswith(f"Réunion prévue P1 : « {TITLE} »\nQuand : "), body(reply)
    assert "Rappels : 52 s et 40 s avant, dans le salon et par message privé" in body(reply)

    # On time: a notice in the room (not a reply, mentioning nobody) and a direct message to the coordinator.
    first = await coord.wait_for(on_time, room_id=room, sender=bot.user_id, timeout=20)
    content = first.source["content"]
    assert content["msgtype"] == "m.notice" and "m.relates_to" not in content
    assert content.get("m.mentions", {}) == {}  # nobody pinged (bot/mentions.py: no name in it, no key)
    assert body(first).startswith(f"Rappel : réunion P1 « {TITLE} » le ")
    dm_room = await coord.wait_invite(timeout=15)
    await coord.join(dm_room)
    dm = await coord.wait_for(on_time, room_id=dm_room, sender=bot.user_id)
    assert body(dm).startswith(f"Rappel : réunion P1 « {TITLE} » dans ")

    # Stopped before the second reminder is due (~20 s), started after it.
    await bot.stop()
    await asyncio.sleep(max(0.0, scheduled_at + 24 - loop.time()))
    await bot.start()
    late = await coord.wait_for(lambda e: body(e).startswith(LATE), room_id=room, sender=bot.user_id, timeout=15)
    assert f"Rappel : réunion P1 « {TITLE} » le " in body(late)
    # The time actually left (the meeting is ~36 s away), not the 40 s it was planned with.
    assert seconds_left(late) is not None and seconds_left(late) < 40, body(late)
    late_dm = await coord.wait_for(lambda e: body(e).startswith(LATE), room_id=dm_room, sender=bot.user_id)
    assert f"Rappel : réunion P1 « {TITLE} » dans " in body(late_dm)

    # A second restart sends nothing more: one reminder each, in the room and in the one DM room.
    await bot.restart()
    marker = await coord.send(room, "!réunion liste")
    await coord.wait_reply(room, marker, sender=bot.user_id)  # the restarted bot is up and has synced
    await asyncio.sleep(2)
    assert [(on_time(e), body(e).startswith(LATE)) for e in reminders(coord, room, bot)] == [
        (True, False), (False, True)]
    assert len(reminders(coord, dm_room, bot)) == 2
    assert coord.invites == [dm_room]  # one direct chat, reused
    # The bot's own direct chat holds reminders only: no room greeting there.
    assert [body(e) for e in coord.messages(dm_room) if e.sender == bot.user_id
            and body(e).startswith("Bonjour ! Je suis Relais")] == []
