"""Effects → Matrix events. Notices carry a plain `body` and an HTML `formatted_body`.

429s are honoured by nio itself (it sleeps `retry_after_ms` and retries), so nothing is dropped under
rate limiting; other failures are logged, never raised into the sync loop.
"""
from __future__ import annotations

import html
import io
import json
import logging
from collections.abc import Awaitable, Callable

from nio import AsyncClient, RoomCreateError, RoomSendError, UploadError, UploadResponse

from handlers import i18n
from handlers.interface import DirectMessage, Effect, File, Notice, React, Reply
from handlers.text import Rendered, count

log = logging.getLogger(__name__)

# Synapse refuses a whole event (PDU) over 65,536 bytes of canonical JSON: the content plus an envelope
# of ids, timestamps, depth, auth/prev event ids (more of them in a busy room), hashes and signatures,
# usually 1–3 KB. Other homeservers share the 64 KiB limit. Capping the content at 48,000 bytes leaves
# a margin of over 16 KB for that envelope whatever the room.
MAX_CONTENT_BYTES = 48_000
_LINE_SEPARATORS = len(json.dumps("\n")) - 2 + len("<br>")  # what joining two lines adds: `\n` + `<br>`


def notice_content(content: Rendered, reply_to: str | None = None, mentions: tuple[str, ...] = ()) -> dict:
    body = {
        "msgtype": "m.notice",
        "body": content.plain,
        "format": "org.matrix.custom.html",
        "formatted_body": content.html,
        # Intentional mentions: only the listed users are pinged, never by accident.
        "m.mentions": {"user_ids": list(mentions)} if mentions else {},
    }
    if reply_to:
        body["m.relates_to"] = {"m.in_reply_to": {"event_id": reply_to}}
    return body


def content_size(content: dict) -> int:
    """Bytes of `content` as the homeserver counts them: canonical JSON (compact, UTF-8, no \\u escapes)."""
    return len(json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass"))


def _json_len(text: str) -> int:
    """Bytes `text` takes inside a JSON string (quotes excluded): escapes and UTF-8 counted."""
    return len(json.dumps(text, ensure_ascii=False).encode("utf-8", "surrogatepass")) - 2


def _line_cost(line: str) -> int:
    """A line's bytes in the event: once raw in `body`, once HTML-escaped in `formatted_body`."""
    return _json_len(line) + _json_len(_escape(line))


def split_for_size(content: Rendered, limit: int = MAX_CONTENT_BYTES, *, lang: str = i18n.DEFAULT_LANGUAGE,
                   reply_to: str | None = None, mentions: tuple[str, ...] = ()) -> list[Rendered]:
    """A message too big for one event becomes several, cut between lines of the plain text.

    Sizes are those of the final event content (with the reply relation and mentions), so no part is
    refused. A line too big for an event on its own is cut, with a marker saying so in `lang`. The parts
    keep the text but lose the rich formatting (cutting HTML could leave tags open).
    """
    if content_size(notice_content(content, reply_to, mentions)) <= limit:
        return [content]
    # Every part is measured as if it carried the reply and mentions: only the first does, the margin is small.
    room = limit - content_size(notice_content(_plain(""), reply_to, mentions))
    parts: list[str] = []
    lines: list[str] = []
    used = 0
    for line in content.plain.split("\n"):
        cost = _line_cost(line)
        if cost > room:
            line = _truncate(line, room, lang)
            cost = _line_cost(line)
        if lines and used + _LINE_SEPARATORS + cost > room:
            parts.append("\n".join(lines))
            lines, used = [], 0
        used += cost + (_LINE_SEPARATORS if lines else 0)
        lines.append(line)
    parts.append("\n".join(lines))
    return [_plain(part) for part in parts]


def _truncate(line: str, room: int, lang: str) -> str:
    """The longest start of `line` that fits in `room` bytes followed by the marker (binary search)."""
    marker = i18n.t(lang, "reply.truncated", n=count(len(line), lang)).plain
    low, high = 0, len(line)
    while low < high:
        mid = (low + high + 1) // 2
        if _line_cost(line[:mid] + marker) <= room:
            low = mid
        else:
            high = mid - 1
    return line[:low] + marker


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def _plain(text: str) -> Rendered:
    return Rendered(text, _escape(text).replace("\n", "<br>"))


Language = Callable[[str], Awaitable[str]]


async def _default_language(_room_id: str) -> str:
    return i18n.DEFAULT_LANGUAGE


class Sender:
    def __init__(self, client: AsyncClient, state, language: Language | None = None) -> None:
        self.client = client
        self.state = state  # bot_state repository: remembers each person's DM room
        # A room's language, for the rare marker on a cut line; only looked up when a line is cut.
        self.language = language or _default_language

    async def perform(self, effect: Effect, room_id: str, event_id: str | None) -> None:
        match effect:
            case Reply(content, mentions):
                await self.notice(room_id, content, reply_to=event_id, mentions=mentions)
            case Notice(target, content, mentions):
                await self.notice(target, content, mentions=mentions, lang_of=room_id)
            case React(key):
                await self.react(room_id, event_id, key)
            case DirectMessage(user_id, content):
                await self.direct(user_id, content, lang_of=room_id)
            case File():
                await self.file(room_id, effect)

    async def notice(self, room_id: str, content: Rendered, reply_to: str | None = None,
                     mentions: tuple[str, ...] = (), lang_of: str | None = None) -> str | None:
        """Send `content`, in several events if it is too big; `lang_of` is the room whose language
        marks a cut line (the room the text was written for, e.g. a DM's origin)."""
        first = None
        for i, part in enumerate(await self._parts(content, reply_to, mentions, lang_of or room_id)):
            # Only the first part is the reply and carries the mentions.
            event_id = await self._send(room_id, "m.room.message",
                                        notice_content(part, reply_to if i == 0 else None,
                                                       mentions if i == 0 else ()))
            first = first or event_id
        return first

    async def _parts(self, content: Rendered, reply_to: str | None, mentions: tuple[str, ...],
                     lang_of: str) -> list[Rendered]:
        if content_size(notice_content(content, reply_to, mentions)) <= MAX_CONTENT_BYTES:
            return [content]  # the common case: no language lookup
        lang = await self._language(lang_of)
        return split_for_size(content, lang=lang, reply_to=reply_to, mentions=mentions)

    async def _language(self, room_id: str) -> str:
        try:
            return await self.language(room_id)
        except Exception:  # a marker in the default language beats a lost reply
            log.warning("language of %s unknown; cut lines are marked in %s", room_id, i18n.DEFAULT_LANGUAGE,
                        exc_info=True)
            return i18n.DEFAULT_LANGUAGE

    async def react(self, room_id: str, event_id: str | None, key: str) -> None:
        if event_id:
            relates = {"m.relates_to": {"rel_type": "m.annotation", "event_id": event_id, "key": key}}
            await self._send(room_id, "m.reaction", relates)

    async def direct(self, user_id: str, content: Rendered, lang_of: str | None = None) -> None:
        room_id = await self.dm_room(user_id)
        if room_id:
            await self.notice(room_id, content, lang_of=lang_of)

    async def dm_room(self, user_id: str) -> str | None:
        """One DM room per person, created on first use and reused afterwards."""
        key = f"dm:{user_id}"
        room_id = await self.state.get(key)
        if room_id and room_id in self.client.rooms:
            return room_id
        resp = await self.client.room_create(is_direct=True, invite=[user_id])
        if isinstance(resp, RoomCreateError):
            log.warning("could not open a DM with %s: %s", user_id, resp.message)
            return None
        await self.state.set(key, resp.room_id)
        return resp.room_id

    async def file(self, room_id: str, effect: File) -> None:
        upload, _ = await self.client.upload(
            io.BytesIO(effect.data), content_type=effect.mimetype, filename=effect.filename,
            filesize=len(effect.data),
        )
        if isinstance(upload, UploadError) or not isinstance(upload, UploadResponse):
            log.warning("upload of %s failed: %s", effect.filename, getattr(upload, "message", upload))
            return
        if effect.caption:
            await self.notice(room_id, effect.caption)
        await self._send(room_id, "m.room.message", {
            "msgtype": "m.file", "body": effect.filename, "filename": effect.filename, "url": upload.content_uri,
            "info": {"mimetype": effect.mimetype, "size": len(effect.data)},
        })

    async def _send(self, room_id: str, event_type: str, content: dict) -> str | None:
        resp = await self.client.room_send(room_id, event_type, content, ignore_unverified_devices=True)
        if isinstance(resp, RoomSendError):
            log.warning("sending %s to %s failed: %s", event_type, room_id, resp.message)
            return None
        return resp.event_id
