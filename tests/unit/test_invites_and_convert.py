"""Invite policy and how a Matrix message becomes the text a command is parsed from."""
import pytest

from bot.convert import command_text
from bot.invites import may_invite

BOT = "@relais:pacte.example"


@pytest.mark.parametrize("inviter, allowed, ok", [
    ("@alice:pacte.example", (), True),           # default: the bot's own server
    ("@mallory:evil.example", (), False),
    ("@alice:pacte.example", ("@bob:other.example",), False),
    ("@bob:other.example", ("@bob:other.example",), True),
    ("@carol:other.example", (":other.example",), True),
    ("@carol:notother.example", (":other.example",), False),
])
def test_may_invite(inviter, allowed, ok):
    assert may_invite(inviter, allowed, BOT) is ok


def test_pills_are_replaced_by_the_user_id_they_point_to():
    content = {
        "format": "org.matrix.custom.html",
        "formatted_body": '!action <a href="https://matrix.to/#/@bertrand:pacte.example">Bertrand D.</a> '
                          "prendre contact &amp; relancer",
    }
    text, pills, conflicting = command_text("!action Bertrand D. prendre contact & relancer", content)
    assert text == "!action @bertrand:pacte.example prendre contact & relancer"
    assert pills == ["@bertrand:pacte.example"]
    assert conflicting is None  # the body says the same, with the pill's text


def test_reply_fallback_is_dropped():
    content = {"m.relates_to": {"m.in_reply_to": {"event_id": "$x"}}}
    text, _, conflicting = command_text("> <@annie:pacte.example> on fait quoi ?\n\n!aide", content)
    assert (text, conflicting) == ("!aide", None)


def test_plain_body_is_used_without_pills():
    assert command_text("!ping", {"format": "org.matrix.custom.html", "formatted_body": "<b>!ping</b>"}) == \
        ("!ping", [], None)


@pytest.mark.parametrize("relates, thread, reply_to", [
    ({"rel_type": "m.thread", "event_id": "$root", "is_falling_back": True, "m.in_reply_to": {"event_id": "$last"}},
     "$root", None),  # in a thread: the reply is only a fallback for clients without threads
    ({"rel_type": "m.thread", "event_id": "$root", "is_falling_back": False, "m.in_reply_to": {"event_id": "$x"}},
     "$root", "$x"),  # a real reply, inside the thread
    ({"m.in_reply_to": {"event_id": "$x"}}, None, "$x"),
    ({"rel_type": "m.thread", "event_id": 7}, None, None),  # malformed: no thread
])
def test_the_thread_a_message_was_written_in_and_what_it_really_replies_to(relates, thread, reply_to):
    from bot.convert import _replied, thread_of

    content = {"msgtype": "m.text", "body": "!ping", "m.relates_to": relates}
    assert (thread_of(content), _replied(content)) == (thread, reply_to)
