#!/usr/bin/env python
"""Burst benchmark: Relais, run as its own process, against a throwaway Synapse on 127.0.0.1.

    .venv/bin/python bench/burst.py [--members 20 --commands 50 --pings 50 --actions 200 ...]

Measures, with the homeserver's `origin_server_ts` of each command and of its reply (so client sync delays do
not count):

  a. `!ping` round trip: sequential pings from one member (median, p95, max);
  b. burst: every member sends its commands as fast as it can, all members at once; replies counted (every
     command must be answered), first command → last reply, latency median/p95/max;
  c. actions: `!action @member-x …` creations with owners, deadlines and themes spread over the members, some
     closed, then `!action liste` and `!action liste toutes` (median of 10) and the size of those replies;
  d. the bot process's peak and final RSS and CPU time (from /proc), and Synapse's CPU time for context.

Prints a summary and appends a dated section to docs/benchmarks.md (`--no-write` to skip). Every wait has a
timeout, the whole run has one (`--max-seconds`), and Synapse and the bot are stopped on exit, error or Ctrl-C.
Exit code: 0 when every command was answered, 1 otherwise, 2 on a setup failure, 130 on Ctrl-C.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import re
import resource
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from nio import AsyncClient, ErrorResponse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `python bench/burst.py`: the checkout on sys.path

from bench.common import (  # noqa: E402
    ROOT, BenchError, ProcSample, Sandbox, SyncLoop, cancel, create_room, in_reply_to, machine_info, make_client,
    median, member_clients, pct, proc_sample, register_bot, register_members, relais_command, relais_env, scan,
    stop_on_signals, stop_process, wait_for_log, write_relais_config,
)
from bot.devserver import Synapse  # noqa: E402

DOCS = ROOT / "docs" / "benchmarks.md"
# Deadlines that are never less than 24 h away, so no deadline reminder (a DM) fires during the run.
DEADLINES = ("pour dans 3 jours", "d'ici 2 semaines", "pour dans 5 jours à 18h", "d'ici 3 semaines",
             "pour dans 10 jours", "d'ici 2 mois")
THEMES = ("", " #mobilisation", "", " #énergie", "", " #communication")
DOCS_HEADER = """\
# Benchmarks

Speed and memory of Relais are measured here, by benchmarks run by hand, never by timed assertions in the tests.

## How to run

```sh
.venv/bin/python bench/burst.py                       # defaults: 20 members × 50 commands, 200 actions
.venv/bin/python bench/burst.py --members 3 --commands 10 --paused-commands 40 --actions 20 --pings 10  # quick
```

Each run starts a throwaway Synapse on 127.0.0.1 (`bot/devserver.py`: SQLite, rate limits off, presence off),
runs the bot as its own process exactly as an operator would (`python -m bot --config … run`, SQLite database in
a temporary directory), and appends a dated section below (`--no-write` to skip). See `bench/README.md`.

## What is measured

- **Latency** is `origin_server_ts` of the reply minus that of the command: both stamped by the homeserver, so
  the benchmark clients' own sync delays do not count.
- **ping**: sequential `!ping` round trips from one member (the next ping is sent once the reply is seen).
- **burst**: every member sends its `!ping` commands back to back, all members at once. Every command must be
  answered; the span is first command → last reply. The commands-per-second versus replies-per-second while the
  commands arrive shows whether the bot keeps up. On a small machine the homeserver cannot take events in faster
  than the bot syncs, so this burst alone may never make a sync `limited` (the "gaps fetched" column says).
- **burst, bot paused**: the bot process is frozen (`SIGSTOP`) while every member sends `--paused-commands`
  `!ping`s, then resumed: its next sync holds more than one sync carries (~100 events per room), so it comes
  back `limited` and the bot must fetch the gap with `/messages` to answer them all.
- **actions**: `!action @member-x tâche n … pour <date>` creations spread over the members (owners, deadlines,
  some themes), some closed with `!action fait`, then `!action liste` / `!action liste toutes` (median of 10
  sequential requests) and the size of those replies (plain `body`, HTML `formatted_body`, whole event JSON;
  Matrix caps an event at 65 536 bytes).
- **memory / CPU**: the bot process's RSS (`VmRSS`, peak `VmHWM`) and CPU time (`utime+stime`) from `/proc`;
  Synapse's CPU time for context. All processes share the machine's cores with the benchmark's clients.
"""


# ---- small helpers --------------------------------------------------------------------------------------------


def ms(x: float) -> str:
    return "—" if math.isnan(x) else f"{x:.0f} ms"


def secs(x: float) -> str:
    return "—" if math.isnan(x) else f"{x:.2f} s"


def kib(n: int) -> str:
    return f"{n / 1024:.1f} KiB"


# ---- Matrix side ----------------------------------------------------------------------------------------------


class Observer(SyncLoop):
    """One member's client that syncs (long poll) and records the room's messages, fetching the gap of a
    `limited` timeline like the bot does, so it sees every reply even in a burst."""

    def __init__(self, client: AsyncClient, room_id: str, bot_id: str, bot_proc: subprocess.Popen) -> None:
        super().__init__(client)
        self.room_id, self.bot_id, self.bot_proc = room_id, bot_id, bot_proc
        self.messages: dict[str, dict] = {}  # event_id -> source, every m.room.message of the room
        self.replies: dict[str, dict] = {}  # command event_id -> the bot's reply (source)
        self.reply_seen_at: dict[str, float] = {}  # command event_id -> time.monotonic() when the reply was seen
        self.bot_other: list[dict] = []  # the bot's messages that are not replies (greeting, notices)

    def _wants(self, room_id: str) -> bool:
        return room_id == self.room_id

    def _take(self, room_id: str, src: dict, now: float) -> None:
        if src.get("type") != "m.room.message" or "event_id" not in src:
            return
        if src["event_id"] in self.messages:
            return
        self.messages[src["event_id"]] = src
        if src.get("sender") == self.bot_id:
            target = in_reply_to(src)
            if target:
                if target not in self.replies:
                    self.replies[target] = src
                    self.reply_seen_at[target] = time.monotonic()  # seen once its gap is fetched, if any
            else:
                self.bot_other.append(src)

    async def wait(self, done, timeout: float, what: str, idle: float | None = None, progress=None) -> bool:
        """Until `done()` is true (True), `timeout` seconds pass, or — with `idle` — `progress()` has not
        changed for `idle` seconds (False). Raises if the bot process or the sync loop died."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        last_value, last_change = (progress() if progress else None), loop.time()
        while True:
            tick = self._tick
            if done():
                return True
            if self.bot_proc.poll() is not None:
                raise BenchError(f"the bot process exited (code {self.bot_proc.returncode}) while waiting for {what}")
            if self._task is None or self._task.done():
                exc = self._task.exception() if self._task and not self._task.cancelled() else None
                raise BenchError(f"the observer stopped syncing ({exc!r}) while waiting for {what}")
            now = loop.time()
            if progress:
                value = progress()
                if value != last_value:
                    last_value, last_change = value, now
                elif idle is not None and now - last_change > idle:
                    print(f"  … no progress for {idle:g} s while waiting for {what}: giving up", flush=True)
                    return False
            if now > deadline:
                print(f"  … {timeout:g} s passed while waiting for {what}: giving up", flush=True)
                return False
            try:
                await asyncio.wait_for(tick.wait(), min(1.0, max(0.05, deadline - now)))
            except TimeoutError:
                pass


# ---- the phases -----------------------------------------------------------------------------------------------


@dataclass
class PhaseResult:
    name: str
    sent: int = 0
    send_errors: int = 0
    answered: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    span_s: float = math.nan  # server time: first command → last reply
    wall_s: float = math.nan  # local time: first send → last reply seen by the observer
    send_s: float = math.nan  # local time spent sending the commands
    bot_cpu_s: float = math.nan
    synapse_cpu_s: float = math.nan
    bot_rss_end_mb: float = math.nan
    bot_rss_peak_mb: float = math.nan
    unexpected: list[str] = field(default_factory=list)  # reply bodies that are not the expected answer
    unanswered_ids: list[str] = field(default_factory=list)
    observer_answered: int = 0  # what the syncing observer saw (cross-check of the /messages scan)
    gaps: int = 0  # limited-timeline gaps the bot fetched during the phase (from its log)
    gap_events: int = 0
    command_rate: float = math.nan  # commands per second while they were being sent (server ts)
    reply_rate_during: float = math.nan  # replies per second over that same window
    resume_to_last_s: float = math.nan  # paused phase: bot resumed → last reply (server clock ≈ local clock)

    @property
    def missing(self) -> int:
        return self.sent - self.answered


class Bench:
    def __init__(self, args, synapse: Synapse, bot_proc: subprocess.Popen, bot_id: str,
                 members: list[tuple[str, str]]) -> None:
        self.args = args
        self.synapse = synapse
        self.bot_proc = bot_proc
        self.bot_id = bot_id
        self.member_ids = [m[0] for m in members]
        self.clients = member_clients(synapse, members)
        self.obs_client = make_client(synapse.base_url, members[0][0], members[0][1])
        self.observer: Observer | None = None
        self.room_id = ""
        self.results: dict[str, PhaseResult] = {}
        self.list_sizes: dict[str, dict[str, int]] = {}
        self.list_counts: dict[str, int] = {}
        self.bot_start_s = math.nan
        self.bot_idle: ProcSample | None = None
        self._rss_peak_phase = 0.0
        self._sampler: asyncio.Task | None = None
        self.synapse_pid = synapse._proc.pid if synapse._proc else None  # noqa: SLF001 (our own dev server)

    # -- plumbing ---------------------------------------------------------------------------------------------

    async def close(self) -> None:
        await cancel(self._sampler)
        if self.observer:
            await self.observer.close()
        await asyncio.gather(*(c.close() for c in [*self.clients, self.obs_client]), return_exceptions=True)

    async def _sample_rss(self) -> None:
        while True:
            s = proc_sample(self.bot_proc.pid)
            if s:
                self._rss_peak_phase = max(self._rss_peak_phase, s.rss_mb)
            await asyncio.sleep(0.2)

    def _cpu(self) -> tuple[float, float]:
        bot = proc_sample(self.bot_proc.pid)
        syn = proc_sample(self.synapse_pid) if self.synapse_pid else None
        return (bot.cpu_s if bot else math.nan, syn.cpu_s if syn else math.nan)

    async def _send(self, client: AsyncClient, body: str) -> str | None:
        resp = await client.room_send(self.room_id, "m.room.message", {"msgtype": "m.text", "body": body})
        if isinstance(resp, ErrorResponse):
            print(f"  send failed for {client.user_id}: {resp.message} ({resp.status_code})", flush=True)
            return None
        return resp.event_id

    async def _command(self, result: PhaseResult, client: AsyncClient, body: str) -> str | None:
        """Sends one command, counted in `result` (sent, and send errors)."""
        eid = await self._send(client, body)
        result.sent += 1
        if eid is None:
            result.send_errors += 1
        return eid

    async def _await_replies(self, ids, what: str, since: float) -> float:
        """Until every command of `ids` has its reply (or --burst-timeout, or --idle-timeout without a new reply);
        returns the seconds from `since` to the last reply seen (NaN for none)."""
        replies = self.observer.replies
        await self.observer.wait(lambda: all(i in replies for i in ids), self.args.burst_timeout, what,
                                 idle=self.args.idle_timeout, progress=lambda: len(replies))
        seen = [self.observer.reply_seen_at[i] for i in ids if i in self.observer.reply_seen_at]
        return (max(seen) - since) if seen else math.nan

    async def _phase(self, name: str, body) -> PhaseResult:
        """Runs `body(result)` between CPU/RSS readings, then counts answers from a /messages scan."""
        result = PhaseResult(name)
        self.results[name] = result
        start_token = self.observer.token
        bot_cpu0, syn_cpu0 = self._cpu()
        self._rss_peak_phase = 0.0
        print(f"[{name}] …", flush=True)
        log0 = bot_log_summary(self.args.bot_log)
        t0 = time.monotonic()
        commands = await body(result)
        if math.isnan(result.wall_s):
            result.wall_s = time.monotonic() - t0
        bot_cpu1, syn_cpu1 = self._cpu()
        result.bot_cpu_s, result.synapse_cpu_s = bot_cpu1 - bot_cpu0, syn_cpu1 - syn_cpu0
        now = proc_sample(self.bot_proc.pid)
        result.bot_rss_end_mb = now.rss_mb if now else math.nan
        result.bot_rss_peak_mb = max(self._rss_peak_phase, result.bot_rss_end_mb)
        await self._count(result, commands, start_token)
        log1 = bot_log_summary(self.args.bot_log)
        result.gaps, result.gap_events = log1["gaps"] - log0["gaps"], log1["gap_events"] - log0["gap_events"]
        line = (f"[{name}] answered {result.answered}/{result.sent}; latency median {ms(median(result.latencies_ms))}"
                f", p95 {ms(pct(result.latencies_ms, 95))}, max {ms(max(result.latencies_ms, default=math.nan))}")
        print(line, flush=True)
        if result.observer_answered != result.answered:
            print(f"  (the syncing observer saw {result.observer_answered} replies, /messages {result.answered})")
        if result.missing or result.send_errors:
            shout(f"{name}: {result.missing} of {result.sent} commands NOT answered"
                  + (f", {result.send_errors} sends failed" if result.send_errors else ""))
        return result

    async def _count(self, result: PhaseResult, commands: dict[str, str], start_token: str) -> None:
        """Authoritative count: every event of the phase read back with /messages, matched by m.in_reply_to."""
        result.observer_answered = sum(1 for eid in commands if eid in self.observer.replies)
        events = await scan(self.obs_client, self.room_id, self.observer.token, start_token)
        by_id = {e["event_id"]: e for e in events if "event_id" in e}
        replies: dict[str, dict] = {}
        for e in events:
            if e.get("sender") == self.bot_id and e.get("type") == "m.room.message":
                target = in_reply_to(e)
                if target in commands:
                    replies.setdefault(target, e)
        for eid, src in self.observer.replies.items():  # the scan is bounded by tokens: union, to be safe
            if eid in commands:
                replies.setdefault(eid, src)
        cmd_ts = []
        reply_ts = []
        for eid, expected in commands.items():
            cmd = by_id.get(eid) or self.observer.messages.get(eid)
            reply = replies.get(eid)
            if cmd is not None:
                cmd_ts.append(cmd["origin_server_ts"])
            if reply is None:
                result.unanswered_ids.append(eid)
                continue
            result.answered += 1
            reply_ts.append(reply["origin_server_ts"])
            if cmd is not None:
                result.latencies_ms.append(reply["origin_server_ts"] - cmd["origin_server_ts"])
            text = reply.get("content", {}).get("body", "")
            if expected and expected not in text and len(result.unexpected) < 5:
                result.unexpected.append(text[:200])
        if cmd_ts and reply_ts:
            result.span_s = (max(reply_ts) - min(cmd_ts)) / 1000
            window = (max(cmd_ts) - min(cmd_ts)) / 1000
            if window > 0 and len(cmd_ts) > 1:
                result.command_rate = (len(cmd_ts) - 1) / window
                result.reply_rate_during = sum(1 for t in reply_ts if t <= max(cmd_ts)) / window

    # -- setup ------------------------------------------------------------------------------------------------

    async def setup(self) -> None:
        # The bot logs "first sync done" when it is up; it then joins on invite and greets the room.
        await wait_for_log(self.args.bot_log, "first sync done", self.args.start_timeout, self.bot_proc)
        self.bot_start_s = time.monotonic() - self.args.bot_launched_at
        self.bot_idle = proc_sample(self.bot_proc.pid)
        coordinator = self.clients[0]
        self.room_id = await create_room(self.clients, "Relais bench", self.bot_id)
        self.observer = Observer(self.obs_client, self.room_id, self.bot_id, self.bot_proc)
        await self.observer.start()
        if not await self.observer.wait(lambda: bool(self.observer.bot_other), self.args.start_timeout,
                                        "the bot's greeting"):
            raise BenchError(f"the bot did not greet the room within {self.args.start_timeout:g} s")
        # Every member's join must be in the bot's view before commands name them; a ping round trip after the
        # joins proves the bot's sync has gone past them.
        eid = await self._send(coordinator, "!ping")
        if not eid or not await self.observer.wait(lambda: eid in self.observer.replies, 30, "a first pong"):
            raise BenchError("no answer to a first !ping")
        self._sampler = asyncio.create_task(self._sample_rss())
        print(f"[setup] room {self.room_id}: {len(self.clients)} members and the bot joined; "
              f"bot up in {self.bot_start_s:.1f} s, RSS {self.bot_idle.rss_mb:.0f} MB", flush=True)

    # -- a. ping ----------------------------------------------------------------------------------------------

    async def ping(self) -> PhaseResult:
        async def body(result: PhaseResult) -> dict[str, str]:
            commands: dict[str, str] = {}
            t0 = time.monotonic()
            for _ in range(self.args.pings):
                eid = await self._command(result, self.clients[0], "!ping")
                if eid is None:
                    continue
                commands[eid] = "pong"
                await self.observer.wait(lambda: eid in self.observer.replies, self.args.reply_timeout,
                                         "a pong")
            result.wall_s = time.monotonic() - t0
            return commands

        return await self._phase("ping", body)

    async def _pings_from_everyone(self, result: PhaseResult, count: int, ids: list[str]) -> None:
        """Every member sends `count` `!ping`s back to back, all members at once; event ids go to `ids`."""

        async def member(client: AsyncClient) -> None:
            for _ in range(count):
                if eid := await self._command(result, client, "!ping"):
                    ids.append(eid)

        await asyncio.gather(*(member(c) for c in self.clients))

    # -- b. burst ---------------------------------------------------------------------------------------------

    async def burst(self) -> PhaseResult:
        async def body(result: PhaseResult) -> dict[str, str]:
            ids: list[str] = []
            t0 = time.monotonic()
            await self._pings_from_everyone(result, self.args.commands, ids)
            result.send_s = time.monotonic() - t0
            result.wall_s = await self._await_replies(ids, f"{len(ids)} burst replies", t0)
            return {i: "pong" for i in ids}

        return await self._phase("burst", body)

    # -- b'. burst while the bot is paused -------------------------------------------------------------------

    async def paused(self) -> PhaseResult:
        """The bot is frozen (SIGSTOP) while every member sends its commands, then resumed (SIGCONT): its next
        sync comes back `limited` with more than a sync carries, so the gap must be fetched with /messages."""
        async def body(result: PhaseResult) -> dict[str, str]:
            ids: list[str] = []

            os.kill(self.bot_proc.pid, signal.SIGSTOP)
            try:
                t0 = time.monotonic()
                await self._pings_from_everyone(result, self.args.paused_commands, ids)
                result.send_s = time.monotonic() - t0
            finally:
                os.kill(self.bot_proc.pid, signal.SIGCONT)
            resumed_ms = time.time() * 1000  # same host as the homeserver: its clock
            t_resume = time.monotonic()
            result.wall_s = await self._await_replies(ids, f"{len(ids)} replies after the pause", t_resume)
            replies = self.observer.replies
            last = max((replies[i]["origin_server_ts"] for i in ids if i in replies), default=None)
            result.resume_to_last_s = (last - resumed_ms) / 1000 if last else math.nan
            return {i: "pong" for i in ids}

        return await self._phase("burst, bot paused", body)

    # -- c. actions -------------------------------------------------------------------------------------------

    async def actions(self) -> None:
        n_members = len(self.clients)
        localparts = [uid.split(":")[0] for uid in self.member_ids]  # "@member-07"

        async def create(result: PhaseResult) -> dict[str, str]:
            ids: list[str] = []

            async def member(k: int) -> None:
                for i in range(k, self.args.actions, n_members):
                    owner = localparts[(i * 7 + 3) % n_members]
                    text = (f"!action {owner} tâche {i + 1} : préparer le point {i + 1} du plan d'action"
                            f"{THEMES[i % len(THEMES)]} {DEADLINES[i % len(DEADLINES)]}")
                    if eid := await self._command(result, self.clients[k], text):
                        ids.append(eid)

            t0 = time.monotonic()
            await asyncio.gather(*(member(k) for k in range(n_members)))
            result.send_s = time.monotonic() - t0
            result.wall_s = await self._await_replies(ids, f"{len(ids)} action replies", t0)
            return {i: "enregistrée" for i in ids}

        async def close_some(result: PhaseResult) -> dict[str, str]:
            commands: dict[str, str] = {}
            for n in range(1, self.args.done + 1):
                if eid := await self._command(result, self.clients[n % n_members], f"!action fait {n}"):
                    commands[eid] = "faite"
            await self._await_replies(commands, "!action fait replies", time.monotonic())
            return commands

        def listing(command: str, key: str):
            async def body(result: PhaseResult) -> dict[str, str]:
                commands: dict[str, str] = {}
                last = None
                for _ in range(self.args.list_repeats):
                    eid = await self._command(result, self.clients[0], command)
                    if eid is None:
                        continue
                    commands[eid] = ""
                    if await self.observer.wait(lambda: eid in self.observer.replies, self.args.reply_timeout,
                                                f"a reply to {command}"):
                        last = self.observer.replies[eid]
                if last is not None:
                    content = last.get("content", {})
                    body_text = content.get("body", "")
                    self.list_sizes[key] = {
                        "body": len(body_text.encode()),
                        "html": len(content.get("formatted_body", "").encode()),
                        "event": len(json.dumps(last, ensure_ascii=False).encode()),
                    }
                    self.list_counts[key] = len(re.findall(r"#\d+", body_text))
                return commands

            return body

        await self._phase("actions: create", create)
        if self.args.done:
            await self._phase("actions: fait", close_some)
        if self.args.list_repeats:
            await self._phase("actions: liste", listing("!action liste", "liste"))
            await self._phase("actions: liste toutes", listing("!action liste toutes", "toutes"))


def tail(path: Path, lines: int = 30) -> str:
    try:
        text = path.read_text(errors="replace").splitlines()[-lines:]
    except FileNotFoundError:
        return f"(no {path})"
    return f"--- last lines of {path} ---\n" + "\n".join(text)


def shout(message: str) -> None:
    bar = "!" * min(100, len(message) + 8)
    print(f"\n{bar}\n!!! {message} !!!\n{bar}\n", flush=True)


def bot_log_summary(path: Path) -> dict:
    """Gap fetches and warnings/errors the bot logged."""
    try:
        lines = path.read_text(errors="replace").splitlines()
    except FileNotFoundError:
        return {"gaps": 0, "gap_events": 0, "warnings": [], "errors": 0}
    gaps = [int(m.group(1)) for line in lines if (m := re.search(r"fetched (\d+) events from a limited", line))]
    problems = [line for line in lines if re.search(r" (WARNING|ERROR|CRITICAL) ", line)]
    return {"gaps": len(gaps), "gap_events": sum(gaps), "warnings": problems,
            "errors": sum(1 for line in problems if " ERROR " in line or " CRITICAL " in line)}


# ---- report ---------------------------------------------------------------------------------------------------


def lat(r: PhaseResult) -> str:
    return (f"{ms(median(r.latencies_ms))} / {ms(pct(r.latencies_ms, 95))} / "
            f"{ms(max(r.latencies_ms, default=math.nan))}")


MATRIX_EVENT_LIMIT = 65_536  # bytes, the spec's cap on a whole event (Synapse answers 413 "event too large")


def report(args, info: dict, bench: Bench, final: ProcSample | None, logsum: dict, total_s: float,
           bench_cpu_s: float) -> tuple[str, str, list[str]]:
    R = {name: r for name, r in bench.results.items() if r.sent}
    rows: list[tuple[str, str]] = []
    problems: list[str] = []
    for r in R.values():
        if r.missing or r.send_errors:
            problems.append(f"{r.name}: {r.missing} of {r.sent} commands not answered"
                            + (f", {r.send_errors} sends failed" if r.send_errors else ""))
        if r.unexpected:
            problems.append(f"{r.name}: unexpected replies, e.g. {r.unexpected[0]!r}")
    if logsum["warnings"]:
        problems.append(f"the bot logged {len(logsum['warnings'])} warnings/errors, first: "
                        f"{logsum['warnings'][0].split(' ', 3)[-1][:160]!r}")
    if "ping" in R:
        p = R["ping"]
        rows.append((f"`!ping` round trip, {p.sent} sequential: median / p95 / max", lat(p)))
    if "burst" in R:
        b = R["burst"]
        rows += [
            (f"burst {args.members} × {args.commands}: replies", f"**{b.answered} / {b.sent}**"),
            ("burst: first command → last reply (server ts)", secs(b.span_s)
             + (f" ({b.answered / b.span_s:.0f} replies/s)" if b.span_s > 0 else "")),
            ("burst: first send → last reply seen (wall clock)", secs(b.wall_s)),
            ("burst: latency median / p95 / max", lat(b)),
            ("burst: while commands arrived: commands/s vs replies/s",
             f"{b.command_rate:.1f} vs {b.reply_rate_during:.1f} (sending took {b.send_s:.1f} s)"),
            ("burst: limited-timeline gaps the bot fetched", f"{b.gaps} ({b.gap_events} events)"),
        ]
    if "burst, bot paused" in R:
        g = R["burst, bot paused"]
        rows += [
            (f"bot paused while {args.members} × {args.paused_commands} `!ping` sent: replies",
             f"**{g.answered} / {g.sent}**"),
            ("paused: bot resumed → last reply", secs(g.resume_to_last_s)),
            ("paused: limited-timeline gaps the bot fetched", f"{g.gaps} ({g.gap_events} events)"),
        ]
    if "actions: create" in R:
        c = R["actions: create"]
        rows += [
            (f"{c.sent} `!action` creations (members concurrently): replies", f"{c.answered} / {c.sent}"),
            ("`!action` creation latency median / p95 / max", lat(c)),
            ("creations: first command → last reply (server ts)", secs(c.span_s)
             + (f" ({c.answered / c.span_s:.1f} replies/s)" if c.span_s > 0 else "")),
        ]
    if "actions: fait" in R:
        f = R["actions: fait"]
        rows.append((f"`!action fait` × {f.sent}: replies, latency median", f"{f.answered} / {f.sent}, "
                                                                         f"{ms(median(f.latencies_ms))}"))
    for key, name in (("liste", "actions: liste"), ("toutes", "actions: liste toutes")):
        if name in R:
            r = R[name]
            size = bench.list_sizes.get(key)
            size_text = (f"; reply {kib(size['body'])} plain + {kib(size['html'])} HTML, event {kib(size['event'])}"
                         f" ({size['event'] / MATRIX_EVENT_LIMIT:.0%} of the 64 KiB limit), "
                         f"{bench.list_counts.get(key, 0)} actions listed" if size else "; **no reply**")
            rows.append((f"`!action {'liste' if key == 'liste' else 'liste toutes'}`: median of {r.sent} / max",
                         f"{ms(median(r.latencies_ms))} / {ms(max(r.latencies_ms, default=math.nan))}{size_text}"))
    if bench.bot_idle:
        rows.append(("bot RSS after start-up (idle, 1 room)", f"{bench.bot_idle.rss_mb:.0f} MB"))
    if final:
        rows += [
            ("bot RSS peak (VmHWM) / final (VmRSS)", f"**{final.hwm_mb:.0f} MB** / {final.rss_mb:.0f} MB"),
            ("bot CPU time, whole run (incl. start-up)", f"{final.cpu_s:.1f} s"),
        ]
    rows.append(("bot start-up (process launch → first sync done)", secs(bench.bot_start_s)))
    rows.append(("bot log: warnings / errors", f"{len(logsum['warnings']) - logsum['errors']} / {logsum['errors']}"))

    phase_rows = []
    for r in R.values():
        per_cmd = r.bot_cpu_s / r.sent * 1000
        syn_cmd = r.synapse_cpu_s / r.sent * 1000
        phase_rows.append(
            f"| {r.name} | {r.sent} | {r.answered} | {secs(r.wall_s)} | {r.bot_cpu_s:.2f} s ({per_cmd:.0f} ms/cmd) | "
            f"{r.synapse_cpu_s:.2f} s ({syn_cmd:.0f} ms/cmd) | {r.bot_rss_peak_mb:.0f} MB | {r.gaps} |")

    # One line of interpretation, from the figures.
    interp = []
    b = R.get("burst")
    if b:
        if b.missing:
            interp.append(f"{b.missing} of {b.sent} burst commands were NOT answered")
        else:
            interp.append(f"all {b.sent} burst commands were answered, the last {b.span_s:.0f} s after the first")
        bot_ms, syn_ms = b.bot_cpu_s / b.sent * 1000, b.synapse_cpu_s / b.sent * 1000
        syn_load = b.synapse_cpu_s / b.wall_s if b.wall_s > 0 else math.nan
        interp.append(f"per command the bot used {bot_ms:.0f} ms of CPU and Synapse {syn_ms:.0f} ms "
                      f"(Synapse busy {syn_load:.0%} of one core)"
                      + (", so the homeserver, not the bot, sets the pace" if syn_ms > 2 * bot_ms else ""))
        if b.reply_rate_during < 0.8 * b.command_rate and median(b.latencies_ms) > 1000:
            interp.append(f"while commands poured in ({b.command_rate:.0f}/s) replies went out at only "
                          f"{b.reply_rate_during:.0f}/s, hence the {median(b.latencies_ms) / 1000:.0f} s median")
    g = R.get("burst, bot paused")
    if g:
        interp.append(f"after a pause, {g.answered}/{g.sent} answered with {g.gaps} gap(s) fetched")
    for key in ("liste", "toutes"):
        size = bench.list_sizes.get(key)
        if size and size["event"] > 0.75 * MATRIX_EVENT_LIMIT:
            interp.append(f"`!action liste{' toutes' if key == 'toutes' else ''}` with "
                          f"{bench.list_counts.get(key, 0)} actions is already {size['event'] / 1024:.0f} KiB, "
                          f"close to the 64 KiB event limit")
        elif size is None and f"actions: liste{' toutes' if key == 'toutes' else ''}" in R:
            interp.append(f"`!action liste{' toutes' if key == 'toutes' else ''}` got NO reply")
    if final:
        interp.append(f"the bot peaked at {final.hwm_mb:.0f} MB RSS")
    interpretation = "; ".join(interp) + "."

    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    params = (f"`--members {args.members} --commands {args.commands} --paused-commands {args.paused_commands}"
              f" --pings {args.pings} --actions {args.actions} --done {args.done}"
              f" --list-repeats {args.list_repeats}`")
    if args.bot_launcher:
        shown = args.bot_launcher.relative_to(ROOT) if args.bot_launcher.is_relative_to(ROOT) else args.bot_launcher
        params += f" — **bot run through `{shown}`, not `python -m bot`**"
    md = [
        f"### {stamp} — {args.members} members × {args.commands} commands, {args.actions} actions",
        "",
        f"Machine: {info['nproc']} CPUs ({info['cpu']}), {info['ram']} RAM, {info['os']}; Python {info['python']}, "
        f"Synapse {info['synapse']} (SQLite), matrix-nio {info['nio']}, SQLAlchemy {info['sqlalchemy']}; "
        f"Relais {info['relais']}.",
        f"Parameters: {params}. The run took {total_s:.0f} s; the benchmark's own clients used "
        f"{bench_cpu_s:.1f} s of CPU on the same machine.",
        "",
    ]
    if problems:
        md += [f"**⚠ {p}**" for p in problems] + [""]
    md += ["| Measure | Value |", "|---|---|"] + [f"| {k} | {v} |" for k, v in rows] + [""]
    md += ["| Phase | commands | answered | wall clock | bot CPU | Synapse CPU | bot RSS peak | gaps fetched |",
           "|---|---|---|---|---|---|---|---|"] + phase_rows + [""]
    md += [f"In short: {interpretation}"]
    if args.note:
        md += ["", args.note]
    md += [""]

    text = [f"\n=== Summary ({stamp}) ===", f"machine: {info}", f"parameters: {params}"]
    width = max(len(k) for k, _ in rows)
    text += [f"  {k.ljust(width)}  {v.replace('**', '')}" for k, v in rows]
    text += ["", "  phase | commands | answered | wall | bot CPU | Synapse CPU | bot RSS peak | gaps"]
    text += ["  " + r.strip("| ") for r in phase_rows]
    text += ["", f"In short: {interpretation}"]
    return "\n".join(md), "\n".join(text), problems


def write_docs(section: str) -> None:
    DOCS.parent.mkdir(parents=True, exist_ok=True)
    if not DOCS.exists():
        DOCS.write_text(DOCS_HEADER + "\n## Results\n\n", encoding="utf-8")
    with DOCS.open("a", encoding="utf-8") as f:
        f.write(section + "\n")


# ---- main -----------------------------------------------------------------------------------------------------


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--members", type=int, default=20, help="room members sending commands (member 1 coordinates)")
    p.add_argument("--commands", type=int, default=50, help="!ping commands per member in the burst")
    p.add_argument("--pings", type=int, default=50, help="sequential !ping round trips")
    p.add_argument("--actions", type=int, default=200, help="!action creations")
    p.add_argument("--done", type=int, default=None, help="actions closed with !action fait (default: 10%%)")
    p.add_argument("--paused-commands", type=int, default=10,
                   help="!ping commands per member sent while the bot is paused (SIGSTOP), forcing a sync gap")
    p.add_argument("--list-repeats", type=int, default=10, help="requests of each !action liste variant")
    p.add_argument("--reply-timeout", type=float, default=30, help="seconds to wait for one reply")
    p.add_argument("--burst-timeout", type=float, default=600, help="seconds to wait for all replies of a burst")
    p.add_argument("--idle-timeout", type=float, default=60,
                   help="give up waiting for a burst's replies after this many seconds without a new one")
    p.add_argument("--start-timeout", type=float, default=90, help="seconds for Synapse / the bot to come up")
    p.add_argument("--max-seconds", type=float, default=2400, help="the whole run stops after this")
    p.add_argument("--bot-log-level", default="INFO", help="RELAIS_LOG_LEVEL of the bot process")
    p.add_argument("--bot-launcher", type=Path, default=None,
                   help="experiments only: a Python file run instead of `-m bot` (same arguments)")
    p.add_argument("--note", default="", help="a line added to the docs section (e.g. what changed)")
    p.add_argument("--no-write", action="store_true", help=f"do not append to {DOCS.relative_to(ROOT)}")
    p.add_argument("--keep", action="store_true", help="keep the temporary directory (logs, databases)")
    args = p.parse_args(argv)
    if args.bot_launcher:
        args.bot_launcher = args.bot_launcher.resolve()  # the bot runs in the temporary directory
    if args.done is None:
        args.done = args.actions // 10
    args.done = min(args.done, args.actions)
    if min(args.commands, args.pings, args.actions, args.paused_commands, args.done) < 0 or args.members < 1:
        p.error("counts must be positive")
    return args


async def run(args, synapse: Synapse, bot_proc: subprocess.Popen, bot_id: str, members) -> Bench:
    bench = Bench(args, synapse, bot_proc, bot_id, members)
    try:
        await bench.setup()
        if args.pings:
            await bench.ping()
        if args.commands:
            await bench.burst()
        if args.paused_commands:
            await bench.paused()
        if args.actions:
            await bench.actions()
    finally:
        await bench.close()
    return bench


def main(argv=None) -> int:
    args = parse_args(argv)
    stop_on_signals()
    t_start = time.monotonic()
    sandbox = Sandbox("relais-bench-", args.keep, "bot.log, relais.db, synapse/homeserver.log")
    args.bot_log = sandbox.workdir / "bot.log"

    def body() -> list[str]:
        info = machine_info()
        sandbox.start_synapse(args.start_timeout)
        synapse = sandbox.synapse
        print(f"Synapse up at {synapse.base_url}; registering the bot and {args.members} members …", flush=True)
        bot_id, bot_password = register_bot(synapse, "relais")
        members = register_members(synapse, [f"member-{i:02d}" for i in range(1, args.members + 1)])
        config = write_relais_config(sandbox.workdir / "config.toml", synapse.base_url, bot_id, "relais-bench",
                                     f"sqlite+aiosqlite:///{sandbox.workdir / 'relais.db'}")
        args.bot_launched_at = time.monotonic()
        bot_proc = sandbox.launch(relais_command(config, args.bot_launcher),
                                  relais_env(bot_password, args.bot_log_level), args.bot_log, "the bot")
        print(f"bot started (pid {bot_proc.pid}), log {args.bot_log}", flush=True)

        async def bounded():
            return await asyncio.wait_for(run(args, synapse, bot_proc, bot_id, members), args.max_seconds)

        try:
            bench = asyncio.run(bounded())
        except TimeoutError:
            raise BenchError(f"the run did not finish within --max-seconds {args.max_seconds:g}") from None

        final = proc_sample(bot_proc.pid)
        stop_process(bot_proc, "the bot")
        logsum = bot_log_summary(args.bot_log)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        md, text, problems = report(args, info, bench, final, logsum, time.monotonic() - t_start,
                                    usage.ru_utime + usage.ru_stime)
        print(text, flush=True)
        if logsum["warnings"]:
            print(f"\nbot log: {len(logsum['warnings'])} warning/error lines, first ones:")
            for line in logsum["warnings"][:10]:
                print("  " + line[:300])
        if problems:
            for problem in problems:
                shout(problem)
            for r in bench.results.values():
                if r.unanswered_ids:
                    print(f"  {r.name}: unanswered event ids (first 10): {r.unanswered_ids[:10]}")
        if not args.no_write:
            write_docs(md)
            print(f"\nappended to {DOCS}")
        return problems

    return sandbox.run(body, on_failure=lambda: print(tail(args.bot_log), flush=True), keep_on_crash=True)


if __name__ == "__main__":
    sys.exit(main())
