"""Time-based work. A capability declares its job kinds (Capability.jobs: kind -> handler) and start-up hooks; a
handler gets a Job and the services and returns effects (notices, direct messages). Handlers plan jobs through the
injected Scheduler port (Services.scheduler); bot/scheduler.py fires them at the right time."""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Awaitable, Callable, Iterable, Protocol, TypeVar

from handlers.core.interface import Effect
from handlers.core.services import Services
from handlers.core.text import Rendered
from handlers.core.texts import TEXTS

if TYPE_CHECKING:
    from handlers.core.capability import Capability
    from handlers.core.registry import Registry

log = logging.getLogger(__name__)

# A job that runs this long after its time is reported as late ("rappel en retard").
LATE_AFTER = timedelta(seconds=60)
# Start-up planning: the items that failed are tried again after each of these delays (seconds).
START_RETRY_DELAYS = (1.0, 4.0, 15.0)

T = TypeVar("T")


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

    def late_mark(self, lang: str) -> Rendered:
        """"(rappel en retard : …)" before what a late job says; nothing when it is on time."""
        return TEXTS.t(lang, "followup.late") if self.late else Rendered("", "")


JobHandler = Callable[[Job, Services], Awaitable[list[Effect]]]
StartHook = Callable[[Services], Awaitable[None]]


class Scheduler(Protocol):
    """What handlers may ask of the scheduler (one instance, injected through Services)."""

    def schedule(self, job_id: str, when: datetime, kind: str, payload: dict) -> None: ...

    def cancel(self, job_id: str) -> None: ...

    def cancel_prefix(self, prefix: str) -> None: ...


class JobRegistry:
    """The job kinds and start-up hooks of some capabilities (built by handlers/core/registry.py)."""

    def __init__(self, capabilities: Iterable["Capability"], owner: "Registry | None" = None) -> None:
        self.owner = owner  # the registry, given to jobs that read what capabilities declare (Services.registry)
        self.handlers: dict[str, JobHandler] = {}
        self.start_hooks: list[StartHook] = []
        for capability in capabilities:
            for kind, handler in capability.jobs.items():
                if kind in self.handlers:
                    raise RuntimeError(f"job kind {kind!r} declared twice")
                self.handlers[kind] = handler
            self.start_hooks.extend(capability.start_hooks)

    async def started(self, services: Services) -> None:
        """Run the start-up hooks once the scheduler has started (e.g. to plan what a long stop dropped)."""
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
        if services.registry is None and self.owner is not None:
            services = replace(services, registry=self.owner)
        return await handler(job, services)


async def plan_each(items: Iterable[T], plan: Callable[[T], Awaitable[None]], what: str,
                    name: Callable[[T], str] = str) -> int:
    """`plan(item)` for every item, one failure not stopping the others (a locked database, a bad
    record); the failed ones are tried again with back-off. Returns how many still failed, after an
    ERROR log line naming them: their reminders are missing until the next start or change."""
    failed = list(items)
    for attempt, delay in enumerate((0.0, *START_RETRY_DELAYS)):
        if attempt:
            log.warning("%d %s could not be planned; trying again in %gs", len(failed), what, delay)
            await asyncio.sleep(delay)
        last = attempt == len(START_RETRY_DELAYS)
        failed = [item for item in failed if not await _planned(plan, item, name, last)]
        if not failed:
            return 0
    log.error("%d %s could not be planned after %d attempts, their reminders will not be sent: %s",
              len(failed), what, len(START_RETRY_DELAYS) + 1, ", ".join(name(i) for i in failed))
    return len(failed)


async def _planned(plan: Callable[[T], Awaitable[None]], item: T, name: Callable[[T], str], last: bool) -> bool:
    try:
        await plan(item)
        return True
    except Exception as exc:
        log.warning("planning %s failed: %r", name(item), exc, exc_info=last)  # the traceback once
        return False

