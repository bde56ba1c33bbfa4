"""Durations as written in config.toml and !réglages: "90s", "15m", "1h", "2d" (also "1h30m")."""
from __future__ import annotations

import re
from datetime import timedelta

_PART = re.compile(r"(\d+)\s*([smhdj])", re.I)
_WHOLE = re.compile(r"^\s*(?:\d+\s*[smhdj]\s*)+$", re.I)
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "j": 86400}  # j: jour


class DurationError(ValueError):
    pass


def parse_duration(text: str) -> timedelta:
    if not isinstance(text, str) or not _WHOLE.match(text):
        raise DurationError(f"{text!r} is not a duration like 30s, 15m, 1h or 2d")
    seconds = sum(int(n) * _UNITS[u.lower()] for n, u in _PART.findall(text))
    return timedelta(seconds=seconds)


def parse_offsets(items) -> tuple[timedelta, ...]:
    """A list of durations, sorted from the longest (first reminder) to the shortest."""
    return tuple(sorted({parse_duration(i) for i in items}, reverse=True))


def format_duration(delta: timedelta) -> str:
    """The shortest exact spelling: 86400 s → "1d", 5400 s → "1h30m"."""
    seconds = int(delta.total_seconds())
    if seconds == 0:
        return "0s"
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if seconds >= size:
            parts.append(f"{seconds // size}{unit}")
            seconds %= size
    return "".join(parts)
