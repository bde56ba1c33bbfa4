"""`!désabonner mobilisations` / `!unsubscribe mobilizations`: no more direct messages the day before the room's
mobilisations (a cancellation or a move is still told); `!abonner mobilisations` brings them back. Sub-commands added
to schedule's !abonner / !désabonner; kept per room and person in bot_state."""
from __future__ import annotations

from handlers.core.commands import extend
from handlers.core.router import Invocation
from handlers.core.services import Services

subscribe = extend("subscribe")
unsubscribe = extend("unsubscribe")


def _key(room_id: str, user_id: str) -> str:
    return f"mobilisation-optout:{room_id}:{user_id}"


async def opted_out(services: Services, room_id: str, user_id: str) -> bool:
    return await services.store.state.get(_key(room_id, user_id)) is not None


@unsubscribe.sub("mobilisations", "mobilizations", "mobilisation", "mobilization", "marches")
async def opt_out(inv: Invocation) -> None:
    await inv.services.store.state.set(_key(inv.msg.room_id, inv.msg.sender), inv.services.clock.now().isoformat())
    inv.reply("mobilisation.opted_out")


@subscribe.sub("mobilisations", "mobilizations", "mobilisation", "mobilization", "marches")
async def opt_in(inv: Invocation) -> None:
    await inv.services.store.state.set(_key(inv.msg.room_id, inv.msg.sender), None)
    inv.reply("mobilisation.opted_in")
