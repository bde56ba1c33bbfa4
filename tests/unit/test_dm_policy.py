"""Direct messages go only to current members of the room they are about (issue 9, item 2).

Naming `@someone:any.server` who is not in the room as an owner records them as a name only, says so, and
never messages them; reminders check membership when they go out (someone may have left since); and the
chat layer drops any direct message whose target is not a joined member of the room (bot/dm_guard.py).
"""
from datetime import datetime
from zoneinfo import ZoneInfo

from nio import MatrixRoom

from bot.convert import members_of
from handlers.core.interface import DirectMessage, Notice, Reply
from handlers.core.text import Rendered
from storage.records import Person as Owner
from tests.unit.conftest import ROOM

PARIS = ZoneInfo("Europe/Paris")
ALICE = "@alice:pacte.example"
BERTRAND = "@bertrand:pacte.example"
COORD = "@coord:pacte.example"
BOT = "@relais:pacte.example"
MALLORY = "@mallory:evil.example"
NOT_MEMBER_FR = f"{MALLORY} n'est pas membre du salon : noté comme nom, sans rappel."
NOT_MEMBER_EN = f"{MALLORY} is not a member of this room: recorded as a name, without reminders."


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def dms(effects) -> list[str]:
    return [e.user_id for e in effects if isinstance(e, DirectMessage)]


# ---- (a) naming someone outside the room ---------------------------------------------------------------

async def test_a_foreign_owner_is_recorded_as_a_plain_name_with_a_warning(chat, store):
    chat.join(ALICE, "Alice")
    reply = await chat.reply(f"!action {MALLORY} écrire le tract pour demain", sender=ALICE)
    assert reply.content.plain.split("\n") == [
        "Action #1 enregistrée : écrire le tract",
        f"Responsables : {MALLORY}",
        "Échéance : mercredi 28 avril 2021 (fin de journée)",
        NOT_MEMBER_FR,
    ]
    assert reply.mentions == ()  # nobody outside the room is pinged
    assert "matrix.to" not in reply.content.html  # a name, not a pill
    action = await store.actions.get(ROOM, 1)
    assert action.owners == (Owner(None, MALLORY),)


async def test_a_mention_pill_of_a_non_member_is_a_name_too_and_members_keep_their_id(chat, store):
    chat.join(ALICE, "Alice")
    chat.join(BERTRAND, "Bertrand Dupont")
    reply = await chat.reply(f"!action @bertrand {MALLORY} écrire le tract", sender=ALICE,
                             mentions=(MALLORY,))
    assert reply.content.plain.endswith("\n" + NOT_MEMBER_FR)
    assert reply.mentions == (BERTRAND,)
    action = await store.actions.get(ROOM, 1)
    assert action.owners == (Owner(BERTRAND, "Bertrand Dupont"), Owner(None, MALLORY))


async def test_the_warning_in_english(chat):
    chat.join(ALICE, "Alice", power=50)
    await chat.reply("!settings language en", sender=ALICE)
    reply = await chat.reply(f"!action write the leaflet {MALLORY}", sender=ALICE)
    assert reply.content.plain.split("\n")[1:] == [f"Owners: {MALLORY}", "Due: none", NOT_MEMBER_EN]


async def test_assigning_someone_outside_the_room_follows_the_same_rule(chat, store):
    chat.join(ALICE, "Alice")
    await chat.reply("!action écrire le tract", sender=ALICE)
    reply = await chat.reply(f"!action assigner 1 {MALLORY}", sender=ALICE)
    assert reply.content.plain == f"Action #1 — responsables : {MALLORY}.\n{NOT_MEMBER_FR}"
    assert reply.mentions == ()
    assert (await store.actions.get(ROOM, 1)).owners == (Owner(None, MALLORY),)
    # The id still names that owner: listing by it and unassigning it work.
    assert "#1 écrire le tract" in (await chat.reply(f"!action liste {MALLORY}", sender=ALICE)).content.plain
    assert (await chat.reply(f"!action retirer 1 {MALLORY}", sender=ALICE)).content.plain == (
        "Action #1 — responsables : personne pour l'instant.")


async def test_an_owner_recorded_by_id_who_left_can_still_be_unassigned_by_id(chat, store):
    chat.join(ALICE, "Alice")
    chat.join(BERTRAND, "Bertrand Dupont")
    await chat.reply("!action @bertrand écrire le tract", sender=ALICE)
    del chat.members[BERTRAND]
    assert (await chat.reply(f"!action retirer 1 {BERTRAND}", sender=ALICE)).content.plain == (
        "Action #1 — responsables : personne pour l'instant.")


async def test_an_owner_kept_as_a_name_who_joins_later_is_assigned_again_as_a_member(timed, store):
    timed.chat.join(ALICE, "Alice")
    await timed.chat.say(f"!action {MALLORY} appeler la mairie pour vendredi 18h", sender=ALICE)
    timed.chat.join(MALLORY, "Mallory")  # joined the room since
    reply = await timed.chat.reply(f"!action assigner 1 {MALLORY}", sender=ALICE)
    assert reply.content.plain == "Action #1 — responsables : Mallory."
    assert (await store.actions.get(ROOM, 1)).owners == (Owner(MALLORY, "Mallory"),)
    assert dms(await timed.at(paris(2021, 4, 29, 18, 0, 1))) == [MALLORY]



def test_invited_users_are_not_members_yet():
    room = MatrixRoom(ROOM, BOT)
    room.add_member(ALICE, "Alice", None)
    room.add_member(MALLORY, "Mallory", None, invited=True)
    assert [m.user_id for m in members_of(room)] == [ALICE]
    assert members_of(room, only=MALLORY) == ()


# ---- (b), (c): deadline reminders ------------------------------------------------------------------------

async def test_a_deadline_reminder_goes_to_member_owners_only(timed):
    timed.chat.join(ALICE, "Alice")
    await timed.chat.say(f"!action @alice {MALLORY} appeler la mairie pour vendredi 18h", sender=ALICE)
    soon = await timed.at(paris(2021, 4, 29, 18, 0, 1))
    assert dms(soon) == [ALICE]


async def test_an_owner_who_left_gets_no_reminder(timed):
    timed.chat.join(ALICE, "Alice")
    timed.chat.join(BERTRAND, "Bertrand Dupont")
    await timed.chat.say("!action @bertrand appeler la mairie pour vendredi 18h", sender=ALICE)
    del timed.chat.members[BERTRAND]  # left the room after being named
    assert dms(await timed.at(paris(2021, 4, 29, 18, 0, 1))) == []


async def test_the_overdue_digest_goes_to_current_coordinators_only(timed):
    timed.chat.join(ALICE, "Alice")
    timed.chat.join(COORD, "Coordinatrice", power=50)
    timed.chat.join(BOT, "Relais", power=100)
    await timed.chat.say("!action @alice appeler la mairie pour demain 10h", sender=ALICE)
    overdue = await timed.at(paris(2021, 4, 28, 10, 0, 1))
    assert [type(e) for e in overdue] == [Notice]
    del timed.chat.members[COORD]
    assert dms(await timed.at(paris(2021, 4, 29, 9, 0, 1))) == []


# ---- (d): meeting reminders --------------------------------------------------------------------------------

async def test_a_subscriber_who_left_gets_no_meeting_reminder(timed):
    timed.chat.join(COORD, "Coordinatrice", power=50)
    timed.chat.join(BERTRAND, "Bertrand Dupont")
    await timed.chat.say("!abonner", sender=BERTRAND)
    await timed.chat.say("!réunion prévoir jeudi 29 avril à 18h Plénière", sender=COORD)
    del timed.chat.members[BERTRAND]
    day_before = await timed.at(paris(2021, 4, 28, 18, 0, 1))
    assert dms(day_before) == [COORD]


async def test_when_the_room_members_are_unknown_nobody_gets_a_direct_message(timed):
    timed.chat.join(COORD, "Coordinatrice", power=50)
    timed.chat.join(BERTRAND, "Bertrand Dupont")
    await timed.chat.say("!abonner", sender=BERTRAND)
    await timed.chat.say("!réunion prévoir jeudi 29 avril à 18h Plénière", sender=COORD)
    timed.chat.members.clear()  # e.g. the bot was removed from the room: its member list is gone
    day_before = await timed.at(paris(2021, 4, 28, 18, 0, 1))
    assert [type(e) for e in day_before] == [Notice]


# ---- the last guard, where effects are performed ---------------------------------------------------------

def test_the_chat_layer_sends_a_direct_message_only_to_a_joined_member_of_the_room():
    from bot.dm_guard import may_send

    room = MatrixRoom(ROOM, BOT)
    room.add_member(BOT, "Relais", None)
    room.add_member(ALICE, "Alice", None)
    room.add_member(BERTRAND, "Bertrand", None, invited=True)
    text = Rendered("secret", "secret")
    assert may_send(DirectMessage(ALICE, text), room, BOT)
    assert not may_send(DirectMessage(MALLORY, text), room, BOT)  # never in the room
    assert not may_send(DirectMessage(BERTRAND, text), room, BOT)  # invited, not joined
    assert not may_send(DirectMessage(BOT, text), room, BOT)  # never to itself
    assert not may_send(DirectMessage(ALICE, text), None, BOT)  # a room the bot is not in
    assert may_send(Reply(text), None, BOT) and may_send(Notice(ROOM, text), room, BOT)  # only DMs are checked

