"""The last check before a direct message goes out: its target must be a joined member of the room the
message is about, now — or of one of the other rooms it names (`DirectMessage.rooms`: a mobilisation's relaying
rooms, where people join too).

Handlers already send direct messages to current members only (handlers/services.py, Services.reachable);
this guard, applied by bot/app.py to every effect it performs, makes sure no path can make Relais open a
direct chat with a stranger (spam, harassment, a leak of the room's texts): someone in none of those rooms gets
nothing. What it drops is logged at INFO without the message's text.
"""
from __future__ import annotations

import logging
from collections.abc import Mapping

from nio import MatrixRoom

from handlers.core.interface import DirectMessage, Effect

log = logging.getLogger(__name__)


def _member(room: MatrixRoom | None, user_id: str) -> bool:
    user = room.users.get(user_id) if room is not None else None
    return user is not None and not user.invited


def may_send(effect: Effect, room: MatrixRoom | None, bot_user_id: str,
             rooms: Mapping[str, MatrixRoom] | None = None) -> bool:
    """False for a direct message to someone who is not a joined member of `room` nor of one of the rooms the
    message names (looked up in `rooms`, the rooms the bot is in), or to the bot itself, or about a room the bot
    does not know; True for every other effect."""
    if not isinstance(effect, DirectMessage):
        return True
    if effect.user_id != bot_user_id:
        others = [rooms.get(r) for r in effect.rooms] if rooms is not None else []
        if _member(room, effect.user_id) or any(_member(r, effect.user_id) for r in others):
            return True
    log.info("direct message to %s about %s dropped: not a member of that room", effect.user_id,
             room.room_id if room is not None else "an unknown room")
    return False
