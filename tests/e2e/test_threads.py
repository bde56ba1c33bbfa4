"""Against a real Synapse: a command written in a thread (as Element sends it) is answered in that thread —
its reply, and the file that follows it — while a command in the main timeline is answered there."""
import pytest

from tests.e2e.conftest import body, room_with_bot

pytestmark = pytest.mark.e2e


def in_thread(root: str, latest: str) -> dict:
    """What Element adds to a message sent in a thread: the root, and a fallback reply to the latest event."""
    return {"rel_type": "m.thread", "event_id": root, "is_falling_back": True, "m.in_reply_to": {"event_id": latest}}


def relation(event) -> dict:
    return event.source["content"].get("m.relates_to") or {}


async def test_a_command_in_a_thread_is_answered_in_that_thread(make_user, start_bot):
    coord = await make_user("coord")
    annie = await make_user("annie")
    bot = await start_bot()
    room = await room_with_bot(coord, bot, annie)
    root = await annie.send(room, "Préparation de la marche : on s'organise ici")

    created = await annie.send_event(room, "m.room.message", {
        "msgtype": "m.text", "body": "!action imprimer les tracts", "m.relates_to": in_thread(root, root)})
    reply = await annie.wait_reply(room, created, sender=bot.user_id)
    assert body(reply).startswith("Action #1 enregistrée : imprimer les tracts")
    assert relation(reply) == {"rel_type": "m.thread", "event_id": root, "is_falling_back": False,
                               "m.in_reply_to": {"event_id": created}}

    # The thread's fallback reply (to its latest event) is not a reply to that event: the text is the command.
    planned = await coord.send_event(room, "m.room.message", {
        "msgtype": "m.text", "body": "!réunion prévoir jeudi 18h Point marche",
        "m.relates_to": in_thread(root, reply.event_id)})
    assert body(await coord.wait_reply(room, planned, sender=bot.user_id)).startswith("Réunion prévue P1")
    agenda = await coord.send_event(room, "m.room.message", {
        "msgtype": "m.text", "body": "!agenda", "m.relates_to": in_thread(root, planned)})
    text = await coord.wait_reply(room, agenda, sender=bot.user_id)
    assert body(text).startswith("Agenda du salon : 1 réunion prévue.")
    file = await coord.wait_for(lambda e: e.source["content"].get("msgtype") == "m.file", room_id=room,
                                sender=bot.user_id)
    assert relation(file)["rel_type"] == "m.thread" and relation(file)["event_id"] == root
    assert relation(file)["is_falling_back"] is True and relation(file)["m.in_reply_to"] == {"event_id": agenda}
    messages = [e.event_id for e in coord.messages(room)]
    assert messages.index(text.event_id) < messages.index(file.event_id)  # the text, then the file it announces

    # In the main timeline: a plain reply, no thread.
    listed = await annie.send(room, "!action liste")
    plain = await annie.wait_reply(room, listed, sender=bot.user_id)
    assert "imprimer les tracts" in body(plain)
    assert relation(plain) == {"m.in_reply_to": {"event_id": listed}}
