"""What each layer under a repository call costs, in CPU per call, on a SQLite file as `python -m bot run` has:

    .venv/bin/python -m bench.sql_layers [--calls 3000]

- an empty trip to aiosqlite's thread (a future, a queue hand-off, the event loop woken through its self-pipe);
- one INSERT run on that thread directly (one trip: what storage/sqlite_driver.py makes of every statement);
- the same INSERT through SQLAlchemy Core's AsyncConnection (built once, as the hot statements are);
- a unit of work with that INSERT (`Store.atomic()`: a pooled connection, a transaction, the INSERT, the commit:
  two trips). Less the line above, it is what a unit costs around its statements.

It tells how much of a command's CPU is the SQL layers rather than its statements (docs/performance.md, round 4):
a command costs one unit of work and 2 (`!ping`) to 7 (`!action`) statements.
"""
from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from sqlalchemy import text

from storage.db import open_store
from storage.sqlite_driver import _run

SQL = "INSERT INTO bench_rows (a, b) VALUES (?, ?)"


async def per_call(calls: int, step: Callable[[int], Awaitable[object]]) -> float:
    """CPU microseconds per call of `step` (after 10 % of warm-up calls)."""
    for i in range(calls // 10):
        await step(i)
    start = time.process_time()
    for i in range(calls):
        await step(i)
    return (time.process_time() - start) / calls * 1e6


async def main(calls: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = await open_store(f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}")
        try:
            async with store.engine.begin() as c:
                await c.exec_driver_sql("CREATE TABLE bench_rows (id INTEGER PRIMARY KEY, a TEXT, b INTEGER)")
            rows: list[tuple[str, float]] = []
            async with store.atomic() as unit:
                raw = (await unit.connection.get_raw_connection()).driver_connection  # the aiosqlite connection
                rows.append(("empty trip to aiosqlite's thread", await per_call(calls, lambda i: raw._execute(int))))
                rows.append(("INSERT, one trip, no SQLAlchemy",
                             await per_call(calls, lambda i: raw._execute(_run, raw, SQL, ("x", i)))))
                insert = text("INSERT INTO bench_rows (a, b) VALUES (:a, :b)")
                rows.append(("INSERT through SQLAlchemy Core (AsyncConnection, built once)",
                             await per_call(calls, lambda i: unit.connection.execute(insert, {"a": "x", "b": i}))))

            async def unit_of_one(i: int) -> None:
                async with store.atomic() as unit:
                    await unit.connection.execute(insert, {"a": "x", "b": i})

            rows.append(("a unit of work with that INSERT (Store.atomic: connection, transaction, commit)",
                         await per_call(calls, unit_of_one)))
        finally:
            await store.close()
    print(f"{calls} calls each, CPU per call\n\n| layer | µs |\n|---|---|")
    for what, us in rows:
        print(f"| {what} | {us:.0f} |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=3000)
    asyncio.run(main(parser.parse_args().calls))
