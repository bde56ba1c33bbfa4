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
class Attachment:
    """A file (m.file) or an image (m.image) a message carries, as the homeserver keeps it: never downloaded."""

    url: str  # mxc://…
    filename: str
    mimetype: str | None = None
    size: int | None = None


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
    attachment: Attachment | None = None  # a file or image message (`text`: its caption, or its file name)
    reply_to: str | None = None  # the event it answers (m.in_reply_to)
    thread: str | None = None  # the root of the thread it was written in: its replies go to that thread

    def member(self, user_id: str) -> Member | None:
        return next((m for m in self.members if m.user_id == user_id), None)

    def power_level(self, user_id: str | None = None) -> int:
        m = self.member(user_id or self.sender)
        return m.power_level if m else 0

    def label_of(self, user_id: str) -> str:
        """How to name someone who wrote in the room: their member label, else their id's localpart."""
        member = self.member(user_id)
        return member.label if member else user_id[1:].split(":", 1)[0]


@dataclass(frozen=True)
class Reaction:
    """An annotation (m.reaction) on a message, or its withdrawal (`removed`: the reaction was redacted; then
    `event_id` is the redaction's, `target` the reaction's, and `key` is unknown)."""

    event_id: str
    time: datetime
    sender: str
    room_id: str
    key: str = ""
    target: str = ""  # the event reacted to (a withdrawal: the reaction withdrawn)
    members: tuple[Member, ...] = ()
    removed: bool = False

    def power_level(self, user_id: str | None = None) -> int:
        member = next((m for m in self.members if m.user_id == (user_id or self.sender)), None)
        return member.power_level if member else 0


# The bot_state keys under which the chat layer keeps the event id of a message sent with `remember=key`, and
# the key of a message by its event id.
def sent_key(key: str) -> str:
    return f"sent:{key}"


def sent_event_key(event_id: str) -> str:
    return f"sent-event:{event_id}"


# ---- effects: what a handler asks the chat layer to do -------------------------------------

@dataclass(frozen=True)
class Reply:
    """A notice in the same room, as a reply to the command. `remember`: a key under which the chat layer
    keeps the event id it gets (for a later `Edit`, and to know what a reaction answers: `sent_key`)."""

    content: Rendered
    mentions: tuple[str, ...] = ()
    remember: str | None = None


@dataclass(frozen=True)
class Notice:
    """A notice in a room (not a reply): reminders, minutes."""

    room_id: str
    content: Rendered
    mentions: tuple[str, ...] = ()
    remember: str | None = None  # as Reply's


@dataclass(frozen=True)
class Edit:
    """Replace the content of a message sent earlier with `remember=key` (m.replace); nothing when it was never
    sent (or its event id is unknown)."""

    room_id: str
    key: str
    content: Rendered


@dataclass(frozen=True)
class React:
    """Acknowledge the command with a reaction instead of a reply."""

    key: str = "✅"


@dataclass(frozen=True)
class DirectMessage:
    user_id: str
    content: Rendered
    # Other rooms it is about (a mobilisation's relaying rooms): a member of one of them may get it too
    # (bot/dm_guard.py); by default only members of the room the command or job is about.
    rooms: tuple[str, ...] = ()


@dataclass(frozen=True)
class File:
    """A file posted in the room (e.g. an .ics calendar). With `url`, a file already on the homeserver (mxc://),
    posted again as is: no upload, `data` unused; `room_id`: another room than the command's or job's."""

    filename: str
    mimetype: str
    data: bytes
    caption: Rendered | None = None
    url: str | None = None
    room_id: str | None = None
    size: int | None = None


@dataclass(frozen=True)
class Email:
    """An e-mail (plain text and HTML parts) about a room, sent by the bot layer (bot/mailer.py) with the
    `[email]` configuration; tried again with back-off, and its failure told to the room's coordinators, in `lang`."""

    room_id: str
    to: str
    subject: str
    content: Rendered
    lang: str = "fr"


Effect = Reply | Notice | React | DirectMessage | File | Edit | Email


@dataclass
class Effects:
    """Collects effects while a handler runs."""

    items: list[Effect] = field(default_factory=list)

    def add(self, effect: Effect) -> None:
        self.items.append(effect)
