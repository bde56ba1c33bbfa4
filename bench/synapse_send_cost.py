#!/usr/bin/env python
"""What one bot message costs the homeserver, by its content: Synapse's CPU per `PUT /send` (from its access
log), for the floor's `pong`, a Relais reminder with and without an empty `m.mentions`, and a `pong` with one.

    .venv/bin/python -m bench.synapse_send_cost [--sends 100] [--passes 3]

One throwaway Synapse, one unencrypted room with two members (as the bench's rooms), the variants sent in turn,
one at a time, `--passes` times. Why: Synapse checks `m.mentions` against a JSON schema at every send
(bot/mentions.py says when Relais leaves it out).
"""
from __future__ import annotations

import argparse
import asyncio
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nio import AsyncClient, ErrorResponse  # noqa: E402

from bench.common import Sandbox, create_room, make_client, median, register_bot, register_members  # noqa: E402

REMINDER = "meeting P{k} “perf reminder {k}” on Wednesday 2 December 2026 at 02:09 (in 10 min)."
VARIANTS = {
    "pong (the floor's reply)": lambda k: {"body": "pong", "formatted_body": "pong"},
    "pong, empty m.mentions": lambda k: {"body": "pong", "formatted_body": "pong", "m.mentions": {}},
    "reminder, empty m.mentions": lambda k: {"body": "Reminder: " + REMINDER.format(k=k),
                                             "formatted_body": "<b>Reminder</b>: " + REMINDER.format(k=k),
                                             "m.mentions": {}},
    "reminder, no m.mentions": lambda k: {"body": "Reminder: " + REMINDER.format(k=k),
                                          "formatted_body": "<b>Reminder</b>: " + REMINDER.format(k=k)},
}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sends", type=int, default=100, help="sends per variant and pass")
    p.add_argument("--passes", type=int, default=3)
    args = p.parse_args(argv)
    os.environ["RELAIS_SYNAPSE_ACCESS_LOG"] = "1"  # bot/devserver.py: every request logged, with its CPU
    sandbox = Sandbox("relais-sendcost-", keep=False)

    def body() -> list[str]:
        sandbox.start_synapse()
        bot_id, bot_pw = register_bot(sandbox.synapse, "sender")
        members = register_members(sandbox.synapse, ["alice", "bob"])
        asyncio.run(send_all(sandbox, bot_id, bot_pw, members, args))
        cpu: dict[str, list[float]] = {name: [] for name in VARIANTS}
        names = {f"v{i}": name for i, name in enumerate(VARIANTS)}
        with open(sandbox.synapse.log_path, encoding="utf-8", errors="replace") as log:
            for line in log:
                m = re.search(r"ru=\(([\d.]+)sec, ([\d.]+)sec\).*\"PUT \S+/send/m\.room\.message/(v\d+)-", line)
                if m:
                    cpu[names[m.group(3)]].append((float(m.group(1)) + float(m.group(2))) * 1000)
        print(f"\nSynapse's CPU per PUT /send ({args.passes} × {args.sends} each):\n")
        print("| content | median | mean |\n|---|---|---|")
        for name, values in cpu.items():
            print(f"| {name} | {median(values):.1f} ms | {sum(values) / max(1, len(values)):.1f} ms |")
        return [] if all(len(v) == args.passes * args.sends for v in cpu.values()) else ["some sends were not logged"]

    return sandbox.run(body)


async def send_all(sandbox: Sandbox, bot_id: str, bot_pw: str, members, args) -> None:
    bot = AsyncClient(sandbox.synapse.base_url, bot_id)
    clients = [make_client(sandbox.synapse.base_url, *m) for m in members]
    try:
        await bot.login(bot_pw)
        room = await create_room(clients, "send cost", bot_id)
        await bot.join(room)
        for n in range(args.passes):
            for i, make in enumerate(VARIANTS.values()):
                for k in range(args.sends):
                    content = {"msgtype": "m.notice", "format": "org.matrix.custom.html", **make(k)}
                    resp = await bot.room_send(room, "m.room.message", content, tx_id=f"v{i}-{n}-{k}")
                    if isinstance(resp, ErrorResponse):
                        raise SystemExit(f"send failed: {resp.message}")
    finally:
        await asyncio.gather(bot.close(), *(c.close() for c in clients))


if __name__ == "__main__":
    sys.exit(main())
