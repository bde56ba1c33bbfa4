"""Durations as written in config.toml and !réglages: "90s", "15m", "1h", "2d" (also "1h30m")."""
from __future__ import annotations

import re
from datetime import timedelta

# ASCII digits only (\d would take "١٢" and str.isdigit "²"); the whole text is matched, never searched.
_PART = re.compile(r"([0-9]+)\s*([smhdj])", re.I)
_WHOLE = re.compile(r"\s*(?:[0-9]+\s*[smhdj]\s*)+", re.I)
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "j": 86400}  # j: jour
# Longest duration accepted: a reminder a year before, a year's grace. More is a typo (and "99999999999999d"
# does not even fit a timedelta).
MAX_DURATION = timedelta(days=365)
_MAX_SECONDS = int(MAX_DURATION.total_seconds())


class DurationError(ValueError):
    pass


def parse_duration(text: str) -> timedelta:
    """A duration up to MAX_DURATION; anything else raises DurationError (never another exception)."""
    if not isinstance(text, str) or not _WHOLE.fullmatch(text):
        raise DurationError(f"{text!r} is not a duration like 30s, 15m, 1h or 2d")
    seconds = 0
    for number, unit in _PART.findall(text):
        digits = number.lstrip("0")
        if len(digits) > len(str(_MAX_SECONDS)):  # before int(): a 5000-digit number is refused by int()
            raise DurationError(f"{text!r} is longer than {format_duration(MAX_DURATION)}")
        seconds += int(digits or "0") * _UNITS[unit.lower()]
    if seconds > _MAX_SECONDS:
        raise DurationError(f"{text!r} is longer than {format_duration(MAX_DURATION)}")
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
