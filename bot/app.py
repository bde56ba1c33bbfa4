"""Wiring: storage + Matrix client + router + sender, and the sync loop that feeds events to the router.

Each event (a command, an edit, a chat message a meeting notes) and each scheduled job is one unit of work
(`Store.atomic`): the claim of the event, what the handler writes and the effects it decided — as outbox
rows (storage/outbox.py) — commit together or not at all. Sending starts only once they are committed, and
a row is marked sent once the homeserver has accepted it; rows left unsent by a crash are sent again at
start-up, with the same transaction ids, so the homeserver posts nothing twice (bot/sender.py). The
scheduler's job store is written outside that transaction (bot/scheduler.py): a command's job changes are
made once it is committed, after its replies have left, and dropped if it is rolled back (bot/held_jobs.py).

When the database fails (locked past SQLite's busy timeout, disk full, PostgreSQL unreachable), the unit
rolls back whole, nothing is half-saved, the command is not claimed, and its author is told that nothing
was recorded ("error.storage_unavailable", sent directly: the outbox is in that database). The command is
not run again by itself, even when the same batch is read again; its author may send it again.
"""
from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import random
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from nio import (AsyncClient, AsyncClientConfig, BadEvent, MegolmEvent, RoomMemberEvent, RoomMessage,
                 RoomMessageText, SyncError, SyncResponse, UnknownBadEvent, UploadFilterResponse)
from nio.exceptions import EncryptionError, LocalProtocolError

from bot import crypto, held_jobs, nio_validation
from bot.config import Config
from bot.convert import (MESSAGE_TYPES, command_text, creators_level_applies, encrypted_file, event_time, members_of,
                         to_message)
from bot.dm_guard import may_send
from handlers.actions import Edits
from bot.invites import inviter_of, may_invite
from bot.mailer import Mailer
from bot.pending_keys import PendingKeys
from bot.scheduler import JobScheduler
from bot.sender import SendFailed, Sender, addressed, delivery_lane, effect_from_json, effect_to_json
from bot.session import PendingState, connect
from bot.timeline import is_join_of, room_timelines
from handlers import i18n
from handlers.core.clock import Clock, SystemClock
from handlers.capabilities import jobs, registry
from handlers.core.interface import Effect, Message, Notice, Reaction, Reply
from handlers.core.jobs import Job
from handlers.core.people import mention
from handlers.core.router import Router
from handlers.core.services import Services
from storage import Store, open_store
from storage.db import database_exists, outside_unit, storage_failure
from storage.events import already_handled
from storage.outbox import Outgoing
from storage.pending import Pending
from storage.records import Person

if TYPE_CHECKING:  # aiohttp's server (~2 MiB) is loaded only with [web]: see _start()
    from bot.web import WebServer

log = logging.getLogger(__name__)
nio_validation.install()  # nio's schema checks compiled once: a tenth of the CPU per command (round 13)

# Presence and account data are of no use to the bot; leaving them out keeps syncs small.
SYNC_FILTER = {
    "presence": {"not_types": ["*"]},
    "account_data": {"not_types": ["*"]},
    "room": {"timeline": {"limit": 100}, "account_data": {"not_types": ["*"]}, "ephemeral": {"not_types": ["*"]}},
}
PROCESSED_EVENTS_KEPT = timedelta(days=30)
HOMESERVER_CLOCK_MARGIN = timedelta(minutes=1)
# Back-off between tries of an outbox row the homeserver did not take. The first row that gets through
# again wakes the others and the sync loop, so after an outage answers go out within this.
RESEND_MAX_DELAY_S = 15.0
# What no member waits for — the last handled batch's sync token, which outbox rows were sent — is written at
# most once per this many seconds, both in one transaction (each was a write per command under sequential
# load). A crash loses at most this much of it and neither loses nor doubles a command: the batch is read
# again, where claims stop doubles, and the rows are sent again with their transaction ids, which the
# homeserver does not post twice.
BOOKKEEPING_S = 5.0
# The longest the next sync waits for the homeserver to take the last batch's replies (see `_process`): a
# homeserver slow to accept sends (rate limits, an outage) does not hold the reading of new commands back longer.
REPLIES_BEFORE_SYNC_S = 0.1  # the quiet case took 26–53 ms (round 22); a homeserver slower than this is busy anyway
QUIET_BATCH_COMMANDS = 2  # a batch with more commands than this is a busy room's: the next sync does not wait


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
        self.web: WebServer | None = None  # the rooms' web pages, with [web] (bot/web.py)
        self.pending: PendingKeys | None = None
        self.sync_token: str | None = None
        self._joined_at: dict[str, datetime | None] = {}
        self._room_creators: dict[str, frozenset[str]] = {}
        self._invited_to: set[str] = set()
        self._sends = asyncio.Semaphore(send_concurrency)
        self._tasks: set[asyncio.Task] = set()
        self._batch_sends: list[asyncio.Task] = []  # the replies to the batch being handled, being sent
        self._batch_commands = 0  # and how many commands it brought
        self._commands_before = 0  # how many the batch before it brought (0: the rooms were quiet)
        self._loop: asyncio.Task | None = None
        self._synced = asyncio.Event()  # a sync went through: rooms (and DM rooms) are known
        self._reconnected = asyncio.Event()  # set (and replaced) when the homeserver answers again
        self._sent: list[int] = []  # outbox rows sent, not yet marked so
        self._token_kept: str | None = None  # the sync token last saved
        self._bookkeeping: asyncio.Task | None = None  # the next write of both, waiting (see BOOKKEEPING_S)
        self._keep_now = asyncio.Event()  # set by stop(): that write goes at once
        # Commands answered "the database does not respond" in a batch not yet saved: not run again when
        # the batch is read again (their authors were told to send them again).
        self._refused: set[str] = set()
        self._languages: dict[str, str] = {}  # the last language read for each room
        self._filter_id: str | None = None  # SYNC_FILTER's id on the homeserver, once uploaded (see _sync_filter)
        self._filter_refused = False  # the upload's failure is logged once

    @property
    def user_id(self) -> str:
        return self.client.user_id

    async def start(self) -> None:
        # nio retries 429s after `retry_after_ms` on its own; connection errors are retried with back-off.
        # End-to-end encryption (bot/crypto.py): nio's crypto store in its own owner-only directory.
        store = crypto.store_path(self.config)
        if store is not None:
            crypto.check_available()  # created once logged in (bot/session.py)
        nio_config = AsyncClientConfig(max_limit_exceeded=None, max_timeouts=3, request_timeout=60,
                                       encryption_enabled=store is not None, store_sync_tokens=False)
        self.client = AsyncClient(self.config.matrix.homeserver, self.config.matrix.user_id,
                                  store_path=str(store or ""), config=nio_config)
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
        # A command sent from now on cannot have been handled by an earlier run: its claim needs no trip of its
        # own (storage/events.py). The margin covers a homeserver whose clock runs ahead of ours.
        self.store.events.unseen_after = self.clock.now() + HOMESERVER_CLOCK_MARGIN
        # The device's keys up before any sync: members who write right after the bot joins can encrypt for it.
        await crypto.after_sync(self.client, self.config.encryption.trust)
        crypto.apply_trust(self.client, self.config.encryption.trust)  # the setting may have changed since
        self.pending = PendingKeys(self.store.pending, self.clock, wait=self.config.encryption.key_wait,
                                   decrypt=self._decrypt_pending, handle=self._on_event, tell=self._tell_unreadable)
        defaults = self.config.defaults
        self.scheduler = JobScheduler(self.config.storage_url, self.clock, self._run_job,
                                      late_grace=defaults.late_grace)
        self.services = Services(self.store, self.clock, defaults, self.scheduler, self._members,
                                 self._room_name, self.client.user_id, find_room=self._find_room)
        self.router = Router(registry, self.services)
        self.sender = Sender(self.client, self.store.state, language=self._language,
                             trust=self.config.encryption.trust,
                             encrypt_dms=self.config.encryption.enabled and self.config.encryption.direct_messages)
        if self.config.email is not None:  # the weekly digest's mailing lists (bot/mailer.py)
            self.sender.mailer = Mailer(self.config.email)
        if self.config.web is not None:
            from bot.web import serve_pages

            self.web = await serve_pages(self.services, self.config.web, registry.digest_sections)
        await self.store.events.prune(self.clock.now() - PROCESSED_EVENTS_KEPT)
        await self.store.outbox.prune(self.clock.now() - PROCESSED_EVENTS_KEPT)
        await self.store.pending.prune(self.clock.now() - PROCESSED_EVENTS_KEPT)
        unsent = await self.store.outbox.unsent()  # decided before a crash, not (known to be) sent
        self.scheduler.load()  # before the catch-up, whose commands may cancel stored jobs
        self.sync_token = self._token_kept = await self.store.state.get("sync_token")
        if self.sync_token is None:
            await self._first_sync()
        else:
            await self._catch_up()
        if unsent:
            log.info("sending %d message(s) decided before the restart", len(unsent))
        self._deliver_all(unsent)
        self._loop = asyncio.create_task(self._sync_forever(), name="relais-sync", context=outside_unit())
        # Jobs run only after the first sync, so those missed while down see the rooms and their members.
        self.scheduler.start()
        await jobs.started(self.services)  # plans what a long stop made the scheduler drop
        # What start-up built (modules, SQLAlchemy's and nio's tables, texts) lives as long as the process: the
        # cyclic collector need not walk it again at every full collection (docs/performance.md, round 8).
        # The collector's thresholds stay Python's: a larger youngest generation kept more garbage waiting.
        gc.freeze()

    async def run(self) -> None:
        await self.start()
        try:
            await self._loop
        finally:
            await self.stop()

    async def stop(self) -> None:
        if self.web:  # no page is read from a store being closed
            await self.web.stop()
            self.web = None
        if self.scheduler:
            await self.scheduler.shutdown()
        if self._loop and not self._loop.done():
            self._loop.cancel()
            await asyncio.gather(self._loop, return_exceptions=True)
        if self._tasks:  # let replies already decided go out; what is left is sent at the next start
            await asyncio.wait(list(self._tasks), timeout=10)
            for task in list(self._tasks):
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)
        self._keep_now.set()  # the last token read and the rows sent are written now, not in BOOKKEEPING_S
        if self._bookkeeping and not self._bookkeeping.done():
            await asyncio.wait([self._bookkeeping], timeout=10)
        if self.store:
            await self._keep()
        if self.client:
            await self.client.close()
        if self.store:
            await self.store.close()
        self.client = self.store = None

    # ---- sync ------------------------------------------------------------------------------

    async def _sync_filter(self) -> str | dict:
        """The filter's id, uploaded once per start: every sync then names it instead of sending the whole
        filter, serialised and URL-quoted each time (~3 % of the bot's CPU per command). If the upload fails,
        the filter itself is sent, as before, and the upload is tried again at the next sync."""
        if self._filter_id is None:
            resp = await self.client.upload_filter(**SYNC_FILTER)
            if isinstance(resp, UploadFilterResponse):
                self._filter_id = resp.filter_id
            elif not self._filter_refused:
                self._filter_refused = True
                log.warning("could not upload the sync filter (%s); sending it with each sync",
                            getattr(resp, "message", resp))
        return self._filter_id or SYNC_FILTER

    async def _sync(self, timeout_ms: int, full_state: bool = False) -> SyncResponse:
        resp = await self.client.sync(timeout=timeout_ms, since=self.sync_token, full_state=full_state,
                                      sync_filter=await self._sync_filter())
        if isinstance(resp, SyncError):
            if resp.status_code in ("M_NOT_FOUND", "M_INVALID_PARAM"):  # "No such filter": a homeserver restored
                self._filter_id = None  # from a backup has lost it; uploaded again at the next try
            raise ConnectionError(f"sync error: {resp.status_code} {resp.message}")
        await crypto.after_sync(self.client, self.config.encryption.trust)
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
        self._synced.set()
        log.info("first sync done: %d rooms, backlog skipped", len(resp.rooms.join))

    async def _catch_up(self) -> None:
        """On a restart, one sync with every room's full state (nio keeps none across restarts), handled
        like any other: jobs missed while down then know the rooms, their members, and the DM rooms."""
        try:
            await self._process(await self._sync(0, full_state=True))
        except Exception as exc:  # the sync loop retries with back-off
            log.warning("catch-up sync failed (%s)", exc)
        else:
            self._synced.set()
            log.info("caught up after the restart")

    async def _sync_forever(self) -> None:
        failures = 0
        while True:
            try:
                resp = await self._sync(self.sync_timeout_ms)
                if failures:  # the homeserver is back: messages waiting to be sent again go now
                    self._wake()
                await self._process(resp)
                self._synced.set()
                failures = 0
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # network down, homeserver restarting…: wait and retry
                failures += 1
                delay = min(60.0, 2 ** min(failures, 6)) * (0.5 + random.random() / 2)
                log.warning("sync failed (%s); retrying in %.1fs", exc, delay)
                await self._wait_or_woken(delay)  # sooner if a message got through meanwhile

    async def _process(self, resp: SyncResponse) -> None:
        await self._handle_invites(resp)
        async for room_id, events in room_timelines(self.client, resp, self.sync_token):
            join = next((e for e in events if self._is_own_join(e)), None)
            if join is not None:  # before anything else: history from before the join is not for us
                await self._set_joined(room_id, event_time(join))
            for event in events:
                await self._on_event(room_id, event)
        # The batch's replies take their first step (their requests leave) before the next sync request is built:
        # what a busy room's batch gets, as the wait for the replies below is only after a quiet one. Once per
        # batch: a yield after each unit showed no gain in bursts (docs/performance.md, rounds 5 and 6).
        await asyncio.sleep(0)
        # Encrypted events kept for their key: at once if a key came in this batch, else now and then.
        try:
            await self.pending.retry(key_arrived=crypto.keys_arrived(resp))
        except Exception:  # tried again at the next sync; never holds up new commands
            log.exception("retrying the encrypted events waiting for their key failed")
        # Saved only once the batch is handled: a crash before this re-reads it, and claims stop doubles.
        # The batch is handled (each command claimed, or refused): the next sync starts after it even if the
        # token cannot be saved. Asking again from the old token would not help anyway: Synapse answers the
        # same request with the same (cached) batch for a while, and new commands would wait behind it.
        self.sync_token = resp.next_batch
        self._refused.clear()
        self._keep_soon()
        # After a quiet batch (a command or two after a batch with none), the next sync request waits until the
        # homeserver has taken their replies (at most REPLIES_BEFORE_SYNC_S). Sent at once, it reached the
        # homeserver while it was storing them and telling the room, and the members saw the replies later: in
        # alternated runs, 1.07–1.14 × the bare bot's time with it, 0.82–0.94 × with the wait. Commands sent
        # meanwhile wait on the homeserver for the request; none is lost. Not in a busy room: in a burst, waiting
        # for every batch's replies before reading on made the last commands wait 1.7 × longer (docs/
        # performance.md, round 21). A batch that follows one with commands is a busy room's, whatever its size,
        # so a burst waits once, at its first command (round 22).
        sends, self._batch_sends = self._batch_sends, []
        commands, self._batch_commands = self._batch_commands, 0
        quiet = commands <= QUIET_BATCH_COMMANDS and self._commands_before == 0
        self._commands_before = commands
        # (Before the first sync is handled, sends wait for it.)
        if sends and quiet and self._synced.is_set():
            await asyncio.wait(sends, timeout=REPLIES_BEFORE_SYNC_S)

    async def _save_token(self, token: str) -> None:
        """Save `token` now (the first sync's; `_keep_soon` for the others)."""
        self.sync_token = token
        self._refused.clear()
        await self._keep()

    def _keep_soon(self) -> None:
        """The sync token and the rows sent, written once BOOKKEEPING_S has passed, with what came meanwhile."""
        if self._bookkeeping is None or self._bookkeeping.done():
            self._bookkeeping = asyncio.create_task(self._keep_later(), context=outside_unit())

    async def _keep_later(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._keep_now.wait(), BOOKKEEPING_S)
        await self._keep()

    async def _keep(self) -> None:
        """Save the sync token (if it moved) and mark the rows sent so, in one transaction: one trip on SQLite."""
        token = self.sync_token if self.sync_token != self._token_kept else None
        ids, self._sent = self._sent, []
        if self.store is None or (token is None and not ids):
            return
        try:
            async with self.store.atomic():
                if token is not None:
                    await self.store.state.set("sync_token", token)
                await self.store.outbox.mark_sent(ids, self.clock.now())
        except Exception as exc:
            self._sent = ids + self._sent  # tried again with the next write; sent again (same txn ids) after a crash
            if not storage_failure(exc):
                log.exception("saving the sync token and marking %d outbox row(s) sent failed", len(ids))
            else:
                log.warning("could not save the sync token nor mark %d outbox row(s) sent (%s); after a restart "
                            "this batch would be read again, where its claims keep commands from running twice, "
                            "and those rows sent again with the same transaction ids", len(ids), exc)
            self._keep_soon()
            return
        if token is not None:
            self._token_kept = token

    # ---- events ----------------------------------------------------------------------------

    async def _on_event(self, room_id: str, event) -> None:
        if isinstance(event, RoomMemberEvent):
            if self._is_own_join(event) and room_id in self._invited_to:
                self._invited_to.discard(room_id)  # greet rooms we were invited to, not our own DM rooms

                async def welcome() -> list[Effect]:
                    lang = await self._language(room_id)
                    return [Notice(room_id, i18n.t(lang, "welcome", p=self.config.bot.prefix))]

                await self._unit(room_id, None, welcome)
            return
        if isinstance(event, MegolmEvent) and event.sender != self.user_id:
            if self.client.olm is None:  # encryption off in config.toml
                await self._say_encrypted_is_unsupported(room_id)
            else:
                await self._undecryptable(room_id, event)
            return
        if (redacted := self._redacted_id(event)) is not None:
            return await self._on_redaction(room_id, event, redacted)
        if (getattr(event, "source", None) or {}).get("type") == "m.reaction":
            return await self._on_reaction(room_id, event)
        if not isinstance(event, MESSAGE_TYPES) or event.sender == self.user_id:
            return  # notices (other bots included), emotes, our own messages
        if (file := encrypted_file(event)) is not None:
            try:  # to post it again (a tract): bot/sender.py
                await self.sender.remember_file_key(file)
            except Exception as exc:
                log.warning("could not keep the key of the file %s: %s", file["url"], exc)
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
            seen = to_message(room, event, sender_only=True)
            await self._unit(room_id, event.event_id, lambda: self.router.observe(seen))
            return
        msg = to_message(room, event, await self._creators(room))
        # None from `command`: already handled (gap overlap, or a re-read batch after a crash).
        await self._unit(room_id, event.event_id, lambda: self._edits.command(msg), command=msg)

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
        edit = to_message(room, edited, await self._creators(room))
        await self._unit(room_id, original_id, lambda: self._edits.edited(original_id, edit))

    async def _on_redaction(self, room_id: str, event, original_id: str) -> None:
        room = await self._room_for(room_id, event)
        if room is None:
            return
        members = members_of(room, await self._creators(room))
        redaction = Message(event.event_id, event_time(event), event.source["sender"], room_id, "", members)
        withdrawn = Reaction(event.event_id, event_time(event), event.source["sender"], room_id, target=original_id,
                             members=members, removed=True)

        async def redacted() -> list[Effect]:
            # A redacted command (handlers/actions/edits.py), else perhaps a reaction a capability counted.
            return (await self._edits.redacted(original_id, redaction)) or await self.router.reaction(withdrawn)

        await self._unit(room_id, original_id, redacted)

    async def _on_reaction(self, room_id: str, event) -> None:
        """An m.reaction (m.annotation) by someone else: capabilities may count it (handlers/core/router.py)."""
        source = event.source
        relates = (source.get("content") or {}).get("m.relates_to") or {}
        target, key = relates.get("event_id"), relates.get("key")
        if (source.get("sender") == self.user_id or relates.get("rel_type") != "m.annotation"
                or not isinstance(target, str) or not isinstance(key, str)):
            return
        room = await self._room_for(room_id, event)
        if room is None:
            return
        reaction = Reaction(source["event_id"], event_time(event), source["sender"], room_id, key, target,
                            members_of(room, await self._creators(room)))
        await self._unit(room_id, None, lambda: self.router.reaction(reaction))

    async def _room_for(self, room_id: str, event):
        """The room, unless the event is older than the bot's join (history from before it is not ours)."""
        joined_at = await self._joined(room_id)
        if joined_at is not None and event_time(event) < joined_at:
            return None
        return self.client.rooms.get(room_id)

    # ---- units of work and the outbox ---------------------------------------------------------------

    async def _unit(self, room_id: str, reply_to: str | None, work: Callable[[], Awaitable[list[Effect] | None]],
                    *, command: Message | None = None, what: str | None = None, hold_jobs: bool = True,
                    thread: str | None = None) -> None:
        """`work()` — handling one event or job — and the outbox rows of the effects it returns, in one
        transaction (`Store.atomic`); the rows are sent once it is committed. For a `command`, a database
        failure gets its author a "nothing was recorded, try again" reply. The job changes `work()` asks
        for are made once it is committed, after the replies have left (bot/held_jobs.py), unless
        `hold_jobs` is False (a job planning its successor plans it even if its own run fails)."""
        if command is not None and command.event_id in self._refused:
            return
        what = what or reply_to or "an event"
        rows: list[Outgoing] = []
        try:
            with held_jobs.holding() if hold_jobs else contextlib.nullcontext() as held:
                async with self.store.atomic():
                    effects = await work()
                    if effects:
                        rows = await self._queue(effects, room_id, reply_to, command.thread if command else thread,
                                                 command.sender if command else None)
        except Exception as exc:
            if already_handled(exc):  # its claim went with a later statement (storage/events.py)
                log.info("%s in %s was handled before (by an earlier run): rolled back, nothing done twice",
                         what, room_id)
                return
            if storage_failure(exc):
                log.warning("database failure handling %s in %s, nothing saved: %s", what, room_id,
                            exc.__cause__ or exc)
                if command is not None:
                    self._refused.add(command.event_id)
                    self._spawn(self._bounded(self._say_unavailable(room_id, command.event_id, command.thread)))
                return
            log.exception("handling %s in %s failed; rolled back", what, room_id)
            if command is not None:
                await self._internal_error(room_id, command)
            return
        sends = self._deliver_all(rows)
        if command is not None:  # the sync loop may wait for them before its next request (`_process`)
            self._batch_sends.extend(sends)
            self._batch_commands += 1
        if held:  # committed: made once the replies are sent (bot/held_jobs.py), even if the bot is being stopped
            if self.scheduler is not None:
                self.scheduler.make_after(held, sends)
            else:
                held.make()

    async def _queue(self, effects: list[Effect], room_id: str, reply_to: str | None,
                     thread: str | None = None, addressee: str | None = None) -> list[Outgoing]:
        """Effects → outbox rows (in the caller's unit of work). A direct message only to a joined member
        of the room it is about. A command written in a thread has its replies sent to that thread; the
        replies know the command's sender (`addressee`)."""
        room = self.client.rooms.get(room_id)
        allowed = [addressed(effect_to_json(e), thread, addressee) for e in effects
                   if may_send(e, room, self.user_id, self.client.rooms)]
        # The unit's last statements: its commit may go with them (storage/outbox.py)
        return await self.store.outbox.add(room_id, reply_to, allowed, self.clock.now(), ends_unit=True)

    async def _internal_error(self, room_id: str, command: Message) -> None:
        """A command whose handling broke outside the router (the router answers its handlers' bugs): it
        is claimed alone, so that reading the batch again does not break again, and its author told."""
        async def claim_and_apologise() -> list[Effect] | None:
            if not await self.store.events.claim(command.event_id, room_id, self.clock.now()):
                return None
            return [Reply(i18n.t(await self._language(room_id), "error.internal"))]

        await self._unit(room_id, command.event_id, claim_and_apologise, thread=command.thread)

    async def _say_unavailable(self, room_id: str, event_id: str, thread: str | None) -> None:
        """Sent directly, not from the outbox: the outbox is in the database that just failed."""
        lang = self._languages.get(room_id, self.config.bot.language)
        try:
            await self.sender.perform(Reply(i18n.t(lang, "error.storage_unavailable")), room_id, event_id,
                                      thread=thread)
        except Exception as exc:
            log.warning("could not say that the database fails, in %s: %s", room_id, exc)

    def _deliver_all(self, rows: list[Outgoing]) -> list[asyncio.Task]:
        """Rows bound for one place (a room, a member's DMs, an address) are sent one after the other, in the
        order decided: a command's text before the file it announces, however long the upload takes. Other
        places, and other units' rows, are sent meanwhile. Returns the sending tasks, one per place."""
        lanes: dict[tuple[str, str], list[Outgoing]] = {}
        for row in rows:
            lanes.setdefault(delivery_lane(row.room_id, row.effect), []).append(row)
        return [self._spawn(self._deliver_in_order(lane)) for lane in lanes.values()]

    async def _deliver_in_order(self, rows: list[Outgoing]) -> None:
        for row in rows:
            await self._deliver(row)

    async def _deliver(self, row: Outgoing) -> None:
        """Send one outbox row until the homeserver takes it (or refuses it for good), then mark it sent.
        Up to `send_concurrency` rows are being sent at once; commands are handled meanwhile."""
        await self._synced.wait()  # DM rooms are found again from the synced rooms
        effect = effect_from_json(row.effect)
        delay = 1.0
        while True:
            try:
                async with self._sends:
                    await self.sender.perform(effect, row.room_id, row.event_id, txn=row.txn,
                                              thread=row.effect.get("thread"), addressee=row.effect.get("addressee"))
                break
            except SendFailed as exc:
                if exc.permanent:
                    log.warning("%s: not sent (outbox row %d)", exc, row.id)
                    break
                failure: Exception = exc
            except (asyncio.CancelledError, KeyboardInterrupt):
                raise
            except Exception as exc:  # the homeserver cannot be reached, or timed out
                failure = exc
            # The first failure of a row is a warning; the next ones (an outage goes on) are not news.
            log.log(logging.WARNING if delay == 1.0 else logging.INFO,
                    "sending outbox row %d failed (%s: %s); trying again in %.0f s or once the homeserver is back",
                    row.id, type(failure).__name__, failure, delay)
            await self._wait_or_woken(delay)
            delay = min(RESEND_MAX_DELAY_S, delay * 2)
        if delay > 1.0:  # it got through after failing: the homeserver is back, tell the others
            self._wake()
        self._sent.append(row.id)
        self._keep_soon()

    def _wake(self) -> None:
        self._reconnected.set()
        self._reconnected = asyncio.Event()

    async def _wait_or_woken(self, seconds: float) -> None:
        try:
            await asyncio.wait_for(self._reconnected.wait(), seconds)
        except TimeoutError:
            pass

    # ---- encrypted events whose key is missing (bot/pending_keys.py) ------------------------------

    async def _undecryptable(self, room_id: str, event: MegolmEvent) -> None:
        """Kept until its key arrives (asked of the sender's devices), or its sender told it was unreadable."""
        if await self._room_for(room_id, event) is None:
            return  # from before the bot joined: not for it
        if not await self.pending.keep(event.event_id, room_id, event.sender, event.source):
            return
        event.room_id = room_id
        try:
            # nio's request goes to the bot's own devices, and makes nio accept a forwarded key for it; the
            # same request to the sender's devices is the one that can be answered.
            await self.client.request_room_key(event)
            await self.client.to_device(event.as_key_request(event.sender, self.client.device_id))
        except LocalProtocolError:
            pass  # already asked for this session
        except Exception as exc:  # the key may still come unasked; the wait is bounded anyway
            log.warning("could not ask for the key of %s: %s", event.event_id, exc)

    def _decrypt_pending(self, pending: Pending):
        event = MegolmEvent.from_dict(pending.source)
        if not isinstance(event, MegolmEvent) or self.client.olm is None:
            return None
        event.room_id = pending.room_id
        try:
            decrypted = self.client.decrypt_event(event)
        except EncryptionError:
            return None
        return None if isinstance(decrypted, (BadEvent, UnknownBadEvent)) else decrypted

    async def _tell_unreadable(self, pending: Pending) -> None:
        async def tell() -> list[Effect] | None:
            if not await self.store.pending.mark_told(pending.event_id):
                return None
            # Claimed too: the event decrypted later (a key after all) is not answered a second time.
            await self.store.events.claim(pending.event_id, pending.room_id, self.clock.now())
            room = self.client.rooms.get(pending.room_id)
            name = room.user_name(pending.sender) if room else None
            who = mention(Person(pending.sender, name or pending.sender))
            text = i18n.t(await self._language(pending.room_id), "encrypted.unreadable", who=who)
            return [Reply(text, mentions=(pending.sender,))]

        await self._unit(pending.room_id, pending.event_id, tell, what=f"unreadable {pending.event_id}")

    async def _say_encrypted_is_unsupported(self, room_id: str) -> None:
        """Commands in an encrypted room are unreadable: say so once per room rather than stay silent."""
        async def warn() -> list[Effect]:
            key = f"encrypted_room_warned:{room_id}"
            if await self.store.state.get(key):
                return []
            await self.store.state.set(key, self.clock.now().isoformat())
            text = i18n.t(await self._language(room_id), "encrypted.unsupported", p=self.config.bot.prefix)
            return [Notice(room_id, text)]

        await self._unit(room_id, None, warn)

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
        await self._unit(payload.get("room_id", ""), None, lambda: jobs.run(job, self.services),
                         what=f"job {job_id} ({kind})", hold_jobs=False)

    def _members(self, room_id: str):
        room = self.client.rooms.get(room_id)
        return members_of(room, self._room_creators.get(room_id, frozenset())) if room else ()

    def _room_name(self, room_id: str) -> str:
        room = self.client.rooms.get(room_id)
        return room.display_name if room else room_id

    async def _find_room(self, name: str) -> str | None:
        """A room the bot is joined to, by id or canonical alias; no lookup on the homeserver: a room the bot
        is not in is not found. Its creators are fetched, so that `_members` gives their power."""
        room = self.client.rooms.get(name) or next(
            (r for r in self.client.rooms.values() if r.canonical_alias == name), None)
        if room is None:
            return None
        await self._creators(room)
        return room.room_id

    async def _language(self, room_id: str) -> str:
        room = await self.store.rooms.get(room_id)
        lang = room.language if room else self.config.bot.language
        self._languages[room_id] = lang
        return lang

    async def _bounded(self, coro) -> None:
        async with self._sends:
            await coro

    def _spawn(self, coro) -> asyncio.Task:
        # Outside any unit of work: a task made inside one would share (and outlive) its transaction.
        task = asyncio.create_task(coro, context=outside_unit())
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def _done(self, task: asyncio.Task) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception():
            log.error("sending failed", exc_info=task.exception())
