"""What the logic layer sees of the chat, and what it may ask the chat layer to do.

Modelled on hcoop-meetbot's interface: handlers get a frozen Message and return effects;
bot/ turns effects into Matrix events. Nothing here imports matrix-nio.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

from handlers.core.text import Rendered

# A name that could pass for a Matrix id or a mention: "@alice:example.org", "＠alice", "alice:localhost".
_ID_LIKE = re.compile(r"@|\S:\S")


def looks_like_id(name: str) -> bool:
    """Could this name (a display name, an outsider's name) be taken for a Matrix id or a mention?"""
    return bool(_ID_LIKE.search(unicodedata.normalize("NFKC", name)))


@dataclass(frozen=True)
class Member:
    user_id: str
    display_name: str | None = None  # already cleaned of invisible and control characters (bot/convert.py)
    power_level: int = 0
    # Another member of the room shows the same name (display name, or localpart when there is none),
    # ignoring case, accents and look-alike forms. Set by bot/convert.py from the whole room.
    name_shared: bool = False

    @property
    def localpart(self) -> str:
        return self.user_id[1:].split(":", 1)[0]

    @property
    def label(self) -> str:
        """How to name this member in a message: the one rule for every name Relais shows.

        The display name (or the localpart), followed by the user id when the name is shared with another
        member or looks like a Matrix id, so that nobody passes for someone else: "Alice (@alice:example.org)".
        """
        name = self.display_name or self.localpart
        if self.name_shared or looks_like_id(name):
            return f"{name} ({self.user_id})"
        return name


@dataclass(frozen=True)
class Message:
    event_id: str
    time: datetime  # timezone-aware, UTC: the homeserver's origin_server_ts
    sender: str
    room_id: str
    text: str  # the plain body
    members: tuple[Member, ...] = ()
    mentions: tuple[str, ...] = ()  # user ids mentioned by pills / m.mentions
    # Set when the message's HTML and plain text say different things: the text of the other one (`text`
    # is read from the HTML when it holds mention pills, else from the plain body). Such a message runs
    # nothing when either text is a command.
    conflicting_text: str | None = None

    def member(self, user_id: str) -> Member | None:
        return next((m for m in self.members if m.user_id == user_id), None)

    def power_level(self, user_id: str | None = None) -> int:
        m = self.member(user_id or self.sender)
        return m.power_level if m else 0

    def label_of(self, user_id: str) -> str:
        """How to name someone who wrote in the room: their member label, else their id's localpart."""
        member = self.member(user_id)
        return member.label if member else user_id[1:].split(":", 1)[0]


# ---- effects: what a handler asks the chat layer to do -------------------------------------

@dataclass(frozen=True)
class Reply:
    """A notice in the same room, as a reply to the command."""

    content: Rendered
    mentions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Notice:
    """A notice in a room (not a reply): reminders, minutes."""

    room_id: str
    content: Rendered
    mentions: tuple[str, ...] = ()


@dataclass(frozen=True)
class React:
    """Acknowledge the command with a reaction instead of a reply."""

    key: str = "✅"


@dataclass(frozen=True)
class DirectMessage:
    user_id: str
    content: Rendered


@dataclass(frozen=True)
class File:
    """A file posted in the room (e.g. an .ics calendar)."""

    filename: str
    mimetype: str
    data: bytes
    caption: Rendered | None = None


Effect = Reply | Notice | React | DirectMessage | File


@dataclass
class Effects:
    """Collects effects while a handler runs."""

    items: list[Effect] = field(default_factory=list)

    def add(self, effect: Effect) -> None:
        self.items.append(effect)
