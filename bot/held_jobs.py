"""Job changes a command's handler makes (plan a reminder, cancel one), held until its unit of work is committed.

The job store is not part of a unit's transaction (bot/scheduler.py). Made at once, the changes of a command
that is then rolled back would stay: `!action fait 3` whose reply cannot be written (a full disk) would still
cancel action 3's reminders, though the action is still open and its author is told nothing was recorded.
Held, they are made only once the unit is committed, and dropped with it otherwise. They are made after the
reply has left (bot/app.py `_unit`): the member does not wait for APScheduler to plan and pickle each job.

Outside a holding block (start-up planning, jobs, the command line, tests), and in a task that outlives the
block, changes are made at once.
"""
from __future__ import annotations

import contextlib
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
