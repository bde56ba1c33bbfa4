"""Faults end to end, against the suite's Synapse.

- The bot, run as its own process, is killed with SIGKILL ten times at random moments (during start-up, or just
  after one of its answers) and started again, while five members send 150 mixed commands: every command is
  answered exactly once — a reply, or a ✅ for `!info` during a meeting — and action numbers have no gap and
  no double. The same run, bigger, is `bench/faults.py --phases crash` (figures in docs/reliability.md).
- PostgreSQL is stopped mid-run: a command gets "Pas enregistré…", nothing of it is kept, and once PostgreSQL is
  back the bot answers the next command by itself.

Both are marked `slow` (about 2 minutes and 30 seconds); `pytest -m "not slow"` leaves them out.
"""
from __future__ import annotations

import asyncio
import random

import pytest

from bench.faults import crash_run
from tests.e2e.conftest import body, room_with_bot
from tests.postgres import start_cluster_or_skip

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

UNAVAILABLE_FR = "Pas enregistré : la base de données ne répond pas. Réessayez dans un moment."


async def test_sigkills_of_the_bot_lose_and_duplicate_no_command(synapse, tmp_path):
    seed = random.randrange(1_000_000)
    result = await crash_run(synapse, tmp_path, commands=150, kills=10, members=5, seed=seed, quiet_s=30,
                             max_seconds=300, say=lambda line: None)
    t = result.tally
    context = (f"seed {seed}; lost {t.lost[:5]}, duplicated {list(t.duplicated.items())[:5]}, "
               f"{result.resent_rows} outbox rows sent again; bot log: {tmp_path / 'bot.log'}")
    assert result.kills == 10, context
    assert t.sent == 150 and t.send_errors == 0, context
    assert t.lost == [], context
    assert t.duplicated == {}, context
    assert result.action_problems == [], context
    assert result.died_by_itself == [], context
    assert t.refused == 0 and t.internal == 0, context


def _pg_ctl(cluster, *args: str) -> None:
    extra = {"log_to": cluster.base / "pg_ctl.log"} if args[0] == "start" else {}
    result = cluster._run("pg_ctl", *args, "-D", str(cluster.datadir), **extra)
    assert result.returncode == 0, f"pg_ctl {args[0]} failed: {result.stdout}{result.stderr}"


@pytest.mark.postgres
async def test_postgresql_stopped_mid_run_gets_a_retry_message_then_recovers(make_user, start_bot):
    cluster = await asyncio.to_thread(start_cluster_or_skip)
    bot = None
    try:
        alice = await make_user("alice")
        bot = await start_bot(storage_url=cluster.url())
        room = await room_with_bot(alice, bot)
        first = await alice.send(room, "!action avant la panne")
        assert body(await alice.wait_reply(room, first, sender=bot.user_id)).startswith("Action #1 enregistrée")

        await asyncio.to_thread(_pg_ctl, cluster, "stop", "-m", "fast", "-w", "-t", "30")
        down = await alice.send(room, "!action pendant la panne")
        assert body(await alice.wait_reply(room, down, sender=bot.user_id, timeout=30)) == UNAVAILABLE_FR

        await asyncio.to_thread(_pg_ctl, cluster, "start", "-w", "-t", "60", "-l", str(cluster.logfile))
        after = await alice.send(room, "!action après la panne")
        # Nothing of the refused command was kept: this one is #2.
        reply = await alice.wait_reply(room, after, sender=bot.user_id, timeout=90)
        assert body(reply).startswith("Action #2 enregistrée : après la panne")
        listed = body(await alice.wait_reply(room, await alice.send(room, "!action liste"), sender=bot.user_id))
        assert "avant la panne" in listed and "après la panne" in listed and "pendant" not in listed
        await asyncio.sleep(1)
        replies_to_down = [e for e in alice.messages(room) if e.sender == bot.user_id and e.source["content"]
                           .get("m.relates_to", {}).get("m.in_reply_to", {}).get("event_id") == down]
        assert len(replies_to_down) == 1  # told once, not run again once PostgreSQL was back
    finally:
        if bot is not None:
            await bot.stop()
        await asyncio.to_thread(cluster.stop)
