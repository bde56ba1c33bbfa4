"""What each library Relais needs costs in memory, imported one after the other in a fresh process, as
`python -m bot run` imports them on SQLite (peewee's driver probes hidden, as bot/__main__.py does):

    .venv/bin/python -m bench.import_floor

Per step: resident memory added (VmRSS, what the bench's RSS figure counts), Python objects allocated
(tracemalloc: what Python itself holds; the rest is code, shared libraries and allocator slack) and the import
time (wall). `python -X importtime -c "import bot.app"` gives the per-module breakdown behind a step.
"""
from __future__ import annotations

import importlib
import importlib.util
import json
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ASYNCIO_ENGINE = "storage/asyncio_engine.py"  # run as the bot does, without importing the storage package

STEPS = [
    ("Python + asyncio, ssl, sockets", ["asyncio", "ssl", "socket", "json", "logging"]),
    ("aiohttp", ["aiohttp"]),
    ("matrix-nio (end-to-end layer installed: vodozemac, peewee, jsonschema)", ["nio", "nio.crypto"]),
    ("SQLAlchemy core", ["sqlalchemy"]),
    ("SQLAlchemy asyncio engine (without its ORM, as storage/asyncio_engine.py) + aiosqlite (greenlet)",
     [ASYNCIO_ENGINE, "sqlalchemy.ext.asyncio.engine", "aiosqlite", "sqlalchemy.dialects.sqlite.aiosqlite"]),
    ("APScheduler (+ its SQLAlchemy job store)", ["apscheduler.schedulers.asyncio",
                                                   "apscheduler.jobstores.sqlalchemy"]),
    ("dateparser, dateutil, Babel dates", ["dateparser", "dateutil", "babel.dates"]),
    ("Relais: storage", ["storage"]),
    ("Relais: handlers (capabilities, texts)", ["handlers.capabilities"]),
    ("Relais: bot (app, scheduler, sender, web)", ["bot.app"]),
]
PEEWEE_PROBES = ("psycopg", "psycopg2", "psycopg2cffi", "pymysql", "MySQLdb")  # bot/__main__.py hides them


def rss_mib() -> float:
    return int(Path("/proc/self/status").read_text().split("VmRSS:")[1].split()[0]) / 1024


def measure(trace: bool) -> list[tuple[str, float, float, int, float]]:
    """(step, RSS after it, traced Python memory after it, modules after it, seconds) in this process."""
    for name in PEEWEE_PROBES:  # as bot/__main__.py does on SQLite
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]
    if trace:
        tracemalloc.start()
    rows = [("interpreter", rss_mib(), 0.0, len(sys.modules), 0.0)]
    for label, modules in STEPS:
        start = time.perf_counter()
        for module in modules:
            if module == ASYNCIO_ENGINE:
                spec = importlib.util.spec_from_file_location("asyncio_engine", ROOT / module)
                shim = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
                spec.loader.exec_module(shim)  # type: ignore[union-attr]
                shim.load()
            else:
                importlib.import_module(module)
        traced = tracemalloc.get_traced_memory()[0] / 2**20 if trace else 0.0
        rows.append((label, rss_mib(), traced, len(sys.modules), time.perf_counter() - start))
    return rows


def main() -> None:
    if len(sys.argv) > 1:  # one pass, in a fresh process
        print(json.dumps(measure(sys.argv[1] == "trace")))
        return
    # RSS without tracemalloc (it inflates RSS with its own bookkeeping), Python objects with it: two processes.
    plain, traced = (json.loads(subprocess.run([sys.executable, "-m", "bench.import_floor", mode], check=True,
                                               capture_output=True, text=True).stdout) for mode in ("plain", "trace"))
    print("| import (in this order) | + RSS MiB | RSS MiB | + Python objects MiB (tracemalloc) | + modules | s |")
    print("|---|---|---|---|---|---|")
    print(f"| interpreter | | {plain[0][1]:.1f} | | {plain[0][3]} | |")
    for (label, rss, _, mods, took), prev, (_, _, py, _, _), prev_t in zip(plain[1:], plain, traced[1:], traced):
        print(f"| {label} | {rss - prev[1]:.1f} | {rss:.1f} | {py - prev_t[2]:.1f} | {mods - prev[3]} | {took:.2f} |")
    print(f"\nTotal {plain[-1][1]:.1f} MiB resident, {traced[-1][2]:.1f} MiB of it Python objects, "
          f"{plain[-1][3]} modules.")


if __name__ == "__main__":
    main()
