"""A real Matrix user for end-to-end tests: a plain nio client with a background sync loop that records
every timeline event it sees, plus waits that fail with a readable list of what did arrive.

Events are nio events; tests read `event.source["content"]` (body, msgtype, formatted_body, m.relates_to).
With `store_path`, the client encrypts like Element would: it sends encrypted in encrypted rooms (sharing
room keys with every device, verified or not), decrypts what it receives, and keeps its keys in that directory.

Waits look at everything seen since `start()`, not only at what arrives after the call, so a reply that
lands before the test starts waiting is not missed; match on something unique (or use `wait_reply`).
"""
from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from typing import Any

from nio import AsyncClient, AsyncClientConfig, ErrorResponse, Event, RoomPreset, SyncError, WhoamiError

# Long-poll: Synapse answers as soon as something arrives. timeout=0 would make nio spin and starve Synapse.
SYNC_TIMEOUT_MS = 1500
# Synapse's default is 10 timeline events per room per sync; a burst would come back `limited`, with a gap.
SYNC_FILTER = {"room": {"timeline": {"limit": 100}}}

Predicate = Callable[[Event], bool]
ENCRYPTION = {"type": "m.room.encryption", "state_key": "", "content": {"algorithm": "m.megolm.v1.aes-sha2"}}


class MatrixUser:
    def __init__(self, client: AsyncClient):
        self.client = client
        self.user_id: str = client.user_id
        self.password: str | None = None  # set by whoever created the account, for tests that log in again
        self.invites: list[str] = []  # room ids, in the order the invites arrived
        self._events: dict[str, list[Event]] = {}
        self._membership: dict[str, dict[str, str]] = {}  # room_id -> user_id -> membership
        self._limited: set[str] = set()  # rooms where a sync skipped events
        self._tick = asyncio.Event()  # set (and replaced) after each processed sync
        self._sync_task: asyncio.Task | None = None
        self._sync_error: str | None = None

    # -- lifecycle ---------------------------------------------------------------------------------------------

    @staticmethod
    def _client(base_url: str, user_id: str = "", store_path: str | None = None) -> AsyncClient:
        config = AsyncClientConfig(
            encryption_enabled=store_path is not None,
            store_sync_tokens=False,
            max_limit_exceeded=0,  # a 429 in tests means the dev server's rate limits are wrong: fail, don't sleep
            max_timeouts=2,  # a dead server fails the test instead of retrying forever
            request_timeout=30,
        )
        return AsyncClient(base_url, user_id, store_path=store_path or "", config=config)

    @classmethod
    async def login(cls, base_url: str, user_id: str, password: str, device_name: str = "e2e",
                    store_path: str | None = None) -> "MatrixUser":
        """With `store_path` (an existing directory), an encrypting client."""
        client = cls._client(base_url, user_id, store_path)
        resp = await client.login(password=password, device_name=device_name)
        if isinstance(resp, ErrorResponse):
            await client.close()
            raise AssertionError(f"login as {user_id} failed: {resp.message} ({resp.status_code})")
        if store_path is not None and client.olm is None:
            raise AssertionError(f"{user_id}: encryption did not load (is matrix-nio[e2e] installed?)")
        return cls(client)

    @classmethod
    async def from_token(cls, base_url: str, access_token: str) -> "MatrixUser":
        client = cls._client(base_url)
        client.access_token = access_token
        who = await client.whoami()
        if isinstance(who, WhoamiError):
            await client.close()
            raise AssertionError(f"access token refused: {who.message}")
        client.restore_login(who.user_id, who.device_id or "", access_token)
        return cls(client)

    async def start(self) -> None:
        """First sync inline (so a bad token fails here), then keep syncing in the background."""
        await self._sync_once()
        self._sync_task = asyncio.create_task(self._sync_loop(), name=f"sync {self.user_id}")

    async def close(self) -> None:
        if self._sync_task is not None:
            self._sync_task.cancel()
            try:
                await self._sync_task
            except (asyncio.CancelledError, Exception):
                pass
        await self.client.close()

    async def _sync_loop(self) -> None:
        while True:
            await self._sync_once()

    async def _sync_once(self) -> None:
        resp = await self.client.sync(timeout=SYNC_TIMEOUT_MS, sync_filter=SYNC_FILTER)
        if isinstance(resp, SyncError):
            self._sync_error = f"{resp.status_code}: {resp.message}"
            await asyncio.sleep(0.5)
            return
        for room_id, info in (*resp.rooms.join.items(), *resp.rooms.leave.items()):
            for event in info.state:
                self._track_membership(room_id, event)
            # A room's first timeline is always `limited` (history before it); later ones mean a real gap.
            if info.timeline.limited and room_id in self._events:
                self._limited.add(room_id)
            for event in info.timeline.events:
                self._track_membership(room_id, event)
                self._events.setdefault(room_id, []).append(event)
        for room_id in resp.rooms.invite:
            self.invites.append(room_id)
        if self.client.olm is not None:
            await self._keys()
        self._tick.set()
        self._tick = asyncio.Event()

    async def _keys(self) -> None:
        """What nio's sync_forever does after a sync: keys uploaded, devices queried, sessions claimed."""
        c = self.client
        if c.should_upload_keys:
            await c.keys_upload()
        if c.should_query_keys:
            await c.keys_query()
        if c.should_claim_keys:
            await c.keys_claim(c.get_users_for_key_claiming())
        await c.send_to_device_messages()

    def _track_membership(self, room_id: str, event: Event) -> None:
        src = getattr(event, "source", {})
        if src.get("type") == "m.room.member" and "state_key" in src:
            membership = src.get("content", {}).get("membership")
            self._membership.setdefault(room_id, {})[src["state_key"]] = membership

    # -- actions -----------------------------------------------------------------------------------------------

    def _ok(self, resp: Any, what: str) -> Any:
        if isinstance(resp, ErrorResponse):
            raise AssertionError(f"{self.user_id}: {what} failed: {resp.message} ({resp.status_code})")
        return resp

    async def create_room(
        self,
        invite: Iterable[str] = (),
        name: str | None = None,
        power_levels: dict[str, int] | None = None,
        public: bool = False,
        room_version: str | None = None,
        encrypted: bool = False,
    ) -> str:
        """`power_levels` maps user ids to levels. From room version 12 (Synapse's default) the creator has
        unlimited power and must NOT be listed; in older versions it is listed at 100 unless given."""
        override = None
        if power_levels:
            users = dict(power_levels)
            if room_version is not None and room_version.isdigit() and int(room_version) < 12:
                users.setdefault(self.user_id, 100)
            override = {"users": users}
        resp = await self.client.room_create(
            name=name,
            invite=list(invite),
            preset=RoomPreset.public_chat if public else RoomPreset.private_chat,
            power_level_override=override,
            room_version=room_version,
            initial_state=[ENCRYPTION] if encrypted else (),
        )
        return self._ok(resp, "room_create").room_id

    async def join(self, room_id: str) -> str:
        return self._ok(await self.client.join(room_id), f"join {room_id}").room_id

    async def invite(self, room_id: str, user_id: str) -> None:
        self._ok(await self.client.room_invite(room_id, user_id), f"invite {user_id} to {room_id}")

    async def leave(self, room_id: str) -> None:
        self._ok(await self.client.room_leave(room_id), f"leave {room_id}")

    async def send(
        self,
        room_id: str,
        body: str,
        formatted_body: str | None = None,
        mentions: list[str] | None = None,
        reply_to: str | None = None,
        msgtype: str = "m.text",
    ) -> str:
        """Send a message; returns its event_id."""
        content: dict[str, Any] = {"msgtype": msgtype, "body": body}
        if formatted_body is not None:
            content |= {"format": "org.matrix.custom.html", "formatted_body": formatted_body}
        if mentions is not None:
            content["m.mentions"] = {"user_ids": list(mentions)}
        if reply_to is not None:
            content["m.relates_to"] = {"m.in_reply_to": {"event_id": reply_to}}
        return await self.send_event(room_id, "m.room.message", content)

    async def react(self, room_id: str, event_id: str, key: str) -> str:
        content = {"m.relates_to": {"rel_type": "m.annotation", "event_id": event_id, "key": key}}
        return await self.send_event(room_id, "m.reaction", content)

    async def send_event(self, room_id: str, event_type: str, content: dict) -> str:
        # In an encrypted room, keys go to every member's devices, verified or not (as Element does).
        resp = await self.client.room_send(room_id, event_type, content, ignore_unverified_devices=True)
        return self._ok(resp, f"send {event_type} to {room_id}").event_id

    # -- what was seen -----------------------------------------------------------------------------------------

    def events(self, room_id: str) -> list[Event]:
        """Every timeline event seen in the room, in order (state, messages, reactions...)."""
        return list(self._events.get(room_id, []))

    def messages(self, room_id: str) -> list[Event]:
        """The m.room.message events seen in the room, in order (whatever the msgtype)."""
        return [e for e in self._events.get(room_id, []) if _type(e) == "m.room.message"]

    def membership(self, room_id: str, user_id: str) -> str | None:
        return self._membership.get(room_id, {}).get(user_id)

    # -- waits -------------------------------------------------------------------------------------------------

    async def wait_event(
        self, predicate: Predicate, timeout: float = 15.0, *, room_id: str | None = None, what: str = "an event"
    ) -> Event:
        """The first timeline event (of any type) matching `predicate`, seen before or after this call."""

        def find() -> Event | None:
            rooms = [room_id] if room_id else list(self._events)
            for rid in rooms:
                for event in self._events.get(rid, []):
                    if predicate(event):
                        return event
            return None

        return await self._wait(find, what, timeout)

    async def wait_for(
        self, predicate: Predicate, timeout: float = 15.0, *, room_id: str | None = None, sender: str | None = None
    ) -> Event:
        """A room message (m.text, m.notice, ...) matching `predicate`."""
        return await self.wait_event(
            lambda e: _type(e) == "m.room.message" and (sender is None or e.sender == sender) and predicate(e),
            timeout, room_id=room_id, what=f"a message{f' from {sender}' if sender else ''} matching {_name(predicate)}",
        )

    async def wait_reply(self, room_id: str, event_id: str, sender: str | None = None, timeout: float = 15.0) -> Event:
        """A message in `room_id` whose m.relates_to.m.in_reply_to.event_id is `event_id`."""
        return await self.wait_event(
            lambda e: _type(e) == "m.room.message"
            and (sender is None or e.sender == sender)
            and _relates_to(e).get("m.in_reply_to", {}).get("event_id") == event_id,
            timeout, room_id=room_id, what=f"a reply to {event_id}{f' from {sender}' if sender else ''}",
        )

    async def wait_reaction(
        self, room_id: str, event_id: str, key: str | None = None, sender: str | None = None, timeout: float = 15.0
    ) -> Event:
        """An m.reaction annotating `event_id` (optionally with this key / from this sender)."""

        def match(e: Event) -> bool:
            rel = _relates_to(e)
            return (
                _type(e) == "m.reaction"
                and rel.get("rel_type") == "m.annotation"
                and rel.get("event_id") == event_id
                and (key is None or rel.get("key") == key)
                and (sender is None or e.sender == sender)
            )

        return await self.wait_event(match, timeout, room_id=room_id, what=f"a reaction {key or ''} to {event_id}")

    async def wait_joined(self, room_id: str, user_id: str | None = None, timeout: float = 15.0) -> None:
        """Until `user_id` (default: this user) is joined to the room, as seen by this user's sync."""
        user_id = user_id or self.user_id
        await self._wait(
            lambda: True if self.membership(room_id, user_id) == "join" else None,
            f"{user_id} to join {room_id}",
            timeout,
        )

    async def wait_invite(self, room_id: str | None = None, timeout: float = 15.0) -> str:
        """An invite to `room_id` (or to any room); returns the room id."""
        return await self._wait(
            lambda: next((r for r in self.invites if room_id in (None, r)), None),
            f"an invite to {room_id or 'any room'}", timeout,
        )

    async def _wait(self, find: Callable[[], Any], what: str, timeout: float) -> Any:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            tick = self._tick
            found = find()
            if found is not None:
                return found
            if self._sync_task is None or self._sync_task.done():
                raise AssertionError(f"{self.user_id} is not syncing ({self._sync_failure()}) while waiting for {what}")
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(
                    f"{self.user_id}: nothing after {timeout:g}s waiting for {what}.\n{self.describe()}"
                )
            try:
                await asyncio.wait_for(tick.wait(), remaining)
            except TimeoutError:
                pass

    def _sync_failure(self) -> str:
        task = self._sync_task
        if task is None:
            return "start() was not called"
        if task.done() and not task.cancelled() and task.exception():
            return f"sync loop died: {task.exception()!r}"
        return "sync loop stopped"

    def describe(self, last: int = 30) -> str:
        """What this user has seen, for failure messages."""
        lines = []
        for room_id, events in self._events.items():
            gap = " (a sync skipped events here)" if room_id in self._limited else ""
            lines.append(f"  {room_id}{gap}:")
            for e in events[-last:]:
                lines.append(f"    {_short(e)}")
        if self._sync_error:
            lines.append(f"  last sync error: {self._sync_error}")
        return "received:\n" + ("\n".join(lines) if lines else "  (no room events)")


def _type(event: Event) -> str | None:
    return getattr(event, "source", {}).get("type")


def _relates_to(event: Event) -> dict:
    rel = getattr(event, "source", {}).get("content", {}).get("m.relates_to")
    return rel if isinstance(rel, dict) else {}


def _name(predicate: Predicate) -> str:
    return getattr(predicate, "__name__", repr(predicate))


def _short(event: Event) -> str:
    src = getattr(event, "source", {})
    content = src.get("content", {})
    kind = src.get("type")
    if kind == "m.room.message":
        detail = f"{content.get('msgtype')}: {content.get('body', '')!r}"[:160]
        if reply := _relates_to(event).get("m.in_reply_to", {}).get("event_id"):
            detail += f" (reply to {reply})"
    elif kind == "m.reaction":
        rel = _relates_to(event)
        detail = f"{rel.get('key')!r} on {rel.get('event_id')}"
    elif kind == "m.room.member":
        detail = f"{src.get('state_key')} → {content.get('membership')}"
    else:
        detail = ""
    return f"{src.get('event_id')} {src.get('sender')} {kind} {detail}".rstrip()
