"""Effects → Matrix events. Notices carry a plain `body` and an HTML `formatted_body`.

429s are honoured by nio itself (it sleeps `retry_after_ms` and retries), so nothing is dropped under
rate limiting; other failures are logged, never raised into the sync loop.
"""
from __future__ import annotations

import html
import io
import json
import logging

from nio import AsyncClient, RoomCreateError, RoomSendError, UploadError, UploadResponse

from handlers.interface import DirectMessage, Effect, File, Notice, React, Reply
from handlers.text import Rendered

log = logging.getLogger(__name__)

# Synapse refuses events over 64 KiB; keep well under it (the envelope adds signatures and hashes).
MAX_CONTENT_BYTES = 48_000


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


def _size(content: Rendered) -> int:
    return len(json.dumps(notice_content(content), ensure_ascii=False).encode())


def split_for_size(content: Rendered, limit: int = MAX_CONTENT_BYTES) -> list[Rendered]:
    """A message too big for one event becomes several, cut between lines of the plain text.

    The parts keep the text but lose the rich formatting (cutting HTML could leave tags open).
    """
    if _size(content) <= limit:
        return [content]
    overhead = _size(_plain(""))
    parts: list[Rendered] = []
    lines: list[str] = []
    used = overhead
    for line in content.plain.split("\n"):
        line = line[: limit // 4]  # a single enormous line is cut rather than refused
        cost = _size(_plain(line)) - overhead + 8  # its share of body and formatted_body, with separators
        if lines and used + cost > limit:
            parts.append(_plain("\n".join(lines)))
            lines, used = [], overhead
        lines.append(line)
        used += cost
    parts.append(_plain("\n".join(lines)))
    return parts


def _plain(text: str) -> Rendered:
    return Rendered(text, html.escape(text, quote=False).replace("\n", "<br>"))


class Sender:
    def __init__(self, client: AsyncClient, state) -> None:
        self.client = client
        self.state = state  # bot_state repository: remembers each person's DM room

    async def perform(self, effect: Effect, room_id: str, event_id: str | None) -> None:
        match effect:
            case Reply(content, mentions):
                await self.notice(room_id, content, reply_to=event_id, mentions=mentions)
            case Notice(target, content, mentions):
                await self.notice(target, content, mentions=mentions)
            case React(key):
                await self.react(room_id, event_id, key)
            case DirectMessage(user_id, content):
                await self.direct(user_id, content)
            case File():
                await self.file(room_id, effect)

    async def notice(self, room_id: str, content: Rendered, reply_to: str | None = None,
                     mentions: tuple[str, ...] = ()) -> str | None:
        first = None
        for i, part in enumerate(split_for_size(content)):
            # Only the first part is the reply and carries the mentions.
            event_id = await self._send(room_id, "m.room.message",
                                        notice_content(part, reply_to if i == 0 else None,
                                                       mentions if i == 0 else ()))
            first = first or event_id
        return first

    async def react(self, room_id: str, event_id: str | None, key: str) -> None:
        if event_id:
            relates = {"m.relates_to": {"rel_type": "m.annotation", "event_id": event_id, "key": key}}
            await self._send(room_id, "m.reaction", relates)

    async def direct(self, user_id: str, content: Rendered) -> None:
        room_id = await self.dm_room(user_id)
        if room_id:
            await self.notice(room_id, content)

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
