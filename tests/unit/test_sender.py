"""What goes on the wire: notice content, and messages too big for one Matrix event."""
import json

import pytest

from bot.sender import MAX_CONTENT_BYTES, notice_content, split_for_size
from handlers.core.text import Rendered


def test_notice_is_an_m_notice_reply_with_html_and_intentional_mentions():
    content = notice_content(Rendered("pong", "<b>pong</b>"), reply_to="$cmd", mentions=("@a:x",))
    assert content == {
        "msgtype": "m.notice", "body": "pong", "format": "org.matrix.custom.html",
        "formatted_body": "<b>pong</b>", "m.mentions": {"user_ids": ["@a:x"]},
        "m.relates_to": {"m.in_reply_to": {"event_id": "$cmd"}},
    }
    assert notice_content(Rendered("x", "x"))["m.mentions"] == {}  # nobody pinged by accident
    assert "m.mentions" not in notice_content(Rendered("x", "x"), declare=False)  # where no name could ping
    assert notice_content(Rendered("x", "x"), mentions=("@a:x",), declare=False)["m.mentions"] == {"user_ids": ["@a:x"]}


def test_a_small_message_is_sent_whole():
    small = Rendered("a\nb", "a<br>b")
    assert split_for_size(small) == [small]


def wire_size(part: Rendered, reply_to=None, mentions=()) -> int:
    """Bytes of the event content as the homeserver measures it: canonical JSON, UTF-8, no ASCII escapes."""
    content = notice_content(part, reply_to, mentions)
    return len(json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode())


def test_a_huge_message_is_split_between_lines_without_losing_any():
    lines = [f"• #{n} tâche numéro {n} <à faire> — Bertrand Dupont — vendredi 30 avril 2021" for n in range(2000)]
    big = Rendered("\n".join(lines), "<ul>" + "".join(f"<li>{line}</li>" for line in lines) + "</ul>")
    parts = split_for_size(big)
    assert len(parts) > 1
    for part in parts:
        assert wire_size(part) <= MAX_CONTENT_BYTES
        assert "&lt;à faire&gt;" in part.html and "<à faire>" not in part.html  # still escaped
    assert "\n".join(p.plain for p in parts).split("\n") == lines


def _as_rendered(lines: list[str]) -> Rendered:
    from handlers.core.text import join, raw
    return join([raw(line) for line in lines])


# Characters that cost more on the wire than they count: `&` is 5 bytes in HTML, `<` 4, an emoji 4 bytes
# of UTF-8 in each of body and formatted_body, a CJK character 3.
@pytest.mark.parametrize("char", ["&", "<", "🌍", "漢", "&🌍"])
def test_lines_of_costly_characters_are_all_delivered_within_the_limit(char):
    lines = [f"#{n} " + char * (1_900 // len(char)) for n in range(60)]
    parts = split_for_size(_as_rendered(lines), reply_to="$cmd", mentions=("@annie:x", "@bertrand:x"))
    assert len(parts) > 1
    for i, part in enumerate(parts):
        assert wire_size(part, "$cmd" if i == 0 else None, ("@annie:x", "@bertrand:x") if i == 0 else ()) \
            <= MAX_CONTENT_BYTES
    assert "\n".join(p.plain for p in parts).split("\n") == lines  # every line, whole and in order


@pytest.mark.parametrize("char", ["&", "<", "🌍", "漢", "a"])
def test_a_single_enormous_line_is_cut_with_a_visible_marker(char):
    line = char * (60 * 1024 // len(char))
    parts = split_for_size(_as_rendered(["Action #1 :", line, "fin"]), lang="fr", reply_to="$cmd")
    for i, part in enumerate(parts):
        assert wire_size(part, "$cmd" if i == 0 else None) <= MAX_CONTENT_BYTES
    text = "\n".join(p.plain for p in parts)
    assert text.startswith("Action #1 :\n" + char * 100)
    assert text.endswith("\nfin")  # the lines after it are still delivered
    n = f"{len(line):,}".replace(",", "\u202f")
    assert f"… (tronqué, {n} caractères)" in text
    assert f"… (tronqué, {n} caractères)" in "".join(p.html for p in parts)


def test_the_truncation_marker_speaks_the_rooms_language():
    parts = split_for_size(_as_rendered(["&" * 61_440]), lang="en")
    assert parts[0].plain.endswith("… (truncated, 61,440 characters)")
    assert wire_size(parts[0]) <= MAX_CONTENT_BYTES


def test_the_limit_leaves_room_for_the_event_envelope():
    # Synapse refuses a PDU (content + ids, hashes, signatures, prev_events…) over 65,536 bytes.
    assert MAX_CONTENT_BYTES <= 56_000


class FakeClient:
    """Records what would be sent; every send succeeds."""

    user_id = "@relais:x"

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, dict]] = []
        self.rooms: dict = {}

    async def room_send(self, room_id, event_type, content, ignore_unverified_devices=False):
        from nio import RoomSendResponse

        self.sent.append((room_id, event_type, content))
        return RoomSendResponse(f"$sent{len(self.sent)}", room_id)


async def test_a_reply_too_big_goes_out_in_parts_marked_in_the_rooms_language():
    from bot.sender import Sender, content_size
    from handlers.core.interface import Reply

    asked = []

    async def language(room_id: str) -> str:
        asked.append(room_id)
        return "en"

    client = FakeClient()
    sender = Sender(client, state=None, language=language)
    lines = [f"#{n} " + "&🌍" * 950 for n in range(1, 41)] + ["🌍" * 20_000]
    await sender.perform(Reply(_as_rendered(lines), ("@annie:x",)), "!room:x", "$cmd")
    assert asked == ["!room:x"]
    assert len(client.sent) > 1
    for _, _, content in client.sent:
        assert content_size(content) <= MAX_CONTENT_BYTES
    assert client.sent[0][2]["m.relates_to"] == {"m.in_reply_to": {"event_id": "$cmd"}}
    assert client.sent[0][2]["m.mentions"] == {"user_ids": ["@annie:x"]}
    assert all("m.relates_to" not in c and c["m.mentions"] == {} for _, _, c in client.sent[1:])
    text = "\n".join(c["body"] for _, _, c in client.sent)
    assert all(f"#{n} &🌍" in text for n in range(1, 41))
    assert text.endswith("… (truncated, 20,000 characters)")


async def test_a_small_reply_needs_no_language_lookup():
    from bot.sender import Sender
    from handlers.core.interface import Reply

    async def language(room_id: str) -> str:
        raise AssertionError("looked up")

    client = FakeClient()
    await Sender(client, state=None, language=language).perform(Reply(Rendered("pong", "pong")), "!r:x", "$c")
    assert [c["body"] for _, _, c in client.sent] == ["pong"]


async def test_a_reply_in_a_thread_stays_in_it_every_part():
    from bot.sender import Sender, content_size
    from handlers.core.interface import Reply

    async def language(room_id: str) -> str:
        return "fr"

    client = FakeClient()
    lines = [f"#{n} " + "&🌍" * 950 for n in range(1, 41)]
    await Sender(client, state=None, language=language).perform(Reply(_as_rendered(lines)), "!room:x", "$cmd",
                                                                 thread="$root")
    assert len(client.sent) > 1
    relations = [c["m.relates_to"] for _, _, c in client.sent]
    assert relations[0] == {"rel_type": "m.thread", "event_id": "$root", "is_falling_back": False,
                            "m.in_reply_to": {"event_id": "$cmd"}}
    assert all(r == {"rel_type": "m.thread", "event_id": "$root", "is_falling_back": True,
                     "m.in_reply_to": {"event_id": "$cmd"}} for r in relations[1:])
    assert all(content_size(c) <= MAX_CONTENT_BYTES for _, _, c in client.sent)  # the relation counted
