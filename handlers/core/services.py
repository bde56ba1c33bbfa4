"""What every handler may use besides the message: the store, the clock, the bot-wide defaults."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time, timedelta
from typing import TYPE_CHECKING, Awaitable, Callable, Iterable

from handlers.core.clock import Clock
from handlers.core.interface import Member
from handlers.core.ratelimit import DEFAULT_RATE_LIMIT, RateLimit

if TYPE_CHECKING:
    from handlers.core.jobs import Scheduler
    from handlers.core.registry import Registry
    from storage import Store
    from storage.records import RoomSettings


@dataclass(frozen=True)
class Defaults:
    prefix: str = "!"
    language: str = "fr"
    timezone: str = "Europe/Paris"
    coordinator_power_level: int = 50
    # Reminders: before each meeting occurrence, before an action's deadline (to its owners), and how
    # late a job missed while the bot was down may still be sent.
    meeting_reminders: tuple[timedelta, ...] = (timedelta(hours=24), timedelta(hours=1))
    action_due_reminders: tuple[timedelta, ...] = (timedelta(hours=24),)
    late_grace: timedelta = timedelta(hours=12)
    overdue_digest_time: time = time(9, 0)  # room-local time of the coordinators' daily overdue digest
    # Countdown notices before a mobilisation, and the room-local time of a notice on its morning (None: none).
    mobilisation_reminders: tuple[timedelta, ...] = (timedelta(days=7), timedelta(days=3), timedelta(days=1))
    mobilisation_morning: time | None = time(8, 0)
    # The weekly digest (handlers/digest): its room-local weekday (0 = Monday) and time, unless the room chose its own.
    digest_day: int = 0
    digest_time: time = time(9, 0)
    # Commands per user and room before Relais stops answering for a while (None: no limit). Coordinators are exempt.
    rate_limit: RateLimit | None = DEFAULT_RATE_LIMIT


def _nobody(room_id: str) -> tuple[Member, ...]:
    return ()


def _same(room_id: str) -> str:
    return room_id


async def _no_room(name: str) -> str | None:
    return None


@dataclass
class Services:
    store: "Store"
    clock: Clock
    defaults: Defaults
    scheduler: "Scheduler | None" = None  # the one way to plan time-based work (handlers/core/jobs.py)
    # The members of a room as the chat layer currently knows them (for jobs, which have no Message).
    members: Callable[[str], tuple[Member, ...]] = field(default=_nobody)
    room_name: Callable[[str], str] = field(default=_same)
    bot_user_id: str = ""
    # What the capabilities declare (e.g. their digest sections); jobs get the bot's registry when it is unset.
    registry: "Registry | None" = None
    # A room the bot is in, named by its id or its alias (`#salon:serveur`); None for any other. Once found, its
    # members (and their power) are known to `members`.
    find_room: Callable[[str], Awaitable[str | None]] = field(default=_no_room)
    # Where the rooms' web pages are served ([web] public_url, handlers/pages); None: no web server.
    web_url: str | None = None

    def reachable(self, room_id: str, user_ids: Iterable[str | None]) -> list[str]:
        """Those of `user_ids` who may get a direct message about this room: its members now (joined; people
        only invited are not members yet), each once, in order, never the bot. Every job that sends direct
        messages asks this when it runs, since people leave; a room whose members are unknown reaches
        nobody. bot/dm_guard.py checks again where the messages are sent."""
        present = {m.user_id for m in self.members(room_id)}
        found: list[str] = []
        for user_id in user_ids:
            if user_id and user_id in present and user_id != self.bot_user_id and user_id not in found:
                found.append(user_id)
        return found

    def coordinators(self, room_id: str) -> list[str]:
        """The room's coordinators as the chat layer knows them now (a job has no message to ask)."""
        level = self.defaults.coordinator_power_level
        return [m.user_id for m in self.members(room_id) if m.power_level >= level]

    def language_and_zone(self, room: "RoomSettings | None") -> tuple[str, str]:
        """The room's language and time zone; the configuration's for a room never seen."""
        if room is None:
            return self.defaults.language, self.defaults.timezone
        return room.language, room.timezone
