"""A chat without Matrix: the real router and handlers over an in-memory store and a fake clock."""
from __future__ import annotations

import itertools
from datetime import datetime, timezone

import pytest

from handlers.capabilities import registry
from handlers.core.clock import FakeClock
from handlers.core.interface import Member, Message, Reply
from handlers.core.router import Router
from handlers.core.services import Defaults, Services
from storage import open_store

ROOM = "!salon:pacte.example"
# Tuesday 27 April 2021, 20:00 in Paris: the evening of a real meeting's minutes.
NOW = datetime(2021, 4, 27, 18, 0, tzinfo=timezone.utc)


class Chat:
    def __init__(self, router: Router, clock: FakeClock) -> None:
        self.router, self.clock = router, clock
        self.members: dict[str, Member] = {}
        self._ids = itertools.count(1)

    def join(self, user_id: str, name: str | None = None, power: int = 0) -> str:
        self.members[user_id] = Member(user_id, name, power)
        return user_id

    async def say(self, text: str, sender: str = "@alice:pacte.example", room: str = ROOM,
                  mentions: tuple[str, ...] = ()):
        if sender not in self.members:
            self.join(sender)
        msg = Message(f"$ev{next(self._ids)}", self.clock.now(), sender, room, text,
                      tuple(self.members.values()), mentions)
        return await self.router.handle(msg)

    async def reply(self, text: str, **kw) -> Reply:
        """The one reply a command gets."""
        effects = await self.say(text, **kw)
        replies = [e for e in effects if isinstance(e, Reply)]
        assert len(replies) == 1, f"expected one reply to {text!r}, got {effects}"
        return replies[0]


@pytest.fixture
async def store():
    s = await open_store("sqlite+aiosqlite://")
    yield s
    await s.close()


@pytest.fixture
def clock():
    return FakeClock(NOW)


@pytest.fixture
def chat(store, clock):
    return Chat(Router(registry, Services(store, clock, Defaults())), clock)


class Timed:
    """The real APScheduler wrapper (in-memory job store) on the fake clock: move time, then `fire()`."""

    def __init__(self, chat: Chat, scheduler, clock: FakeClock) -> None:
        self.chat, self.scheduler, self.clock = chat, scheduler, clock
        self.effects: list = []
        self.running = 0

    async def run(self, job_id, kind, payload, scheduled_for) -> None:
        from handlers.capabilities import jobs
        from handlers.core.jobs import Job

        self.running += 1
        try:
            job = Job(job_id, kind, payload, scheduled_for, self.clock.now())
            self.effects.extend(await jobs.run(job, self.chat.router.services))
        finally:
            self.running -= 1

    async def at(self, when) -> list:
        """Move the clock to `when`, let due jobs run, and return the effects they produced."""
        import asyncio

        self.clock.set(when)
        before = len(self.effects)
        self.scheduler.wakeup()
        quiet = 0
        for _ in range(300):  # jobs run as tasks on this loop: wait until none is due or running
            await asyncio.sleep(0.01)
            due = [j for j, t in self.scheduler.jobs() if t <= self.clock.now()]
            quiet = quiet + 1 if not due and not self.running else 0
            if quiet >= 3:
                break
        return self.effects[before:]


@pytest.fixture
async def timed(store, clock):
    from bot.scheduler import JobScheduler

    holder: dict = {}

    async def runner(*args):
        await holder["timed"].run(*args)

    scheduler = JobScheduler("sqlite+aiosqlite://", clock, runner, late_grace=Defaults().late_grace)
    chat = Chat(None, clock)
    services = Services(store, clock, Defaults(), scheduler, lambda room_id: tuple(chat.members.values()),
                        lambda room_id: "Pacte climat", "@relais:pacte.example")
    chat.router = Router(registry, services)
    holder["timed"] = Timed(chat, scheduler, clock)
    scheduler.start()
    yield holder["timed"]
    await scheduler.shutdown()
