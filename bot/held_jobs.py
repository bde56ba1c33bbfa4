"""Job changes a command's handler makes (plan a reminder, cancel one), held until its unit of work is committed.

The job store is not part of a unit's transaction (bot/scheduler.py). Made at once, the changes of a command
that is then rolled back would stay: `!action fait 3` whose reply cannot be written (a full disk) would still
cancel action 3's reminders, though the action is still open and its author is told nothing was recorded.
Held, they are made only once the unit is committed, and dropped with it otherwise. They are made once the
homeserver has taken the unit's replies (`AfterReplies`, bot/app.py `_unit`): the member does not wait for
APScheduler to plan and pickle each job, nor does the homeserver share the machine with it meanwhile.

Outside a holding block (start-up planning, jobs, the command line, tests), and in a task that outlives the
block, changes are made at once.
"""
from __future__ import annotations

import asyncio
import collections
import contextlib
import dataclasses
import logging
from collections.abc import Callable, Iterator
from contextvars import ContextVar

log = logging.getLogger(__name__)


class HeldChanges:
    def __init__(self) -> None:
        self.changes: list[Callable[[], None]] = []
        self.open = True

    def __bool__(self) -> bool:
        return bool(self.changes)

    def make(self) -> None:
        """Make the held changes, in the order they were asked for (a cancel before the new plan)."""
        changes, self.changes = self.changes, []
        for change in changes:
            try:
                change()
            except Exception:  # one bad change must not stop the others; the unit is committed already
                log.exception("a job change held until its command was committed failed")


_held: ContextVar[HeldChanges | None] = ContextVar("relais_held_job_changes", default=None)


@contextlib.contextmanager
def holding() -> Iterator[HeldChanges]:
    """Job changes asked for inside the block are held in the HeldChanges yielded; `make()` them once the
    unit is committed, or drop them."""
    held = HeldChanges()
    token = _held.set(held)
    try:
        yield held
    finally:
        _held.reset(token)
        held.open = False  # a task started inside that changes a job later: made at once


def change(make: Callable[[], None]) -> None:
    """Hold ``make`` if a holding block is open in this context, else make it now."""
    held = _held.get()
    if held is not None and held.open:
        held.changes.append(make)
    else:
        make()


class AfterReplies:
    """Committed units' held changes, each made once the homeserver has taken its unit's replies (or after
    `wait` seconds), in the order the units were committed: the cancel of the second of two quick commands is
    never made before the first one's plan.

    Why not as soon as the replies' requests have left: APScheduler's planning and the job store's thread
    (pickling and writing each job) then ran while the homeserver was still storing the reply, on the machine
    they share, and an `!action`'s reply reached its room later than a `!ping`'s (docs/performance.md, round
    21). A reminder is planned hours or days ahead: 25 ms later changes nothing for it."""

    def __init__(self, wait: float = 2.0) -> None:
        self._wait = wait
        self._queue: collections.deque[_Waiting] = collections.deque()
        self._empty = asyncio.Event()  # set while nothing waits
        self._empty.set()

    def add(self, held: HeldChanges, sends: list[asyncio.Future]) -> None:
        waiting = _Waiting(held, [s for s in sends if not s.done()])
        self._queue.append(waiting)
        self._empty.clear()
        if waiting.sends:
            for send in waiting.sends:
                send.add_done_callback(self._on_sent)
            waiting.timer = asyncio.get_running_loop().call_later(self._wait, self._expire, waiting)
        self.make_ready()

    def _on_sent(self, _send: asyncio.Future) -> None:
        self.make_ready()

    def _expire(self, waiting: _Waiting) -> None:  # the homeserver is slow or away: the jobs do not wait for it
        waiting.sends = []
        self.make_ready()

    def make_ready(self, everything: bool = False) -> None:
        """Make the changes whose replies are sent, in order (`everything`: all of them, at a stop)."""
        while self._queue:
            waiting = self._queue[0]
            if not everything and not all(s.done() for s in waiting.sends):
                return
            self._queue.popleft()
            if waiting.timer is not None:
                waiting.timer.cancel()
            waiting.held.make()
        self._empty.set()

    async def made(self) -> None:
        """Wait until every change added so far is made (at most `wait` seconds after the last one was added)."""
        await self._empty.wait()


@dataclasses.dataclass
class _Waiting:
    held: HeldChanges
    sends: list[asyncio.Future]
    timer: asyncio.TimerHandle | None = None
