"""Relais' own cost per command, without Matrix: the bench's three commands through the real router, handlers
and storage (a SQLite file, as `python -m bot run` has), each in a unit of work with its claim and outbox rows,
as bot/app.py runs them. Prints the CPU per command and what each command asks of aiosqlite's thread:

    .venv/bin/python -m bench.handler_path [--rounds 200] [--profile list|action|ping] [--every 500]

No homeserver, no nio: what is left of `bench.side_by_side`'s CPU figure once this is subtracted is the sync,
the sending and the event loop. `--profile` prints cProfile's top functions for one command kind.
"""
from __future__ import annotations

import argparse
import asyncio
import collections
import cProfile
import itertools
import pstats
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aiosqlite.core  # noqa: E402

from bot.sender import effect_to_json  # noqa: E402
from handlers.capabilities import registry  # noqa: E402
from handlers.core.clock import SystemClock  # noqa: E402
from handlers.core.interface import Member, Message  # noqa: E402
from handlers.core.router import Router  # noqa: E402
from handlers.core.services import Defaults, Services  # noqa: E402
from storage import open_store  # noqa: E402

ROOM = "!bench:relais.test"
ALICE = Member("@alice:relais.test", "alice", 100)
COMMANDS = {
    "ping": lambda n: "!ping",
    "action": lambda n: f"!action @alice perf task {n} by tomorrow 6pm",
    "list": lambda n: "!action liste",
}
trips: collections.Counter[str] = collections.Counter()


def count_trips() -> None:
    """Count the functions sent to aiosqlite's thread (a statement, a commit, a rollback…)."""
    original = aiosqlite.core.Connection._execute

    async def counted(self, fn, *args, **kwargs):
        name = getattr(fn, "__name__", "?")
        if name == "_run":  # (connection, operation, parameters, many, deferred, commit)
            name = "statement and commit" if args[5:6] == (True,) else "statement"
        trips[name] += 1
        return await original(self, fn, *args, **kwargs)

    aiosqlite.core.Connection._execute = counted


async def run(rounds: int, profile: str | None, every: int = 0, with_scheduler: bool = False) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{tmp}/relais.db"
        store = await open_store(url)
        clock = SystemClock()
        scheduler = None
        if with_scheduler:  # the real job store (APScheduler, written behind by its thread), as the bot has it
            from bot.scheduler import JobScheduler

            async def nothing(*_args) -> None:
                return None

            scheduler = JobScheduler(url, clock, nothing, late_grace=Defaults().late_grace)
            scheduler.start()
        router = Router(registry, Services(store, clock, Defaults(language="en"), scheduler))
        ids = itertools.count()
        store.events.unseen_after = clock.now()  # as in a bot started more than a minute ago (bot/app.py)

        async def command(text: str) -> None:
            event_id = f"$bench{next(ids)}"
            msg = Message(event_id, clock.now(), ALICE.user_id, ROOM, text, (ALICE,), ())
            async with store.atomic():  # claimed as handlers/actions/edits.py claims a command
                if not await store.events.claim(event_id, ROOM, clock.now(), sender=msg.sender, sent_at=msg.time):
                    return
                effects = await router.handle(msg)
                await store.outbox.add(ROOM, event_id, [effect_to_json(e) for e in effects], clock.now(),
                                       ends_unit=True)

        for n in range(10):  # first use: texts, locale data, statement caches
            for kind, text in COMMANDS.items():
                await command(text(n))
        cpu = dict.fromkeys(COMMANDS, 0.0)
        per_kind: dict[str, collections.Counter[str]] = {k: collections.Counter() for k in COMMANDS}
        profiler = cProfile.Profile() if profile else None
        window, wall = dict.fromkeys(COMMANDS, 0.0), dict.fromkeys(COMMANDS, 0.0)
        for n in range(rounds):
            if every and n and n % every == 0:  # does a command cost more as the history grows?
                print(f"  rounds {n - every}–{n}, CPU / wall per command: " + ", ".join(
                    f"{kind} {1000 * window[kind] / every:.2f} / {1000 * wall[kind] / every:.2f} ms"
                    for kind in COMMANDS) + f"; RSS {_rss_mb():.1f} MiB", flush=True)
                window, wall = dict.fromkeys(COMMANDS, 0.0), dict.fromkeys(COMMANDS, 0.0)
            for kind, text in COMMANDS.items():
                trips.clear()
                if profiler and kind == profile:
                    profiler.enable()
                started, started_wall = time.process_time(), time.perf_counter()
                await command(text(n))
                cpu[kind] += time.process_time() - started
                window[kind] += time.process_time() - started
                wall[kind] += time.perf_counter() - started_wall
                if profiler and kind == profile:
                    profiler.disable()
                per_kind[kind].update(trips)
        if scheduler is not None:
            await scheduler.shutdown()
        await store.close()
    print(f"{rounds} rounds; the list grows to {rounds + 10} open actions (pages of 25)")
    print("| command | CPU per command | trips to aiosqlite's thread per command |")
    print("|---|---|---|")
    for kind in COMMANDS:
        detail = ", ".join(f"{name} {count / rounds:g}" for name, count in sorted(per_kind[kind].items()))
        print(f"| `{COMMANDS[kind](0)}` | {1000 * cpu[kind] / rounds:.2f} ms | "
              f"{sum(per_kind[kind].values()) / rounds:g} ({detail}) |")
    if profiler:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)


def _rss_mb() -> float:
    # Not bench.common.proc_sample: that module imports nio, which this path leaves out.
    return int(Path("/proc/self/status").read_text().split("VmRSS:")[1].split()[0]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--profile", choices=list(COMMANDS), default=None)
    parser.add_argument("--every", type=int, default=0, help="also print the CPU per command every N rounds")
    parser.add_argument("--scheduler", action="store_true", help="with the bot's job scheduler (an action plans reminders)")
    args = parser.parse_args()
    count_trips()
    asyncio.run(run(args.rounds, args.profile, args.every, args.scheduler))


if __name__ == "__main__":
    main()
