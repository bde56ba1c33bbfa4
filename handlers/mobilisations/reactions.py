"""Joining by reaction: ✅ or 👍 on the announcement of a mobilisation (or on a later notice about it), in the room
where that message was posted; withdrawing: redacting that reaction. Each reaction is counted once by its event id
(the router claims it, and the table's key is the event id); a redaction of a reaction never counted is ignored, as
are other keys and reactions to anything else."""
from __future__ import annotations

from handlers.core.interface import Effect, Reaction, sent_event_key
from handlers.core.services import Services
from handlers.mobilisations.common import parse_key, recount_soon

JOIN_KEYS = {"✅", "👍", "✔", "☑"}
_MODIFIERS = "\ufe0f\ufe0e\U0001f3fb\U0001f3fc\U0001f3fd\U0001f3fe\U0001f3ff"


def is_join_key(key: str) -> bool:
    """✅, 👍 and their variants (skin tones, emoji presentation)."""
    return key.strip().strip(_MODIFIERS) in JOIN_KEYS


async def on_reaction(reaction: Reaction, services: Services) -> list[Effect]:
    store = services.store
    if reaction.removed:
        mobilisation_id = await store.mobilisations.remove_reaction(reaction.target)
        if mobilisation_id is None:
            return []  # a reaction never counted (or not one at all)
        record = await store.mobilisations.by_id(mobilisation_id)
        return await recount_soon(services, record) if record is not None and not record.is_cancelled else []
    if reaction.sender == services.bot_user_id or not is_join_key(reaction.key):
        return []
    about = parse_key(await store.state.get(sent_event_key(reaction.target)))
    if about is None or about[1] != reaction.room_id:
        return []  # a reaction on something else
    record = await store.mobilisations.by_id(about[0])
    if record is None or record.is_cancelled or record.starts_at <= services.clock.now():
        return []
    already = any(p.user_id == reaction.sender for p in await store.mobilisations.participants(record.id))
    if not await store.mobilisations.add_reaction(reaction.event_id, record.id, reaction.sender, reaction.room_id,
                                                  reaction.time) or already:
        return []  # counted already (this event, or this person): the head count is the same
    return await recount_soon(services, record)
