"""When a bot message mentioning nobody carries an empty `m.mentions` (bot/mentions.py): wherever a legacy push
rule could ping a member by accident, and only there."""
from nio import MatrixRoom

from bot.mentions import may_ping
from bot.sender import Sender
from handlers.core.interface import Edit, Notice, Reply
from handlers.core.text import Rendered

BOT = "@relais:x"


def room(*members: tuple[str, str | None], invited: tuple[str, ...] = ()) -> MatrixRoom:
    r = MatrixRoom("!r:x", BOT)
    r.add_member(BOT, "Relais", None)
    for user_id, name in members:
        r.add_member(user_id, name, None)
    for user_id in invited:
        r.add_member(user_id, None, None, invited=True)
    return r


COLLECTIF = room(("@bertrand:x", "Bertrand D."), ("@nico:x", "Nicolas"))


def test_a_text_naming_no_member_needs_no_declaration():
    assert not may_ping("Action A3 créée : imprimer le tract pour la marche du 9 mai", COLLECTIF, BOT)


def test_a_members_display_name_or_user_name_in_any_case_needs_it():
    assert may_ping("Action A3 créée : prévenir NICOLAS du changement de salle", COLLECTIF, BOT)
    assert may_ping("Rappel : nico doit envoyer le compte rendu", COLLECTIF, BOT)  # user name (localpart)
    assert may_ping("merci bertrand d.", COLLECTIF, BOT)


def test_at_room_needs_it():
    assert may_ping("Réunion dans 10 min, @room", COLLECTIF, BOT)


def test_invited_members_count_and_the_bots_own_name_does_not():
    assert may_ping("à voir avec zoe", room(invited=("@zoe:x",)), BOT)
    assert not may_ping("Relais a noté l'action", COLLECTIF, BOT)


def test_a_name_the_rules_read_as_a_pattern_always_needs_it():
    assert may_ping("pong", room(("@star:x", "★ [coord]")), BOT)
    assert may_ping("pong", room(("@any:x", "*")), BOT)


def test_a_room_not_synced_yet_always_needs_it():
    assert may_ping("pong", None, BOT)


class Client:
    user_id = BOT

    def __init__(self, rooms: dict) -> None:
        self.rooms = rooms
        self.sent: list[dict] = []

    async def room_send(self, room_id, event_type, content, ignore_unverified_devices=False, tx_id=None):
        from nio import RoomSendResponse

        self.sent.append(content)
        return RoomSendResponse(f"$e{len(self.sent)}", room_id)


class State:
    async def get(self, key):
        return "$original"


async def test_the_sender_declares_an_empty_mention_only_where_a_name_appears():
    client = Client({"!r:x": COLLECTIF})
    sender = Sender(client, state=State())
    await sender.perform(Reply(Rendered("pong", "pong")), "!r:x", "$cmd")
    await sender.perform(Notice("!r:x", Rendered("Rappel : Nicolas appelle la mairie", "Rappel : Nicolas …")),
                         "!r:x", None)
    await sender.perform(Reply(Rendered("A1 pour Nicolas", "A1"), ("@nico:x",)), "!r:x", "$cmd")
    await sender.perform(Notice("!elsewhere:x", Rendered("pong", "pong")), "!r:x", None)
    await sender.perform(Edit("!r:x", "k", Rendered("bertrand: fait", "fait")), "!r:x", None)
    pong, named, mention, unknown_room, edit = client.sent
    assert "m.mentions" not in pong
    assert named["m.mentions"] == {}  # Nicolas reads his name, and is not pinged
    assert mention["m.mentions"] == {"user_ids": ["@nico:x"]}
    assert unknown_room["m.mentions"] == {}
    assert edit["m.mentions"] == {} and edit["m.new_content"]["m.mentions"] == {}


def test_a_reply_may_name_the_member_it_answers_but_nobody_else():
    assert not may_ping("A3 créée — responsable : Nicolas", COLLECTIF, BOT, addressee="@nico:x")
    assert may_ping("A3 créée — responsables : Nicolas, Bertrand D.", COLLECTIF, BOT, addressee="@nico:x")
    assert may_ping("A3 créée — responsable : Nicolas", COLLECTIF, BOT, addressee="@bertrand:x")


async def test_only_the_reply_itself_spares_its_addressee():
    """The sender of the command, from the outbox row, is spared in the reply; a notice, or a reply's
    continuation (a second event, which replies to nothing), still declares."""
    client = Client({"!r:x": COLLECTIF})
    sender = Sender(client, state=State())
    own = Rendered("A1 — responsable : Nicolas", "A1")
    await sender.perform(Reply(own), "!r:x", "$cmd", addressee="@nico:x")
    await sender.perform(Reply(own), "!r:x", "$cmd", addressee="@bertrand:x")
    await sender.perform(Notice("!r:x", own), "!r:x", "$cmd", addressee="@nico:x")
    await sender.perform(Reply(own), "!r:x", "$cmd")  # a row queued before the addressee was kept
    await sender.notice("!r:x", own, addressee="@nico:x")  # not a reply
    answer, other, notice, old_row, not_reply = client.sent
    assert "m.mentions" not in answer
    assert other["m.mentions"] == {} and notice["m.mentions"] == {} and old_row["m.mentions"] == {}
    assert not_reply["m.mentions"] == {}


def test_the_outbox_row_of_a_reply_keeps_the_commands_sender():
    from bot.sender import addressed

    reply = {"kind": "reply", "content": {}, "mentions": []}
    assert addressed(reply, None, "@nico:x") == {**reply, "addressee": "@nico:x"}
    assert addressed(reply, "$root", "@nico:x") == {**reply, "addressee": "@nico:x", "thread": "$root"}
    notice = {"kind": "notice", "room_id": "!r:x", "content": {}, "mentions": []}
    assert addressed(notice, None, "@nico:x") == notice
