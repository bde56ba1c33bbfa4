"""Wiring: storage + Matrix client + router + sender, and the sync loop that feeds events to the router."""
from __future__ import annotations

import asyncio
import logging
import random
from datetime import datetime, timedelta

from nio import (AsyncClient, AsyncClientConfig, MegolmEvent, RoomMemberEvent, RoomMessage, RoomMessageText,
                 SyncError, SyncResponse)

from bot.config import Config
from bot.convert import command_text, creators_level_applies, event_time, members_of, to_message
from bot.dm_guard import may_send
from handlers.edits import Edits
from bot.invites import inviter_of, may_invite
from bot.scheduler import JobScheduler
from bot.sender import Sender
from bot.session import PendingState, connect
from bot.timeline import is_join_of, room_timelines
from handlers import i18n
from handlers.clock import Clock, SystemClock
from handlers.commands import jobs, registry
from handlers.interface import Message
from handlers.jobs import Job
from handlers.router import Router
from handlers.services import Services
from storage import Store, open_store
from storage.db import database_exists

log = logging.getLogger(__name__)

# Presence and account data are of no use to the bot; leaving them out keeps syncs small.
SYNC_FILTER = {
    "presence": {"not_types": ["*"]},
    "account_data": {"not_types": ["*"]},
    "room": {"timeline": {"limit": 100}, "account_data": {"not_types": ["*"]}, "ephemeral": {"not_types": ["*"]}},
}
PROCESSED_EVENTS_KEPT = timedelta(days=30)


class Relais:
    def __init__(self, config: Config, *, clock: Clock | None = None, sync_timeout_ms: int = 30_000,
                 send_concurrency: int = 30) -> None:
        self.config = config
        self.clock = clock or SystemClock()
        self.sync_timeout_ms = sync_timeout_ms
        self.store: Store | None = None
        self.client: AsyncClient | None = None
        self.router: Router | None = None
        self.scheduler: JobScheduler | None = None
        self.services: Services | None = None
        self.sender: Sender | None = None
        self.sync_token: str | None = None
        self._joined_at: dict[str, datetime | None] = {}
        self._room_creators: dict[str, frozenset[str]] = {}
        self._invited_to: set[str] = set()
        self._sends = asyncio.Semaphore(send_concurrency)
        self._tasks: set[asyncio.Task] = set()
        self._loop: asyncio.Task | None = None

    @property
    def user_id(self) -> str:
        return self.client.user_id

    async def start(self) -> None:
        # nio retries 429s after `retry_after_ms` on its own; connection errors are retried with back-off.
        nio_config = AsyncClientConfig(max_limit_exceeded=None, max_timeouts=3, request_timeout=60)
        self.client = AsyncClient(self.config.matrix.homeserver, self.config.matrix.user_id, config=nio_config)
        try:
            await self._start()
        except BaseException:  # a failed or interrupted start leaves no HTTP session or database open
            await self.stop()
            raise

    async def _log_in(self) -> None:
        """Log in, then open the store. With no database yet, the login comes first, so a wrong URL or
        password leaves no database file behind."""
        url = self.config.storage_url
        if database_exists(url):
            self.store = await open_store(url)
            await connect(self.client, self.config, self.store.state)
            return
        pending = PendingState()
        await connect(self.client, self.config, pending)
        self.store = await open_store(url)
        await self.store.state.set_many(pending.values)

    async def _start(self) -> None:
        await self._log_in()
        defaults = self.config.defaults
        self.scheduler = JobScheduler(self.config.storage_url, self.clock, self._run_job,
                                      late_grace=defaults.late_grace)
        self.services = Services(self.store, self.clock, defaults, self.scheduler, self._members,
                                 self._room_name, self.client.user_id)
        self.router = Router(registry, self.services)
        self.sender = Sender(self.client, self.store.state, language=self._language)
        await self.store.events.prune(self.clock.now() - PROCESSED_EVENTS_KEPT)
        self.sync_token = await self.store.state.get("sync_token")
        if self.sync_token is None:
            await self._first_sync()
        else:
            await self._catch_up()
        self._loop = asyncio.create_task(self._sync_forever(), name="relais-sync")
        # Started after the first sync, so jobs missed while down see the rooms and their members.
        self.scheduler.start()
        await jobs.started(self.services)  # plans what a long stop made the scheduler drop

    async def run(self) -> None:
        await self.start()
        try:
            await self._loop
        finally:
            await self.stop()

    async def stop(self) -> None:
        if self.scheduler:
            await self.scheduler.shutdown()
        if self._loop and not self._loop.done():
            self._loop.cancel()
            await asyncio.gather(self._loop, return_exceptions=True)
        if self._tasks:  # let replies already decided go out
            await asyncio.wait(list(self._tasks), timeout=10)
        if self.client:
            await self.client.close()
        if self.store:
            await self.store.close()
        self.client = self.store = None

    # ---- sync ------------------------------------------------------------------------------

    async def _sync(self, timeout_ms: int, full_state: bool = False) -> SyncResponse:
        resp = await self.client.sync(timeout=timeout_ms, since=self.sync_token, full_state=full_state,
                                      sync_filter=SYNC_FILTER)
        if isinstance(resp, SyncError):
            raise ConnectionError(f"sync error: {resp.status_code} {resp.message}")
        return resp

    async def _first_sync(self) -> None:
        """On the very first start, skip the backlog of rooms the bot is already in."""
        resp = await self._sync(0, full_state=True)
        now = self.clock.now()
        for room_id in resp.rooms.join:
            room = await self.store.rooms.get(room_id)
            if room is None or room.joined_at is None:
                await self._set_joined(room_id, now)
        await self._handle_invites(resp)
        await self._save_token(resp.next_batch)
        log.info("first sync done: %d rooms, backlog skipped", len(resp.rooms.join))

    async def _catch_up(self) -> None:
        """On a restart, one sync with every room's full state (nio keeps none across restarts), handled
        like any other: jobs missed while down then know the rooms, their members, and the DM rooms."""
        try:
            await self._process(await self._sync(0, full_state=True))
        except Exception as exc:  # the sync loop retries with back-off
            log.warning("catch-up sync failed (%s)", exc)

    async def _sync_forever(self) -> None:
        failures = 0
        while True:
            try:
                await self._process(await self._sync(self.sync_timeout_ms))
                failures = 0
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # network down, homeserver restarting…: wait and retry
                failures += 1
                delay = min(60.0, 2 ** min(failures, 6)) * (0.5 + random.random() / 2)
                log.warning("sync failed (%s); retrying in %.1fs", exc, delay)
                await asyncio.sleep(delay)

    async def _process(self, resp: SyncResponse) -> None:
        await self._handle_invites(resp)
        async for room_id, events in room_timelines(self.client, resp, self.sync_token):
            join = next((e for e in events if self._is_own_join(e)), None)
            if join is not None:  # before anything else: history from before the join is not for us
                await self._set_joined(room_id, event_time(join))
            for event in events:
                await self._on_event(room_id, event)
        # Saved only once the batch is handled: a crash before this re-reads it, and claims stop doubles.
        await self._save_token(resp.next_batch)

    async def _save_token(self, token: str) -> None:
        self.sync_token = token
        await self.store.state.set("sync_token", token)

    # ---- events ----------------------------------------------------------------------------

    async def _on_event(self, room_id: str, event) -> None:
        if isinstance(event, RoomMemberEvent):
            if self._is_own_join(event) and room_id in self._invited_to:
                self._invited_to.discard(room_id)  # greet rooms we were invited to, not our own DM rooms
                self._spawn(self.sender.notice(room_id, i18n.t(await self._language(room_id), "welcome",
                                                               p=self.config.bot.prefix)))
            return
        if isinstance(event, MegolmEvent) and event.sender != self.user_id:
            await self._say_encrypted_is_unsupported(room_id)
            return
        if (redacted := self._redacted_id(event)) is not None:
            return await self._on_redaction(room_id, event, redacted)
        if not isinstance(event, RoomMessageText) or event.sender == self.user_id:
            return  # notices (other bots included), emotes, our own messages
        content = event.source.get("content", {})
        if content.get("m.relates_to", {}).get("rel_type") == "m.replace":
            return await self._on_edit(room_id, event)  # an edit is not a new command: see handlers/edits.py
        joined_at = await self._joined(room_id)
        if joined_at is not None and event_time(event) < joined_at:
            return
        room = self.client.rooms.get(room_id)
        if room is None:
            return
        read = command_text(event.body, content)
        if not self.router.is_command(read.text, read.conflicting):
            # Observers only note things (who spoke); doing that twice is harmless, so no claim.
            effects = await self.router.observe(to_message(room, event, sender_only=True))
        elif (effects := await self._edits.command(to_message(room, event, await self._creators(room)))) is None:
            return  # already handled (gap overlap, or a re-read batch after a crash)
        self._perform(effects, room_id, event.event_id)

    # ---- edits and redactions of commands (the rule is in handlers/edits.py) --------------------

    @property
    def _edits(self) -> Edits:
        return Edits(self.router)

    def _redacted_id(self, event) -> str | None:
        """The event a redaction redacts (top-level `redacts`, or in the content from room version 11)."""
        source = getattr(event, "source", None) or {}
        if source.get("type") != "m.room.redaction" or source.get("sender") == self.user_id:
            return None
        redacts = source.get("redacts") or (source.get("content") or {}).get("redacts")
        return redacts if isinstance(redacts, str) else None

    async def _on_edit(self, room_id: str, event: RoomMessageText) -> None:
        content = event.source.get("content", {})
        original_id, new = content.get("m.relates_to", {}).get("event_id"), content.get("m.new_content")
        room = await self._room_for(room_id, event)
        if room is None or not isinstance(original_id, str) or not isinstance(new, dict):
            return
        edited = RoomMessage.parse_event({**event.source, "content": new})  # the new text, as a message
        if not isinstance(edited, RoomMessageText):
            return  # no longer plain text (or malformed): nothing to read a command from
        effects = await self._edits.edited(original_id, to_message(room, edited, await self._creators(room)))
        self._perform(effects, room_id, original_id)

    async def _on_redaction(self, room_id: str, event, original_id: str) -> None:
        room = await self._room_for(room_id, event)
        if room is None:
            return
        members = members_of(room, await self._creators(room))
        redaction = Message(event.event_id, event_time(event), event.source["sender"], room_id, "", members)
        self._perform(await self._edits.redacted(original_id, redaction), room_id, original_id)

    async def _room_for(self, room_id: str, event):
        """The room, unless the event is older than the bot's join (history from before it is not ours)."""
        joined_at = await self._joined(room_id)
        if joined_at is not None and event_time(event) < joined_at:
            return None
        return self.client.rooms.get(room_id)

    def _perform(self, effects, room_id: str, reply_to: str | None) -> None:
        """Every effect goes out here. A direct message only to a joined member of the room it is about."""
        room = self.client.rooms.get(room_id)
        for effect in effects:
            if may_send(effect, room, self.user_id):
                self._spawn(self.sender.perform(effect, room_id, reply_to))

    async def _say_encrypted_is_unsupported(self, room_id: str) -> None:
        """Commands in an encrypted room are unreadable: say so once per room rather than stay silent."""
        key = f"encrypted_room_warned:{room_id}"
        if await self.store.state.get(key):
            return
        await self.store.state.set(key, self.clock.now().isoformat())
        text = i18n.t(await self._language(room_id), "encrypted.unsupported", p=self.config.bot.prefix)
        self._spawn(self.sender.notice(room_id, text))

    def _is_own_join(self, event) -> bool:
        return is_join_of(event, self.user_id)

    async def _handle_invites(self, resp: SyncResponse) -> None:
        allowed = self.config.bot.allowed_inviters
        for room_id, info in resp.rooms.invite.items():
            inviter = inviter_of(info.invite_state, self.user_id)
            if inviter and may_invite(inviter, allowed, self.user_id):
                log.info("joining %s on invite from %s", room_id, inviter)
                self._invited_to.add(room_id)
                await self.client.join(room_id)
            else:
                log.info("rejecting invite to %s from %s (not an allowed inviter)", room_id, inviter)
                await self.client.room_leave(room_id)

    async def _set_joined(self, room_id: str, when: datetime) -> None:
        d = self.config.defaults
        await self.store.rooms.set_joined(room_id, when, language=d.language, timezone=d.timezone)
        self._joined_at[room_id] = when

    async def _joined(self, room_id: str) -> datetime | None:
        if room_id not in self._joined_at:
            room = await self.store.rooms.get(room_id)
            self._joined_at[room_id] = room.joined_at if room else None
        return self._joined_at[room_id]

    async def _creators(self, room) -> frozenset[str]:
        """Creators of a room of version 12 or later (they hold every power); fetched once per room."""
        if not creators_level_applies(room):
            return frozenset()
        if room.room_id not in self._room_creators:
            resp = await self.client.room_get_state(room.room_id)
            create = next((e for e in getattr(resp, "events", []) if e.get("type") == "m.room.create"), None)
            if create is None:
                return frozenset()  # not cached: try again next time
            extra = create.get("content", {}).get("additional_creators", [])
            self._room_creators[room.room_id] = frozenset([create["sender"], *extra])
        return self._room_creators[room.room_id]

    # ---- scheduled jobs -------------------------------------------------------------------

    async def _run_job(self, job_id: str, kind: str, payload: dict, scheduled_for: datetime) -> None:
        room = self.client.rooms.get(payload.get("room_id", ""))
        if room is not None:
            await self._creators(room)  # so coordinators are known for the job's direct messages
        job = Job(job_id, kind, payload, scheduled_for, self.clock.now())
        try:
            effects = await jobs.run(job, self.services)
        except Exception:
            log.exception("job %s (%s) failed", job_id, kind)
            return
        self._perform(effects, payload.get("room_id", ""), None)

    def _members(self, room_id: str):
        room = self.client.rooms.get(room_id)
        return members_of(room, self._room_creators.get(room_id, frozenset())) if room else ()

    def _room_name(self, room_id: str) -> str:
        room = self.client.rooms.get(room_id)
        return room.display_name if room else room_id

    async def _language(self, room_id: str) -> str:
        room = await self.store.rooms.get(room_id)
        return room.language if room else self.config.bot.language

    def _spawn(self, coro) -> None:
        async def bounded():
            async with self._sends:
                await coro

        task = asyncio.create_task(bounded())
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception():
            log.error("sending failed", exc_info=task.exception())
