"""Which scheduled meeting starts now: what `!réunion début` (handlers/meetings) asks this capability, through
its public `starting_now`."""
from __future__ import annotations

from dataclasses import dataclass

from handlers.core.router import Invocation
from handlers.core.text import Rendered
from handlers.core.words import title_part
from handlers.schedule.common import scheduled_near


@dataclass(frozen=True)
class Starting:
    number: int  # the scheduled meeting's P-number
    title: str | None
    note: Rendered  # "Réunion prévue P1 « … » du …": a line for the reply


async def starting_now(inv: Invocation) -> Starting | None:
    """The room's scheduled meeting due within two hours of now, unless the room's last meeting was started for it."""
    linked = await scheduled_near(inv.services.store, inv.msg.room_id, inv.services.clock.now())
    if linked is None:
        return None
    record, occurrence = linked
    note = inv.t("schedule.started_from", number=record.number, title=title_part(inv.t, record.title),
                 when=inv.when(occurrence.at))
    return Starting(record.number, record.title, note)
