"""How long the web pages of a big room take: 5,000 actions (3,000 open, owners and themes) and 500 meetings
(attendance, topics, infos, decisions, links; each with its end-of-meeting snapshot), beside a second room of the
same size that must not slow the first. Run by hand; the figures go to docs/performance-web.md.

    .venv/bin/python bench/web_pages.py                 # SQLite file in a temporary directory, 30 requests a page
    .venv/bin/python bench/web_pages.py --requests 100 --write   # and append the table to docs/performance-web.md

Each page is fetched over HTTP from the real server (bot/web.py on 127.0.0.1:0, aiohttp client on the same
loop, like a browser on loopback): the time is request sent → body read. Also timed: the 304 answer to a
conditional request (what a calendar app polling every few minutes costs).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from bot.config import WebConfig  # noqa: E402
from bot.web import serve_pages  # noqa: E402
from handlers.capabilities import registry  # noqa: E402
from handlers.core.clock import FakeClock  # noqa: E402
from handlers.core.services import Defaults, Services  # noqa: E402
from handlers.pages import turn_on  # noqa: E402
from storage import open_store  # noqa: E402
from storage.actions import Action, ActionOwner, ActionTheme, ThemeRow  # noqa: E402
from storage.meetings import Meeting, MeetingAttendance, MeetingItem  # noqa: E402
from storage.rooms import Room  # noqa: E402

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)
ROOMS = ("!grand:bench.example", "!voisin:bench.example")
ACTIONS, OPEN, MEETINGS = 5_000, 3_000, 500
PEOPLE = [f"@membre{n:02d}:bench.example" for n in range(40)]
THEMES = ("logistique", "communication", "finances", "mobilisation", "plaidoyer")


async def seed(store, room_id: str, rng: random.Random, first_ids: dict[str, int]) -> None:
    start = NOW - timedelta(days=7 * MEETINGS)
    async with store.session() as s:
        await s.execute(insert(Room).values(room_id=room_id, language="fr", timezone="Europe/Paris",
                                            joined_at=start, created_at=start, settings="{}"))
        await s.execute(insert(ThemeRow), [{"room_id": room_id, "key": k, "name": k.capitalize(),
                                            "referent_user_id": None, "referent_name": None} for k in THEMES])
        meeting_id = first_ids["meeting"]
        item_id = first_ids["item"]
        meetings, attendance, items = [], [], []
        for n in range(1, MEETINGS + 1):
            at = start + timedelta(days=7 * n)
            snapshot = [{"number": n * 10 + k, "text": f"tâche {k} de la réunion {n}", "status": "open",
                         "owners": [{"user_id": PEOPLE[k], "name": f"Membre {k}"}], "due_at": None,
                         "due_has_time": False, "meeting_id": meeting_id, "meeting_number": n, "topic_id": None,
                         "created_at": at.isoformat()} for k in range(8)]
            meetings.append({"id": meeting_id, "room_id": room_id, "number": n, "title": f"Plénière {n}",
                             "started_at": at, "started_by": PEOPLE[0], "started_by_name": "Membre 0",
                             "ended_at": at + timedelta(hours=2), "ended_by": PEOPLE[0], "scribe_user_id": PEOPLE[1],
                             "scribe_name": "Membre 1", "actions_json": json.dumps(snapshot)})
            for k in range(12):
                attendance.append({"meeting_id": meeting_id, "person_key": PEOPLE[k], "user_id": PEOPLE[k],
                                   "name": f"Membre {k}", "status": "excused" if k > 9 else "present",
                                   "reason": None, "set_by": PEOPLE[0], "set_at": at})
            for topic in range(3):
                topic_id = item_id
                items.append({"id": item_id, "meeting_id": meeting_id, "topic_id": None, "kind": "topic",
                              "text": f"Sujet {topic}", "url": None, "author": PEOPLE[1], "author_name": "Membre 1",
                              "created_at": at})
                item_id += 1
                for kind in ("info", "info", "decision", "idea", "link"):
                    items.append({"id": item_id, "meeting_id": meeting_id, "topic_id": topic_id, "kind": kind,
                                  "text": f"{kind} {item_id} <b>échappé</b>",
                                  "url": "https://example.org/doc" if kind == "link" else None,
                                  "author": PEOPLE[1], "author_name": "Membre 1", "created_at": at})
                    item_id += 1
            meeting_id += 1
        await s.execute(insert(Meeting), meetings)
        await s.execute(insert(MeetingAttendance), attendance)
        await s.execute(insert(MeetingItem), items)
        first_ids["meeting"], first_ids["item"] = meeting_id, item_id

        action_id = first_ids["action"]
        actions, owners, themes = [], [], []
        for n in range(1, ACTIONS + 1):
            status = "open" if n <= OPEN else rng.choice(("done", "cancelled"))
            due = NOW + timedelta(days=rng.randint(-60, 120)) if rng.random() < 0.7 else None
            created = start + timedelta(days=rng.randint(0, 7 * MEETINGS))
            actions.append({"id": action_id, "room_id": room_id, "number": n, "text": f"action {n} <i>à faire</i>",
                            "status": status, "due_at": due, "due_has_time": False, "created_by": PEOPLE[0],
                            "created_at": created, "closed_by": None if status == "open" else PEOPLE[0],
                            "closed_at": None if status == "open" else created + timedelta(days=3)})
            for position, who in enumerate(rng.sample(PEOPLE, rng.randint(0, 2))):
                owners.append({"action_id": action_id, "position": position, "user_id": who,
                               "name": who[1:].split(":")[0]})
            for key in rng.sample(THEMES, rng.randint(0, 2)):
                themes.append({"action_id": action_id, "key": key})
            action_id += 1
        await s.execute(insert(Action), actions)
        await s.execute(insert(ActionOwner), owners)
        await s.execute(insert(ActionTheme), themes)
        first_ids["action"] = action_id


async def timed(http: aiohttp.ClientSession, url: str, n: int, headers: dict | None = None) -> tuple[list[float], int, int]:
    times, size, status = [], 0, 0
    for _ in range(n):
        t0 = time.perf_counter()
        async with http.get(url, headers=headers or {}) as r:
            body = await r.read()
            status = r.status
        times.append((time.perf_counter() - t0) * 1000)
        size = len(body)
    return times, size, status


async def run(requests: int) -> list[tuple[str, int, int, float, float, float]]:
    with tempfile.TemporaryDirectory(prefix="relais-web-bench-") as tmp:
        store = await open_store(f"sqlite+aiosqlite:///{tmp}/bench.db")
        rng = random.Random(15)
        ids = {"meeting": 1, "item": 1, "action": 1}
        t0 = time.perf_counter()
        for room_id in ROOMS:
            await seed(store, room_id, rng, ids)
        print(f"seeded {len(ROOMS)} rooms × ({ACTIONS} actions, {MEETINGS} meetings) in {time.perf_counter() - t0:.1f} s")
        services = Services(store, FakeClock(NOW), Defaults(), room_name=lambda room_id: "Grand salon")
        link, _ = await turn_on(store, ROOMS[0], by=PEOPLE[0], at=NOW)
        server = await serve_pages(services, WebConfig("127.0.0.1:0", "http://127.0.0.1:0"), registry.digest_sections)
        base = f"http://127.0.0.1:{server.port}/p/{link.token}/"
        pages = [("home", ""), ("minutes index", "minutes/"), ("minutes index, page 10", "minutes/?page=10"),
                 ("minutes n°250", "minutes/250"), ("digests index", "digests/"), ("digest of a week, seen before", "digests/2026-W40"),
                 ("calendar.ics", "calendar.ics"), ("feed.atom", "feed.atom"), ("404 (unknown token)", None)]
        rows = []
        try:
            async with aiohttp.ClientSession() as http:
                for name, path in pages:
                    url = base + path if path is not None else f"http://127.0.0.1:{server.port}/p/{'x' * 43}/"
                    await timed(http, url, 2)  # warm: caches of Babel, the catalogue, SQLite's pages
                    times, size, status = await timed(http, url, requests)
                    rows.append((name, status, size, statistics.median(times),
                                 statistics.quantiles(times, n=20)[18], max(times)))
                # Each past week's digest is built at its first view (then kept): time first views of other weeks.
                first = []
                for week in range(1, min(requests, 45) + 1):  # weeks 1-45 of 2026: over, and never seen
                    times, size, status = await timed(http, f"{base}digests/2026-W{week:02d}", 1)
                    first += times
                rows.append((f"digest of a week, first view ({len(first)} weeks)", status, size, statistics.median(first),
                             statistics.quantiles(first, n=20)[18], max(first)))
                async with http.get(base + "calendar.ics") as r:
                    etag = r.headers["ETag"]
                times, size, status = await timed(http, base + "calendar.ics", requests, {"If-None-Match": etag})
                rows.append(("calendar.ics, If-None-Match (304)", status, size, statistics.median(times),
                             statistics.quantiles(times, n=20)[18], max(times)))
        finally:
            await server.stop()
            await store.close()
    return rows


def table(rows, requests: int) -> str:
    out = [f"| page ({requests} requests each) | status | bytes | median ms | p95 ms | max ms |",
           "|---|---:|---:|---:|---:|---:|"]
    out += [f"| {name} | {status} | {size:,} | {med:.1f} | {p95:.1f} | {worst:.1f} |"
            for name, status, size, med, p95, worst in rows]
    return "\n".join(out)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--requests", type=int, default=30)
    p.add_argument("--write", action="store_true", help="append the table to docs/performance-web.md")
    args = p.parse_args(argv)
    rows = asyncio.run(run(args.requests))
    text = table(rows, args.requests)
    print(text)
    if args.write:
        stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        with open(ROOT / "docs" / "performance-web.md", "a", encoding="utf-8") as f:
            f.write(f"\n### Run of {stamp}\n\n{text}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
