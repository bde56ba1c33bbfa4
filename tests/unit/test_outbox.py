"""Faults, without Matrix: the unit of work (claim + changes + outbox commit together), the outbox (sent
again after a crash with the same transaction ids), a homeserver that is away or refuses, and a database that
is locked, full or unreachable — on a real SQLite file (and PostgreSQL for the unit of work).

The bot is the real `Relais` (its event handling, units of work and outbox delivery) with a fake homeserver
that, like Synapse, posts an event once per transaction id.
"""
from __future__ import annotations

import asyncio
import logging
import sqlite3
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest
from aiohttp import ClientConnectionError
from nio import MatrixRoom, RoomCreateResponse, RoomGetStateEventError, RoomGetStateEventResponse, RoomMessageText, \
    RoomSendError, RoomSendResponse, SyncResponse
from sqlalchemy import exc as sa_exc
from sqlalchemy import event, text

import storage.db
from bot.app import Relais
from bot.config import BotConfig, Config, MatrixConfig
from bot.scheduler import JobScheduler
from bot.sender import DM_STATE, Sender, effect_from_json, effect_to_json
from handlers.capabilities import registry
from handlers.core.clock import FakeClock
from handlers.core.interface import DirectMessage, File, Notice, React, Reply
from handlers.core.router import Router
from handlers.core.services import Defaults, Services
from handlers.core.text import Rendered
from storage import open_store
from storage.db import UnitAborted, storage_failure
from tests.postgres import create_database, drop_database, postgres_url  # noqa: F401 (fixture)

BOT = "@relais:pacte.example"
ALICE = "@alice:pacte.example"
ROOM = "!salon:pacte.example"
NOW = datetime(2021, 4, 27, 18, 0, tzinfo=timezone.utc)
UNAVAILABLE_FR = "Pas enregistré : la base de données ne répond pas. Réessayez dans un moment."


# ---- a homeserver that deduplicates by transaction id, as Synapse does --------------------------------------

class FakeHomeserver:
    """What Relais uses of nio's AsyncClient. `down`: every request fails to connect; `refuse`: sends get
    this HTTP status. Sends with a transaction id already seen (same room) return the event already made."""

    def __init__(self, user_id: str = BOT) -> None:
        self.user_id = user_id
        self.rooms: dict[str, MatrixRoom] = {}
        self.events: list[tuple[str, str, dict]] = []  # (room_id, type, content): what was posted
        self.attempts: list[str | None] = []  # transaction id of every send request that reached us
        self.txns: dict[tuple[str, str], str] = {}
        self.state: dict[tuple[str, str], dict] = {}  # (room_id, state type) -> content
        self.created: list[str] = []
        self.down = False
        self.refuse: int | None = None

    def room(self, room_id: str, *members: str) -> MatrixRoom:
        room = MatrixRoom(room_id, self.user_id)
        for user_id in (self.user_id, *members):
            room.add_member(user_id, None, None)
        self.rooms[room_id] = room
        return room

    async def room_send(self, room_id, message_type, content, ignore_unverified_devices=False, tx_id=None):
        if self.down:
            raise ClientConnectionError("homeserver down")
        self.attempts.append(tx_id)
        if self.refuse:
            resp = RoomSendError("refused", "M_FORBIDDEN")
            resp.transport_response = SimpleNamespace(status=self.refuse)
            return resp
        if tx_id is not None and (room_id, tx_id) in self.txns:
            return RoomSendResponse(self.txns[(room_id, tx_id)], room_id)
        self.events.append((room_id, message_type, content))
        event_id = f"$sent{len(self.events)}"
        if tx_id is not None:
            self.txns[(room_id, tx_id)] = event_id
        return RoomSendResponse(event_id, room_id)

    async def room_create(self, is_direct=False, invite=(), initial_state=(), **_):
        if self.down:
            raise ClientConnectionError("homeserver down")
        room_id = f"!dm{len(self.created) + 1}:pacte.example"
        self.created.append(room_id)
        room = self.room(room_id)
        for user_id in invite:
            room.add_member(user_id, None, None, invited=True)
        for state in initial_state:
            self.state[(room_id, state["type"])] = state["content"]
        return RoomCreateResponse(room_id)

    async def room_get_state_event(self, room_id, event_type, state_key=""):
        content = self.state.get((room_id, event_type))
        if content is None:
            return RoomGetStateEventError("not found", "M_NOT_FOUND")
        return RoomGetStateEventResponse(content, event_type, state_key, room_id)

    async def close(self) -> None:
        pass

    def texts(self, room_id: str = ROOM) -> list[str]:
        return [c.get("body", "") for r, t, c in self.events if r == room_id and t == "m.room.message"]


@pytest.fixture(autouse=True)
def quick_bookkeeping(monkeypatch):
    """Rows sent are marked within 0.05 s, so that `settle` does not wait BOOKKEEPING_S each time."""
    monkeypatch.setattr("bot.app.BOOKKEEPING_S", 0.05)


async def make_bot(url: str, hs: FakeHomeserver, clock: FakeClock | None = None) -> Relais:
    """A Relais wired as `start()` wires it, minus the network: the fake homeserver is its client."""
    config = Config(MatrixConfig("http://hs.invalid", BOT, None, "token"), bot=BotConfig(rate_limit=None),
                    storage_url=url)
    bot = Relais(config, clock=clock or FakeClock(NOW))
    bot.client = hs
    bot.store = await open_store(url)
    bot.services = Services(bot.store, bot.clock, config.defaults, None, bot._members, bot._room_name, BOT)
    bot.router = Router(registry, bot.services)
    bot.sender = Sender(hs, bot.store.state, language=bot._language)
    bot._synced.set()
    return bot


async def crash(bot: Relais) -> None:
    """What SIGKILL leaves: whatever was committed. Pending sends are dropped, nothing is marked or flushed."""
    for task in [*bot._tasks, *([bot._bookkeeping] if bot._bookkeeping else [])]:
        task.cancel()
    await asyncio.gather(*bot._tasks, *([bot._bookkeeping] if bot._bookkeeping else []), return_exceptions=True)
    bot._tasks.clear()
    await bot.store.close()


async def settle(bot: Relais) -> None:
    """Until every send under way is done and marked."""
    for _ in range(100):
        if bot._tasks:
            await asyncio.wait(list(bot._tasks), timeout=5)
        if bot._bookkeeping is not None and not bot._bookkeeping.done():
            await asyncio.wait([bot._bookkeeping], timeout=5)
        if not bot._tasks and (bot._bookkeeping is None or bot._bookkeeping.done()):
            return
    raise AssertionError("sends never settled")


_ids = iter(range(1, 1_000_000))


def command(body: str, sender: str = ALICE, event_id: str | None = None) -> RoomMessageText:
    return RoomMessageText.from_dict({
        "type": "m.room.message", "event_id": event_id or f"$cmd{next(_ids)}", "sender": sender,
        "origin_server_ts": int(NOW.timestamp() * 1000), "content": {"msgtype": "m.text", "body": body},
    })


def replies_to(hs: FakeHomeserver, event_id: str) -> list[str]:
    """The first line of each reply to `event_id`."""
    return [c["body"].split("\n")[0] for r, t, c in hs.events
            if t == "m.room.message" and c.get("m.relates_to", {}).get("m.in_reply_to", {}).get("event_id") == event_id]


async def rows(bot_or_url, sql: str) -> list:
    store = bot_or_url.store if isinstance(bot_or_url, Relais) else bot_or_url
    async with store.engine.connect() as conn:
        return list((await conn.execute(text(sql))).all())


@pytest.fixture
def db_url(tmp_path):
    return f"sqlite+aiosqlite:///{tmp_path / 'relais.db'}"


@pytest.fixture
def hs():
    server = FakeHomeserver()
    server.room(ROOM, ALICE)
    return server


# ---- the unit of work -------------------------------------------------------------------------------------

async def test_a_command_its_claim_its_changes_and_its_reply_are_one_transaction(db_url, hs):
    bot = await make_bot(db_url, hs)
    event = command("!action écrire le tract")
    await bot._on_event(ROOM, event)
    await settle(bot)
    assert replies_to(hs, event.event_id) == ["Action #1 enregistrée : écrire le tract"]
    assert await rows(bot, "SELECT kind, action_number FROM processed_events") == [("command", 1)]
    [(sent_at, effect)] = await rows(bot, "SELECT sent_at, effect FROM outbox")
    assert sent_at is not None and '"kind": "reply"' in effect
    await bot._on_event(ROOM, event)  # the same event read again (a re-read batch): nothing
    await settle(bot)
    assert len(replies_to(hs, event.event_id)) == 1
    await bot.stop()


async def test_a_unit_that_raises_leaves_nothing_behind(db_url):
    store = await open_store(db_url)
    with pytest.raises(RuntimeError):
        async with store.atomic():
            assert await store.events.claim("$e1", ROOM, NOW, sender=ALICE, sent_at=NOW)
            await store.actions.create(ROOM, text="une action", created_by=ALICE, at=NOW)
            await store.outbox.add(ROOM, "$e1", [{"kind": "react", "key": "✅"}], NOW)
            raise RuntimeError("crash in the middle")
    assert await store.events.command("$e1") is None
    assert await store.actions.list(ROOM) == []
    assert await store.outbox.unsent() == []
    # Nested parts see what earlier parts wrote; all of it commits at the end.
    async with store.atomic():
        assert await store.events.claim("$e2", ROOM, NOW)
        assert not await store.events.claim("$e2", ROOM, NOW)
        created = await store.actions.create(ROOM, text="une autre", created_by=ALICE, at=NOW)
        async with store.atomic():  # nested: part of the outer one
            assert (await store.actions.get(ROOM, created.number)).text == "une autre"
    assert [a.number for a in await store.actions.list(ROOM)] == [1]  # the rolled-back number is given again
    await store.close()


async def test_a_database_error_caught_inside_the_unit_still_aborts_it(db_url):
    store = await open_store(db_url)
    with pytest.raises(UnitAborted) as raised:
        async with store.atomic():
            await store.events.claim("$e1", ROOM, NOW)
            try:
                async with store.session() as s:
                    await s.execute(text("INSERT INTO no_such_table VALUES (1)"))
            except sa_exc.OperationalError:
                pass  # swallowed, as a careless handler might: the unit must not commit half of itself
            with pytest.raises(UnitAborted):
                await store.state.get("anything")  # nothing more runs in a failed unit
    assert isinstance(raised.value.__cause__, sa_exc.OperationalError)
    assert await store.events.command("$e1") is None
    assert await store.events.claim("$e1", ROOM, NOW)  # rolled back: the event can be claimed again
    await store.close()


async def test_tasks_started_inside_a_unit_are_not_part_of_it(db_url):
    store = await open_store(db_url)
    # A task created in the block (as APScheduler does when a handler schedules a job) has its own
    # transactions: it commits even when the unit rolls back.
    with pytest.raises(RuntimeError):
        async with store.atomic():
            await store.state.set("rolled-back", "1")
            task = asyncio.create_task(store.state.set("kept", "1"))
            await asyncio.sleep(0.01)  # it starts (and waits for the database) while the unit is open
            raise RuntimeError
    await task
    assert [await store.state.get(k) for k in ("rolled-back", "kept")] == [None, "1"]
    await store.close()


@pytest.mark.postgres
async def test_the_unit_of_work_on_postgresql(postgres_url):  # noqa: F811
    url = await create_database(postgres_url)
    store = await open_store(url)
    try:
        with pytest.raises(UnitAborted):
            async with store.atomic():
                await store.events.claim("$e1", ROOM, NOW)
                try:
                    async with store.session() as s:  # aborts the PostgreSQL transaction
                        await s.execute(text("SELECT 1/0"))
                except sa_exc.DBAPIError:
                    pass
        assert await store.events.command("$e1") is None
        assert await store.events.claim("$e1", ROOM, NOW)  # the claim was rolled back: it can be made again
        async with store.atomic():
            await store.outbox.add(ROOM, "$e1", [{"kind": "react", "key": "✅"}], NOW)
            await store.actions.create(ROOM, text="sur PostgreSQL", created_by=ALICE, at=NOW)
        assert [o.effect for o in await store.outbox.unsent()] == [{"kind": "react", "key": "✅"}]
    finally:
        await store.close()
        await drop_database(url)


# ---- the outbox ---------------------------------------------------------------------------------------------

def test_every_effect_survives_the_outbox_as_json():
    content = Rendered("Action #1 <b>", "Action #1 &lt;b&gt;")
    effects = [Reply(content, ("@a:x",)), Notice("!other:x", content), React("✅"), DirectMessage("@b:x", content),
               File("agenda.ics", "text/calendar", b"BEGIN:VCALENDAR\r\n\x00\xff", Rendered("cap", "cap")),
               File("x.ics", "text/calendar", b"")]
    import json
    assert [effect_from_json(json.loads(json.dumps(effect_to_json(e)))) for e in effects] == effects


async def test_outbox_rows_carry_their_own_transaction_ids_and_are_pruned_once_sent(db_url):
    store = await open_store(db_url)
    added = await store.outbox.add(ROOM, "$e", [{"kind": "react", "key": "✅"}, {"kind": "react", "key": "👀"}], NOW)
    assert len({row.txn for row in added}) == 2
    assert [r.id for r in await store.outbox.unsent()] == [r.id for r in added]
    await store.outbox.mark_sent([added[0].id], NOW)
    assert [r.id for r in await store.outbox.unsent()] == [added[1].id]
    assert await store.outbox.prune(datetime(2030, 1, 1, tzinfo=timezone.utc)) == 1  # sent rows only
    assert [r.id for r in await store.outbox.unsent()] == [added[1].id]
    await store.close()


async def test_a_reply_decided_before_a_crash_is_sent_after_the_restart(db_url, hs):
    hs.down = True  # the reply cannot go out before the kill
    bot = await make_bot(db_url, hs)
    event = command("!action imprimer les tracts")
    await bot._on_event(ROOM, event)
    await asyncio.sleep(0.05)
    await crash(bot)
    assert hs.events == []

    hs.down = False
    bot = await make_bot(db_url, hs)
    await bot._on_event(ROOM, event)  # the batch is read again: already claimed, not handled twice
    bot._deliver_all(await bot.store.outbox.unsent())  # what start() does
    await settle(bot)
    assert replies_to(hs, event.event_id) == ["Action #1 enregistrée : imprimer les tracts"]
    assert await bot.store.outbox.unsent() == []
    assert [a.number for a in await bot.store.actions.list(ROOM)] == [1]
    await bot.stop()


async def test_a_units_messages_to_one_place_arrive_in_order_and_other_places_do_not_wait(db_url, hs, monkeypatch):
    # Sends of one room run one at a time, in the order decided, however slow the first is (an upload);
    # a DM, or another command's reply, is not held up behind them.
    bot = await make_bot(db_url, hs)
    hs.room("!dm:pacte.example", ALICE)
    await bot.store.state.set(f"dm:{ALICE}", "!dm:pacte.example")
    send = hs.room_send

    async def slow_first(room_id, message_type, content, **kw):
        if content.get("body") == "first":
            await asyncio.sleep(0.2)
        return await send(room_id, message_type, content, **kw)

    monkeypatch.setattr(hs, "room_send", slow_first)
    first, second, dm = Rendered("first", "first"), Rendered("second", "second"), Rendered("to you", "to you")

    async def work():
        return [Reply(first), DirectMessage(ALICE, dm), Notice(ROOM, second), React()]

    await bot._unit(ROOM, "$cmd-a", work)
    other = command("!ping")
    await bot._on_event(ROOM, other)
    await settle(bot)
    sent = [(r, c.get("body") or c.get("m.relates_to", {}).get("key")) for r, t, c in hs.events]
    in_room = [what for r, what in sent if r == ROOM]
    assert in_room.index("first") < in_room.index("second") < in_room.index("✅")
    assert sent.index(("!dm:pacte.example", "to you")) < sent.index((ROOM, "first"))  # not behind the slow one
    assert in_room.index("pong") < in_room.index("first")  # nor is the next command's reply
    await bot.stop()


async def test_a_crash_between_sent_and_marked_sent_posts_nothing_twice(db_url, hs, monkeypatch):
    bot = await make_bot(db_url, hs)
    monkeypatch.setattr("bot.app.BOOKKEEPING_S", 60)  # killed before the rows are marked sent
    event, react = command("!ping"), command("!ping 2")
    await bot._on_event(ROOM, event)
    await bot._on_event(ROOM, react)
    for _ in range(100):
        if len(hs.events) == 2:
            break
        await asyncio.sleep(0.01)
    await crash(bot)
    first_attempts = list(hs.attempts)
    monkeypatch.setattr("bot.app.BOOKKEEPING_S", 0.01)

    bot = await make_bot(db_url, hs)
    unsent = await bot.store.outbox.unsent()
    assert len(unsent) == 2
    bot._deliver_all(unsent)
    await settle(bot)
    assert hs.attempts[2:] == first_attempts  # the same transaction ids…
    assert len(replies_to(hs, event.event_id)) == 1 and len(replies_to(hs, react.event_id)) == 1  # …so one each
    assert await bot.store.outbox.unsent() == []
    await bot.stop()


async def test_the_token_and_the_rows_sent_wait_for_one_write_and_stop_writes_them_at_once(db_url, hs, monkeypatch):
    monkeypatch.setattr("bot.app.BOOKKEEPING_S", 600)  # nothing is written by the wait within this test
    bot = await make_bot(db_url, hs)
    events = [command(f"!ping {i}") for i in range(3)]
    for e in events:
        await bot._on_event(ROOM, e)
    bot.sync_token = "s7"
    bot._keep_soon()
    await asyncio.wait(list(bot._tasks), timeout=5)
    assert all(len(replies_to(hs, e.event_id)) == 1 for e in events)
    assert len(await bot.store.outbox.unsent()) == 3  # sent, not yet marked: one write for all, later
    await asyncio.wait_for(bot.stop(), 10)  # stop does not wait for BOOKKEEPING_S: it writes them now

    store = await open_store(db_url)
    assert await store.outbox.unsent() == []  # a restart sends nothing again
    assert await store.state.get("sync_token") == "s7"
    await store.close()


@pytest.mark.parametrize("new_to_the_bot", [False, True])
async def test_a_command_handled_by_an_earlier_run_is_not_handled_again(db_url, hs, new_to_the_bot, caplog):
    # After a crash the batch is read again. A command newer than the bot's start takes the claim with no trip of
    # its own (storage/events.py); here it was handled all the same (a homeserver clock far ahead), and still
    # nothing is done twice.
    event = command("!action appeler la mairie")
    first = await make_bot(db_url, hs)
    await first._on_event(ROOM, event)
    await settle(first)
    await first.stop()
    bot = await make_bot(db_url, hs)
    if new_to_the_bot:
        bot.store.events.unseen_after = NOW - timedelta(hours=1)
    await bot._on_event(ROOM, event)
    await settle(bot)
    assert replies_to(hs, event.event_id) == ["Action #1 enregistrée : appeler la mairie"]
    assert await rows(bot, "SELECT count(*) FROM actions") == [(1,)]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]  # no error: an expected case
    await bot._on_event(ROOM, command("!ping"))  # the bot goes on
    await settle(bot)
    assert hs.texts()[-1] == "pong"
    await bot.stop()


async def test_replies_wait_for_the_homeserver_and_go_out_once_it_is_back(db_url, hs, caplog):
    caplog.set_level(logging.WARNING)
    hs.down = True
    bot = await make_bot(db_url, hs)
    events = [command(f"!ping {i}") for i in range(5)]
    for e in events:
        await bot._on_event(ROOM, e)
    await asyncio.sleep(0.1)
    assert hs.events == [] and "trying again" in caplog.text
    hs.down = False
    bot._reconnected.set()  # what the sync loop does when a sync succeeds again
    await settle(bot)
    assert [len(replies_to(hs, e.event_id)) for e in events] == [1] * 5
    assert await bot.store.outbox.unsent() == []
    await bot.stop()


async def test_a_send_the_homeserver_refuses_for_good_is_not_tried_forever(db_url, hs, caplog):
    hs.refuse = 403
    bot = await make_bot(db_url, hs)
    await bot._on_event(ROOM, command("!ping"))
    await settle(bot)
    assert len(hs.attempts) == 1 and "not sent" in caplog.text
    assert await bot.store.outbox.unsent() == []
    await bot.stop()


async def test_a_direct_message_room_made_before_a_crash_is_found_again(db_url, hs):
    store = await open_store(db_url)
    sender = Sender(hs, store.state)
    # Killed after creating the room, before remembering it: the marker is there, the room too.
    await store.state.set(f"dm-pending:{ALICE}", NOW.isoformat())
    made = (await hs.room_create(is_direct=True, invite=[ALICE],
                                 initial_state=[{"type": DM_STATE, "state_key": "", "content": {"user_id": ALICE}}]))
    assert await sender.dm_room(ALICE) == made.room_id
    assert hs.created == [made.room_id]
    assert await store.state.get(f"dm:{ALICE}") == made.room_id
    assert await store.state.get(f"dm-pending:{ALICE}") is None
    # Two messages to someone new at once: one room.
    bob = "@bob:pacte.example"
    rooms = await asyncio.gather(sender.dm_room(bob), sender.dm_room(bob))
    assert rooms[0] == rooms[1] and len(hs.created) == 2
    await store.close()


# ---- the database fails ------------------------------------------------------------------------------------

def _hold_lock(path) -> sqlite3.Connection:
    other = sqlite3.connect(path, isolation_level=None, timeout=0.1)
    other.execute("BEGIN EXCLUSIVE")
    return other


async def test_a_locked_database_gets_a_retry_message_and_nothing_half_saved(tmp_path, hs, monkeypatch):
    monkeypatch.setattr(storage.db, "SQLITE_BUSY_TIMEOUT_MS", 300)  # 10 s in production
    path = tmp_path / "relais.db"
    bot = await make_bot(f"sqlite+aiosqlite:///{path}", hs)
    ok = command("!action première action")
    await bot._on_event(ROOM, ok)
    await settle(bot)

    other = _hold_lock(path)  # another process holds the database
    try:
        refused = command("!action deuxième action")
        await bot._on_event(ROOM, refused)
        await settle(bot)
        assert replies_to(hs, refused.event_id) == [UNAVAILABLE_FR]
        await bot._on_event(ROOM, refused)  # the batch read again while still locked: not run again
        await settle(bot)
    finally:
        other.rollback() if other.in_transaction else None
        other.close()
    await bot._on_event(ROOM, refused)  # … nor once the lock is gone: its author was told to send it again
    after = command("!action troisième action")
    await bot._on_event(ROOM, after)
    await settle(bot)
    assert replies_to(hs, refused.event_id) == [UNAVAILABLE_FR]
    assert replies_to(hs, after.event_id) == ["Action #2 enregistrée : troisième action"]  # #2: nothing kept of it
    assert await bot.store.events.command(refused.event_id) is None
    assert [a.text for a in await bot.store.actions.list(ROOM)] == ["première action", "troisième action"]
    assert len(await rows(bot, "SELECT id FROM outbox")) == 2
    await bot.stop()


async def _bot_with_scheduler(tmp_path, hs) -> Relais:
    path = tmp_path / "relais.db"
    bot = await make_bot(f"sqlite+aiosqlite:///{path}", hs)
    bot.scheduler = JobScheduler(f"sqlite+aiosqlite:///{path}", bot.clock, bot._run_job, late_grace=timedelta(hours=1))
    bot.services = replace(bot.services, scheduler=bot.scheduler)
    bot.router = Router(registry, bot.services)
    bot.scheduler.start()
    return bot


async def test_a_commands_reminders_change_only_once_it_is_committed_and_after_its_reply(tmp_path, hs, monkeypatch):
    # The job store is outside the unit's transaction: a `!action fait` rolled back by a full disk must
    # not cancel the reminders of the action that stays open; a committed one plans them after its reply left.
    bot = await _bot_with_scheduler(tmp_path, hs)
    sent_when_planned = []
    make = bot.scheduler._schedule
    monkeypatch.setattr(bot.scheduler, "_schedule", lambda *a: (sent_when_planned.append(len(hs.events)), make(*a)))

    created = command("!action écrire le tract pour le 30 avril 18h")
    await bot._on_event(ROOM, created)
    await settle(bot)
    assert replies_to(hs, created.event_id)[0].startswith("Action #1 enregistrée")
    planned = [job_id for job_id, _ in bot.scheduler.jobs()]
    assert f"action:{ROOM}:1:overdue" in planned and len(planned) >= 2  # before the deadline, and at it
    assert sent_when_planned and min(sent_when_planned) == 1  # the reply was out before the first plan

    add = bot.store.outbox.add

    async def disk_full(*args, **kwargs):  # the unit's last write (its reply) fails: the handler ran, the unit rolls back
        monkeypatch.setattr(bot.store.outbox, "add", add)
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(bot.store.outbox, "add", disk_full)
    done = command("!action fait 1")
    await bot._on_event(ROOM, done)
    await settle(bot)
    assert replies_to(hs, done.event_id) == [UNAVAILABLE_FR]
    assert (await bot.store.actions.get(ROOM, 1)).status == "open"
    assert [job_id for job_id, _ in bot.scheduler.jobs()] == planned  # still reminded

    again = command("!action fait 1")
    await bot._on_event(ROOM, again)
    await settle(bot)
    assert (await bot.store.actions.get(ROOM, 1)).status == "done"
    assert [job_id for job_id, _ in bot.scheduler.jobs()] == []  # done: nothing left to remind
    await bot.scheduler.shutdown()
    await bot.stop()


def _first_send_held(hs: FakeHomeserver, monkeypatch) -> asyncio.Event:
    """The homeserver takes its first send only once the returned event is set; the others at once."""
    gate, send, calls = asyncio.Event(), hs.room_send, []

    async def slow_first(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            await gate.wait()
        return await send(*args, **kwargs)

    monkeypatch.setattr(hs, "room_send", slow_first)
    return gate


async def _turns(n: int = 50) -> None:
    for _ in range(n):
        await asyncio.sleep(0)


async def test_reminders_are_planned_once_the_homeserver_has_the_reply_and_in_the_order_of_the_commands(
        tmp_path, hs, monkeypatch):
    # Planned while the homeserver still stores the reply, the job store's work shared the machine with it and
    # the reply came later (docs/performance.md, round 21). Waiting must not reorder: the second command's cancel
    # is made after the first one's plan, even when the second's reply is taken first.
    bot = await _bot_with_scheduler(tmp_path, hs)
    gate = _first_send_held(hs, monkeypatch)
    created = command("!action écrire le tract pour le 30 avril 18h")
    await bot._on_event(ROOM, created)
    await _turns()
    assert hs.events == [] and bot.scheduler.jobs() == []  # committed, its reply not taken yet: nothing planned
    done = command("!action fait 1")
    await bot._on_event(ROOM, done)
    await _turns()
    assert replies_to(hs, done.event_id) and hs.events[0][2]["body"].startswith("Action #1")  # its reply is out
    assert bot.scheduler.jobs() == []  # its cancel waits for the first command's plan
    gate.set()
    await settle(bot)
    assert replies_to(hs, created.event_id)[0].startswith("Action #1 enregistrée")
    assert await bot.scheduler.flush(timeout=10)
    assert bot.scheduler.jobs() == []  # planned, then cancelled: a done action reminds no one
    await bot.scheduler.shutdown()
    await bot.stop()


async def test_reminders_do_not_wait_for_a_homeserver_that_does_not_take_the_reply(tmp_path, hs, monkeypatch):
    bot = await _bot_with_scheduler(tmp_path, hs)
    monkeypatch.setattr(bot.scheduler._after_replies, "_wait", 0.05)
    gate = _first_send_held(hs, monkeypatch)
    created = command("!action écrire le tract pour le 30 avril 18h")
    await bot._on_event(ROOM, created)
    await asyncio.sleep(0.3)
    assert hs.events == []  # the reply is still waiting for the homeserver
    assert f"action:{ROOM}:1:overdue" in [job_id for job_id, _ in bot.scheduler.jobs()]  # planned all the same
    gate.set()
    await settle(bot)
    await bot.scheduler.shutdown()
    await bot.stop()


async def test_a_stop_makes_the_job_changes_whose_replies_are_still_being_sent(tmp_path, hs, monkeypatch):
    path = tmp_path / "relais.db"
    bot = await _bot_with_scheduler(tmp_path, hs)
    _first_send_held(hs, monkeypatch)  # never taken: the stop comes first
    await bot._on_event(ROOM, command("!action écrire le tract pour le 30 avril 18h"))
    await _turns()
    assert bot.scheduler.jobs() == []
    await bot.scheduler.shutdown()  # as Relais.stop() begins
    again = JobScheduler(f"sqlite+aiosqlite:///{path}", bot.clock, bot._run_job, late_grace=timedelta(hours=1))
    again.load()
    assert f"action:{ROOM}:1:overdue" in [job_id for job_id, _ in again.jobs()]  # committed: kept for the next run
    await again.shutdown()
    await bot.stop()


async def _retry_nothing(**_) -> None:
    pass


_NO_ENCRYPTED_EVENTS = SimpleNamespace(retry=_retry_nothing)  # no encrypted event is kept for its key here


def _batch(*bodies: str) -> tuple[SyncResponse, list[str]]:
    """A sync response whose timeline in ROOM holds these commands from Alice, and their event ids."""
    events = [command(body).source for body in bodies]
    resp = SyncResponse.from_dict({"next_batch": "s2", "rooms": {"join": {ROOM: {"timeline": {
        "events": events, "limited": False, "prev_batch": "p1"}}}}})
    return resp, [e["event_id"] for e in events]


async def test_the_next_sync_waits_until_the_homeserver_has_taken_the_batchs_replies(db_url, hs, monkeypatch):
    # Asked at once, the next sync reached the homeserver while it stored the replies and told the room: the
    # replies arrived later (docs/performance.md, round 21). Waiting loses nothing: what is sent meanwhile is
    # in the next batch.
    monkeypatch.setattr("bot.app.REPLIES_BEFORE_SYNC_S", 30)  # the homeserver takes its time: the sync waits
    bot = await make_bot(db_url, hs)
    bot.pending = _NO_ENCRYPTED_EVENTS
    gate = _first_send_held(hs, monkeypatch)
    resp, (first, second) = _batch("!ping", "!action écrire le tract")
    handling = asyncio.ensure_future(bot._process(resp))
    for _ in range(500):  # both handled and committed (each unit's trips go through aiosqlite's thread)
        if len(await rows(bot, "SELECT event_id FROM processed_events")) == 2:
            break
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.2)
    assert replies_to(hs, second) == ["Action #1 enregistrée : écrire le tract"]  # taken
    assert replies_to(hs, first) == [] and not handling.done()  # not taken yet: no next sync
    gate.set()
    await asyncio.wait_for(handling, 5)
    assert len(replies_to(hs, first)) == 1 and len(replies_to(hs, second)) == 1 and bot.sync_token == "s2"
    await settle(bot)
    await bot.stop()


async def test_after_a_busy_batch_the_next_sync_does_not_wait_for_the_replies(db_url, hs, monkeypatch):
    # In a burst, waiting for every reply before reading on made the last commands wait 1.7 × longer.
    monkeypatch.setattr("bot.app.REPLIES_BEFORE_SYNC_S", 30)  # a wait would outlast the test's patience
    bot = await make_bot(db_url, hs)
    bot.pending = _NO_ENCRYPTED_EVENTS
    gate = _first_send_held(hs, monkeypatch)
    resp, (first, *_) = _batch("!ping", "!ping", "!ping")
    await asyncio.wait_for(bot._process(resp), 2)  # returns though the first reply is still being sent
    assert replies_to(hs, first) == [] and bot.sync_token == "s2"
    gate.set()
    await settle(bot)
    assert len(replies_to(hs, first)) == 1 and len(hs.texts()) == 3
    await bot.stop()


async def test_in_a_busy_room_a_small_batch_does_not_hold_the_next_sync_back(db_url, hs, monkeypatch):
    # A bot that keeps up with a burst may read its commands one or two at a time: waiting for their replies
    # each time would hold the reading back as waiting after every batch did (1.7 ×, docs/performance.md,
    # round 21). Only a batch that follows a quiet one waits.
    monkeypatch.setattr("bot.app.REPLIES_BEFORE_SYNC_S", 30)
    bot = await make_bot(db_url, hs)
    bot.pending = _NO_ENCRYPTED_EVENTS
    busy, _ = _batch("!ping", "!ping", "!ping")
    await asyncio.wait_for(bot._process(busy), 5)
    await settle(bot)
    gate = _first_send_held(hs, monkeypatch)
    resp, (first,) = _batch("!ping")
    await asyncio.wait_for(bot._process(resp), 2)  # right after a batch with commands: no wait
    assert replies_to(hs, first) == []
    gate.set()
    await settle(bot)
    assert len(replies_to(hs, first)) == 1 and len(hs.texts()) == 4
    quiet, _ = _batch()  # the bot's own replies coming back, say: no command
    await asyncio.wait_for(bot._process(quiet), 2)
    gate = _first_send_held(hs, monkeypatch)
    resp, (again,) = _batch("!ping")
    handling = asyncio.ensure_future(bot._process(resp))
    await asyncio.sleep(0.5)
    assert not handling.done()  # quiet again: the next sync waits for the reply
    gate.set()
    await asyncio.wait_for(handling, 5)
    assert len(replies_to(hs, again)) == 1
    await bot.stop()


async def test_a_homeserver_slow_to_take_replies_holds_the_next_sync_back_no_longer_than_the_limit(
        db_url, hs, monkeypatch):
    monkeypatch.setattr("bot.app.REPLIES_BEFORE_SYNC_S", 0.05)
    bot = await make_bot(db_url, hs)
    bot.pending = _NO_ENCRYPTED_EVENTS
    gate = _first_send_held(hs, monkeypatch)
    resp, (first,) = _batch("!ping")
    await asyncio.wait_for(bot._process(resp), 2)  # returns though the reply is still being sent
    assert replies_to(hs, first) == [] and bot.sync_token == "s2"
    gate.set()
    await settle(bot)
    assert len(replies_to(hs, first)) == 1
    await bot.stop()


async def test_a_sync_token_that_cannot_be_saved_does_not_hold_the_bot_back(tmp_path, hs, monkeypatch, caplog):
    monkeypatch.setattr(storage.db, "SQLITE_BUSY_TIMEOUT_MS", 200)
    path = tmp_path / "relais.db"
    bot = await make_bot(f"sqlite+aiosqlite:///{path}", hs)
    await bot._save_token("s1")
    other = _hold_lock(path)
    try:
        await bot._save_token("s2")  # locked: logged, not raised (the next sync starts after s2 all the same)
    finally:
        other.close()
    assert bot.sync_token == "s2" and "could not save the sync token" in caplog.text
    assert await bot.store.state.get("sync_token") == "s1"  # a restart would read that batch again
    await bot.stop()


async def test_a_full_disk_gets_a_retry_message_and_nothing_half_saved(db_url, hs):
    bot = await make_bot(db_url, hs)
    limit = {"pages": None}

    @event.listens_for(bot.store.engine.sync_engine, "connect")
    def _max_pages(dbapi_connection, _record):
        if limit["pages"]:
            cursor = dbapi_connection.cursor()
            cursor.execute(f"PRAGMA max_page_count={limit['pages']}")
            cursor.close()

    await bot._on_event(ROOM, command("!action avant"))
    await settle(bot)
    [(pages,)] = await rows(bot, "PRAGMA page_count")
    limit["pages"] = pages + 1  # the disk is (almost) full
    await bot.store.engine.dispose()  # connections are opened again, with the limit
    answers = []
    for i in range(40):
        e = command(f"!action tâche {i} " + "x" * 1_800)
        await bot._on_event(ROOM, e)
        await settle(bot)
        answers.append((e.event_id, replies_to(hs, e.event_id)))
        if replies_to(hs, e.event_id) == [UNAVAILABLE_FR]:
            break
    failed, reply = answers[-1]
    assert reply == [UNAVAILABLE_FR], answers
    assert await bot.store.events.command(failed) is None  # no claim, no action, no outbox row for it
    kept = await bot.store.actions.list(ROOM)
    assert [a.number for a in kept] == list(range(1, len(answers) + 1))  # one per answered command, no gap

    limit["pages"] = None  # space again
    await bot.store.engine.dispose()
    e = command("!action après")
    await bot._on_event(ROOM, e)
    await settle(bot)
    assert replies_to(hs, e.event_id) == [f"Action #{len(answers) + 1} enregistrée : après"]
    await bot.stop()


async def test_the_router_answers_a_database_failure_with_the_retry_message(monkeypatch):
    store = await open_store("sqlite+aiosqlite://")
    router = Router(registry, Services(store, FakeClock(NOW), Defaults(rate_limit=None)))

    async def locked(*args, **kwargs):
        raise sa_exc.OperationalError("INSERT …", {}, sqlite3.OperationalError("database is locked"))

    monkeypatch.setattr(store.actions, "create", locked)
    from handlers.core.interface import Message
    msg = Message("$e", NOW, ALICE, ROOM, "!action écrire")
    [reply] = await router.handle(msg)
    assert reply.content.plain == UNAVAILABLE_FR
    await store.rooms.update(ROOM, language="en")
    [reply] = await router.handle(msg)
    assert reply.content.plain == "Not recorded: the database is not responding. Try again in a moment."
    await store.close()


def test_what_counts_as_the_database_failing():
    import asyncpg

    locked = sa_exc.OperationalError("stmt", {}, sqlite3.OperationalError("database is locked"))
    assert storage_failure(locked)
    assert storage_failure(sa_exc.OperationalError("stmt", {}, sqlite3.OperationalError("database or disk is full")))
    assert storage_failure(ConnectionRefusedError(111, "Connect call failed"))
    assert storage_failure(asyncpg.exceptions.CannotConnectNowError("the database system is starting up"))
    assert storage_failure(sa_exc.DBAPIError("stmt", {}, asyncpg.exceptions.AdminShutdownError("terminating")))
    aborted = UnitAborted("unit failed")
    aborted.__cause__ = locked
    assert storage_failure(aborted)
    assert not storage_failure(sa_exc.IntegrityError("stmt", {}, sqlite3.IntegrityError("UNIQUE")))
    assert not storage_failure(ValueError("a bug"))
    assert not storage_failure(None)
