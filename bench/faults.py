#!/usr/bin/env python
"""Fault benchmark: Relais under crashes, storage failures, a homeserver outage and rate limits, with figures.

    .venv/bin/python bench/faults.py                         # every phase (~6 min on 2 cores)
    .venv/bin/python bench/faults.py --phases crash --commands 500 --kills 12
    .venv/bin/python bench/faults.py --phases lock,full,postgres,outage,ratelimit

Phases (each with a fresh bot account, database and room, against a throwaway Synapse on 127.0.0.1):

  crash      the bot runs as its own process (`python -m bot --config … run`); five members send a mix of
             commands (`!ping N`, `!action tâche N`, `!action liste`, `!quand demain 18h`, `!info note N` during
             an open meeting, acknowledged by a ✅ reaction) while a killer SIGKILLs the bot at random moments
             (during start-up, or while it answers) and starts it again. At the end every command's answers are
             counted by their `m.in_reply_to` / `m.annotation` relation: lost (none), duplicated (more than one),
             late (answered after a kill that came after the command); action numbers must be 1..N, each once.
  lock       another connection holds the SQLite database with `BEGIN EXCLUSIVE` for --lock-seconds while
             members send commands (the bot waits up to its 10 s busy timeout, then answers "Pas enregistré").
  full       the disk is full: `PRAGMA max_page_count` pinned to the database's size on the bot's connections.
  postgres   the bot on a throwaway PostgreSQL cluster (tests/postgres.py) that is stopped for
             --pg-down-seconds mid-run, then started again.
  outage     members send commands, Synapse is stopped at once for --outage-seconds, then started, and members
             send more right away while the bot is still backing off: everything must be answered, once.
  ratelimit  a Synapse with its stock message rate limit (rc_message 0.2/s, burst 10) for the bot's account
             (members exempt through the admin API); members send --rl-commands commands at once.

Prints a summary and writes each phase's figures into docs/reliability.md (`--no-write` to skip). The crash
phase is also run, smaller, by tests/e2e/test_faults.py (`crash_run`). Every wait has a timeout; Synapse,
PostgreSQL and the bot are stopped on exit, error or Ctrl-C. Exit code: 0 when nothing was lost or duplicated
(and nothing half-saved), 1 otherwise, 2 on a set-up failure, 130 on Ctrl-C.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import logging
import math
import random
import re
import secrets
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import NamedTuple

from nio import AsyncClient, ErrorResponse, SyncError

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `python bench/faults.py`: the checkout

from bench.common import (  # noqa: E402
    ROOT, BenchError, Sandbox, SyncLoop, create_room, in_reply_to, machine_info, make_client, median,
    member_clients, pct, register_bot, register_members, relais_command, relais_env, scan, spawn, stop_process,
    wait_for_log, write_relais_config,
)
from bot import devserver  # noqa: E402
from bot.devserver import Synapse  # noqa: E402

DOCS = ROOT / "docs" / "reliability.md"
PHASES = ("crash", "lock", "full", "postgres", "outage", "ratelimit")
UNAVAILABLE = ("Pas enregistré", "Not recorded")
log = logging.getLogger("bench.faults")


def now_ms() -> int:
    return int(time.time() * 1000)  # Synapse runs on this host: its origin_server_ts is this clock


# ---- counting answers -----------------------------------------------------------------------------------------


def answer_target(src: dict, bot_id: str) -> str | None:
    """The command an event of the bot answers: a reply's m.in_reply_to, a reaction's annotated event."""
    if src.get("sender") != bot_id:
        return None
    if src.get("type") == "m.room.message":
        return in_reply_to(src)
    if src.get("type") == "m.reaction":
        rel = src.get("content", {}).get("m.relates_to") or {}
        return rel.get("event_id") if rel.get("rel_type") == "m.annotation" else None
    return None


@dataclass
class Tally:
    sent: int = 0
    send_errors: int = 0
    answered: int = 0
    lost: list[str] = field(default_factory=list)  # command event ids with no answer
    duplicated: dict[str, int] = field(default_factory=dict)  # command event id -> answers (> 1)
    late: int = 0  # answered after a fault that came after the command (a kill, a restart)
    refused: int = 0  # answered "Pas enregistré" (the database failed): the member was told to send it again
    internal: int = 0  # answered with the internal-error apology
    latencies_ms: list[float] = field(default_factory=list)
    late_latencies_ms: list[float] = field(default_factory=list)
    answers: dict[str, list[dict]] = field(default_factory=dict)

    @property
    def extra(self) -> int:
        return sum(n - 1 for n in self.duplicated.values())


def tally(events: list[dict], commands: list[str], bot_id: str, faults_ms: list[int] = (),
          send_errors: int = 0) -> Tally:
    by_id = {e["event_id"]: e for e in events if "event_id" in e}
    wanted = set(commands)
    answers: dict[str, list[dict]] = {c: [] for c in commands}
    for src in sorted(events, key=lambda e: e.get("origin_server_ts", 0)):
        target = answer_target(src, bot_id)
        if target in wanted and src["event_id"] not in {a["event_id"] for a in answers[target]}:
            answers[target].append(src)
    t = Tally(sent=len(commands) + send_errors, send_errors=send_errors, answers=answers)
    for eid in commands:
        got = answers[eid]
        if not got:
            t.lost.append(eid)
            continue
        t.answered += 1
        if len(got) > 1:
            t.duplicated[eid] = len(got)
        body = got[0].get("content", {}).get("body", "")
        t.refused += body.startswith(UNAVAILABLE)
        t.internal += body.startswith(("Désolé, une erreur interne", "Sorry, an internal error"))
        cmd = by_id.get(eid)
        if cmd is None:
            continue
        latency = got[0]["origin_server_ts"] - cmd["origin_server_ts"]
        t.latencies_ms.append(latency)
        if any(cmd["origin_server_ts"] < f < got[0]["origin_server_ts"] for f in faults_ms):
            t.late += 1
            t.late_latencies_ms.append(latency)
    return t


def action_numbers(t: Tally, tasks: dict[str, str]) -> tuple[dict[str, int], list[str]]:
    """`tasks`: command event id -> the task text it created. Returns text -> number, and problems: every
    answered creation has a number, numbers are 1..N with no gap and none twice."""
    numbers: dict[str, int] = {}
    problems = []
    for eid, task in tasks.items():
        for a in t.answers.get(eid, []):
            m = re.match(r"Action #(\d+) enregistrée : (.*)", a.get("content", {}).get("body", ""))
            if m:
                if m.group(2).split("\n")[0] != task:
                    problems.append(f"{eid}: reply names {m.group(2)[:40]!r}, not {task!r}")
                numbers.setdefault(task, int(m.group(1)))
    got = sorted(numbers.values())
    if got != list(range(1, len(got) + 1)):
        problems.append(f"action numbers are not 1..{len(got)} each once: {got[:20]}…")
    return numbers, problems


def ms(x: float) -> str:
    return "—" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x / 1000:.1f} s"


# ---- a syncing member that watches the bot's answers ----------------------------------------------------------


class Watcher(SyncLoop):
    """One member's client that syncs and records the bot's answers (replies and reactions) as they come."""

    def __init__(self, client: AsyncClient, room_id: str, bot_id: str) -> None:
        super().__init__(client)
        self.room_id, self.bot_id = room_id, bot_id
        self.answered: dict[str, int] = {}  # command id -> answers seen
        self.greeted = False
        self.last_change = time.monotonic()

    @property
    def count(self) -> int:
        return sum(self.answered.values())

    async def close(self) -> None:
        await super().close()
        await self.client.close()

    async def _once(self, timeout_ms: int) -> None:
        # Its own sync: it must outlive a homeserver outage, and fetches no gap (the counts come from the room
        # read back at the end; this only tells when to stop waiting).
        try:
            resp = await self.client.sync(timeout=timeout_ms, since=self.token,
                                          sync_filter={"room": {"timeline": {"limit": 100}}})
        except Exception:  # the homeserver is away (outage phase): try again
            await asyncio.sleep(1)
            return
        if isinstance(resp, SyncError):
            await asyncio.sleep(0.5)
            return
        info = resp.rooms.join.get(self.room_id)
        if info is not None:
            for e in info.timeline.events:
                src = e.source
                target = answer_target(src, self.bot_id)
                if target:
                    self.answered[target] = self.answered.get(target, 0) + 1
                    self.last_change = time.monotonic()
                elif src.get("sender") == self.bot_id and src.get("type") == "m.room.message":
                    self.greeted = True
        self.token = resp.next_batch
        self._synced()

    async def until(self, done, timeout: float, idle: float | None = None) -> bool:
        """Until done() (True), or `timeout` s, or — with `idle` — no new answer for `idle` s (False)."""
        deadline = time.monotonic() + timeout
        while not done():
            now = time.monotonic()
            if now > deadline or (idle is not None and now - self.last_change > idle):
                return False
            tick = self._tick
            try:
                await asyncio.wait_for(tick.wait(), 1.0)
            except TimeoutError:
                pass
        return True


async def send(client: AsyncClient, room_id: str, body: str) -> str | None:
    try:
        resp = await client.room_send(room_id, "m.room.message", {"msgtype": "m.text", "body": body})
    except Exception as exc:  # noqa: BLE001 - a member's send during an outage
        log.warning("send by %s failed: %s", client.user_id, exc)
        return None
    if isinstance(resp, ErrorResponse):
        log.warning("send by %s failed: %s", client.user_id, resp.message)
        return None
    return resp.event_id


async def read_room(client: AsyncClient, room_id: str) -> list[dict]:
    """Every event of the room, read back with /messages (the authoritative count)."""
    resp = await client.sync(timeout=0, sync_filter={"room": {"timeline": {"limit": 1}}})
    if isinstance(resp, SyncError):
        raise BenchError(f"sync failed: {resp.message}")
    return await scan(client, room_id, resp.next_batch, None)


async def make_room(synapse: Synapse, bot_id: str, members: list[tuple[str, str]],
                    timeout: float = 60) -> tuple[str, list[AsyncClient], Watcher]:
    """Member 0 creates the room and invites the bot and the others; returns once the bot greeted it."""
    clients = member_clients(synapse, members)
    room_id = await create_room(clients, "Relais faults", bot_id)
    watcher = Watcher(make_client(synapse.base_url, members[0][0], members[0][1]), room_id, bot_id)
    await watcher.start()
    if not await watcher.until(lambda: watcher.greeted, timeout):
        raise BenchError(f"the bot did not greet the room within {timeout:g} s")
    # The members' joins must be in the bot's view before commands: a ping round trip proves it.
    eid = await send(clients[0], room_id, "!ping")
    if not eid or not await watcher.until(lambda: eid in watcher.answered, 60):
        raise BenchError("no answer to a first !ping")
    return room_id, clients, watcher


async def register(synapse: Synapse, prefix: str, count: int) -> tuple[tuple[str, str], list[tuple[str, str]]]:
    """A bot account (id, password) and `count` members (id, token), with unique names (one Synapse, many phases)."""
    tag = secrets.token_hex(3)
    bot = await asyncio.to_thread(register_bot, synapse, f"relais-{prefix}-{tag}")
    members = await asyncio.to_thread(register_members, synapse, [f"{prefix}-{tag}-{i + 1}" for i in range(count)])
    return bot, members


# ---- the crash run (also used by tests/e2e/test_faults.py) ---------------------------------------------------


class BotProcess:
    """`python -m bot --config … run`, as an operator runs it, with SIGKILL and restart."""

    def __init__(self, workdir: Path, synapse: Synapse, bot_id: str, password: str, log_level: str = "INFO") -> None:
        self.workdir = workdir
        self.log_path = workdir / "bot.log"
        self.config = write_relais_config(workdir / "config.toml", synapse.base_url, bot_id, "relais-faults",
                                          f"sqlite+aiosqlite:///{workdir / 'relais.db'}")
        self.env = relais_env(password, log_level)
        self.proc: subprocess.Popen | None = None
        self._log = None
        self.launches: list[float] = []
        self.kills: list[int] = []  # time (ms) of each SIGKILL
        self.died: list[int] = []  # exit codes of deaths nobody asked for

    def start(self) -> None:
        if self._log is None:
            self._log = open(self.log_path, "ab")
        self.proc = spawn(relais_command(self.config), self.workdir, self.env, self._log)
        self.launches.append(time.monotonic())

    def check(self) -> None:
        if self.proc is not None and self.proc.poll() is not None:
            self.died.append(self.proc.returncode)
            self.start()

    def kill(self) -> None:
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)
        self.kills.append(now_ms())

    def stop(self) -> None:
        stop_process(self.proc, "the bot")
        if self._log is not None:
            self._log.close()
            self._log = None

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""


@dataclass
class CrashResult:
    tally: Tally
    kills: int
    kills_in_startup: int
    kills_while_answering: int
    resent_rows: int  # outbox rows sent again at a restart (kills that fell between claim and reply)
    restarts_with_resends: int
    died_by_itself: list[int]
    actions: int
    action_problems: list[str]
    duration_s: float
    send_span_s: float
    log_errors: list[str]
    kinds: Counter

    @property
    def ok(self) -> bool:
        t = self.tally
        return not (t.lost or t.duplicated or self.action_problems or self.died_by_itself or t.send_errors)


COMMAND_MIX = (("ping", 3), ("action", 3), ("quand", 2), ("info", 2), ("liste", 1))


def crash_commands(n: int, rng: random.Random) -> list[tuple[str, str]]:
    kinds = [k for k, w in COMMAND_MIX for _ in range(w)]
    out = []
    for i in range(1, n + 1):
        kind = rng.choice(kinds)
        body = {"ping": f"!ping {i}", "action": f"!action tâche {i}", "quand": "!quand demain 18h",
                "info": f"!info note {i}", "liste": "!action liste"}[kind]
        out.append((kind, body))
    return out


async def crash_run(synapse: Synapse, workdir: Path, *, commands: int = 500, kills: int = 10, members: int = 5,
                    seed: int | None = None, quiet_s: float = 30.0, max_seconds: float = 900.0,
                    log_level: str = "INFO", say=print) -> CrashResult:
    """The crash run: `commands` commands from `members` members while the bot, run as its own process, is
    SIGKILLed `kills` times at random moments and restarted. Counts every command's answers at the end."""
    rng = random.Random(seed)
    t_start = time.monotonic()
    (bot_id, password), accounts = await register(synapse, "crash", members)
    bot = BotProcess(workdir, synapse, bot_id, password, log_level)
    bot.start()
    clients: list[AsyncClient] = []
    watcher: Watcher | None = None
    try:
        await wait_for_log(bot.log_path, "first sync done", 120, bot.proc)
        startup_s = time.monotonic() - bot.launches[-1]
        room_id, clients, watcher = await make_room(synapse, bot_id, accounts)
        opened = await send(clients[0], room_id, "!réunion début Essai de pannes")  # so `!info` gets a ✅
        if not opened or not await watcher.until(lambda: opened in watcher.answered, 60):
            raise BenchError("no answer to !réunion début")

        plan = crash_commands(commands, rng)
        kinds = Counter(k for k, _ in plan)
        per_member = [plan[i::members] for i in range(members)]
        # Spread the commands and the kills over the same time (at least a restart and a moment up per kill,
        # at most ~8 commands a second), so that commands arrive while the bot runs, while it is dead, and
        # while it catches up.
        expected_s = max(kills * (startup_s + 2.5), commands / 8)
        pace = expected_s / max(1, len(per_member[0]))
        sent: list[str] = []
        tasks: dict[str, str] = {}  # command id -> task text, for `!action tâche N`
        send_errors = 0
        say(f"[crash] {commands} commands from {members} members over ~{expected_s:.0f} s, {kills} kills "
            f"(bot start-up {startup_s:.1f} s)")

        async def member(client: AsyncClient, mine: list[tuple[str, str]]) -> None:
            nonlocal send_errors
            for kind, body in mine:
                eid = await send(client, room_id, body)
                if eid is None:
                    send_errors += 1
                else:
                    sent.append(eid)
                    if kind == "action":
                        tasks[eid] = body.removeprefix("!action ")
                await asyncio.sleep(rng.uniform(0, 2 * pace))

        in_startup = answering = 0

        async def killer() -> None:
            nonlocal in_startup, answering
            t0 = time.monotonic()
            for k in range(kills):
                # The k-th kill not before its share of the run, so kills cover the whole of it.
                await asyncio.sleep(max(0.0, t0 + k * expected_s / kills - time.monotonic()))
                if rng.random() < 0.3:  # at a random moment of its start-up or catch-up
                    in_startup += 1
                    await asyncio.sleep(rng.uniform(0.2, startup_s + 1.0))
                else:  # while it answers: just after one of its answers
                    answering += 1
                    base = watcher.count
                    await watcher.until(lambda: watcher.count > base, 20)
                    await asyncio.sleep(rng.uniform(0, 0.2))  # after a restart it is then busy catching up
                bot.check()
                bot.kill()
                say(f"  kill {k + 1}/{kills} (answers so far: {watcher.count}, commands sent: {len(sent)})")
                await asyncio.sleep(rng.uniform(0, 1.0))  # dead for a moment: commands pile up
                bot.start()

        t_send = time.monotonic()
        await asyncio.gather(killer(), *(member(c, m) for c, m in zip(clients, per_member)))
        send_span = time.monotonic() - t_send
        # Quiescence: every command answered, or no new answer for `quiet_s`.
        remaining = max(30.0, max_seconds - (time.monotonic() - t_start))
        await watcher.until(lambda: all(e in watcher.answered for e in sent), remaining, idle=quiet_s)
        bot.check()
        await asyncio.sleep(3)  # a duplicate would come now
        events = await read_room(clients[0], room_id)
        t = tally(events, sent, bot_id, bot.kills, send_errors)
        _, problems = action_numbers(t, tasks)
        text = bot.log_text()
        resent = [int(n) for n in re.findall(r"sending (\d+) message\(s\) decided before the restart", text)]
        errors = [line for line in text.splitlines() if re.search(r" (ERROR|CRITICAL) |Traceback", line)]
        return CrashResult(t, len(bot.kills), in_startup, answering, sum(resent), len(resent), bot.died,
                           sum(1 for eid in tasks if t.answers.get(eid)), problems, time.monotonic() - t_start,
                           send_span, errors, kinds)
    finally:
        if watcher:
            await watcher.close()
        await asyncio.gather(*(c.close() for c in clients), return_exceptions=True)
        bot.stop()


# ---- the bot in this process (storage faults, outage, rate limits) ------------------------------------------


class InProcessBot:
    """A real Relais in this process, to reach its database connections (disk full) and watch its log."""

    def __init__(self, synapse: Synapse, bot_id: str, password: str, storage_url: str, workdir: Path) -> None:
        from bot.app import Relais
        from bot.config import BotConfig, Config, EncryptionConfig, MatrixConfig

        # The crypto store in the run's directory: with PostgreSQL it would default to ./relais-crypto/, in the
        # directory the bench (or the test suite) was started from.
        self.config = Config(MatrixConfig(synapse.base_url, bot_id, password, None, "relais-faults"),
                             bot=BotConfig(rate_limit=None), storage_url=storage_url, source="(bench)",
                             encryption=EncryptionConfig(store=str(workdir / f"{bot_id}.crypto")))
        self.bot = Relais(self.config, sync_timeout_ms=5_000)

    async def start(self) -> None:
        await self.bot.start()

    async def stop(self) -> None:
        await self.bot.stop()


class LogCount(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname} {record.name}: {record.getMessage()}"[:400])

    def count(self, pattern: str) -> int:
        return sum(1 for line in self.lines if re.search(pattern, line))


@dataclass
class PhaseFigures:
    name: str
    fault: str  # what was injected
    groups: dict[str, Tally]  # e.g. "before", "during", "after"
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    duration_s: float = math.nan

    @property
    def ok(self) -> bool:
        return not self.problems and not any(t.lost or t.duplicated or t.send_errors for t in self.groups.values())


class Sent(NamedTuple):
    ids: list[str]  # the commands' event ids
    errors: int  # sends that failed


@dataclass
class _Room:
    """A room with members and the bot that answers them, for one phase."""
    handle: InProcessBot
    bot_id: str
    room_id: str
    clients: list[AsyncClient]
    watcher: Watcher
    tasks: dict[str, str] = field(default_factory=dict)  # command id -> task text, for `!action` creations

    async def creations(self, label: str, n: int, every: float, long: bool = False) -> Sent:
        """`!action <label> <i>` for i in 1..n, one every `every` s (with ~1,800 more characters if `long`)."""
        bodies = [f"!action {label} {i}" + (" " + "x" * 1_800 if long else "") for i in range(1, n + 1)]
        sent = await _send_spread(self.clients, self.room_id, bodies, every)
        self.tasks.update({eid: b.removeprefix("!action ") for eid, b in zip(sent.ids, bodies)})
        return sent

    async def storage_outcome(self, before: Sent, during: Sent, after: Sent, during_name: str, after_name: str,
                              back_ms: int, back: str) -> tuple[dict[str, Tally], list[str], int | None]:
        """Creations sent before, during and after a storage fault that ended at `back_ms`: their tallies, what
        the database kept against what was answered, and the first answer after the fault."""
        events = await read_room(self.clients[0], self.room_id)
        groups = {"before": tally(events, before.ids, self.bot_id, send_errors=before.errors),
                  during_name: tally(events, during.ids, self.bot_id, [back_ms], during.errors),
                  after_name: tally(events, after.ids, self.bot_id, send_errors=after.errors)}
        kept = await self.handle.bot.store.actions.list(self.room_id)
        problems = _storage_problems(groups, self.tasks, [a.number for a in kept], [a.text for a in kept])
        after_t = groups[after_name]
        if after_t.refused or after_t.lost:
            problems.append(f"commands after {back} were not answered normally")
        first_after = min((a[0]["origin_server_ts"] for a in after_t.answers.values() if a), default=None)
        return groups, problems, first_after

    async def close(self) -> None:
        await self.watcher.close()
        await asyncio.gather(*(c.close() for c in self.clients), return_exceptions=True)
        await self.handle.stop()


async def _in_process_room(synapse: Synapse, prefix: str, storage_url: str | None, workdir: Path,
                           members: int = 3) -> _Room:
    (bot_id, password), accounts = await register(synapse, prefix, members)
    url = storage_url or f"sqlite+aiosqlite:///{workdir / (prefix + '.db')}"
    handle = InProcessBot(synapse, bot_id, password, url, workdir)
    await handle.start()
    room_id, clients, watcher = await make_room(synapse, bot_id, accounts)
    return _Room(handle, bot_id, room_id, clients, watcher)


async def _send_spread(clients, room_id, bodies: list[str], every_s: float) -> Sent:
    ids, errors = [], 0
    for i, body in enumerate(bodies):
        eid = await send(clients[i % len(clients)], room_id, body)
        if eid:
            ids.append(eid)
        else:
            errors += 1
        await asyncio.sleep(every_s)
    return Sent(ids, errors)


async def _send_at_once(clients, room_id, bodies: list[str]) -> Sent:
    """The bodies shared out among the members, who all send theirs back to back at the same time."""
    chunks = [bodies[i::len(clients)] for i in range(len(clients))]
    results = await asyncio.gather(*(_send_spread([c], room_id, chunk, 0) for c, chunk in zip(clients, chunks)))
    return Sent([eid for r in results for eid in r.ids], sum(r.errors for r in results))


async def _settle(watcher: Watcher, ids: list[str], timeout: float = 120, idle: float = 30) -> None:
    await watcher.until(lambda: all(e in watcher.answered for e in ids), timeout, idle=idle)
    await asyncio.sleep(2)


def _storage_problems(groups: dict[str, Tally], tasks: dict[str, str], numbers_known: list[int],
                      kept_texts: list[str]) -> list[str]:
    """Nothing half-saved: every creation answered normally is in the database, no refused one is, and the
    numbers have no gap."""
    problems = []
    answers = {eid: a for t in groups.values() for eid, a in t.answers.items()}
    for eid, task in tasks.items():
        got = answers.get(eid) or []
        body = got[0].get("content", {}).get("body", "") if got else ""
        if body.startswith("Action #") and task not in kept_texts:
            problems.append(f"{task!r} was answered as recorded but is not in the database")
        if body.startswith(UNAVAILABLE) and task in kept_texts:
            problems.append(f"{task!r} was answered 'not recorded' but is in the database (half-saved)")
    if sorted(numbers_known) != list(range(1, len(numbers_known) + 1)):
        problems.append(f"action numbers have gaps: {sorted(numbers_known)}")
    return problems


async def lock_phase(synapse: Synapse, workdir: Path, lock_s: float, say=print) -> PhaseFigures:
    t0 = time.monotonic()
    db = workdir / "lock.db"
    room = await _in_process_room(synapse, "lock", f"sqlite+aiosqlite:///{db}", workdir)
    try:
        before = await room.creations("avant", 3, 0.2)
        await _settle(room.watcher, before.ids)
        other = sqlite3.connect(db, isolation_level=None, timeout=1)
        other.execute("BEGIN EXCLUSIVE")
        locked_at = now_ms()
        say(f"[lock] database locked for {lock_s:g} s (BEGIN EXCLUSIVE from another connection)")
        during = await room.creations("pendant", max(1, int(lock_s)), 1.0)
        other.execute("ROLLBACK")
        other.close()
        released_at = now_ms()
        after = await room.creations("après", 3, 0.5)
        await _settle(room.watcher, during.ids + after.ids, timeout=90)
        groups, problems, first_after = await room.storage_outcome(before, during, after, "during the lock", "after",
                                                                   released_at, "the lock was released")
        notes = [f"lock held {(released_at - locked_at) / 1000:.1f} s; SQLite busy timeout 10 s",
                 f"first answer after the release: {ms(first_after - released_at) if first_after else '—'} later"]
        return PhaseFigures("lock", f"`BEGIN EXCLUSIVE` held {lock_s:g} s", groups, notes, problems,
                            time.monotonic() - t0)
    finally:
        await room.close()


async def full_phase(synapse: Synapse, workdir: Path, say=print) -> PhaseFigures:
    from sqlalchemy import event, text

    t0 = time.monotonic()
    room = await _in_process_room(synapse, "full", None, workdir)
    limit: dict[str, int | None] = {"pages": None}
    engine = room.handle.bot.store.engine

    @event.listens_for(engine.sync_engine, "connect")
    def _max_pages(dbapi_connection, _record):
        if limit["pages"]:
            cursor = dbapi_connection.cursor()
            cursor.execute(f"PRAGMA max_page_count={limit['pages']}")
            cursor.close()

    try:
        before = await room.creations("avant", 3, 0.2)
        await _settle(room.watcher, before.ids)
        async with engine.connect() as conn:
            pages = (await conn.execute(text("PRAGMA page_count"))).scalar()
        limit["pages"] = pages + 2
        await engine.dispose()  # the bot's connections open again, with the limit
        full_at = now_ms()
        say(f"[full] database pinned at {pages + 2} pages (PRAGMA max_page_count): the disk is full")
        during = await room.creations("plein", 15, 0.7, long=True)
        await _settle(room.watcher, during.ids, timeout=60, idle=15)
        limit["pages"] = None
        await engine.dispose()
        freed_at = now_ms()
        after = await room.creations("après", 3, 0.5)
        await _settle(room.watcher, after.ids, timeout=60)
        groups, problems, _ = await room.storage_outcome(before, during, after, "while full", "after", freed_at,
                                                         "space came back")
        if not groups["while full"].refused:
            problems.append("the full disk was never hit (no 'not recorded' answer): the limit was too loose")
        notes = [f"full for {(freed_at - full_at) / 1000:.0f} s; each command carried ~1,800 characters"]
        return PhaseFigures("full", "`PRAGMA max_page_count` = database size + 2 pages", groups, notes, problems,
                            time.monotonic() - t0)
    finally:
        await room.close()


async def postgres_phase(synapse: Synapse, workdir: Path, down_s: float, say=print) -> PhaseFigures | None:
    from tests.postgres import PostgresCluster, PostgresUnavailable

    t0 = time.monotonic()
    try:
        cluster = await asyncio.to_thread(PostgresCluster.start)
    except PostgresUnavailable as exc:
        say(f"[postgres] skipped: {exc}")
        return None
    room = None
    try:
        room = await _in_process_room(synapse, "pg", cluster.url(), workdir)
        before = await room.creations("avant", 3, 0.2)
        await _settle(room.watcher, before.ids)
        result = await asyncio.to_thread(cluster._run, "pg_ctl", "stop", "-D", str(cluster.datadir), "-m", "fast",
                                         "-w", "-t", "30")
        if result.returncode != 0:
            raise BenchError(f"pg_ctl stop failed: {result.stdout}{result.stderr}")
        stopped_at = now_ms()
        say(f"[postgres] PostgreSQL stopped for {down_s:g} s")
        during = await room.creations("pendant", max(1, int(down_s / 2)), 2.0)
        result = await asyncio.to_thread(cluster._run, "pg_ctl", "start", "-w", "-t", "60", "-D",
                                         str(cluster.datadir), "-l", str(cluster.logfile),
                                         log_to=cluster.base / "pg_ctl.log")
        if result.returncode != 0:
            raise BenchError(f"pg_ctl start failed:\n{cluster._log_tail()}")
        started_at = now_ms()
        after = await room.creations("après", 3, 1.0)
        await _settle(room.watcher, during.ids + after.ids, timeout=120, idle=60)
        groups, problems, first_after = await room.storage_outcome(before, during, after, "while stopped",
                                                                   "after the restart", started_at,
                                                                   "PostgreSQL came back")
        notes = [f"PostgreSQL down {(started_at - stopped_at) / 1000:.1f} s (`pg_ctl stop -m fast`, then start)",
                 f"first normal answer {ms(first_after - started_at) if first_after else '—'} after it was back"]
        return PhaseFigures("postgres", f"PostgreSQL stopped {down_s:g} s mid-run", groups, notes, problems,
                            time.monotonic() - t0)
    finally:
        if room:
            await room.close()
        await asyncio.to_thread(cluster.stop)


async def outage_phase(synapse: Synapse, workdir: Path, outage_s: float, before_n: int, after_n: int,
                       say=print) -> PhaseFigures:
    t0 = time.monotonic()
    room = await _in_process_room(synapse, "outage", None, workdir, members=5)
    try:
        before, e0 = await _send_at_once(room.clients, room.room_id, [f"!ping avant {i}" for i in range(before_n)])
        await asyncio.to_thread(synapse.stop)  # at once: most replies are still to be sent
        stopped_at = now_ms()
        say(f"[outage] Synapse stopped for {outage_s:g} s right after {len(before)} commands")
        await asyncio.sleep(outage_s)
        await asyncio.to_thread(synapse.start)
        restarted_at = now_ms()
        # while the bot is still backing off
        after, e1 = await _send_at_once(room.clients, room.room_id, [f"!ping après {i}" for i in range(after_n)])
        await _settle(room.watcher, before + after, timeout=240, idle=120)
        events = await read_room(room.clients[0], room.room_id)
        groups = {"sent just before the stop": tally(events, before, room.bot_id, [stopped_at], e0),
                  "sent right after the restart": tally(events, after, room.bot_id, send_errors=e1)}
        last = max((a[0]["origin_server_ts"] for t in groups.values() for a in t.answers.values() if a), default=None)
        answered_before = sum(1 for a in groups["sent just before the stop"].answers.values()
                              if a and a[0]["origin_server_ts"] < stopped_at)
        notes = [f"Synapse down {(restarted_at - stopped_at) / 1000:.1f} s",
                 f"{answered_before} of the first {len(before)} were answered before the stop, the rest after",
                 f"last answer {ms(last - restarted_at) if last else '—'} after Synapse was back"]
        return PhaseFigures("outage", f"Synapse stopped {outage_s:g} s under load", groups, notes, [],
                            time.monotonic() - t0)
    finally:
        await room.close()


def _override_ratelimit(synapse: Synapse, admin_token: str, user_id: str, per_second: int, burst: int) -> None:
    request = urllib.request.Request(
        f"{synapse.base_url}/_synapse/admin/v1/users/{user_id}/override_ratelimit",
        data=json.dumps({"messages_per_second": per_second, "burst_count": burst}).encode(),
        headers={"Authorization": f"Bearer {admin_token}", "Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=10) as resp:
        assert resp.status == 200


async def ratelimit_phase(workdir: Path, n: int, say=print) -> PhaseFigures:
    """Synapse with its stock message limit (0.2/s, burst 10) for the bot; members exempt (admin API)."""
    t0 = time.monotonic()
    stock = dict(devserver._RATE_LIMITS)
    devserver._RATE_LIMITS["rc_message"] = {"per_second": 0.2, "burst_count": 10}
    server = Synapse(workdir / "synapse-ratelimited")
    try:
        await asyncio.to_thread(server.start)
    finally:
        devserver._RATE_LIMITS.clear()
        devserver._RATE_LIMITS.update(stock)
    counter = LogCount()
    logging.getLogger().addHandler(counter)
    handle = room = None
    try:
        _, admin_token = await asyncio.to_thread(server.register, "admin", "admin-pw", True)
        (bot_id, password), accounts = await register(server, "rl", 3)
        for uid, _ in accounts:  # members are not what is measured: no limit for them
            await asyncio.to_thread(_override_ratelimit, server, admin_token, uid, 0, 0)
        handle = InProcessBot(server, bot_id, password, f"sqlite+aiosqlite:///{workdir / 'rl.db'}", workdir)
        await handle.start()
        room = _Room(handle, bot_id, *await make_room(server, bot_id, accounts))
        say(f"[ratelimit] {n} commands at once; the bot may send 0.2 messages/s after a burst of 10")
        ids, errors = await _send_at_once(room.clients, room.room_id, [f"!ping {i}" for i in range(n)])
        await _settle(room.watcher, ids, timeout=n / 0.2 + 120, idle=60)
        events = await read_room(room.clients[0], room.room_id)
        t = tally(events, ids, bot_id, send_errors=errors)
        limited = counter.count(r"429|ratelimited")
        span = (max(a[0]["origin_server_ts"] for a in t.answers.values() if a)
                - min(e["origin_server_ts"] for e in events if e.get("event_id") in set(ids))) if t.answered else 0
        notes = [f"the bot met {limited} rate-limit (429) answers and waited as told",
                 f"first command → last reply: {span / 1000:.0f} s (at 0.2 messages/s after a burst of 10, of "
                 f"which the greeting and a first pong took 2, the floor is {max(0, n + 2 - 10) / 0.2:.0f} s)"]
        problems = [] if limited else ["no 429 was met: the limit did not apply"]
        return PhaseFigures("ratelimit", "stock rc_message: 0.2 messages/s, burst 10 (bot account)",
                            {"commands": t}, notes, problems, time.monotonic() - t0)
    finally:
        logging.getLogger().removeHandler(counter)
        if room:
            await room.close()
        elif handle:
            await handle.stop()
        await asyncio.to_thread(server.stop)


# ---- report ---------------------------------------------------------------------------------------------------


def tally_row(name: str, t: Tally) -> str:
    return (f"| {name} | {t.sent} | {t.answered - t.refused} | {t.refused} | {len(t.lost)} | {len(t.duplicated)} | "
            f"{t.late} | {ms(median(t.latencies_ms))} / {ms(max(t.latencies_ms, default=math.nan))} |")


TALLY_HEADER = ["| Commands | sent | answered | answered “not recorded” | lost | duplicated | late | "
                "latency median / max |", "|---|---|---|---|---|---|---|---|"]


def crash_section(r: CrashResult, args, stamp: str, info: dict) -> str:
    t = r.tally
    rows = [
        f"**{stamp}** — `bench/faults.py --phases crash --commands {args.commands} --kills {args.kills}"
        f" --seed {args.seed}`; {info['nproc']} CPUs, Python {info['python']}, Synapse {info['synapse']}, "
        f"Relais {info['relais']}. Run took {r.duration_s:.0f} s (commands sent over {r.send_span_s:.0f} s).",
        "",
        "| Figure | Value |", "|---|---|",
        f"| commands sent (5 members) | {t.sent} ({', '.join(f'{k} {v}' for k, v in sorted(r.kinds.items()))}) |",
        f"| faults injected | **{r.kills} SIGKILLs** ({r.kills_in_startup} during start-up or catch-up, "
        f"{r.kills_while_answering} just after an answer), each followed by a restart |",
        f"| answered | {t.answered} |",
        f"| **lost** | **{len(t.lost)}** |",
        f"| **duplicated** | **{len(t.duplicated)}** ({t.extra} extra answers) |",
        f"| late (answered after a kill that followed the command) | {t.late} "
        f"(latency median {ms(median(t.late_latencies_ms))}, max {ms(max(t.late_latencies_ms, default=math.nan))}) |",
        f"| outbox rows sent again at a restart (decided but not sent, or sent but not yet marked sent: "
        f"those Synapse recognised by their transaction id) | {r.resent_rows}, by {r.restarts_with_resends} of "
        f"the {r.kills} restarts |",
        f"| actions created (`!action tâche N`) | {r.actions}, numbered 1…{r.actions} each once: "
        f"{'yes' if not r.action_problems else 'NO — ' + '; '.join(r.action_problems[:3])} |",
        f"| answered “not recorded” / internal error | {t.refused} / {t.internal} |",
        f"| latency median / p95 / max (all commands) | {ms(median(t.latencies_ms))} / {ms(pct(t.latencies_ms, 95))}"
        f" / {ms(max(t.latencies_ms, default=math.nan))} |",
        f"| bot deaths nobody asked for / ERROR lines in its log | {len(r.died_by_itself)} / {len(r.log_errors)} |",
    ]
    return "\n".join(rows)


def phase_section(p: PhaseFigures, stamp: str) -> str:
    lines = [f"**{stamp}** — fault: {p.fault}; the phase took {p.duration_s:.0f} s.", ""]
    lines += TALLY_HEADER + [tally_row(name, t) for name, t in p.groups.items()]
    lines += [""] + [f"- {n}" for n in p.notes]
    lines += [f"- **problem: {pr}**" for pr in p.problems]
    return "\n".join(lines)


def write_docs(sections: dict[str, str]) -> None:
    """Replace each phase's figures between its markers in docs/reliability.md (the prose stays as written)."""
    text = DOCS.read_text(encoding="utf-8")
    for phase, section in sections.items():
        start, end = f"<!-- figures:{phase} -->", f"<!-- /figures:{phase} -->"
        if start in text and end in text:
            before, rest = text.split(start, 1)
            _, after = rest.split(end, 1)
            text = f"{before}{start}\n{section}\n{end}{after}"
        else:
            text += f"\n{start}\n{section}\n{end}\n"
    DOCS.write_text(text, encoding="utf-8")


# ---- main -----------------------------------------------------------------------------------------------------


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--phases", default=",".join(PHASES), help=f"comma-separated, among {', '.join(PHASES)}")
    p.add_argument("--commands", type=int, default=500, help="crash: commands from the five members")
    p.add_argument("--kills", type=int, default=12, help="crash: SIGKILLs of the bot")
    p.add_argument("--seed", type=int, default=None, help="crash: random seed (printed when not given)")
    p.add_argument("--lock-seconds", type=float, default=10, help="lock: how long the database stays locked")
    p.add_argument("--pg-down-seconds", type=float, default=10, help="postgres: how long PostgreSQL is stopped")
    p.add_argument("--outage-seconds", type=float, default=30, help="outage: how long Synapse is stopped")
    p.add_argument("--outage-before", type=int, default=50, help="outage: commands sent just before the stop")
    p.add_argument("--outage-after", type=int, default=50, help="outage: commands sent right after the restart")
    p.add_argument("--rl-commands", type=int, default=30, help="ratelimit: commands sent at once")
    p.add_argument("--max-seconds", type=float, default=1800, help="the whole run stops after this")
    p.add_argument("--no-write", action="store_true", help=f"do not write {DOCS.relative_to(ROOT)}")
    p.add_argument("--keep", action="store_true", help="keep the temporary directory (logs, databases)")
    args = p.parse_args(argv)
    args.phases = [x.strip() for x in args.phases.split(",") if x.strip()]
    unknown = set(args.phases) - set(PHASES)
    if unknown:
        p.error(f"unknown phase(s): {', '.join(sorted(unknown))}")
    if args.seed is None:
        args.seed = random.randrange(1_000_000)
    return args


async def run(args, synapse: Synapse, workdir: Path, stamp: str, info: dict) -> tuple[dict[str, str], list[str]]:
    sections: dict[str, str] = {}
    problems: list[str] = []
    for phase in args.phases:
        print(f"\n=== {phase} ===", flush=True)
        if phase == "crash":
            crash_dir = workdir / "crash"
            crash_dir.mkdir()
            r = await crash_run(synapse, crash_dir, commands=args.commands, kills=args.kills, seed=args.seed)
            sections["crash"] = crash_section(r, args, stamp, info)
            print(sections["crash"], flush=True)
            if not r.ok:
                problems.append(f"crash: {len(r.tally.lost)} lost, {len(r.tally.duplicated)} duplicated, "
                                f"{r.tally.send_errors} send errors, {r.action_problems[:2]}, "
                                f"unexpected deaths {r.died_by_itself}; lost ids {r.tally.lost[:5]}")
            continue
        if phase == "lock":
            figures = await lock_phase(synapse, workdir, args.lock_seconds)
        elif phase == "full":
            figures = await full_phase(synapse, workdir)
        elif phase == "postgres":
            figures = await postgres_phase(synapse, workdir, args.pg_down_seconds)
            if figures is None:
                continue
        elif phase == "outage":
            figures = await outage_phase(synapse, workdir, args.outage_seconds, args.outage_before, args.outage_after)
        else:
            figures = await ratelimit_phase(workdir, args.rl_commands)
        sections[phase] = phase_section(figures, stamp)
        print(sections[phase], flush=True)
        if not figures.ok:
            problems.append(f"{phase}: " + "; ".join(figures.problems or ["lost or duplicated answers"]))
    return sections, problems


def main(argv=None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    sandbox = Sandbox("relais-faults-", args.keep, "bench.log, crash/bot.log, synapse/homeserver.log")
    workdir, synapse = sandbox.workdir, sandbox.synapse
    logging.basicConfig(filename=workdir / "bench.log", level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("alembic", "apscheduler", "nio.responses"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    logging.getLogger("nio").setLevel(logging.WARNING)

    def body() -> list[str]:
        info = machine_info()
        stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        sandbox.start_synapse(note=f"seed {args.seed}; ")

        async def bounded():
            return await asyncio.wait_for(run(args, synapse, workdir, stamp, info), args.max_seconds)

        sections, problems = asyncio.run(bounded())
        if not args.no_write and sections:
            write_docs(sections)
            print(f"\nwritten to {DOCS}", flush=True)
        for problem in problems:
            print(f"\n!!! {problem}", flush=True)
        return problems

    # A phase's TimeoutError (its own bound or --max-seconds) is a failure too; repr, as its text is empty.
    return sandbox.run(body, interrupted="interrupted", failures=(BenchError, TimeoutError), describe=repr)


if __name__ == "__main__":
    sys.exit(main())
