"""!abonner / !subscribe and !désabonner / !unsubscribe: meeting reminders of a room by direct message.

Coordinators get them anyway (handlers/schedule_jobs.py); a subscription is per room and per person.
"""
from __future__ import annotations

from handlers.registry import registry
from handlers.router import Invocation, UsageError
from handlers.text import Rendered

SECTION = "meetings"  # where !aide lists these commands


def _coordinator_note(inv: Invocation) -> Rendered:
    return inv.t("subscribe.coordinator_note") if inv.is_coordinator() else Rendered("", "")


@registry.command("subscribe", fr="abonner", en="subscribe", aliases=("abonnement",))
async def subscribe(inv: Invocation) -> None:
    if inv.args:
        raise UsageError()
    added = await inv.services.store.subscriptions.add(inv.msg.room_id, inv.msg.sender,
                                                       at=inv.services.clock.now())
    inv.reply_rendered(inv.t("subscribe.done" if added else "subscribe.already") + _coordinator_note(inv))


@registry.command("unsubscribe", fr="désabonner", en="unsubscribe", aliases=("désabonnement",))
async def unsubscribe(inv: Invocation) -> None:
    if inv.args:
        raise UsageError()
    removed = await inv.services.store.subscriptions.remove(inv.msg.room_id, inv.msg.sender)
    inv.reply_rendered(inv.t("unsubscribe.done" if removed else "unsubscribe.not_subscribed")
                       + _coordinator_note(inv))
