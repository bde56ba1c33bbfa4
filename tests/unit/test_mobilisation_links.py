"""What prepares a mobilisation (actions and a scheduled meeting linked to it, in French and English), the tract as
a file (posted with `!tract`, or followed by it; re-posted by its mxc:// with the day-before notice), and direct
messages to participants who joined in a relaying room (bot/dm_guard.py)."""
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nio import MatrixRoom

from bot.dm_guard import may_send
from handlers.core.interface import Attachment, DirectMessage, File, Message, Notice, Reply
from handlers.core.text import Rendered
from tests.unit.conftest import ROOM
from tests.unit.test_mobilisations import ANNIE, BERTRAND, BOT, COORD, PHILIPPE, announce, posted, setup_room

OTHER = "!autre:pacte.example"
MARCH = "!marche dimanche 9 mai 14h Marche pour le climat à la Grand-Place"
EVE = datetime(2021, 5, 8, 12, tzinfo=timezone.utc)  # J-1 (14h Paris is 12h UTC)
J3 = datetime(2021, 5, 6, 12, tzinfo=timezone.utc)
PDF = Attachment("mxc://pacte.example/TractPdf", "tract.pdf", "application/pdf", 48213)


def replies(effects) -> list[str]:
    return [e.content.plain for e in effects if isinstance(e, Reply)]


async def test_an_action_is_linked_in_french_and_english_and_shown_in_the_view(chat):
    setup_room(chat)
    await announce(chat, MARCH)
    reply = await chat.reply("!action préparer le tract @annie @philippe pour la mobilisation 1", sender=COORD)
    lines = reply.content.plain.split("\n")
    assert lines[0] == "Action #1 enregistrée : préparer le tract"
    assert lines[1] == "Responsables : Annie, Philippe"
    assert "📣 Prépare la mobilisation M1 « Marche pour le climat »." in lines
    await chat.say("!réglages langue en", sender=COORD)  # the room in English
    reply = await chat.reply("!action book the coach @bertrand for M1 by 5 May", sender=COORD)
    assert reply.content.plain.startswith("Action #2 recorded: book the coach\nOwners: Bertrand\nDue: ")
    assert "📣 Prepares mobilization M1 “Marche pour le climat”." in reply.content.plain
    reply = await chat.reply("!action prepare the leaflet @annie for mobilization 1", sender=COORD)
    assert "Prepares mobilization M1" in reply.content.plain
    await chat.say("!action fait 3", sender=COORD)  # done: no longer to prepare
    view = (await chat.reply("!mobilization M1")).content.plain
    prepare = next(line for line in view.split("\n") if line.startswith("To prepare: "))
    assert prepare.startswith("To prepare: #1 préparer le tract (Annie, Philippe); #2 book the coach (Bertrand, due ")
    assert "prepare the leaflet" not in view


async def test_an_unknown_or_cancelled_mobilisation_is_refused_and_nothing_is_recorded(chat, store):
    setup_room(chat)
    reply = await chat.reply("!action préparer le tract @annie pour la mobilisation 4", sender=COORD)
    assert reply.content.plain.startswith("Il n'y a pas de mobilisation M4 dans ce salon : rien n'est enregistré.")
    assert await store.actions.get(ROOM, 1) is None
    await announce(chat, MARCH)
    await chat.say("!mobilisation annuler M1", sender=COORD)
    reply = await chat.reply("!réunion prévoir lundi 3 mai à 18h Modalités pour M1", sender=COORD)
    assert reply.content.plain.startswith("Il n'y a pas de mobilisation M1 dans ce salon")
    assert await store.schedules.get(ROOM, 1) is None
    # "pour le 3 mai" is still a deadline, not a link
    reply = await chat.reply("!action réserver la salle @annie pour le 3 mai", sender=COORD)
    assert "Prépare" not in reply.content.plain and "3 mai" in reply.content.plain


async def test_a_preparation_meeting_is_linked_and_shown_in_the_view(chat, store):
    setup_room(chat)
    await announce(chat, MARCH)
    reply = await chat.reply("!réunion prévoir lundi 3 mai à 18h Modalités de participation pour la mobilisation 1",
                             sender=COORD)
    assert reply.content.plain.startswith("Réunion prévue P1 : « Modalités de participation »")
    assert "📣 Prépare la mobilisation M1 « Marche pour le climat »." in reply.content.plain
    schedule = await store.schedules.get(ROOM, 1)
    assert schedule.title == "Modalités de participation" and schedule.mobilisation_id == 1
    view = (await chat.reply("!mobilisation M1")).content.plain
    assert "Réunion de préparation : P1 « Modalités de participation » — lundi 3 mai 2021 à 18h00" in view


async def test_countdown_notices_and_the_digest_list_open_linked_actions_only(timed):
    chat = timed.chat
    setup_room(chat)
    await announce(chat, MARCH)
    await chat.say("!participe M1", sender=ANNIE)
    await chat.say("!action préparer le tract @annie @philippe pour la mobilisation 1", sender=COORD)
    await chat.say("!action imprimer les pancartes @bertrand pour M1", sender=COORD)
    await chat.say("!action fait 2", sender=BERTRAND)
    await chat.say("!action sans rapport @annie", sender=COORD)
    effects = await timed.at(J3)
    notice = next(e for e in effects if isinstance(e, Notice))
    assert notice.content.plain.split("\n")[0] == (
        "📣 J-3 avant « Marche pour le climat » (M1) — Participants : 1 — rendez-vous 14h00, la Grand-Place"
        " ; à préparer : #1 préparer le tract (Annie, Philippe)")
    section = await chat.reply("!résumé")
    assert "à préparer : #1 préparer le tract (Annie, Philippe)" in section.content.plain


async def _file(chat, text: str, sender: str = COORD, reply_to: str | None = "$announce",
                attachment: Attachment | None = PDF, *, command: bool):
    if sender not in chat.members:
        chat.join(sender)
    msg = Message(f"$file{text}{sender}{chat.clock.now().timestamp()}", chat.clock.now(), sender, ROOM, text,
                  tuple(chat.members.values()), attachment=attachment, reply_to=reply_to)
    return await (chat.router.handle(msg) if command else chat.router.observe(msg))


async def test_a_tract_file_with_tract_in_its_caption_is_kept_and_reposted_the_day_before_by_its_mxc(timed, store):
    chat = timed.chat
    setup_room(chat)
    await announce(chat, MARCH)
    effects = await _file(chat, "!tract", command=True)
    assert replies(effects) == ["📎 Tract « tract.pdf » joint à la mobilisation M1 « Marche pour le climat » : il "
                                "sera reposté avec le rappel de la veille."]
    assert "Tract (fichier) : tract.pdf" in (await chat.reply("!mobilisation M1")).content.plain
    record = await store.mobilisations.get(ROOM, 1)
    assert (record.tract_file.url, record.tract_file.mimetype, record.tract_file.size) == (
        PDF.url, "application/pdf", 48213)
    effects = await timed.at(J3)
    assert not [e for e in effects if isinstance(e, File)]  # only with the day-before notice
    effects = await timed.at(EVE)
    files = [e for e in effects if isinstance(e, File)]
    assert [(f.url, f.filename, f.room_id, f.data) for f in files] == [(PDF.url, "tract.pdf", ROOM, b"")]
    # sent and read back from the outbox as the same mxc, no upload
    from bot.sender import effect_from_json, effect_to_json
    assert effect_from_json(effect_to_json(files[0])) == files[0]


async def test_a_tract_command_just_after_the_file_takes_it_and_a_late_one_does_not(chat, store):
    setup_room(chat)
    await announce(chat, MARCH)
    await _file(chat, "tract.pdf", command=False)  # a file, no caption: only noted
    assert (await store.mobilisations.get(ROOM, 1)).tract_file is None
    chat.clock.set(chat.clock.now() + timedelta(minutes=1))
    assert replies(await chat.say("!tract", sender=COORD))[0].startswith("📎 Tract « tract.pdf » joint")
    assert (await store.mobilisations.get(ROOM, 1)).tract_file.url == PDF.url
    await _file(chat, "tract.pdf", command=False)
    chat.clock.set(chat.clock.now() + timedelta(minutes=6))
    assert replies(await chat.say("!tract", sender=COORD))[0].startswith("Aucun fichier à joindre : postez le tract")


async def test_only_coordinators_set_the_tract_and_the_file_must_answer_a_mobilisation(chat, store):
    setup_room(chat)
    await announce(chat, MARCH)
    effects = await _file(chat, "!tract", sender=ANNIE, command=True)
    assert "coordinat" in replies(effects)[0]
    assert (await store.mobilisations.get(ROOM, 1)).tract_file is None
    effects = await _file(chat, "!tract", reply_to="$something-else", command=True)
    assert replies(effects)[0].startswith("Pour quelle mobilisation ? Postez le fichier en réponse à son annonce")
    effects = await _file(chat, "!tract", attachment=Attachment("mxc://x/y", "notes.docx", "application/msword"),
                          command=True)
    assert replies(effects)[0] == "« notes.docx » n'est ni un PDF ni une image : le tract doit en être un."
    effects = await _file(chat, "!tract M1", reply_to=None, command=True)  # named instead of replied to
    assert replies(effects)[0].startswith("📎 Tract « tract.pdf » joint à la mobilisation M1")


def _room(room_id: str, *members: str) -> MatrixRoom:
    room = MatrixRoom(room_id, BOT)
    for user_id in members:
        room.add_member(user_id, None, None)
    return room


def test_a_dm_about_a_mobilisation_may_reach_a_member_of_a_relaying_room_only():
    rooms = {ROOM: _room(ROOM, COORD, ANNIE), OTHER: _room(OTHER, COORD, BERTRAND)}
    text = Rendered("x", "x")
    assert may_send(DirectMessage(BERTRAND, text, rooms=(ROOM, OTHER)), rooms[ROOM], BOT, rooms)
    assert not may_send(DirectMessage(BERTRAND, text), rooms[ROOM], BOT, rooms)  # about the room alone
    assert not may_send(DirectMessage(PHILIPPE, text, rooms=(ROOM, OTHER)), rooms[ROOM], BOT, rooms)
    assert not may_send(DirectMessage(BOT, text, rooms=(ROOM, OTHER)), rooms[ROOM], BOT, rooms)


async def test_the_eve_and_cancellation_dms_name_the_relaying_rooms(timed):
    chat = timed.chat
    setup_room(chat)
    services = chat.router.services

    async def find_room(name: str) -> str | None:
        return OTHER if name == OTHER else None

    services.find_room = find_room
    await announce(chat, MARCH)
    effects = await chat.say(f"!mobilisation M1 relayer {OTHER}", sender=COORD)
    await posted(chat, [e for e in effects if isinstance(e, Notice)], "$relayed")
    await chat.say("!participe M1", sender=BERTRAND, room=OTHER)
    dms = [e for e in await timed.at(EVE) if isinstance(e, DirectMessage)]
    assert [(d.user_id, d.rooms) for d in dms] == [(BERTRAND, (ROOM, OTHER))]
    effects = await chat.say("!mobilisation annuler M1", sender=COORD)
    assert [(d.user_id, d.rooms) for d in effects if isinstance(d, DirectMessage)] == [(BERTRAND, (ROOM, OTHER))]


async def test_editing_a_linked_action_changes_its_text_not_its_link(chat, store):
    from handlers.actions.edits import Edits

    setup_room(chat)
    await announce(chat, MARCH)
    edits = Edits(chat.router)
    members = tuple(chat.members.values())
    created = Message("$linked", chat.clock.now(), COORD, ROOM, "!action préparer le tract @annie pour M1", members)
    await edits.command(created)
    chat.clock.advance(timedelta(minutes=1))
    edit = Message("$edit", chat.clock.now(), COORD, ROOM, "!action préparer le tract A5 @annie pour M1", members)
    await edits.edited("$linked", edit)
    action = await store.actions.get(ROOM, 1)
    assert (action.text, action.mobilisation_id) == ("préparer le tract A5", 1)


def test_the_tract_goes_with_the_day_before_notice_else_the_last_one():
    from handlers.mobilisations.jobs import tract_offset

    d, s = timedelta(days=1), timedelta(seconds=1)
    assert tract_offset((7 * d, 3 * d, d)) == d
    assert tract_offset((3 * d, d, 2 * 3600 * s)) == d  # J-1, not the 2-hour notice
    assert tract_offset((120 * s, 100 * s)) == 100 * s
    assert tract_offset(()) is None


def test_a_file_posted_in_the_room_becomes_a_message_with_its_attachment_and_the_event_it_answers():
    from nio import RoomMessageFile

    from bot.convert import MESSAGE_TYPES, to_message

    event = RoomMessageFile.from_dict({
        "type": "m.room.message", "event_id": "$file", "sender": COORD, "origin_server_ts": 1_620_000_000_000,
        "content": {"msgtype": "m.file", "body": "!tract", "filename": "tract.pdf", "url": PDF.url,
                    "info": {"mimetype": "application/pdf", "size": 48213},
                    "m.relates_to": {"m.in_reply_to": {"event_id": "$announce"}}}})
    assert isinstance(event, MESSAGE_TYPES)
    msg = to_message(MatrixRoom(ROOM, BOT), event)
    assert (msg.text, msg.attachment, msg.reply_to) == ("!tract", PDF, "$announce")


async def test_the_sender_posts_an_existing_mxc_again_without_uploading_it():
    from bot.sender import Sender
    from tests.unit.test_sender import FakeClient

    client = FakeClient()  # it has no upload(): an upload would fail the test
    effect = File("tract.pdf", "application/pdf", b"", url=PDF.url, room_id=OTHER, size=48213)
    from bot.session import PendingState  # no key stored for it: not an encrypted attachment

    await Sender(client, state=PendingState()).perform(effect, ROOM, None)
    assert client.sent == [(OTHER, "m.room.message", {
        "msgtype": "m.file", "body": "tract.pdf", "filename": "tract.pdf", "url": PDF.url,
        "info": {"mimetype": "application/pdf", "size": 48213}})]


@pytest.mark.parametrize("text, expected", [
    ("préparer le tract @annie @philippe pour la mobilisation 1", ("préparer le tract @annie @philippe", 1)),
    ("préparer le tract pour M2 avant le 5 mai", ("préparer le tract avant le 5 mai", 2)),
    ("prepare the leaflet @annie for mobilization 1", ("prepare the leaflet @annie", 1)),
    ("book the coach for the march M3.", ("book the coach", 3)),
    ("réserver la salle pour le 3 mai", ("réserver la salle pour le 3 mai", None)),
    ("appeler Mme Martin pour Mardi", ("appeler Mme Martin pour Mardi", None)),
])
def test_the_link_is_read_out_of_the_text(text, expected):
    from handlers.mobilisations import take_mobilisation

    assert take_mobilisation(text) == expected


@given(st.text(max_size=300))
@settings(max_examples=300, deadline=None, database=None)
def test_reading_a_link_never_fails_and_never_adds_text(text):
    from handlers.mobilisations import take_mobilisation

    rest, number = take_mobilisation(text)
    assert len(rest) <= len(text) + 1 and (number is None or number >= 0)


async def test_a_meeting_linked_to_an_unknown_mobilisation_is_shown_how_to_write_a_meeting(chat, store):
    setup_room(chat)
    reply = (await chat.reply("!réunion prévoir lundi 3 mai à 18h Modalités pour la mobilisation 4",
                              sender=COORD)).content.plain
    assert reply.startswith("Il n'y a pas de mobilisation M4 dans ce salon : rien n'est enregistré."), reply
    assert "`!réunion prévoir lundi 3 mai 18h Modalités pour la mobilisation 1`" in reply and "!action" not in reply
    await chat.say("!réglages langue en", sender=COORD)
    reply = (await chat.reply("!meeting schedule Monday 3 May 6pm Arrangements for M4", sender=COORD)).content.plain
    assert "`!meeting schedule Monday 3 May 6pm Arrangements for M1`" in reply and "!action" not in reply, reply
    assert await store.schedules.get(ROOM, 1) is None
