"""The last check before a direct message goes out: its target must be a joined member of the room the
message is about, now.

Handlers already send direct messages to current members only (handlers/services.py, Services.reachable);
this guard, applied by bot/app.py to every effect it performs, makes sure no path can make Relais open a
direct chat with a stranger (spam, harassment, a leak of the room's texts). What it drops is logged at
INFO without the message's text.
"""
from __future__ import annotations

import logging

from nio import MatrixRoom

from handlers.core.interface import DirectMessage, Effect

log = logging.getLogger(__name__)


def may_send(effect: Effect, room: MatrixRoom | None, bot_user_id: str) -> bool:
    """False for a direct message to someone who is not a joined member of `room` (or to the bot itself,
    or about a room the bot does not know); True for every other effect."""
    if not isinstance(effect, DirectMessage):
        return True
    user = room.users.get(effect.user_id) if room is not None else None
    if user is not None and not user.invited and effect.user_id != bot_user_id:
        return True
    log.info("direct message to %s about %s dropped: not a member of that room", effect.user_id,
             room.room_id if room is not None else "an unknown room")
    return False
