#!/usr/bin/env python
"""Relais side by side with the floor (bench/floor_bot.py, a bare matrix-nio bot answering `!ping`), one Synapse.

    .venv/bin/python -m bench.side_by_side                 # 200 rounds, 2 bursts of 20 × 50, 2 paused 200, 1000 reminders
    .venv/bin/python -m bench.side_by_side --rounds 20 --burst-members 5 --burst-commands 10 --paused-commands 4 \
        --sched-rooms 20 --reminders 100                   # a short run (~2 min)

Both bots run as their own processes against one throwaway Synapse (bot/devserver.py), each in its own room
with the same members. Phases:

1. rounds (alternating): Relais' `!ping`, `!action @alice perf task N by tomorrow 6pm` and `!action liste` (the
   list grows 1 → N), each after one `!ping` to the floor (so both rooms grow alike: a homeserver's work per event
   grows with its room's history), each sent by @alice once the previous reply was seen. Latency is
   send → reply seen by @alice's sync (wall clock), also given as the homeserver's timestamps (reply − command).
2. memory and CPU: each bot's RSS (/proc/<pid>/status) after start-up and after the rounds, CPU time
   (utime+stime) over the rounds divided by the commands it answered.
3. burst: every member sends `--burst-commands` `!ping`s back to back, all at once, to the floor then to Relais:
   each answered exactly once (counted from the room read back with /messages), latency p95 (server stamps).
   `--burst-repeats N` (2): N bursts per bot, Relais first in every other pair (floor, Relais, Relais, floor):
   the homeserver slows down from one burst to the next, so a single burst favours the bot that goes first; the
   goal is read on the mean of each burst's p95 (docs/performance.md, round 22).
4. paused: each bot SIGSTOPped while the members send `--paused-commands` each, then SIGCONT.
5. scheduler precision: `--reminders` meeting reminders due within one minute across `--sched-rooms` rooms,
   seeded through the storage and scheduler layers while Relais is stopped; after its restart each must arrive
   once; delay = reminder's server timestamp − due time. The floor first sends as many notices, at the same
   offsets in a minute of its own, from timers in memory: what this homeserver allows any bot. Synapse's CPU
   per notice is given for both.

Every figure is printed next to the floor's from the same run, as a ratio, then as a Markdown table to paste in
docs/performance.md. Bounded: every wait has a timeout, the run has `--max-seconds`; Synapse and both bots are
stopped on exit. Exit 0 when everything was answered exactly once, 1 otherwise, 2 on a setup failure.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from statistics import fmean as mean

from nio import AsyncClient, ErrorResponse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `python bench/side_by_side.py`: the checkout

from bench.common import (  # noqa: E402
    ROOT, BenchError, Sandbox, SyncLoop, bytecode_for, child_env, create_room, in_reply_to, machine_info,
    make_client, median, member_clients, pct, proc_sample, register_bot, register_members, relais_command, relais_env, scan,
    stop_on_signals, stop_process, wait_for_log, write_relais_config,
)
from bot.devserver import Synapse  # noqa: E402

ROUND_COMMANDS = ("ping", "action", "list")


@dataclass
class Bot:
    name: str
    user_id: str
    proc: subprocess.Popen
    log: Path
    room_id: str = ""
    rss_start_mb: float = math.nan
    rss_after_mb: float = math.nan
    rss_warm_mb: float = math.nan  # after the first tenth of the rounds: every code path has run once
    cpu_per_cmd_ms: float = math.nan


@dataclass
class Series:
    wall_ms: list[float] = field(default_factory=list)  # send → reply seen by the member's sync
    server_ms: list[float] = field(default_factory=list)  # reply's origin_server_ts − command's
    sent: int = 0
    answered: int = 0
    duplicates: int = 0
    extra: dict = field(default_factory=dict)


class Watcher(SyncLoop):
    """@alice's client: syncs every room (long poll, gaps fetched) and records each bot reply, by the command
    it answers (m.in_reply_to), with the time it was seen; a second reply to one command is counted."""

    def __init__(self, client: AsyncClient, bot_ids: set[str]) -> None:
        super().__init__(client)
        self.bot_ids = bot_ids
        self.replies: dict[str, dict] = {}
        self.seen_at: dict[str, float] = {}
        self.reply_count: dict[str, int] = {}
        self.notices: list[dict] = []  # bot messages that reply to nothing (greetings, reminders)
        self.commands: dict[str, dict] = {}
        self._ids: set[str] = set()

    def _take(self, room_id: str, src: dict, now: float) -> None:
        src = {**src, "room_id": room_id}
        if src.get("type") != "m.room.message" or src.get("event_id") in self._ids:
            return
        self._ids.add(src["event_id"])
        if src.get("sender") not in self.bot_ids:
            self.commands[src["event_id"]] = src
            return
        target = in_reply_to(src)
        if target is None:
            self.notices.append(src)
            return
        self.reply_count[target] = self.reply_count.get(target, 0) + 1
        if target not in self.replies:
            self.replies[target] = src
            self.seen_at[target] = now

    async def wait(self, done, timeout: float, what: str, procs=()) -> bool:
        deadline = time.monotonic() + timeout
        while not done():
            for p in procs:
                if p.poll() is not None:
                    raise BenchError(f"a bot exited (code {p.returncode}) while waiting for {what}")
            if self._task is not None and self._task.done():
                raise BenchError(f"the member's sync stopped ({self._task.exception()!r}) while waiting for {what}")
            left = deadline - time.monotonic()
            if left <= 0:
                print(f"  … gave up waiting for {what} after {timeout:g} s", flush=True)
                return False
            try:
                await asyncio.wait_for(self._tick.wait(), min(1.0, left))
            except TimeoutError:
                pass
        return True


class SideBySide:
    def __init__(self, args, synapse: Synapse, floor: Bot, relais: Bot, members: list[tuple[str, str]]) -> None:
        self.args, self.synapse, self.floor, self.relais = args, synapse, floor, relais
        self.bots = (floor, relais)
        self.clients = member_clients(synapse, members)
        self.alice = self.clients[0]
        self.watcher = Watcher(make_client(synapse.base_url, *members[0]), {floor.user_id, relais.user_id})
        self.rounds: dict[str, Series] = {}
        self.bursts: dict[tuple[str, str], Series] = {}
        self.sched: Series | None = None
        self.sched_floor: Series | None = None

    @property
    def procs(self):
        return [b.proc for b in self.bots]

    async def close(self) -> None:
        await self.watcher.close()
        await asyncio.gather(*(c.close() for c in [*self.clients, self.watcher.client]), return_exceptions=True)

    async def send(self, client: AsyncClient, room_id: str, body: str) -> str | None:
        resp = await client.room_send(room_id, "m.room.message", {"msgtype": "m.text", "body": body})
        if isinstance(resp, ErrorResponse):
            print(f"  send failed ({client.user_id}): {resp.message}", flush=True)
            return None
        return resp.event_id

    # -- set-up ------------------------------------------------------------------------------------------------

    async def setup(self, restart) -> None:
        for bot in self.bots:
            await wait_for_log(bot.log, "first sync done", self.args.start_timeout, bot.proc)
        # Measured as an operator's bot starts, on its database: stopped once it has created and migrated it.
        stop_process(self.relais.proc, "Relais")
        self.relais.proc = restart()
        await wait_for_log(self.relais.log, "caught up after the restart", self.args.start_timeout, self.relais.proc)
        await self.watcher.start()
        for bot in self.bots:
            bot.room_id = await create_room(self.clients, f"bench {bot.name}", bot.user_id)
            # Every member's join is in the bot's view once a ping sent after them is answered.
            eid = await self.send(self.alice, bot.room_id, "!ping")
            if not eid or not await self.watcher.wait(lambda: eid in self.watcher.replies, 60,
                                                      f"{bot.name}'s first pong", self.procs):
                raise BenchError(f"{bot.name} did not answer a first !ping")
        if self.args.warm_up:  # round 18's experiment: the first uses before the start-up figure, not after
            for body in ("!action @alice warm by tomorrow 6pm", "!action liste"):
                eid = await self.send(self.alice, self.relais.room_id, body)
                await self.watcher.wait(lambda: eid in self.watcher.replies, 60, body, self.procs)
        await asyncio.sleep(1)  # the greeting's and first pong's writes settle
        for bot in self.bots:
            bot.rss_start_mb = proc_sample(bot.proc.pid).rss_mb
        self._probe_dump()  # after start-up
        print(f"[setup] rooms ready; RSS after start-up: floor {self.floor.rss_start_mb:.1f} MiB, "
              f"Relais {self.relais.rss_start_mb:.1f} MiB", flush=True)

    def _probe_dump(self) -> None:
        """bench/relais_probe.py (or another launcher) dumps what it measures on this signal."""
        if self.args.relais_launcher:
            os.kill(self.relais.proc.pid, signal.SIGUSR1)

    # -- 1. rounds ---------------------------------------------------------------------------------------------

    async def _round_trip(self, series: Series, room_id: str, body: str, expect: str) -> None:
        t0 = time.monotonic()
        eid = await self.send(self.alice, room_id, body)
        series.sent += 1
        if eid is None:
            return
        if not await self.watcher.wait(lambda: eid in self.watcher.replies, self.args.reply_timeout, body, self.procs):
            return
        reply = self.watcher.replies[eid]
        series.answered += 1
        series.wall_ms.append((self.watcher.seen_at[eid] - t0) * 1000)
        cmd = self.watcher.commands.get(eid)
        if cmd:
            series.server_ms.append(reply["origin_server_ts"] - cmd["origin_server_ts"])
        if expect and expect not in reply.get("content", {}).get("body", ""):
            series.extra.setdefault("unexpected", []).append(reply["content"].get("body", "")[:160])

    async def run_rounds(self) -> None:
        n = self.args.rounds
        floor_ping, ping, action, listing = Series(), Series(), Series(), Series()
        self.rounds = {"floor ping": floor_ping, "ping": ping, "action": action, "list": listing}
        spies = []
        if self.args.py_spy:  # both bots, so that a profile's buckets can be compared with the floor's
            for bot, out in ((self.relais, self.args.py_spy), (self.floor, floor_profile(self.args.py_spy))):
                spies.append(subprocess.Popen(
                    [str(Path(sys.executable).parent / "py-spy"), "record", "--pid", str(bot.proc.pid), "--rate",
                     "250", "--format", "raw", "--gil", "--output", str(out), "--nonblocking"],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            await asyncio.sleep(1)
        cpu0 = {b.name: proc_sample(b.proc.pid).cpu_s for b in self.bots}
        print(f"[rounds] {n} rounds …", flush=True)
        for i in range(1, n + 1):
            # The floor answers as many commands as Relais, one before each of Relais': both rooms grow alike (a
            # homeserver's work per event grows with its room's history, so unequal rooms would skew the ratios).
            await self._round_trip(floor_ping, self.floor.room_id, "!ping", "pong")
            await self._round_trip(ping, self.relais.room_id, "!ping", "pong")
            await self._round_trip(floor_ping, self.floor.room_id, "!ping", "pong")
            await self._round_trip(action, self.relais.room_id,
                                   f"!action @alice perf task {i} by tomorrow 6pm", f"#{i} recorded")
            await self._round_trip(floor_ping, self.floor.room_id, "!ping", "pong")
            await self._round_trip(listing, self.relais.room_id, "!action liste", "Open actions")
            if i == max(1, n // 10):
                for bot in self.bots:
                    bot.rss_warm_mb = proc_sample(bot.proc.pid).rss_mb
                self._probe_dump()  # warmed up
            if i % max(1, n // 10) == 0:
                print(f"  round {i}: floor ping {median(floor_ping.wall_ms):.0f} ms, Relais ping "
                      f"{median(ping.wall_ms):.0f} / action {median(action.wall_ms):.0f} / list "
                      f"{median(listing.wall_ms):.0f} ms (medians so far)", flush=True)
        for bot, commands in ((self.floor, floor_ping.sent), (self.relais, ping.sent + action.sent + listing.sent)):
            sample = proc_sample(bot.proc.pid)
            bot.rss_after_mb = sample.rss_mb
            bot.cpu_per_cmd_ms = (sample.cpu_s - cpu0[bot.name]) / max(1, commands) * 1000
        self._probe_dump()  # after the rounds
        for spy in spies:
            spy.send_signal(signal.SIGINT)  # py-spy writes its file when interrupted
            await asyncio.get_running_loop().run_in_executor(None, spy.wait, 30)
        if spies:
            print(f"  py-spy stacks in {self.args.py_spy} (the floor's in {floor_profile(self.args.py_spy)})",
                  flush=True)

    # -- 3, 4. burst and paused ----------------------------------------------------------------------------------

    async def _everyone(self, room_id: str, count: int, ids: list[str], series: Series) -> None:
        async def member(client: AsyncClient) -> None:
            for _ in range(count):
                eid = await self.send(client, room_id, "!ping")
                series.sent += 1
                if eid:
                    ids.append(eid)

        await asyncio.gather(*(member(c) for c in self.clients))

    def _pool(self, key: tuple[str, str], series: Series) -> None:
        """Repeated bursts (`--burst-repeats`) are pooled: one Series per bot and kind, each repeat's p95 kept."""
        pooled = self.bursts.setdefault(key, Series())
        pooled.server_ms += series.server_ms
        pooled.sent += series.sent
        pooled.answered += series.answered
        pooled.duplicates += series.duplicates
        pooled.extra.setdefault("p95s", []).append(pct(series.server_ms, 95))
        if "resume_to_last_s" in series.extra:
            pooled.extra.setdefault("resumes", []).append(series.extra["resume_to_last_s"])
            pooled.extra["resume_to_last_s"] = median(pooled.extra["resumes"])

    async def burst(self, bot: Bot, paused: bool) -> Series:
        series = Series()
        ids: list[str] = []
        start_token = self.watcher.token
        count = self.args.paused_commands if paused else self.args.burst_commands
        kind = "paused" if paused else "burst"
        print(f"[{kind}] {bot.name}: {len(self.clients)} × {count} …", flush=True)
        if paused:
            os.kill(bot.proc.pid, signal.SIGSTOP)
        try:
            await self._everyone(bot.room_id, count, ids, series)
        finally:
            if paused:
                os.kill(bot.proc.pid, signal.SIGCONT)
        resumed_ms = time.time() * 1000
        await self.watcher.wait(lambda: all(i in self.watcher.replies for i in ids), self.args.burst_timeout,
                                f"{bot.name} {kind} replies", self.procs)
        await asyncio.sleep(2)  # a duplicate would come right after
        # Authoritative count: the room read back with /messages.
        events = await scan(self.watcher.client, bot.room_id, self.watcher.token, start_token)
        counts: dict[str, int] = {}
        reply_ts: dict[str, int] = {}
        cmd_ts = {e["event_id"]: e["origin_server_ts"] for e in events if e.get("event_id") in set(ids)}
        for e in events:
            if e.get("sender") == bot.user_id and (t := in_reply_to(e)) in cmd_ts:
                counts[t] = counts.get(t, 0) + 1
                reply_ts[t] = e["origin_server_ts"]
        series.answered = len(counts)
        series.duplicates = sum(c - 1 for c in counts.values())
        series.server_ms = [reply_ts[i] - cmd_ts[i] for i in counts]
        if paused and reply_ts:
            series.extra["resume_to_last_s"] = (max(reply_ts.values()) - resumed_ms) / 1000
        self._pool((kind, bot.name), series)
        print(f"  {bot.name}: {series.answered}/{series.sent} answered, {series.duplicates} duplicates, "
              f"p95 {pct(series.server_ms, 95):.0f} ms", flush=True)
        return series

    # -- 5. scheduler precision ----------------------------------------------------------------------------------

    async def scheduler_precision(self, restart) -> None:
        """`--reminders` notices due within one minute across `--sched-rooms` rooms: first the floor's (timers it
        keeps in memory, bench/floor_bot.py), then Relais' meeting reminders, seeded while it is stopped, through
        storage (schedules) and bot/scheduler.py (jobs), as its start-up would find them. The same offsets in
        each one's minute, the same rooms."""
        rooms_n, n = self.args.sched_rooms, self.args.reminders
        print(f"[scheduler] creating {rooms_n} rooms …", flush=True)
        host = self.clients[-1]  # creates each room and leaves: no coordinator in it gets direct messages
        rooms: list[str] = []
        for k in range(rooms_n):
            resp = await host.room_create(name=f"sched {k}",
                                          invite=[self.relais.user_id, self.floor.user_id, self.alice.user_id])
            if isinstance(resp, ErrorResponse):
                raise BenchError(f"room_create failed: {resp.message}")
            rooms.append(resp.room_id)
            await self.alice.join(resp.room_id)
        await self.watcher.wait(lambda: sum(1 for s in self.watcher.notices if s["room_id"] in set(rooms)) >= rooms_n,
                                max(60, rooms_n), "the bot's greetings", self.procs)
        await self._joined(rooms, self.floor.user_id)
        for room_id in rooms:
            await host.room_leave(room_id)
        self.sched_floor = await self._floor_notices(rooms, n)
        stop_process(self.relais.proc, "Relais")
        minute = self._due_minute(self.args.sched_lead)
        due = self._due(minute, n)
        expected = await seed_reminders(self.args.storage_url, rooms, due)
        print(f"[scheduler] {n} reminders seeded, due {minute:%H:%M} UTC; restarting Relais …", flush=True)
        self.relais.proc = restart()
        await wait_for_log(self.relais.log, "caught up after the restart", self.args.start_timeout, self.relais.proc)
        self.sched = await self._delivered("Relais", r"perf reminder (\d+)\b", expected, due[-1])

    @staticmethod
    def _due_minute(lead_s: float) -> datetime:
        return (datetime.now(timezone.utc) + timedelta(seconds=lead_s + 60)).replace(second=0, microsecond=0)

    @staticmethod
    def _due(minute: datetime, n: int) -> list[datetime]:
        rng = random.Random(14)
        return sorted(minute + timedelta(seconds=rng.uniform(0, 59.9)) for _ in range(n))

    async def _joined(self, rooms: list[str], user_id: str) -> None:
        deadline = time.monotonic() + max(60, len(rooms))
        for room_id in rooms:
            while True:
                resp = await self.alice.joined_members(room_id)
                if not isinstance(resp, ErrorResponse) and any(m.user_id == user_id for m in resp.members):
                    break
                if time.monotonic() > deadline:
                    raise BenchError(f"{user_id} did not join the scheduler's rooms")
                await asyncio.sleep(0.5)

    async def _floor_notices(self, rooms: list[str], n: int) -> Series:
        """The floor sends n notices at the due times Relais' reminders will have, in its own minute."""
        minute = self._due_minute(5)
        due = self._due(minute, n)
        expected: dict[str, dict] = {r: {} for r in rooms}
        planned = []
        for k, when in enumerate(due):
            room_id = rooms[k % len(rooms)]
            expected[room_id][(room_id, k + 1)] = when
            planned.append([room_id, when.timestamp(), f"floor reminder {k + 1}"])
        self.args.floor_schedule.write_text(json.dumps(planned), encoding="utf-8")
        os.kill(self.floor.proc.pid, signal.SIGUSR1)
        print(f"[scheduler] the floor: {n} notices due {minute:%H:%M} UTC …", flush=True)
        return await self._delivered("the floor", r"floor reminder (\d+)\b", expected, due[-1])

    async def _delivered(self, who: str, pattern: str, expected: dict[str, dict], last: datetime) -> Series:
        """Waits for every expected notice (`pattern` gives its number); delay = its server stamp − due time.
        Also: Synapse's CPU from the first due time to the last notice."""
        n = sum(len(v) for v in expected.values())
        start = len(self.watcher.notices)
        first = min(w for v in expected.values() for w in v.values())
        await asyncio.sleep(max(0.0, (first - datetime.now(timezone.utc)).total_seconds()))
        cpu0 = proc_sample(self.synapse.pid)
        matcher = re.compile(pattern)
        found: list[tuple[dict, int]] = []  # (notice, its number), each notice read once
        seen = start

        def count() -> int:
            nonlocal seen
            for src in self.watcher.notices[seen:]:
                m = matcher.search(src.get("content", {}).get("body", ""))
                if src["room_id"] in expected and m:
                    found.append((src, int(m.group(1))))
            seen = len(self.watcher.notices)
            return len(found)

        wait_s = (last - datetime.now(timezone.utc)).total_seconds() + self.args.burst_timeout
        await self.watcher.wait(lambda: count() >= n, wait_s, f"{n} notices of {who}", self.procs)
        cpu1 = proc_sample(self.synapse.pid)
        await asyncio.sleep(3)
        count()  # duplicates that came late
        series = Series(sent=n)
        got: dict[tuple[str, int], int] = {}
        for src, number in found:
            key = (src["room_id"], number)
            if key not in expected[src["room_id"]]:
                continue
            got[key] = got.get(key, 0) + 1
            if got[key] == 1:
                series.server_ms.append(src["origin_server_ts"] - expected[src["room_id"]][key].timestamp() * 1000)
        series.answered = len(got)
        series.duplicates = sum(c - 1 for c in got.values())
        if cpu0 and cpu1:
            series.extra["synapse_cpu_ms"] = (cpu1.cpu_s - cpu0.cpu_s) * 1000 / max(1, series.answered)
        print(f"[scheduler] {who}: {series.answered}/{n} delivered, {series.duplicates} twice; delay median "
              f"{median(series.server_ms):.0f} ms, max {max(series.server_ms, default=math.nan):.0f} ms; Synapse's "
              f"CPU {series.extra.get('synapse_cpu_ms', math.nan):.0f} ms per notice", flush=True)
        return series


async def seed_reminders(storage_url: str, rooms: list[str], due: list[datetime]) -> dict[str, dict]:
    """One one-off schedule per reminder (title "perf reminder <n>"), meeting 10 min after the reminder's due
    time, and its reminder job (handlers/schedule/jobs.py's kind and id), written through the repositories and
    bot/scheduler.py. Returns {room: {(room, number): due}}."""
    from bot.scheduler import JobScheduler
    from handlers.core.clock import SystemClock
    from handlers.schedule.jobs import REMIND, job_prefix
    from storage import open_store

    store = await open_store(storage_url)

    async def never(*_):  # nothing runs here: the jobs are for the restarted bot
        raise AssertionError("no job runs in the seeding process")

    scheduler = JobScheduler(storage_url, SystemClock(), never, late_grace=timedelta(hours=1))
    scheduler.start()
    expected: dict[str, dict] = {r: {} for r in rooms}
    offset = timedelta(minutes=10)
    for k, when in enumerate(due):
        room_id = rooms[k % len(rooms)]
        await store.rooms.ensure(room_id, language="en", timezone="Europe/Paris")
        record = await store.schedules.create(room_id, title=f"perf reminder {k + 1}", starts_at=when + offset,
                                              timezone="Europe/Paris", rule=None, created_by="@bench:localhost",
                                              at=datetime.now(timezone.utc))
        iso = record.starts_at.isoformat()
        payload = {"room_id": room_id, "number": record.number, "at": iso, "offset": int(offset.total_seconds())}
        scheduler.schedule(f"{job_prefix(room_id, record.number)}{iso}:{payload['offset']}", when, REMIND, payload)
        expected[room_id][(room_id, k + 1)] = when
    await scheduler.shutdown()
    await store.close()
    return expected


# ---- report ----------------------------------------------------------------------------------------------------


def floor_profile(relais_profile: Path) -> Path:
    return relais_profile.with_name(relais_profile.stem + ".floor" + relais_profile.suffix)


def ratio(x: float, floor: float) -> str:
    return "—" if math.isnan(x) or math.isnan(floor) or floor <= 0 else f"{x / floor:.2f}"


def report(bench: SideBySide, info: dict, total_s: float) -> tuple[str, list[str]]:
    a = bench.args
    R = bench.rounds
    fl = R["floor ping"]
    f_med, f_p95 = median(fl.wall_ms), pct(fl.wall_ms, 95)
    rows: list[tuple[str, str, str, str, str]] = []  # measure, floor, Relais, ratio, goal
    problems: list[str] = []

    def ms2(values):
        return f"{median(values):.0f} / {pct(values, 95):.0f} ms"

    n = R["ping"].sent  # rounds; the floor answered 3 per round
    rows.append((f"`!ping` median / p95, {n} rounds (send → reply seen)", ms2(fl.wall_ms),
                 ms2(R["ping"].wall_ms),
                 f"{ratio(median(R['ping'].wall_ms), f_med)} / {ratio(pct(R['ping'].wall_ms, 95), f_p95)}",
                 "≤ 1.05 / 1.10"))
    for key, label in (("action", "`!action @alice perf task N by tomorrow 6pm`"),
                       ("list", f"`!action liste` (1 → {R['list'].sent} open actions)")):
        s = R[key]
        rows.append((f"{label} median / p95", "(ping) " + ms2(fl.wall_ms), ms2(s.wall_ms),
                     f"{ratio(median(s.wall_ms), f_med)} / {ratio(pct(s.wall_ms, 95), f_p95)}", "≤ 1.05 / 1.10"))
    for key in ("ping", "action", "list"):
        s = R[key]
        rows.append((f"… server stamps (reply − command), {key}: median / p95", ms2(fl.server_ms), ms2(s.server_ms),
                     f"{ratio(median(s.server_ms), median(fl.server_ms))} / "
                     f"{ratio(pct(s.server_ms, 95), pct(fl.server_ms, 95))}", ""))
    f, r = bench.floor, bench.relais
    rows.append(("RSS after start-up", f"{f.rss_start_mb:.1f} MiB", f"{r.rss_start_mb:.1f} MiB",
                 ratio(r.rss_start_mb, f.rss_start_mb), "≤ 70 MiB"))
    rows.append((f"RSS after the rounds ({fl.sent} / {3 * n} commands)", f"{f.rss_after_mb:.1f} MiB",
                 f"{r.rss_after_mb:.1f} MiB", ratio(r.rss_after_mb, f.rss_after_mb),
                 f"≤ {r.rss_start_mb * 1.05:.1f} MiB (start + 5%)"))
    rows.append((f"RSS growth from round {max(1, n // 10)} to {n} (warmed up)",
                 f"{(f.rss_after_mb / f.rss_warm_mb - 1) * 100:+.1f} %",
                 f"{(r.rss_after_mb / r.rss_warm_mb - 1) * 100:+.1f} %", "", "≤ +5 %"))
    rows.append(("bot CPU per command (rounds)", f"{f.cpu_per_cmd_ms:.1f} ms", f"{r.cpu_per_cmd_ms:.1f} ms",
                 ratio(r.cpu_per_cmd_ms, f.cpu_per_cmd_ms), "≤ 2.00"))
    for kind, label, count in (("burst", "burst", a.burst_commands), ("paused", "paused (SIGSTOP)", a.paused_commands)):
        fs, rs = bench.bursts.get((kind, "floor")), bench.bursts.get((kind, "Relais"))
        if not fs or not rs:
            continue
        rows.append((f"{label} {len(bench.clients)} × {count}: answered (duplicates)",
                     f"{fs.answered}/{fs.sent} ({fs.duplicates})", f"{rs.answered}/{rs.sent} ({rs.duplicates})", "",
                     "all, 0"))
        rows.append((f"{label}: latency median / p95 (server stamps)", ms2(fs.server_ms), ms2(rs.server_ms),
                     f"{ratio(median(rs.server_ms), median(fs.server_ms))} / "
                     f"{ratio(pct(rs.server_ms, 95), pct(fs.server_ms, 95))}",
                     "p95 ≤ 1.10" if a.burst_repeats == 1 else "(pooled)"))
        if a.burst_repeats > 1:
            # The homeserver gets slower with each burst (each adds 2,000 events: the p95 grew ~15 % from one burst
            # to the next, docs/performance.md, round 22), so a single burst favours whoever goes first. With the
            # order alternated (floor, Relais, Relais, floor, …) the mean of the bursts' p95s cancels that trend;
            # the pooled p95 above does not (the last burst's tail dominates it).
            fp, rp = fs.extra["p95s"], rs.extra["p95s"]
            rows.append((f"{label}: each burst's p95, in the order run (floor first, then Relais first, …); "
                         "their mean", " / ".join(f"{v:.0f}" for v in fp) + f"; {mean(fp):.0f} ms",
                         " / ".join(f"{v:.0f}" for v in rp) + f"; {mean(rp):.0f} ms",
                         " / ".join(ratio(r, f) for r, f in zip(rp, fp)) + f"; **{ratio(mean(rp), mean(fp))}**",
                         "mean ≤ 1.10"))
        if kind == "paused":
            rows.append(("paused: resumed → last reply", f"{fs.extra.get('resume_to_last_s', math.nan):.2f} s",
                         f"{rs.extra.get('resume_to_last_s', math.nan):.2f} s",
                         ratio(rs.extra.get("resume_to_last_s", math.nan), fs.extra.get("resume_to_last_s", math.nan)),
                         ""))
        for name, s in (("floor", fs), ("Relais", rs)):
            if s.answered < s.sent or s.duplicates:
                problems.append(f"{label}: {name} answered {s.answered}/{s.sent} with {s.duplicates} duplicates")
    if bench.sched:
        s, fs = bench.sched, bench.sched_floor or Series()
        rows.append((f"scheduler: {s.sent} reminders due in one minute, {a.sched_rooms} rooms: delivered (twice)",
                     f"{fs.answered}/{fs.sent} ({fs.duplicates})", f"{s.answered}/{s.sent} ({s.duplicates})", "",
                     "all, 0"))
        rows.append(("scheduler: delay from due time median / max",
                     f"{median(fs.server_ms) / 1000:.2f} / {max(fs.server_ms, default=math.nan) / 1000:.2f} s",
                     f"{median(s.server_ms) / 1000:.2f} / {max(s.server_ms, default=math.nan) / 1000:.2f} s",
                     f"{ratio(median(s.server_ms), median(fs.server_ms))} / "
                     f"{ratio(max(s.server_ms, default=math.nan), max(fs.server_ms, default=math.nan))}",
                     "≤ 1 s / 10 s"))
        rows.append(("scheduler: Synapse's CPU per notice (first due → last seen)",
                     f"{fs.extra.get('synapse_cpu_ms', math.nan):.0f} ms", f"{s.extra.get('synapse_cpu_ms', math.nan):.0f} ms",
                     ratio(s.extra.get("synapse_cpu_ms", math.nan), fs.extra.get("synapse_cpu_ms", math.nan)), ""))
        for name, x in (("the floor", fs), ("Relais", s)):
            if x.answered < x.sent or x.duplicates:
                problems.append(f"scheduler: {name}: {x.answered}/{x.sent} delivered, {x.duplicates} twice")
    for key, s in R.items():
        if s.answered < s.sent:
            problems.append(f"rounds: {key}: {s.sent - s.answered} of {s.sent} not answered")
        if s.extra.get("unexpected"):
            problems.append(f"rounds: {key}: unexpected reply {s.extra['unexpected'][0]!r}")

    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    params = (f"`--rounds {a.rounds} --burst-members {a.burst_members} --burst-commands {a.burst_commands} "
              f"--burst-repeats {a.burst_repeats} "
              f"--paused-commands {a.paused_commands} --sched-rooms {a.sched_rooms} --reminders {a.reminders} "
              f"--encryption {a.encryption} --optimize {a.optimize} --debug-ranges {a.debug_ranges}`")
    md = [f"#### {stamp} — side by side, {a.rounds} rounds", "",
          f"Machine: {info['nproc']} CPUs ({info['cpu']}), {info['ram']} RAM; Python {info['python']}, "
          f"Synapse {info['synapse']}, matrix-nio {info['nio']}; Relais {info['relais']}. Parameters: {params}; "
          f"both bots: {info['interpreter']}; the run took {total_s:.0f} s.", ""]
    if problems:
        md += [f"**⚠ {p}**" for p in problems] + [""]
    md += ["| | floor | Relais | Relais ÷ floor | goal |", "|---|---|---|---|---|"]
    md += [f"| {m} | {fv} | {rv} | {q} | {g} |" for m, fv, rv, q, g in rows]
    return "\n".join(md), problems


# ---- main ----------------------------------------------------------------------------------------------------


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--rounds", type=int, default=200, help="alternating rounds (floor ping; Relais ping, action, list)")
    p.add_argument("--burst-members", type=int, default=20, help="members sending in the burst")
    p.add_argument("--burst-commands", type=int, default=50, help="!ping per member in the burst (0: no burst)")
    p.add_argument("--paused-commands", type=int, default=10, help="!ping per member while the bot is paused")
    p.add_argument("--sched-rooms", type=int, default=200, help="rooms for the scheduler precision phase")
    p.add_argument("--reminders", type=int, default=1000, help="reminders due in one minute (0: skip the phase)")
    p.add_argument("--sched-lead", type=float, default=45, help="seconds between seeding and the due minute")
    p.add_argument("--reply-timeout", type=float, default=30)
    p.add_argument("--burst-repeats", type=int, default=2,
                   help="bursts (and paused phases) per bot, alternating which bot goes first (an even number "
                        "cancels the homeserver's slowing down from one burst to the next)")
    p.add_argument("--burst-timeout", type=float, default=300)
    p.add_argument("--start-timeout", type=float, default=120)
    p.add_argument("--max-seconds", type=float, default=3600)
    p.add_argument("--keep", action="store_true", help="keep the temporary directory (logs, database)")
    p.add_argument("--relais-root", type=Path, default=None,
                   help="run Relais from another checkout (e.g. a `git worktree` of an older commit), to compare")
    p.add_argument("--warm-up", action="store_true",
                   help="send Relais one !action and one list before its start-up RSS is read (round 18: how much "
                        "of the growth is first use)")
    p.add_argument("--encryption", choices=("on", "off"), default="on",
                   help="Relais' [encryption] enabled (on by default, as shipped; the floor bot has none)")
    p.add_argument("--optimize", type=int, choices=(0, 1, 2), default=2,
                   help="PYTHONOPTIMIZE for both bots: 2 as the Docker image runs Relais (no docstrings, no asserts), "
                        "0 as `python -m bot` without it; the bytecode of that level is compiled first")
    p.add_argument("--debug-ranges", choices=("on", "off"), default="off",
                   help="off: both bots' bytecode compiled without column positions (-X no_debug_ranges, "
                        "PYTHONNODEBUGRANGES=1), as the Docker image runs Relais; on: as plain Python does")
    p.add_argument("--relais-launcher", type=Path, default=None,
                   help="diagnostics: a Python file run instead of `-m bot` (e.g. bench/relais_probe.py)")
    p.add_argument("--py-spy", type=Path, default=None,
                   help="profile Relais with py-spy during the rounds: raw (collapsed) stacks written to this file, the "
                        "floor's beside it (NAME.floor.txt)")
    args = p.parse_args(argv)
    for name in ("relais_launcher", "py_spy", "relais_root"):
        if getattr(args, name):
            setattr(args, name, getattr(args, name).resolve())
    if args.burst_members < 1 or args.rounds < 1 or args.burst_repeats < 1:
        p.error("--rounds, --burst-members and --burst-repeats must be at least 1")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    stop_on_signals()
    t_start = time.monotonic()
    sandbox = Sandbox("relais-side-", args.keep, "relais.log, floor.log, relais.db, synapse/homeserver.log")
    workdir = sandbox.workdir

    def body() -> list[str]:
        info = machine_info()
        if args.relais_root:  # the figures are those of that checkout's Relais
            head = subprocess.run(["git", "-C", str(args.relais_root), "rev-parse", "--short", "HEAD"],
                                  capture_output=True, text=True, timeout=10).stdout.strip()
            info["relais"] = f"{head or '?'} (from {args.relais_root})"
        info["interpreter"], interpreter = bytecode_for(args.optimize, args.debug_ranges == "on",
                                                        args.relais_root or ROOT)
        sandbox.start_synapse(args.start_timeout)
        synapse = sandbox.synapse
        relais_id, relais_pw = register_bot(synapse, "relais")
        floor_id, floor_pw = register_bot(synapse, "floor")
        names = ["alice"] + [f"member-{i:02d}" for i in range(2, args.burst_members + 1)]
        if args.reminders and len(names) < 2:
            names.append("host")
        members = register_members(synapse, names)
        args.storage_url = f"sqlite+aiosqlite:///{workdir / 'relais.db'}"
        args.floor_schedule = workdir / "floor-schedule.json"
        config = write_relais_config(workdir / "config.toml", synapse.base_url, relais_id, "relais-bench",
                                     args.storage_url, language="en",
                                     extra="" if args.encryption == "on" else "\n[encryption]\nenabled = false\n")
        floor_log, relais_log = workdir / "floor.log", workdir / "relais.log"
        floor_proc = sandbox.launch([sys.executable, str(ROOT / "bench" / "floor_bot.py")],
                                    child_env(FLOOR_HOMESERVER=synapse.base_url, FLOOR_USER=floor_id,
                                              FLOOR_SCHEDULE_FILE=str(args.floor_schedule),
                                              FLOOR_PASSWORD=floor_pw, **interpreter,
                                              **({"FLOOR_PROBE_FILE": str(workdir / "floor-probe.txt")}
                                                 if os.environ.get("RELAIS_PROBE_PATH") else {})),
                                    floor_log, "a bot")

        def start_relais() -> subprocess.Popen:
            return sandbox.launch(relais_command(config, args.relais_launcher),
                                  relais_env(relais_pw, "INFO", PYTHONPATH=str(args.relais_root or ROOT), **interpreter,
                                             **{"RELAIS_PROBE_FILE": str(workdir / "relais-probe.txt"),
                                                **{k: v for k, v in os.environ.items()
                                                   if k.startswith("RELAIS_PROBE_")}}),
                                  relais_log, "a bot")

        floor = Bot("floor", floor_id, floor_proc, floor_log)
        relais = Bot("Relais", relais_id, start_relais(), relais_log)

        async def bench_body() -> SideBySide:
            bench = SideBySide(args, synapse, floor, relais, members)
            try:
                await bench.setup(start_relais)
                await bench.run_rounds()
                for paused, count in ((False, args.burst_commands), (True, args.paused_commands)):
                    for repeat in range(args.burst_repeats if count else 0):
                        # Alternated (floor, Relais, Relais, floor, …): each burst leaves the homeserver slower,
                        # so one order for all would favour the bot that always goes first (round 22).
                        for bot in ((floor, relais) if repeat % 2 == 0 else (relais, floor)):
                            await bench.burst(bot, paused)
                if args.reminders:
                    await bench.scheduler_precision(start_relais)
            finally:
                await bench.close()
            return bench

        try:
            bench = asyncio.run(asyncio.wait_for(bench_body(), args.max_seconds))
        except TimeoutError:
            raise BenchError(f"the run did not finish within --max-seconds {args.max_seconds:g}") from None
        md, problems = report(bench, info, time.monotonic() - t_start)
        print("\n" + md + "\n", flush=True)
        for p in problems:
            print(f"!!! {p}", flush=True)
        return problems

    return sandbox.run(body)


if __name__ == "__main__":
    sys.exit(main())
