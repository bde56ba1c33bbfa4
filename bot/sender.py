"""Effects → Matrix events. Notices carry a plain `body` and an HTML `formatted_body`.

429s are honoured by nio itself (it sleeps `retry_after_ms` and retries), so nothing is dropped under
rate limiting. A send the homeserver refuses raises `SendFailed` (`permanent` for a 4xx: sending again
would not help); an unreachable homeserver raises nio's connection errors: bot/app.py sends again from the
outbox (storage/outbox.py) with back-off until the homeserver has accepted every event of a row.

Idempotent sends: with a `txn`, every event of an effect is sent with a transaction id derived from it
(`<txn>.<part>`), so sending the same outbox row twice (a crash between "sent" and "marked sent") posts
each event once: the homeserver recognises the transaction id of the same device and answers with the
event it already made. A direct message's room is remembered (bot_state `dm:<user>`), and its creation
too (`dm-pending:<user>`, and the room carries the state event DM_STATE): after a crash between creating
the room and remembering it, the room is found again instead of made twice.
"""
from __future__ import annotations

import asyncio
import base64
import html
import io
import json
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone
from typing import Any, NamedTuple

from nio import AsyncClient, ErrorResponse, RoomCreateError, RoomGetStateEventError, RoomSendError, \
    UploadResponse

from nio import Api, DownloadResponse
from nio.crypto.attachments import decrypt_attachment
from nio.exceptions import OlmUnverifiedDeviceError

from bot.crypto import apply_trust, ignore_unverified
from bot.mentions import may_ping
from handlers import i18n
from handlers.core.interface import DirectMessage, Edit, Effect, Email, File, Notice, React, Reply, sent_event_key, sent_key
from handlers.core.text import Rendered, count

log = logging.getLogger(__name__)

# Synapse refuses a whole event (PDU) over 65,536 bytes of canonical JSON: the content plus an envelope
# of ids, timestamps, depth, auth/prev event ids (more of them in a busy room), hashes and signatures,
# usually 1–3 KB. Other homeservers share the 64 KiB limit. Capping the content at 48,000 bytes leaves
# a margin of over 16 KB for that envelope whatever the room.
MAX_CONTENT_BYTES = 48_000
_LINE_SEPARATORS = len(json.dumps("\n")) - 2 + len("<br>")  # what joining two lines adds: `\n` + `<br>`


def notice_content(content: Rendered, reply_to: str | None = None, mentions: tuple[str, ...] = (),
                   thread: Thread | None = None, *, declare: bool = True) -> dict:
    """`declare`: an empty `m.mentions` for a message mentioning nobody (bot/mentions.py says when it is
    needed); a message with mentions always carries them."""
    body = {
        "msgtype": "m.notice",
        "body": content.plain,
        "format": "org.matrix.custom.html",
        "formatted_body": content.html,
    }
    if mentions or declare:
        # Intentional mentions: only the listed users are pinged, never by accident.
        body["m.mentions"] = {"user_ids": list(mentions)} if mentions else {}
    if thread is not None:
        body["m.relates_to"] = thread.relation(reply_to)
    elif reply_to:
        body["m.relates_to"] = {"m.in_reply_to": {"event_id": reply_to}}
    return body


class Thread(NamedTuple):
    """The thread a command was written in: its replies go there (MSC3440)."""

    root: str
    command: str  # the command's event: what a client without threads shows each part replying to

    def relation(self, reply_to: str | None) -> dict:
        # The first part replies to the command; the others are in the thread, with a fallback reply.
        return {"rel_type": "m.thread", "event_id": self.root, "is_falling_back": reply_to is None,
                "m.in_reply_to": {"event_id": reply_to or self.command}}


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
                   reply_to: str | None = None, mentions: tuple[str, ...] = (),
                   thread: Thread | None = None) -> list[Rendered]:
    """A message too big for one event becomes several, cut between lines of the plain text.

    Sizes are those of the final event content (with the reply or thread relation and mentions), so no part is
    refused. A line too big for an event on its own is cut, with a marker saying so in `lang`. The parts
    keep the text but lose the rich formatting (cutting HTML could leave tags open).
    """
    if content_size(notice_content(content, reply_to, mentions, thread)) <= limit:
        return [content]
    # Every part is measured as if it carried the reply and mentions: only the first does, the margin is small.
    room = limit - content_size(notice_content(_plain(""), reply_to, mentions, thread))
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

# A state event in each direct-message room Relais creates, naming the person it is for.
DM_STATE = "org.relais.direct"
ENCRYPTION_STATE = {"type": "m.room.encryption", "state_key": "", "content": {"algorithm": "m.megolm.v1.aes-sha2"}}
DM_SYNC_WAIT_S = 30.0
FILE_KEY = "file-key:"  # bot_state: the decryption info of an encrypted attachment, by its mxc:// url


class SendFailed(Exception):
    """The homeserver refused an event (or a room creation). `permanent`: a 4xx other than 429 — the same
    request would be refused again (not in the room, event too big…); otherwise (5xx) it may pass later."""

    def __init__(self, message: str, *, permanent: bool) -> None:
        super().__init__(message)
        self.permanent = permanent


def _failed(resp: ErrorResponse, what: str) -> SendFailed:
    status = getattr(getattr(resp, "transport_response", None), "status", None)
    permanent = isinstance(status, int) and 400 <= status < 500 and status != 429
    return SendFailed(f"{what} failed: {resp.message} ({resp.status_code}, HTTP {status})", permanent=permanent)


# ---- effects as JSON, for the outbox ---------------------------------------------------------------

def _rendered(content: Rendered) -> dict[str, str]:
    return {"plain": content.plain, "html": content.html}


def _from_rendered(data: dict[str, str]) -> Rendered:
    return Rendered(data["plain"], data["html"])


def delivery_lane(room_id: str, effect: dict[str, Any]) -> tuple[str, str]:
    """Where an outbox row (`effect_to_json`'s form) goes: a member's direct messages, an e-mail address, or a
    room (the row's own unless the effect names another). Rows of one lane are sent in order."""
    match effect["kind"]:
        case "direct":
            return "direct", effect["user_id"]
        case "email":
            return "email", effect["to"]
    return "room", effect.get("room_id") or room_id


def addressed(row: dict[str, Any], thread: str | None, addressee: str | None = None) -> dict[str, Any]:
    """An outbox row's effect addressed as an answer to a command: a reply, or a file for the room, goes to the
    command's thread; a reply also keeps the command's sender (`addressee`, whom it may ping: bot/mentions.py)."""
    if addressee and row["kind"] == "reply":
        row = {**row, "addressee": addressee}
    if thread and (row["kind"] == "reply" or (row["kind"] == "file" and not row.get("room_id"))):
        return {**row, "thread": thread}
    return row


def effect_to_json(effect: Effect) -> dict[str, Any]:
    """An effect as a JSON-ready dict (an outbox row); `effect_from_json` reads it back."""
    match effect:
        case Reply(content, mentions, remember):
            return {"kind": "reply", "content": _rendered(content), "mentions": list(mentions),
                    **({"remember": remember} if remember else {})}
        case Notice(target, content, mentions, remember):
            return {"kind": "notice", "room_id": target, "content": _rendered(content), "mentions": list(mentions),
                    **({"remember": remember} if remember else {})}
        case Edit(target, key, content):
            return {"kind": "edit", "room_id": target, "key": key, "content": _rendered(content)}
        case React(key):
            return {"kind": "react", "key": key}
        case DirectMessage(user_id, content, rooms):
            return {"kind": "direct", "user_id": user_id, "content": _rendered(content),
                    **({"rooms": list(rooms)} if rooms else {})}
        case Email(target, to, subject, content, lang):
            return {"kind": "email", "room_id": target, "to": to, "subject": subject, "content": _rendered(content),
                    "lang": lang}
        case File(filename, mimetype, data, caption, url, target, size):
            return {"kind": "file", "filename": filename, "mimetype": mimetype,
                    "data": base64.b64encode(data).decode("ascii"),
                    "caption": _rendered(caption) if caption is not None else None,
                    **({"url": url, "room_id": target, "size": size} if url else {})}
    raise TypeError(f"not an effect: {effect!r}")


def effect_from_json(data: dict[str, Any]) -> Effect:
    match data.get("kind"):
        case "reply":
            return Reply(_from_rendered(data["content"]), tuple(data.get("mentions", ())), data.get("remember"))
        case "notice":
            return Notice(data["room_id"], _from_rendered(data["content"]), tuple(data.get("mentions", ())),
                          data.get("remember"))
        case "edit":
            return Edit(data["room_id"], data["key"], _from_rendered(data["content"]))
        case "react":
            return React(data["key"])
        case "direct":
            return DirectMessage(data["user_id"], _from_rendered(data["content"]), tuple(data.get("rooms", ())))
        case "email":
            return Email(data["room_id"], data["to"], data["subject"], _from_rendered(data["content"]),
                         data.get("lang", "fr"))
        case "file":
            caption = data.get("caption")
            return File(data["filename"], data["mimetype"], base64.b64decode(data["data"]),
                        _from_rendered(caption) if caption else None, data.get("url"), data.get("room_id"),
                        data.get("size"))
    raise ValueError(f"unknown effect kind {data.get('kind')!r}")


async def _default_language(_room_id: str) -> str:
    return i18n.DEFAULT_LANGUAGE


class _Txn:
    """Transaction ids of one effect's events: `<stem>.<n>`, n counting the events in the order they are
    sent (the same order every time the effect is sent). No stem: nio picks random ids."""

    def __init__(self, stem: str | None) -> None:
        self.stem = stem
        self.n = 0

    def next(self) -> str | None:
        if self.stem is None:
            return None
        self.n += 1
        return f"relais.{self.stem}.{self.n}"


class Sender:
    def __init__(self, client: AsyncClient, state, language: Language | None = None, *, trust: str = "all",
                 encrypt_dms: bool = False) -> None:
        self.client = client
        # End-to-end encryption (bot/crypto.py): nio encrypts room_send in an encrypted room when its olm
        # is loaded; `trust` decides which devices get the room key; `encrypt_dms`: DM rooms made encrypted.
        self.trust = trust
        self.encrypt_dms = encrypt_dms
        self.state = state  # bot_state repository: remembers each person's DM room
        # A room's language, for the rare marker on a cut line; only looked up when a line is cut.
        self.language = language or _default_language
        self._dm_locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self.mailer = None  # bot/mailer.py's Mailer, when config.toml has an [email] section

    async def perform(self, effect: Effect, room_id: str, event_id: str | None, txn: str | None = None,
                      thread: str | None = None, addressee: str | None = None) -> None:
        """Send one effect. Raises SendFailed when the homeserver refuses it, nio's connection errors when
        it cannot be reached. With `txn`, sending the same effect again posts nothing twice. With `thread`
        (the root of the thread the command `event_id` was written in), replies and files go to that thread.
        `addressee`: the sender of `event_id`, whom a reply may ping (bot/mentions.py)."""
        ids = _Txn(txn)
        replies_in = Thread(thread, event_id) if thread and event_id else None
        match effect:
            case Reply(content, mentions, remember):
                sent = await self.notice(room_id, content, reply_to=event_id, mentions=mentions, txn=ids,
                                         thread=replies_in, addressee=addressee)
                await self._remember(remember, sent)
            case Notice(target, content, mentions, remember):
                sent = await self.notice(target, content, mentions=mentions, lang_of=room_id, txn=ids)
                await self._remember(remember, sent)
            case Edit(target, key, content):
                await self.edit(target, key, content, txn=ids)
            case React(key):
                await self.react(room_id, event_id, key, txn=ids)
            case DirectMessage(user_id, content):
                await self.direct(user_id, content, lang_of=room_id, txn=ids)
            case File():
                await self.file(effect.room_id or room_id, effect, txn=ids,
                                thread=None if effect.room_id else replies_in)
            case Email():
                await self.email(effect)

    async def email(self, effect: Email) -> None:
        """Through the mailer, tried again with back-off; a failure is told in the room (to its coordinators)."""
        from handlers.digest import email_failed

        async def report(reason: str) -> None:
            await self.notice(effect.room_id, email_failed(effect.lang, effect.to, reason))

        if self.mailer is None:
            log.warning("e-mail to %s for %s not sent: config.toml has no [email] section", effect.to, effect.room_id)
            await report("no [email] section in the configuration" if effect.lang == "en"
                         else "pas de section [email] dans la configuration")
            return
        await self.mailer.deliver(effect, report)

    async def notice(self, room_id: str, content: Rendered, reply_to: str | None = None,
                     mentions: tuple[str, ...] = (), lang_of: str | None = None, txn: _Txn | None = None,
                     thread: Thread | None = None, addressee: str | None = None) -> str | None:
        """Send `content`, in several events if it is too big; `lang_of` is the room whose language
        marks a cut line (the room the text was written for, e.g. a DM's origin); `addressee`: the sender of
        `reply_to`, whom the reply may ping by name."""
        txn = txn or _Txn(None)
        first = None
        for i, part in enumerate(await self._parts(content, reply_to, mentions, lang_of or room_id, thread)):
            # Only the first part is the reply and carries the mentions.
            named = mentions if i == 0 else ()
            spared = addressee if i == 0 and reply_to else None
            event_id = await self._send(room_id, "m.room.message",
                                        notice_content(part, reply_to if i == 0 else None, named, thread,
                                                       declare=bool(named) or self._may_ping(room_id, part.plain,
                                                                                             spared)),
                                        txn.next())
            first = first or event_id
        return first

    async def _remember(self, key: str | None, event_id: str | None) -> None:
        """Keep the event id of a message sent with `remember` (both ways: handlers/core/interface.py)."""
        if key and event_id:
            await self.state.set_many({sent_key(key): event_id, sent_event_key(event_id): key})

    async def edit(self, room_id: str, key: str, content: Rendered, txn: _Txn | None = None) -> None:
        """Replace the message remembered under `key` (m.replace); nothing if it was never sent."""
        original = await self.state.get(sent_key(key))
        if not original:
            log.info("edit of %s skipped: its message was never sent", key)
            return
        new = notice_content(content, declare=self._may_ping(room_id, content.plain))
        body = {**new, "body": "* " + content.plain, "formatted_body": "* " + content.html, "m.new_content": new,
                "m.relates_to": {"rel_type": "m.replace", "event_id": original}}
        await self._send(room_id, "m.room.message", body, (txn or _Txn(None)).next())

    def _may_ping(self, room_id: str, body: str, addressee: str | None = None) -> bool:
        return may_ping(body, self.client.rooms.get(room_id), self.client.user_id, addressee)

    async def _parts(self, content: Rendered, reply_to: str | None, mentions: tuple[str, ...],
                     lang_of: str, thread: Thread | None = None) -> list[Rendered]:
        if content_size(notice_content(content, reply_to, mentions, thread)) <= MAX_CONTENT_BYTES:
            return [content]  # the common case: no language lookup
        lang = await self._language(lang_of)
        return split_for_size(content, lang=lang, reply_to=reply_to, mentions=mentions, thread=thread)

    async def _language(self, room_id: str) -> str:
        try:
            return await self.language(room_id)
        except Exception:  # a marker in the default language beats a lost reply
            log.warning("language of %s unknown; cut lines are marked in %s", room_id, i18n.DEFAULT_LANGUAGE,
                        exc_info=True)
            return i18n.DEFAULT_LANGUAGE

    async def react(self, room_id: str, event_id: str | None, key: str, txn: _Txn | None = None) -> None:
        if event_id:
            relates = {"m.relates_to": {"rel_type": "m.annotation", "event_id": event_id, "key": key}}
            await self._send(room_id, "m.reaction", relates, (txn or _Txn(None)).next())

    async def direct(self, user_id: str, content: Rendered, lang_of: str | None = None,
                     txn: _Txn | None = None) -> None:
        room_id = await self.dm_room(user_id)
        await self.notice(room_id, content, lang_of=lang_of, txn=txn)

    async def dm_room(self, user_id: str) -> str:
        """One DM room per person, created on first use and reused afterwards. Raises SendFailed when the
        homeserver refuses to create it."""
        async with self._dm_locks[user_id]:  # two messages to the same person at once: one room
            key, pending = f"dm:{user_id}", f"dm-pending:{user_id}"
            room_id = await self.state.get(key)
            if room_id and room_id in self.client.rooms:
                return room_id
            if await self.state.get(pending):  # a creation was under way when the bot stopped
                found = await self._find_dm(user_id)
                if found:
                    log.info("found the direct-message room with %s created before a restart", user_id)
                    await self.state.set_many({key: found, pending: None})
                    return found
            await self.state.set(pending, datetime.now(timezone.utc).isoformat())
            initial_state = [{"type": DM_STATE, "state_key": "", "content": {"user_id": user_id}}]
            encrypted = self.encrypt_dms and self.client.olm is not None and await self._has_keys(user_id)
            if encrypted:
                initial_state.append(ENCRYPTION_STATE)
            resp = await self.client.room_create(is_direct=True, invite=[user_id], initial_state=initial_state)
            if isinstance(resp, RoomCreateError):
                raise _failed(resp, f"opening a DM with {user_id}")
            await self.state.set_many({key: resp.room_id, pending: None})
            if encrypted:
                await self._until_invited(resp.room_id, user_id)
            return resp.room_id

    async def _has_keys(self, user_id: str) -> bool:
        """Whether the person has a device that can decrypt (keys uploaded): as Element does, a DM is encrypted
        only then, so a person whose client cannot decrypt still reads the bot's messages."""
        method, path, data = Api.keys_query(self.client.access_token, {user_id})
        async with await self.client.send(method, path, data, headers={"Content-Type": "application/json"}) as resp:
            if resp.status != 200:
                raise SendFailed(f"querying the devices of {user_id} failed (HTTP {resp.status})",
                                 permanent=False)
            devices = (await resp.json()).get("device_keys", {}).get(user_id) or {}
        return bool(devices)

    async def _until_invited(self, room_id: str, user_id: str) -> None:
        """A new encrypted room: the first message waits until the sync loop shows the room with its invitee
        (nio encrypts only for the members it knows, and refuses a room it has not synced yet)."""
        for _ in range(int(DM_SYNC_WAIT_S / 0.1)):
            room = self.client.rooms.get(room_id)
            if room is not None and user_id in room.users:
                return
            await asyncio.sleep(0.1)
        raise SendFailed(f"the new DM room {room_id} with {user_id} did not show up in a sync", permanent=False)

    async def _find_dm(self, user_id: str) -> str | None:
        """A room Relais created for direct messages with `user_id` (its DM_STATE names them)."""
        for room in list(self.client.rooms.values()):
            if user_id not in room.users or room.member_count > 2:
                continue
            resp = await self.client.room_get_state_event(room.room_id, DM_STATE, "")
            if not isinstance(resp, RoomGetStateEventError) and resp.content.get("user_id") == user_id:
                return room.room_id
        return None

    async def file(self, room_id: str, effect: File, txn: _Txn | None = None, thread: Thread | None = None) -> None:
        txn = txn or _Txn(None)
        if effect.url:  # already on the homeserver (a tract posted in the room): the same content, no upload
            media, size = await self._media(room_id, effect), effect.size
        else:
            media = await self._upload(effect.data, effect.mimetype, effect.filename,
                                       encrypt=self._encrypted(room_id))
            size = len(effect.data)
        if effect.caption:
            await self.notice(room_id, effect.caption, txn=txn, thread=thread)
        info = {"mimetype": effect.mimetype, **({"size": size} if size is not None else {})}
        await self._send(room_id, "m.room.message", {
            "msgtype": "m.image" if effect.mimetype.startswith("image/") else "m.file",
            "body": effect.filename, "filename": effect.filename, **media, "info": info,
            **({"m.relates_to": thread.relation(None)} if thread else {})}, txn.next())

    async def _upload(self, data: bytes, mimetype: str, filename: str, *, encrypt: bool) -> dict:
        """Uploaded → how the event points at it. Encrypted, the key goes under `file` (inside the encrypted
        event): the homeserver only ever stores ciphertext."""
        upload, keys = await self.client.upload(
            io.BytesIO(data), content_type="application/octet-stream" if encrypt else mimetype, filename=filename,
            encrypt=encrypt, filesize=len(data))
        if not isinstance(upload, UploadResponse):
            if isinstance(upload, ErrorResponse):
                raise _failed(upload, f"upload of {filename}")
            raise SendFailed(f"upload of {filename} failed: {upload!r}", permanent=False)
        return {"file": {**keys, "url": upload.content_uri}} if encrypt else {"url": upload.content_uri}

    async def remember_file_key(self, file: dict) -> None:
        """An encrypted attachment seen in a room: its key, kept to post the same file again (`_media`)."""
        await self.state.set(FILE_KEY + file["url"], json.dumps(file))

    async def _media(self, room_id: str, effect: File) -> dict:
        """How the event points at a file already on the homeserver. An encrypted attachment goes with its key
        (inside the encrypted event) into an encrypted room; into a plain room, decrypted and uploaded again
        (the key must not travel in clear). A plain file is pointed at by its url anywhere."""
        stored = await self.state.get(FILE_KEY + effect.url)
        if stored is None:
            return {"url": effect.url}
        file = json.loads(stored)
        if self._encrypted(room_id):
            return {"file": file}
        resp = await self.client.download(effect.url)
        if not isinstance(resp, DownloadResponse):
            raise SendFailed(f"download of {effect.filename} failed: {getattr(resp, 'message', resp)}",
                             permanent=False)
        data = decrypt_attachment(resp.body, file["key"]["k"], file["hashes"]["sha256"], file["iv"])
        return await self._upload(data, effect.mimetype, effect.filename, encrypt=False)

    def _encrypted(self, room_id: str) -> bool:
        room = self.client.rooms.get(room_id)
        return self.client.olm is not None and room is not None and room.encrypted

    async def _send(self, room_id: str, event_type: str, content: dict, txn: str | None = None) -> str:
        extra = {"tx_id": txn} if txn else {}  # none: nio picks a random one
        try:
            resp = await self.client.room_send(room_id, event_type, content,
                                               ignore_unverified_devices=ignore_unverified(self.trust), **extra)
        except OlmUnverifiedDeviceError:  # a device new since the last key query: the trust setting decides
            apply_trust(self.client, self.trust)
            resp = await self.client.room_send(room_id, event_type, content,
                                               ignore_unverified_devices=ignore_unverified(self.trust), **extra)
        if isinstance(resp, RoomSendError):
            raise _failed(resp, f"sending {event_type} to {room_id}")
        return resp.event_id
