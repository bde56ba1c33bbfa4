"""Per-user command rate limit: a flood of commands gets one polite notice, then silence.

The limit is counted per user and per room (`[bot] rate_limit`, "20/10s" by default): someone flooding
one room does not lose their commands in another, and a busy room is not slowed by one member. It is a
sliding window: a command is accepted when fewer than `count` of that user's accepted commands in that
room fall within the last `window`. Refused commands are not counted, so the wait announced is exact.
The first refused command gets a notice saying when commands are taken again; the following ones are
dropped silently until a command is accepted again. Coordinators are never limited (the router checks),
and scheduled jobs do not go through the router at all.

Time is the command's own time (the homeserver's timestamp), never later than the injected clock: a
backlog read after a restart is judged on when people typed it, not on when Relais reads it.
"""
from __future__ import annotations

import math
import re
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta

from handlers.dates.durations import DurationError, parse_duration


@dataclass(frozen=True)
class RateLimit:
    count: int
    window: timedelta

    def __str__(self) -> str:
        return f"{self.count}/{int(self.window.total_seconds())}s"


DEFAULT_RATE_LIMIT = RateLimit(20, timedelta(seconds=10))


def parse_rate_limit(text: str) -> RateLimit | None:
    """'20/10s' → RateLimit(20, 10 s); 'off' → None (no limit). ValueError otherwise."""
    if text.strip().lower() in ("off", "none", "aucun", "aucune"):
        return None
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(.+?)\s*", text)
    if not match:
        raise ValueError(f"{text!r} is not a rate limit like \"20/10s\" (or \"off\")")
    try:
        window = parse_duration(match.group(2))
    except DurationError:
        raise ValueError(f"{text!r}: {match.group(2)!r} is not a duration like 10s or 1m") from None
    count = int(match.group(1))
    if count < 1 or window <= timedelta(0):
        raise ValueError(f"{text!r}: the count and the window must be more than zero")
    return RateLimit(count, window)


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    notify: bool = False  # refused, and this is the first refusal: say so (once)
    wait_seconds: int = 0  # when a command will be accepted again


class RateLimiter:
    def __init__(self, limit: RateLimit | None) -> None:
        self.limit = limit
        self._accepted: dict[tuple[str, str], deque[datetime]] = {}
        self._notified: set[tuple[str, str]] = set()
        self._last_sweep: datetime | None = None

    def check(self, room_id: str, user_id: str, when: datetime) -> Verdict:
        if self.limit is None:
            return Verdict(True)
        self._sweep(when)
        key = (room_id, user_id)
        times = self._accepted.setdefault(key, deque())
        if times and when < times[-1]:
            when = times[-1]  # timestamps of one user's commands are not always in order
        start = when - self.limit.window
        while times and times[0] <= start:
            times.popleft()
        if len(times) < self.limit.count:
            times.append(when)
            self._notified.discard(key)
            return Verdict(True)
        wait = max(1, math.ceil((times[0] + self.limit.window - when).total_seconds()))
        if key in self._notified:
            return Verdict(False, False, wait)
        self._notified.add(key)
        return Verdict(False, True, wait)

    def _sweep(self, now: datetime) -> None:
        """Forget users whose commands all left the window (at most once per window), so memory stays small."""
        if self._last_sweep is not None and now - self._last_sweep < self.limit.window:
            return
        self._last_sweep = now
        start = now - self.limit.window
        for key in [k for k, times in self._accepted.items() if not times or times[-1] <= start]:
            del self._accepted[key]
            self._notified.discard(key)
