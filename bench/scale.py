"""Relais at the scale of a national network: the bot on a seeded database (bench/scale_seed.py), against a local
Synapse (bot/devserver.py). Prints a Markdown table; `--write` appends it to docs/scaling.md.

    .venv/bin/python bench/scale.py                    # SQLite, full scale (seeding takes about a minute)
    .venv/bin/python bench/scale.py --postgres         # a throwaway PostgreSQL cluster (tests/postgres.py)
    .venv/bin/python bench/scale.py --scale 0.2 --rounds 10    # a short run

Measured (goal 5 of issue 14):
- start-up to first reply: the bot launched on the seeded database, `!ping` sent every 0.25 s until one is answered
  (a first start, then a restart: the figure that counts, with the start-up planning over everything seeded);
- RSS of the bot after start-up and after the list rounds;
- `!action liste` in the room with 5,000 actions vs the room with 20, alternating, send → reply seen by a
  member's sync; the size of every reply event and how many events each command got (one page: one event);
- the weekly digest of the largest room, built in process on the same database: time and SQL statements (counted
  with a SQLAlchemy event listener), against the room with 20 actions (the count must not grow with history);
- the minutes export (Markdown) of the 500-item meeting, in process.
No timed assertions anywhere: this prints figures and the goals next to them.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    Sandbox, SyncLoop, machine_info, make_client, median, proc_sample, register_bot, register_members,
    relais_command, relais_env, spawn, stop_process, write_relais_config,
)
from bench.scale_seed import seed  # noqa: E402
from bot.devserver import Synapse  # noqa: E402

DOCS = ROOT / "docs" / "scaling.md"
MAX_EVENT_BYTES = 65_536


def p95(xs):
    # Rank rounded, not bench.common.pct's ceiling: the figures in docs/scaling.md were taken with this one.
    return sorted(xs)[max(0, round(0.95 * len(xs)) - 1)] if xs else float("nan")


# ---- in process: digest and minutes on the seeded database ------------------------------------------------


async def in_process(url: str, big: str, small: str, runs: int = 9) -> dict:
    from sqlalchemy import event

    from handlers.capabilities import registry
    from handlers.core.clock import FakeClock
    from handlers.core.digest import Week
    from handlers.core.services import Defaults, Services
    from handlers.digest import content
    from handlers.meetings import minutes as minutes_mod
    from handlers.meetings.common import load_minutes
    from storage import open_store

    store = await open_store(url)
    now = datetime.now(timezone.utc)
    services = Services(store, FakeClock(now), Defaults(), None, registry=registry)
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(store.engine.sync_engine, "before_cursor_execute", count)
    out: dict = {}
    try:
        for name, room_id in (("big", big), ("small", small)):
            room = await store.rooms.get(room_id)
            week = Week.containing(now, room.timezone)
            times, queries = [], []
            for _ in range(runs):
                statements.clear()
                t = time.perf_counter()
                await content.build(services, room, week, now=now, hooks=registry.digest_sections)
                times.append((time.perf_counter() - t) * 1000)
                queries.append(len(statements))
            out[f"digest_{name}_ms"] = median(times)
            out[f"digest_{name}_queries"] = max(queries)
        # `!action liste` through the router, no homeserver: the database's and the handler's part of the latency.
        from handlers.core.interface import Member, Message
        from handlers.core.router import Router

        router = Router(registry, services)
        members = (Member("@coord:localhost", "Coord", 100),)
        rooms = (("big", big), ("small", small))
        times: dict[str, list[float]] = {name: [] for name, _ in rooms}
        queries: dict[str, list[int]] = {name: [] for name, _ in rooms}
        # Alternating, after a warm-up of each: the first room measured would otherwise pay the code path's
        # first uses (texts, dates, statement caches) in its figures.
        for i in range(-2, runs * 2):
            for name, room_id in rooms:
                statements.clear()
                t = time.perf_counter()
                await router.handle(Message(f"$bench{name}{i}", now, members[0].user_id, room_id, "!action liste",
                                            members, ()))
                if i >= 0:
                    times[name].append((time.perf_counter() - t) * 1000)
                    queries[name].append(len(statements))
        for name, _ in rooms:
            out[f"handle_{name}_ms"] = median(times[name])
            out[f"handle_{name}_queries"] = max(queries[name])
        meeting = await store.meetings.latest(big, ended=True)
        items = len(await store.meetings.items(meeting.id))
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            record = await load_minutes(store, meeting, "Europe/Paris")
            text = minutes_mod.markdown(record, "fr")
            times.append((time.perf_counter() - t) * 1000)
        out.update(minutes_ms=median(times), minutes_items=items, minutes_kib=len(text.encode()) / 1024)
    finally:
        event.remove(store.engine.sync_engine, "before_cursor_execute", count)
        await store.close()
    return out


# ---- the bot on Synapse -----------------------------------------------------------------------------------


class Member(SyncLoop):
    """A member's client that syncs and records, per command event, the bot's replies (time seen, size)."""

    def __init__(self, client, bot_id: str) -> None:
        super().__init__(client)
        self.bot_id = bot_id
        self.replies: dict[str, list[tuple[float, int]]] = {}

    async def _once(self, timeout_ms: int) -> None:
        if self.token is None:  # the first sync only says where to start from
            self.token = (await self.client.sync(timeout=0)).next_batch
            return
        # Its own filter, no gap fetch: as when the figures in docs/scaling.md were taken.
        filt = {"room": {"timeline": {"limit": 50}, "state": {"lazy_load_members": True}},
                "presence": {"not_types": ["*"]}}
        resp = await self.client.sync(timeout=timeout_ms, since=self.token, sync_filter=filt)
        if not hasattr(resp, "next_batch"):
            await asyncio.sleep(0.2)
            return
        seen = time.monotonic()
        for info in resp.rooms.join.values():
            for e in info.timeline.events:
                src = e.source
                if src.get("sender") != self.bot_id or src.get("type") != "m.room.message":
                    continue
                rel = (src.get("content", {}).get("m.relates_to") or {}).get("m.in_reply_to") or {}
                if "event_id" in rel:
                    size = len(json.dumps(src["content"], ensure_ascii=False, separators=(",", ":")).encode())
                    self.replies.setdefault(rel["event_id"], []).append((seen, size))
        self.token = resp.next_batch

    async def send(self, room_id: str, body: str) -> tuple[str, float]:
        t = time.monotonic()
        resp = await self.client.room_send(room_id, "m.room.message", {"msgtype": "m.text", "body": body})
        return resp.event_id, t

    async def answered(self, event_ids, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if all(e in self.replies for e in event_ids):
                return True
            await asyncio.sleep(0.02)
        return False


async def on_synapse(args, synapse: Synapse, workdir: Path, url: str, member, bot_id: str, bot_password: str,
                     rooms: tuple[str, str]) -> dict:
    big, small = rooms
    config = write_relais_config(workdir / "config.toml", synapse.base_url, bot_id, "relais-scale", url)
    env = relais_env(bot_password, args.bot_log_level)
    log = open(workdir / "bot.log", "ab")
    out: dict = {}
    m = Member(member, bot_id)
    await m.start()

    def launch() -> subprocess.Popen:
        return spawn(relais_command(config), workdir, env, log)

    async def first_reply(proc: subprocess.Popen, launched: float) -> float:
        pings: list[str] = []
        while time.monotonic() - launched < args.start_timeout:
            if proc.poll() is not None:
                raise RuntimeError(f"the bot exited ({proc.returncode}); see {workdir / 'bot.log'}")
            pings.append((await m.send(small, "!ping"))[0])
            await asyncio.sleep(0.25)
            done = [m.replies[p][0][0] for p in pings if p in m.replies]
            if done:
                return min(done) - launched
        return float("nan")

    # First start (login, first sync, joining the rooms it was invited to), then a restart (catch-up sync, start-up
    # planning over every schedule and mobilisation, which must write nothing new).
    launched = time.monotonic()
    proc = launch()
    try:
        out["first_start_s"] = await first_reply(proc, launched)
        await asyncio.sleep(3)  # its start-up planning, done
        stop_process(proc, "the bot")
        launched = time.monotonic()
        proc = launch()
        out["startup_s"] = await first_reply(proc, launched)
        await asyncio.sleep(2)  # let the backlog of pings drain before measuring
        sample = proc_sample(proc.pid)
        out["rss_start_mib"] = sample.rss_mb if sample else float("nan")
        lat: dict[str, list[float]] = {"big": [], "small": []}
        sizes: list[int] = []
        events_per_command: list[int] = []
        for i in range(args.rounds):
            order = (("big", big), ("small", small))
            for name, room_id in order if i % 2 == 0 else reversed(order):  # neither always follows the other
                event_id, t = await m.send(room_id, "!action liste")
                if await m.answered([event_id], 30):
                    await asyncio.sleep(0.05)  # a split reply's later parts
                    got = m.replies[event_id]
                    lat[name].append((got[0][0] - t) * 1000)
                    sizes.extend(size for _, size in got)
                    events_per_command.append(len(got))
        sample = proc_sample(proc.pid)
        out["rss_end_mib"] = sample.rss_mb if sample else float("nan")
        out.update(list_big_ms=median(lat["big"]), list_small_ms=median(lat["small"]),
                   list_big_p95=p95(lat["big"]), list_small_p95=p95(lat["small"]),
                   list_answered=len(lat["big"]) + len(lat["small"]), list_sent=2 * args.rounds,
                   max_event_bytes=max(sizes, default=0), max_events_per_command=max(events_per_command, default=0))
    finally:
        await m.close()
        stop_process(proc, "the bot")
        log.close()
    return out


def table(args, info: dict, seeded: dict, r: dict, backend: str) -> str:
    ratio = r["list_big_ms"] / r["list_small_ms"] if r.get("list_small_ms") else float("nan")
    plan = seeded["plan"]
    ok = lambda good: "yes" if good else "**no**"  # noqa: E731
    rows = [
        ("start-up to first reply: restart (first start)", f"{r['startup_s']:.2f} s ({r['first_start_s']:.2f} s)",
         "≤ 5 s", ok(r["startup_s"] <= 5)),
        ("RSS after start-up / after the lists", f"{r['rss_start_mib']:.0f} / {r['rss_end_mib']:.0f} MiB",
         "≤ 150 MiB", ok(max(r["rss_start_mib"], r["rss_end_mib"]) <= 150)),
        ("`!action liste`, 5,000-action room: median / p95",
         f"{r['list_big_ms']:.0f} / {r['list_big_p95']:.0f} ms", "", ""),
        ("`!action liste`, 20-action room: median / p95",
         f"{r['list_small_ms']:.0f} / {r['list_small_p95']:.0f} ms", "", ""),
        ("ratio of the medians", f"{ratio:.2f} ×", "≤ 1.5 ×", ok(ratio <= 1.5)),
        ("… handled in process (no homeserver): 5,000 / 20 actions",
         f"{r['handle_big_ms']:.1f} / {r['handle_small_ms']:.1f} ms ({r['handle_big_ms'] / r['handle_small_ms']:.2f} ×), "
         f"{r['handle_big_queries']} / {r['handle_small_queries']} queries", "≤ 1.5 ×",
         ok(r["handle_big_ms"] <= 1.5 * r["handle_small_ms"])),
        ("largest reply event / events per command", f"{r['max_event_bytes'] / 1024:.1f} KiB / "
         f"{r['max_events_per_command']}", "< 64 KiB / 1", ok(r["max_event_bytes"] < MAX_EVENT_BYTES
                                                             and r["max_events_per_command"] == 1)),
        ("weekly digest of the largest room", f"{r['digest_big_ms']:.1f} ms, {r['digest_big_queries']} queries",
         "≤ 100 ms", ok(r["digest_big_ms"] <= 100)),
        ("… of the 20-action room", f"{r['digest_small_ms']:.1f} ms, {r['digest_small_queries']} queries",
         "same query count", ok(r["digest_big_queries"] == r["digest_small_queries"])),
        (f"minutes export, {r['minutes_items']}-item meeting (Markdown, {r['minutes_kib']:.0f} KiB)",
         f"{r['minutes_ms']:.1f} ms", "≤ 200 ms", ok(r["minutes_ms"] <= 200)),
    ]
    head = (f"### {backend}, scale {args.scale:g} ({plan.rooms} rooms, {plan.actions} actions, {plan.meetings} "
            f"meetings, {seeded['jobs']} jobs, {plan.mobilisations} mobilisations / {plan.participants} "
            f"participants; seeded in {seeded['seconds']:.0f} s), {args.rounds} rounds\n\n"
            f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, {info['nproc']} cores ({info['cpu']}), "
            f"{info['ram']}, Python {info['python']}, Synapse {info['synapse']}, commit {info['relais']}; "
            f"{args.note}\n\n")
    lines = ["| | measured | goal | met |", "|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    lines.append(f"\n`!action liste` answered {r['list_answered']} of {r['list_sent']}.")
    return head + "\n".join(lines) + "\n"


async def run(args, synapse: Synapse, workdir: Path, url: str) -> tuple[dict, dict]:
    bot_id, bot_password = register_bot(synapse, "relais")
    [(user_id, token)] = register_members(synapse, ["coord"])
    client = make_client(synapse.base_url, user_id, token)
    try:
        rooms = []
        for name in ("grande", "petite"):
            resp = await client.room_create(name=name, invite=[bot_id])
            rooms.append(resp.room_id)
        print(f"seeding {url.split('@')[-1]} at scale {args.scale:g} …", flush=True)
        seeded = await seed(url, scale=args.scale, big_room=rooms[0], small_room=rooms[1])
        print(f"seeded in {seeded['seconds']:.0f} s; measuring in process …", flush=True)
        result = await in_process(url, rooms[0], rooms[1])
        print("starting the bot …", flush=True)
        result |= await on_synapse(args, synapse, workdir, url, client, bot_id, bot_password, (rooms[0], rooms[1]))
        return seeded, result
    finally:
        await client.close()


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--postgres", action="store_true", help="PostgreSQL (a throwaway cluster) instead of SQLite")
    p.add_argument("--scale", type=float, default=1.0)
    p.add_argument("--rounds", type=int, default=20, help="`!action liste` per room (alternating)")
    p.add_argument("--start-timeout", type=float, default=120)
    p.add_argument("--note", default="", help="a remark printed with the figures (e.g. a shared machine)")
    p.add_argument("--write", action="store_true", help=f"append the table to {DOCS.relative_to(ROOT)}")
    p.add_argument("--keep", action="store_true", help="keep the work directory")
    p.add_argument("--bot-log-level", default="WARNING")
    return p.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    sandbox = Sandbox("relais-scale-", args.keep)
    workdir, synapse = sandbox.workdir, sandbox.synapse
    cluster = None
    try:
        if args.postgres:
            from bench.scale_seed import _postgres_url

            cluster, url = asyncio.run(_postgres_url())
            backend = "PostgreSQL"
        else:
            url = f"sqlite+aiosqlite:///{workdir / 'relais.db'}"
            backend = "SQLite"
        synapse.start()
        seeded, result = asyncio.run(run(args, synapse, workdir, url))
        md = table(args, machine_info(), seeded, result, backend)
        print("\n" + md)
        if args.write:
            with DOCS.open("a", encoding="utf-8") as f:
                f.write("\n" + md)
        return 0
    finally:
        if cluster is not None:
            cluster.stop()
        sandbox.finish()


if __name__ == "__main__":
    raise SystemExit(main())
