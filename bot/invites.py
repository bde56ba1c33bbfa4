"""Who may invite the bot into a room."""
from __future__ import annotations


def server_of(user_id: str) -> str:
    return user_id.split(":", 1)[1] if ":" in user_id else ""


def may_invite(inviter: str, allowed: tuple[str, ...], bot_user_id: str) -> bool:
    """Allowed entries are user ids or ':server.tld' suffixes; none configured = the bot's own server."""
    if not allowed:
        return server_of(inviter) == server_of(bot_user_id)
    for entry in allowed:
        if entry.startswith(":") and inviter.endswith(entry):
            return True
        if inviter == entry:
            return True
    return False


def inviter_of(invite_state: list, bot_user_id: str) -> str | None:
    for event in invite_state:
        if getattr(event, "state_key", None) == bot_user_id and getattr(event, "membership", None) == "invite":
            return event.sender
    return None
