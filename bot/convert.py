"""nio events → the frozen Message the handlers see. The only place that reads Matrix event shapes."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from html.parser import HTMLParser
from urllib.parse import unquote

from nio import MatrixRoom, RoomMessageText

from handlers.interface import Member, Message

_PILL = re.compile(r"^https://matrix\.to/#/(@[^/?]+)")


def event_time(event) -> datetime:
    return datetime.fromtimestamp(event.server_timestamp / 1000, tz=timezone.utc)


# From room version 12 the room's creators outrank every power level and are not listed in the
# power-levels event; nio does not know that yet, so they get this level.
CREATOR_LEVEL = 2**53


def creators_level_applies(room: MatrixRoom) -> bool:
    version = room.room_version or "1"
    return version.isdigit() and int(version) >= 12


def members_of(room: MatrixRoom, creators: frozenset[str] = frozenset(),
               only: str | None = None) -> tuple[Member, ...]:
    levels = room.power_levels
    privileged = creators if creators_level_applies(room) else frozenset()
    users = room.users.items() if only is None else [(only, room.users[only])] if only in room.users else []
    return tuple(
        Member(user_id, user.display_name,
               CREATOR_LEVEL if user_id in privileged else levels.get_user_level(user_id))
        for user_id, user in users
    )


def to_message(room: MatrixRoom, event: RoomMessageText, creators: frozenset[str] = frozenset(),
               *, sender_only: bool = False) -> Message:
    """sender_only: the member list holds just the sender (chatter seen by observers, in rooms of any size)."""
    content = event.source.get("content", {})
    text, pills = command_text(event.body, content)
    declared = content.get("m.mentions", {}).get("user_ids", []) if isinstance(content.get("m.mentions"), dict) else []
    mentions = tuple(dict.fromkeys([*pills, *[m for m in declared if isinstance(m, str)]]))
    return Message(
        event_id=event.event_id,
        time=event_time(event),
        sender=event.sender,
        room_id=room.room_id,
        text=text,
        members=members_of(room, creators, only=event.sender if sender_only else None),
        mentions=mentions,
        is_direct=room.member_count == 2,
    )


def command_text(body: str, content: dict) -> tuple[str, list[str]]:
    """The text a command is parsed from, and the user ids its pills point to.

    A mention pill shows a display name in `body`; the user id is only in `formatted_body`, so pills are
    replaced by the user id they link to. Reply fallbacks ("> <@x> …" quotes) are dropped.
    """
    formatted = content.get("formatted_body") if content.get("format") == "org.matrix.custom.html" else None
    if formatted and "matrix.to/#/@" in formatted:
        parser = _PillText()
        parser.feed(formatted)
        parser.close()
        return parser.text().strip(), parser.pills
    lines = body.split("\n")
    if "m.in_reply_to" in content.get("m.relates_to", {}):
        while lines and lines[0].startswith(">"):
            lines.pop(0)
    return "\n".join(lines).strip(), []


class _PillText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.pills: list[str] = []
        self._in_pill = False
        self._skip = 0  # inside <mx-reply> (the reply fallback)

    def handle_starttag(self, tag, attrs):
        if tag == "mx-reply":
            self._skip += 1
        elif tag == "a":
            match = _PILL.match(dict(attrs).get("href") or "")
            if match and not self._skip:
                user_id = unquote(match.group(1))
                self.pills.append(user_id)
                self.parts.append(user_id)
                self._in_pill = True
        elif tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag == "mx-reply":
            self._skip -= 1
        elif tag == "a":
            self._in_pill = False
        elif tag in ("p", "div", "li"):
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._in_pill and not self._skip:
            self.parts.append(data)

    def text(self) -> str:
        return "".join(self.parts)
