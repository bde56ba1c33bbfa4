"""Reminder offsets of a room: the config's, unless the room chose its own with !réglages."""
from __future__ import annotations

from datetime import timedelta

from handlers.durations import parse_offsets
from handlers.services import Defaults

KINDS = {"meeting": "meeting_reminders", "action_due": "action_due_reminders"}


def override_key(kind: str) -> str:
    return f"reminders.{kind}"


def room_offsets(room, defaults: Defaults, kind: str) -> tuple[timedelta, ...]:
    chosen = (room.overrides or {}).get(override_key(kind)) if room is not None else None
    if chosen is None:
        return getattr(defaults, KINDS[kind])
    return parse_offsets(chosen)
