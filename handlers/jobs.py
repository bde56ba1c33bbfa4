"""Time-based work, the same way commands are declared: `@jobs.kind("…")` handlers get a Job, the services,
and return effects (notices, direct messages). bot/scheduler.py fires them at the right time."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Awaitable, Callable, Protocol

from handlers.interface import Effect
from handlers.services import Services

log = logging.getLogger(__name__)

# A job that runs this long after its time is reported as late ("rappel en retard").
LATE_AFTER = timedelta(seconds=60)


@dataclass(frozen=True)
class Job:
    id: str
    kind: str
    payload: dict
    scheduled_for: datetime  # aware UTC
    fired_at: datetime

    @property
    def late(self) -> bool:
        return self.fired_at - self.scheduled_for > LATE_AFTER


JobHandler = Callable[[Job, Services], Awaitable[list[Effect]]]
StartHook = Callable[[Services], Awaitable[None]]


class Scheduler(Protocol):
    """What handlers may ask of the scheduler (one instance, injected through Services)."""

    def schedule(self, job_id: str, when: datetime, kind: str, payload: dict) -> None: ...

    def cancel(self, job_id: str) -> None: ...

    def cancel_prefix(self, prefix: str) -> None: ...


class JobRegistry:
    def __init__(self) -> None:
        self.handlers: dict[str, JobHandler] = {}
        self.start_hooks: list[StartHook] = []

    def kind(self, name: str) -> Callable[[JobHandler], JobHandler]:
        def decorate(fn: JobHandler) -> JobHandler:
            if name in self.handlers:
                raise RuntimeError(f"job kind {name!r} registered twice")
            self.handlers[name] = fn
            return fn

        return decorate

    def on_start(self, fn: StartHook) -> StartHook:
        """Run `fn(services)` once the scheduler has started (e.g. to plan what a long stop dropped)."""
        self.start_hooks.append(fn)
        return fn

    async def started(self, services: Services) -> None:
        for hook in self.start_hooks:
            try:
                await hook(services)
            except Exception:
                log.exception("start-up hook %s failed", hook.__name__)

    async def run(self, job: Job, services: Services) -> list[Effect]:
        handler = self.handlers.get(job.kind)
        if handler is None:
            log.error("no handler for job kind %s (job %s): dropped", job.kind, job.id)
            return []
        return await handler(job, services)


jobs = JobRegistry()
