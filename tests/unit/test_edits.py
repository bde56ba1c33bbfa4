"""Edits and redactions of commands (handlers/actions/edits.py) with the real router, over an in-memory store:
an edited `!action` creation edits the action's text, a redacted one cancels it (within 10 minutes, with the
usual permissions); any other edit or redaction of a command gets one notice; chat edits are ignored."""
from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from handlers.actions.edits import Edits
from handlers.core.interface import Message, Reply
from tests.unit.conftest import ROOM

ALICE = "@alice:pacte.example"
BOB = "@bob:pacte.example"
COORD = "@coord:pacte.example"
_ids = itertools.count(1)


class Room:
    """Commands, edits and redactions as bot/app.py passes them on."""

    def __init__(self, chat) -> None:
        self.chat, self.edits = chat, Edits(chat.router)
        chat.join(ALICE, "Alice")
        chat.join(BOB, "Bob")
        chat.join(COORD, "Coordinatrice", power=50)

    def message(self, text: str, sender: str, event_id: str | None = None) -> Message:
        return Message(event_id or f"$e{next(_ids)}", self.chat.clock.now(), sender, ROOM, text,
                       tuple(self.chat.members.values()))

    async def send(self, text: str, sender: str = ALICE) -> tuple[str, str]:
        """A command; returns its event id and the text of its one reply."""
        msg = self.message(text, sender)
        return msg.event_id, only_reply(await self.edits.command(msg))

    async def edit(self, original: str, text: str, sender: str = ALICE, after=timedelta(minutes=1),
                   event_id: str | None = None) -> list:
        self.chat.clock.advance(after)
        return await self.edits.edited(original, self.message(text, sender, event_id))

    async def redact(self, original: str, sender: str = ALICE, after=timedelta(minutes=1)) -> list:
        self.chat.clock.advance(after)
        return await self.edits.redacted(original, self.message("", sender))


def only_reply(effects) -> str:
    replies = [e for e in effects if isinstance(e, Reply)]
    assert len(replies) == 1 and len(effects) == 1, effects
    return replies[0].content.plain


@pytest.fixture
def room(chat):
    return Room(chat)


async def test_editing_an_action_within_ten_minutes_edits_its_text(room):
    created, reply = await room.send("!action @Bob réserver la salle pour vendredi #logistique")
    assert reply.startswith("Action #1 enregistrée : réserver la salle")
    edited = await room.edit(created, "!action @Bob réserver la grande salle pour vendredi #logistique",
                             after=timedelta(minutes=9))
    assert only_reply(edited) == "Action #1 modifiée : réserver la grande salle"
    _, shown = await room.send("!action voir 1")
    assert "réserver la grande salle" in shown and "Bob" in shown  # the owner did not change


async def test_an_edit_naming_other_owners_or_another_deadline_says_they_stay_and_how_to_change_them(room):
    created, _ = await room.send("!action @Alice @Bob préparer le tract pour vendredi 18h")
    edited = only_reply(await room.edit(created, "!action @Bob préparer le tract de la marche pour samedi 12h"))
    assert edited.startswith("Action #1 modifiée : préparer le tract de la marche\n"
                             "Modifier le message ne change que le texte : les responsables et l'échéance restent")
    assert "!action assigner 1 @…" in edited and "!action échéance 1 …" in edited
    _, shown = await room.send("!action voir 1")
    assert "Responsables : Alice, Bob\nÉchéance : vendredi" in shown  # kept, as the reply said
    # Only the text changed: no note
    assert only_reply(await room.edit(created, "!action @Alice @Bob préparer le tract (A5) pour vendredi 18h")) == \
        "Action #1 modifiée : préparer le tract (A5)"


async def test_an_edit_by_someone_else_than_the_author_is_ignored(room):
    created, _ = await room.send("!action réserver la salle")
    assert await room.edit(created, "!action tout annuler", sender=COORD) == []
    _, shown = await room.send("!action voir 1")
    assert "réserver la salle" in shown


async def test_a_late_edit_of_an_action_gets_one_notice_naming_the_command(room):
    created, _ = await room.send("!action réserver la salle")
    late = await room.edit(created, "!action réserver la grande salle", after=timedelta(minutes=11))
    assert only_reply(late) == ("Les modifications de commandes ne sont pas prises en compte : utilisez "
                                "`!action modifier 1 …`")
    assert await room.edit(created, "!action réserver la très grande salle") == []  # once per command
    _, shown = await room.send("!action voir 1")
    assert "réserver la salle" in shown


async def test_redacting_an_action_within_ten_minutes_cancels_it(room):
    created, _ = await room.send("!action réserver la salle")
    await room.send("!action imprimer les tracts")
    assert only_reply(await room.redact(created)) == "Action #1 annulée : réserver la salle"
    _, listing = await room.send("!action liste")
    assert "réserver la salle" not in listing and "imprimer les tracts" in listing


async def test_the_redactor_needs_the_right_to_cancel(room):
    created, _ = await room.send("!action réserver la salle")
    refused = only_reply(await room.redact(created, sender=BOB))
    assert refused.startswith("Seuls le créateur de l'action #1")
    created, _ = await room.send("!action imprimer les tracts")
    assert only_reply(await room.redact(created, sender=COORD)) == "Action #2 annulée : imprimer les tracts"


async def test_a_late_redaction_of_an_action_gets_a_notice(room):
    created, _ = await room.send("!action réserver la salle")
    late = await room.redact(created, after=timedelta(minutes=10, seconds=1))
    assert only_reply(late) == ("Supprimer une commande n'annule pas ce qu'elle a fait : utilisez "
                                "`!action annuler 1`")
    _, listing = await room.send("!action liste")
    assert "réserver la salle" in listing


async def test_other_commands_get_one_notice_per_command(room):
    ping, _ = await room.send("!ping")
    notice = "Les modifications de commandes ne sont pas prises en compte : envoyez la commande corrigée " \
             "dans un nouveau message."
    assert only_reply(await room.edit(ping, "!ping encore")) == notice
    assert await room.edit(ping, "!ping toujours") == []
    listing, _ = await room.send("!action liste")
    assert only_reply(await room.edit(listing, "!action liste toutes")) == notice
    failed, _ = await room.send("!action")  # usage: it created nothing
    assert only_reply(await room.edit(failed, "!action réserver la salle")) == notice
    assert only_reply(await room.redact(ping)) == ("Supprimer une commande n'annule pas ce qu'elle a fait : "
                                                   "utilisez la commande qui le défait.")


async def test_an_edit_turning_an_action_into_another_command_is_not_applied(room):
    created, _ = await room.send("!action réserver la salle")
    assert only_reply(await room.edit(created, "!action fait 1")).startswith(
        "Les modifications de commandes ne sont pas prises en compte : utilisez `!action modifier 1 …`")
    _, listing = await room.send("!action liste")
    assert "#1 réserver la salle" in listing  # still open, text unchanged


async def test_chat_edits_and_redactions_are_ignored_unless_the_edit_becomes_a_command(room):
    assert await room.edit("$chat1", "bonjour à toutes") == []
    assert await room.redact("$chat1") == []
    assert only_reply(await room.edit("$chat2", "!ping")).startswith(
        "Les modifications de commandes ne sont pas prises en compte")


async def test_each_edit_and_redaction_is_handled_once(room):
    created, _ = await room.send("!action réserver la salle")
    assert only_reply(await room.edit(created, "!action réserver la grande salle", event_id="$edit"))
    assert await room.edit(created, "!action réserver la grande salle", event_id="$edit") == []
    ping, _ = await room.send("!ping")
    assert await room.edits.command(room.message("!ping", ALICE, ping)) is None  # the command too


async def test_an_english_room_gets_english_notices(room):
    await room.send("!réglages langue en", sender=COORD)
    ping, _ = await room.send("!ping")
    assert only_reply(await room.edit(ping, "!ping again")) == \
        "Edits to commands are not applied: send the corrected command as a new message."
    created, _ = await room.send("!action book the hall")
    assert only_reply(await room.redact(created, after=timedelta(hours=1))) == \
        "Deleting a command does not undo it: use `!action cancel 1`"
