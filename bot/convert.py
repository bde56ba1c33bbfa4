"""nio events → the frozen Message the handlers see. The only place that reads Matrix event shapes."""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from datetime import datetime, timezone
from functools import lru_cache
from html.parser import HTMLParser
from typing import NamedTuple
from urllib.parse import unquote

from nio import MatrixRoom, RoomEncryptedFile, RoomEncryptedImage, RoomMessageFile, RoomMessageImage, RoomMessageText

from handlers.core.interface import Attachment, Member, Message
from handlers.core.router import clean_text
from handlers.dates.words import fold

_PILL = re.compile(r"^https://matrix\.to/#/(@[^/?]+)")
# What a pill's target must be once decoded: a user id, nothing that would add words to the command.
_PILL_USER = re.compile(r"@[^\s:/?#]+:[^\s/?#]+")


def event_time(event) -> datetime:
    return datetime.fromtimestamp(event.server_timestamp / 1000, tz=timezone.utc)


# From room version 12 the room's creators outrank every power level and are not listed in the
# power-levels event; nio does not know that yet, so they get this level.
CREATOR_LEVEL = 2**53


def creators_level_applies(room: MatrixRoom) -> bool:
    version = room.room_version or "1"
    return re.fullmatch("[0-9]{1,4}", version) is not None and int(version) >= 12  # creator-controlled


# What a display name may not hold: control characters and line or paragraph separators (a newline
# would split a line of the minutes) become spaces; format characters (zero-width spaces and joiners,
# byte-order marks, bidirectional overrides that show text backwards) and lone surrogates are removed.
_BREAKS = {"Cc", "Zl", "Zp"}
_INVISIBLE = {"Cf", "Cs"}


def clean_name(name: object) -> str | None:
    """A display name as Relais shows it: no invisible or control characters, one space between words.
    None when nothing visible is left (the member is then named by their localpart)."""
    return _clean_name(name) if isinstance(name, str) and name else None


@lru_cache(maxsize=65536)
def _clean_name(name: str) -> str | None:
    if not (name.isascii() and name.isprintable()):
        name = "".join(" " if cat in _BREAKS else "" if cat in _INVISIBLE else c
                       for c in unicodedata.normalize("NFC", name) for cat in [unicodedata.category(c)])
    return " ".join(name.split()) or None


@lru_cache(maxsize=65536)
def _name_key(shown: str) -> str:
    """Names that would be taken for one another: case, accents, look-alike forms (full-width,
    mathematical letters) and spacing ignored."""
    return " ".join(fold(shown).split())


def members_of(room: MatrixRoom, creators: frozenset[str] = frozenset(),
               only: str | None = None) -> tuple[Member, ...]:
    """The room's members (or only the one given) with clean display names, each flagged when another
    member of the room shows the same name (see Member.label: the user id is then shown with it).

    Members are the joined ones: someone only invited is not a member yet (not named as a member, not a
    coordinator, never sent a direct message about the room)."""
    levels = room.power_levels
    privileged = creators if creators_level_applies(room) else frozenset()
    joined = {user_id: user for user_id, user in room.users.items() if not user.invited}

    def shown(user_id: str, user) -> str:
        return clean_name(user.display_name) or user_id[1:].split(":", 1)[0]

    if only is None:
        users = list(joined.items())
        keys = {user_id: _name_key(shown(user_id, user)) for user_id, user in users}
        counts = Counter(keys.values())
        shared = {user_id for user_id, key in keys.items() if counts[key] > 1}
    elif only in joined:
        users = [(only, joined[only])]
        key = _name_key(shown(only, joined[only]))
        shared = {only} if any(user_id != only and _name_key(shown(user_id, user)) == key
                               for user_id, user in joined.items()) else set()
    else:
        users, shared = [], set()
    return tuple(
        Member(user_id, clean_name(user.display_name),
               CREATOR_LEVEL if user_id in privileged else levels.get_user_level(user_id),
               user_id in shared)
        for user_id, user in users
    )


# The messages read: text, and files and images (a tract posted with `!tract` in its caption, handlers/mobilisations).
# In an encrypted room, files are encrypted attachments (nio's RoomEncrypted*): the mxc:// holds ciphertext, the
# key is in the event (bot/sender.py keeps it, to post the same file again).
MEDIA_TYPES = (RoomMessageFile, RoomMessageImage, RoomEncryptedFile, RoomEncryptedImage)
MESSAGE_TYPES = (RoomMessageText, *MEDIA_TYPES)


def encrypted_file(event) -> dict | None:
    """The decryption info (`file`: key, iv, hashes, url) of an encrypted attachment, else None."""
    if not isinstance(event, (RoomEncryptedFile, RoomEncryptedImage)):
        return None
    file = event.source.get("content", {}).get("file")
    return file if isinstance(file, dict) and isinstance(file.get("url"), str) else None


def attachment_of(event) -> Attachment | None:
    """The file or image an m.file / m.image carries (`url` is mxc://), else None."""
    if not isinstance(event, MEDIA_TYPES) or not str(event.url or "").startswith("mxc://"):
        return None
    content = event.source.get("content", {})
    info = content.get("info") if isinstance(content.get("info"), dict) else {}
    name = content.get("filename") if isinstance(content.get("filename"), str) else event.body
    size = info.get("size")
    return Attachment(event.url, str(name or "file")[:255], info.get("mimetype") if isinstance(
        info.get("mimetype"), str) else None, size if isinstance(size, int) and not isinstance(size, bool) else None)


def to_message(room: MatrixRoom, event: RoomMessageText, creators: frozenset[str] = frozenset(),
               *, sender_only: bool = False) -> Message:
    """sender_only: the member list holds just the sender (chatter seen by observers, in rooms of any size)."""
    content = event.source.get("content", {})
    read = command_text(event.body, content)
    declared = content.get("m.mentions", {}).get("user_ids", []) if isinstance(content.get("m.mentions"), dict) else []
    mentions = tuple(dict.fromkeys([*read.pills, *[m for m in declared if isinstance(m, str)]]))
    return Message(
        event_id=event.event_id,
        time=event_time(event),
        sender=event.sender,
        room_id=room.room_id,
        text=read.text,
        members=members_of(room, creators, only=event.sender if sender_only else None),
        mentions=mentions,
        conflicting_text=read.conflicting,
        attachment=attachment_of(event),
        reply_to=_replied(content),
        thread=thread_of(content),
    )


def thread_of(content: dict) -> str | None:
    """The root of the thread a message was written in (`rel_type: m.thread`), else None."""
    relates = content.get("m.relates_to")
    if not isinstance(relates, dict) or relates.get("rel_type") != "m.thread":
        return None
    root = relates.get("event_id")
    return root if isinstance(root, str) else None


def _replied(content: dict) -> str | None:
    relates = content.get("m.relates_to")
    if isinstance(relates, dict) and relates.get("rel_type") == "m.thread" and relates.get("is_falling_back"):
        return None  # in a thread, a reply only for clients without threads (the thread's latest event)
    reply = relates.get("m.in_reply_to") if isinstance(relates, dict) else None
    target = reply.get("event_id") if isinstance(reply, dict) else None
    return target if isinstance(target, str) else None


class CommandText(NamedTuple):
    text: str  # what a command is parsed from
    pills: list[str]  # user ids the mention pills point to
    conflicting: str | None = None  # the other text, when the HTML and the plain body say different things


def command_text(body: str, content: dict) -> CommandText:
    """The text a command is parsed from, the user ids its pills point to, and whether both texts agree.

    A mention pill shows a display name in `body`; the user id is only in `formatted_body`, so with pills
    the text is read from the HTML, pills replaced by the user id they link to; otherwise from `body`.
    Reply fallbacks ("> <@x> …" quotes in `body`, <mx-reply> in the HTML) are dropped.

    A client shows the HTML, a notification or another client the body: a command must read the same in
    both, or someone could run a command nobody sees ("Bonne soirée" in the body, "!action annuler 17" in
    the HTML). So the other text is compared (see `_same_reading`), and when they differ it is returned
    as `conflicting`: the router then runs nothing if either of them is a command.
    """
    lines = body.split("\n") if isinstance(body, str) else []
    if "m.in_reply_to" in (content.get("m.relates_to") or {}):
        while lines and lines[0].startswith(">"):
            lines.pop(0)
    plain = "\n".join(lines).strip()
    formatted = content.get("formatted_body") if content.get("format") == "org.matrix.custom.html" else None
    if not isinstance(formatted, str):
        return CommandText(plain, [])
    parser = _PillText()
    parser.feed(formatted)
    parser.close()
    html_text = parser.text().strip()
    text, other = (html_text, plain) if parser.pills else (plain, html_text)
    if _same_reading(plain, parser):
        return CommandText(text, parser.pills)
    return CommandText(text, parser.pills, clean_text(other).strip())


# Markdown a client turns into HTML: the body keeps the marks, the HTML shows the result.
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\(\s*<?[^)\s>]*>?(?:\s+\"[^\"]*\")?\s*\)")
_MD_RULE = re.compile(r"^[ \t]*(?:[-*_=][ \t]*){3,}$", re.M)
_MD_LINE_START = re.compile(r"^[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+|>[ \t]?|#{1,6}[ \t]+)*", re.M)
_MD_MARKS = re.compile(r"[*_~`\\|<>#]")


def _reading(text: str) -> str:
    """What a reader takes in: normalised as commands are, Markdown marks and line layout ignored."""
    text = clean_text(text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_RULE.sub("", text)
    text = _MD_LINE_START.sub("", text)
    return " ".join(_MD_MARKS.sub("", text).split())


def _same_reading(plain: str, html: "_PillText") -> bool:
    """Does the body say what the HTML shows? In the body a pill shows as its link text, or as the user id
    (or @ and the link text): the user ids are put back as the link text before comparing."""
    for user_id, shown in zip(html.pills, html.pill_texts):
        if shown.strip():
            plain = plain.replace(user_id, shown).replace("@" + shown, shown)
    return _reading(plain) == _reading(html.visible_text())


class _PillText(HTMLParser):
    """The text of a message's HTML: `text()` with pills as user ids, `visible_text()` as a reader sees it."""

    _HIDDEN = {"script", "style", "textarea", "option", "noscript", "template", "head", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.visible: list[str] = []
        self.pills: list[str] = []
        self.pill_texts: list[str] = []
        self._pill_text: list[str] | None = None  # inside a pill: its link text so far
        self._skip = 0  # inside <mx-reply> (the reply fallback) or an element no client shows

    def handle_starttag(self, tag, attrs):
        if tag == "mx-reply" or tag in self._HIDDEN:
            self._skip += 1
        elif self._skip:
            return
        elif tag == "a":
            match = _PILL.match(dict(attrs).get("href") or "")
            user_id = unquote(match.group(1)) if match else ""
            if _PILL_USER.fullmatch(user_id):
                self.pills.append(user_id)
                self.parts.append(user_id)
                self._pill_text = []
        elif tag == "br":
            self._add("\n")
        elif tag == "img":
            self._add(dict(attrs).get("alt") or "")

    def handle_endtag(self, tag):
        if tag == "mx-reply" or tag in self._HIDDEN:
            self._skip = max(0, self._skip - 1)
        elif self._skip:
            return
        elif tag == "a" and self._pill_text is not None:
            shown = "".join(self._pill_text)
            self.pill_texts.append(shown)
            self.visible.append(shown)
            self._pill_text = None
        elif tag in ("p", "div", "li", "blockquote", "pre", "tr") or re.fullmatch(r"h\d", tag):
            self._add("\n")

    def handle_data(self, data):
        if self._skip:
            return
        if self._pill_text is not None:
            self._pill_text.append(data)
        else:
            self._add(data)

    def _add(self, text: str) -> None:
        if self._pill_text is not None:
            self._pill_text.append(text)
            return
        self.parts.append(text)
        self.visible.append(text)

    def close(self) -> None:
        super().close()
        if self._pill_text is not None:  # an unclosed pill
            self.handle_endtag("a")

    def text(self) -> str:
        return "".join(self.parts)

    def visible_text(self) -> str:
        return "".join(self.visible)
