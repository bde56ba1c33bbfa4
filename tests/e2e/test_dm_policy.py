"""Direct messages only to members of the room, against a real Synapse (issue 9, item 2).

Alice names as owners of one action herself, Bob (a member who then leaves) and Mallory (a registered user
who was never in the room), with a deadline a minute ahead and deadline reminders 50 s before it. The bot
says Mallory is recorded as a name only; when the reminder goes out, Alice gets it by direct message, and
neither Mallory nor Bob gets an invite to a direct chat, nor anything else, from the bot.
"""
import asyncio
from datetime import timedelta

import pytest

from bot.config import RemindersConfig
from tests.e2e.conftest import body, room_with_bot

pytestmark = pytest.mark.e2e


async def test_an_action_reminder_reaches_members_only(make_user, start_bot):
    alice = await make_user("alice")
    bob = await make_user("bob")
    mallory = await make_user("mallory")
    bot = await start_bot(reminders=RemindersConfig(action_due=(timedelta(seconds=50),)))
    room = await room_with_bot(alice, bot, bob)

    sent = await alice.send(room, f"!action {alice.user_id} {bob.user_id} {mallory.user_id} écrire le tract "
                                  "pour dans 1 minute")
    reply = body(await alice.wait_reply(room, sent, sender=bot.user_id))
    assert reply.startswith("Action #1 enregistrée : écrire le tract\nResponsables : "), reply
    assert reply.endswith(f"\n{mallory.user_id} n'est pas membre du salon : noté comme nom, sans rappel."), reply

    # Bob leaves before the reminder (due about 10 s after the action was recorded).
    await bob.leave(room)
    for _ in range(150):
        if alice.membership(room, bob.user_id) == "leave":
            break
        await asyncio.sleep(0.1)
    else:
        raise AssertionError(f"{bob.user_id} did not leave {room}")

    dm_room = await alice.wait_invite(timeout=30)
    assert dm_room != room
    await alice.join(dm_room)
    dm = await alice.wait_for(lambda e: "Rappel : l'action #1 « écrire le tract »" in body(e), room_id=dm_room,
                              sender=bot.user_id)
    assert "est à faire pour le" in body(dm)

    await asyncio.sleep(3)  # the reminder's other direct messages, had there been any, would be there by now
    assert mallory.invites == [], mallory.describe()
    assert [r for r in bob.invites if r != room] == [], bob.describe()
    assert [e for r in mallory._events for e in mallory.events(r) if e.sender == bot.user_id] == []
