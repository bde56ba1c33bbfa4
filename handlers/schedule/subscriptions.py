"""!abonner / !subscribe and !désabonner / !unsubscribe: meeting reminders of a room by direct message.

Coordinators get them anyway (jobs.py); a subscription is per room and per person.
"""
from __future__ import annotations

from handlers.core.commands import command
from handlers.core.router import Invocation
from handlers.core.text import Rendered


def _coordinator_note(inv: Invocation) -> Rendered:
    return inv.t("subscribe.coordinator_note") if inv.is_coordinator() else Rendered("", "")


@command("subscribe", fr="abonner", en="subscribe", aliases=("abonnement",))
async def subscribe(inv: Invocation) -> None:
    added = await inv.services.store.subscriptions.add(inv.msg.room_id, inv.msg.sender,
                                                       at=inv.services.clock.now())
    inv.reply_rendered(inv.t("subscribe.done" if added else "subscribe.already") + _coordinator_note(inv))


@command("unsubscribe", fr="désabonner", en="unsubscribe", aliases=("désabonnement",))
async def unsubscribe(inv: Invocation) -> None:
    removed = await inv.services.store.subscriptions.remove(inv.msg.room_id, inv.msg.sender)
    inv.reply_rendered(inv.t("unsubscribe.done" if removed else "unsubscribe.not_subscribed")
                       + _coordinator_note(inv))
