"""What goes on the wire: notice content, and messages too big for one Matrix event."""
import json

from bot.sender import MAX_CONTENT_BYTES, notice_content, split_for_size
from handlers.text import Rendered


def test_notice_is_an_m_notice_reply_with_html_and_intentional_mentions():
    content = notice_content(Rendered("pong", "<b>pong</b>"), reply_to="$cmd", mentions=("@a:x",))
    assert content == {
        "msgtype": "m.notice", "body": "pong", "format": "org.matrix.custom.html",
        "formatted_body": "<b>pong</b>", "m.mentions": {"user_ids": ["@a:x"]},
        "m.relates_to": {"m.in_reply_to": {"event_id": "$cmd"}},
    }
    assert notice_content(Rendered("x", "x"))["m.mentions"] == {}  # nobody pinged by accident


def test_a_small_message_is_sent_whole():
    small = Rendered("a\nb", "a<br>b")
    assert split_for_size(small) == [small]


def test_a_huge_message_is_split_between_lines_without_losing_any():
    lines = [f"• #{n} tâche numéro {n} <à faire> — Bertrand Dupont — vendredi 30 avril 2021" for n in range(2000)]
    big = Rendered("\n".join(lines), "<ul>" + "".join(f"<li>{line}</li>" for line in lines) + "</ul>")
    parts = split_for_size(big)
    assert len(parts) > 1
    for part in parts:
        assert len(json.dumps(notice_content(part), ensure_ascii=False).encode()) <= MAX_CONTENT_BYTES
        assert "&lt;à faire&gt;" in part.html and "<à faire>" not in part.html  # still escaped
    assert "\n".join(p.plain for p in parts).split("\n") == lines
