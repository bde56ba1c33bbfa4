#!/usr/bin/env python
"""The floor: a bare matrix-nio bot that answers `!ping` with an m.notice replying to it, and does nothing else.

    FLOOR_HOMESERVER=http://127.0.0.1:8008 FLOOR_USER=@floor:localhost FLOOR_PASSWORD=… python bench/floor_bot.py

What any Matrix bot must do to answer, and no more: one long-poll sync loop (the same filter as Relais), joins on
invite, the gap of a `limited` timeline fetched with /messages (else a paused bot would miss commands, and the
floor would not be one), replies sent concurrently (up to 30 in flight, like Relais) and each command answered
once. No database, no parsing, no state kept across restarts. bench/side_by_side.py runs it as its own process,
against the same Synapse as Relais, and measures Relais as ratios to it.

The scheduler's floor: on SIGUSR1 it reads $FLOOR_SCHEDULE_FILE (JSON: [[room_id, due epoch seconds, body], …])
and sends each body as a notice at its due time, up to 30 in flight like Relais' reminders: what the homeserver
allows a bot that only keeps timers in memory.
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import sys
import time

from nio import AsyncClient, AsyncClientConfig, LoginError, MessageDirection, RoomMessagesError, SyncError

SYNC_FILTER = {  # as bot/app.py's
    "presence": {"not_types": ["*"]},
    "account_data": {"not_types": ["*"]},
    "room": {"timeline": {"limit": 100}, "account_data": {"not_types": ["*"]}, "ephemeral": {"not_types": ["*"]}},
}
log = logging.getLogger("floor")
PROBE = {"synced": 0.0, "to_send": [], "send": [], "stamp": []} if os.environ.get("FLOOR_PROBE_FILE") else None


def _write_probe() -> None:
    import statistics
    lines = [f"{k}: n={len(v)} median {statistics.median(v) * 1000:.2f} ms" for k, v in PROBE.items()
             if isinstance(v, list) and v]
    with open(os.environ["FLOOR_PROBE_FILE"], "w") as f:
        f.write("\n".join(lines) + "\n")


class FloorBot:
    def __init__(self, homeserver: str, user_id: str) -> None:
        config = AsyncClientConfig(max_limit_exceeded=None, max_timeouts=3, request_timeout=60)
        self.client = AsyncClient(homeserver, user_id, config=config)
        self.token: str | None = None
        self.answered: set[str] = set()
        self.sends = asyncio.Semaphore(30)
        self.tasks: set[asyncio.Task] = set()

    async def run(self, password: str) -> None:
        resp = await self.client.login(password, device_name="floor-bot")
        if isinstance(resp, LoginError):
            raise SystemExit(f"floor bot: login failed: {resp.message}")
        first = await self.client.sync(timeout=0, sync_filter=SYNC_FILTER)  # the backlog is not ours
        if isinstance(first, SyncError):
            raise SystemExit(f"floor bot: first sync failed: {first.message}")
        self.token = first.next_batch
        asyncio.get_running_loop().add_signal_handler(signal.SIGUSR1, self._load_schedule)
        await self._join_invites(first)
        log.info("first sync done: %d rooms", len(first.rooms.join))
        while True:
            resp = await self.client.sync(timeout=30_000, since=self.token, sync_filter=SYNC_FILTER)
            if PROBE is not None:
                PROBE["synced"] = time.perf_counter()
            if isinstance(resp, SyncError):
                log.warning("sync failed: %s", resp.message)
                await asyncio.sleep(1)
                continue
            await self._join_invites(resp)
            for room_id, info in resp.rooms.join.items():
                events = [e.source for e in info.timeline.events]
                if info.timeline.limited and info.timeline.prev_batch:
                    events = await self._gap(room_id, info.timeline.prev_batch, self.token) + events
                for src in events:
                    self._on_event(room_id, src)
            self.token = resp.next_batch

    async def _join_invites(self, resp) -> None:
        for room_id in resp.rooms.invite:
            await self.client.join(room_id)

    async def _gap(self, room_id: str, start: str, end: str) -> list[dict]:
        """Events between the previous sync and a limited timeline, oldest first."""
        out: list[dict] = []
        token = start
        while True:
            resp = await self.client.room_messages(room_id, start=token, end=end, direction=MessageDirection.back,
                                                   limit=100)
            if isinstance(resp, RoomMessagesError) or not resp.chunk:
                break
            out.extend(e.source for e in resp.chunk)
            if not resp.end or resp.end == token:
                break
            token = resp.end
        log.info("fetched %d events from a limited timeline gap", len(out))
        return list(reversed(out))

    def _on_event(self, room_id: str, src: dict) -> None:
        content = src.get("content") or {}
        if PROBE is not None and content.get("body", "").startswith("!"):
            PROBE["stamp"].append(time.time() - src.get("origin_server_ts", 0) / 1000)
        if (src.get("type") != "m.room.message" or src.get("sender") == self.client.user_id
                or content.get("msgtype") != "m.text" or content.get("body", "").strip() != "!ping"
                or src.get("event_id") in self.answered):
            return
        self.answered.add(src["event_id"])
        self._spawn(self._pong(room_id, src["event_id"]))

    def _load_schedule(self) -> None:
        loop = asyncio.get_running_loop()
        with open(os.environ["FLOOR_SCHEDULE_FILE"], encoding="utf-8") as f:
            planned = json.load(f)
        for room_id, due, body in planned:  # wall clock → the loop's clock
            loop.call_at(loop.time() + due - time.time(), self._due, room_id, body)
        log.info("%d notices planned", len(planned))

    def _due(self, room_id: str, body: str) -> None:
        self._spawn(self._notice(room_id, body))

    def _spawn(self, coro) -> None:
        task = asyncio.create_task(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _notice(self, room_id: str, body: str) -> None:
        content = {"msgtype": "m.notice", "body": body, "format": "org.matrix.custom.html", "formatted_body": body}
        async with self.sends:
            resp = await self.client.room_send(room_id, "m.room.message", content)
        if not hasattr(resp, "event_id"):
            log.warning("notice in %s failed: %s", room_id, getattr(resp, "message", resp))

    async def _pong(self, room_id: str, event_id: str) -> None:
        if PROBE is not None:  # diagnostics (bench/relais_probe.py's RELAIS_PROBE_PATH, for the floor)
            PROBE["to_send"].append(time.perf_counter() - PROBE["synced"])
            t = time.perf_counter()
        content = {"msgtype": "m.notice", "body": "pong", "format": "org.matrix.custom.html",
                   "formatted_body": "pong", "m.relates_to": {"m.in_reply_to": {"event_id": event_id}}}
        async with self.sends:
            resp = await self.client.room_send(room_id, "m.room.message", content)
        if PROBE is not None:
            PROBE["send"].append(time.perf_counter() - t)
        if not hasattr(resp, "event_id"):
            log.warning("reply to %s failed: %s", event_id, getattr(resp, "message", resp))


async def main() -> None:
    bot = FloorBot(os.environ["FLOOR_HOMESERVER"], os.environ["FLOOR_USER"])
    try:
        await bot.run(os.environ["FLOOR_PASSWORD"])
    finally:
        if PROBE is not None:
            _write_probe()
        await bot.client.close()


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("nio").setLevel(logging.WARNING)
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(130)
