"""The weekly digest's hook: a capability may declare a section of it (Capability.digest), a function
(room, week, services) → Section | None; the digest capability (handlers/digest) asks the registry for them and
puts them after its own. A week is Monday 00:00 to the next Monday 00:00 in the room's time zone."""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from handlers.core.text import Rendered

if TYPE_CHECKING:
    from handlers.core.services import Services
    from storage.records import RoomSettings


@dataclass(frozen=True)
class Week:
    monday: date  # its first day, in the room's zone
    tz: str

    @classmethod
    def containing(cls, at: datetime, tz: str) -> Week:
        local = at.astimezone(ZoneInfo(tz)).date()
        return cls(local - timedelta(days=local.weekday()), tz)

    @classmethod
    def of_label(cls, label: str, tz: str) -> Week:
        """"2021-W17" (ISO week); ValueError when it is not one."""
        year, _, week = label.strip().upper().partition("-W")
        return cls(date.fromisocalendar(int(year), int(week), 1), tz)

    @property
    def label(self) -> str:
        year, week, _ = self.monday.isocalendar()
        return f"{year}-W{week:02d}"

    @property
    def start(self) -> datetime:  # aware UTC
        return datetime.combine(self.monday, time(0), ZoneInfo(self.tz)).astimezone(timezone.utc)

    @property
    def end(self) -> datetime:  # the next Monday 00:00, aware UTC (a summer-time week is 167 or 169 hours)
        return self.next().start

    def previous(self) -> Week:
        return Week(self.monday - timedelta(days=7), self.tz)

    def next(self) -> Week:
        return Week(self.monday + timedelta(days=7), self.tz)


@dataclass(frozen=True)
class Section:
    """A part of a digest, in the room's language: its text (a title line and its lines), whom it mentions (only
    people who must act), and whether it has anything to say (a quiet section is left out)."""

    content: Rendered
    mentions: tuple[str, ...] = ()


# (room, week, services, now) → its section, or None when it has nothing to say this week.
DigestHook = Callable[["RoomSettings", Week, "Services", datetime], Awaitable[Section | None]]
