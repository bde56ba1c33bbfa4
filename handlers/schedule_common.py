"""What the scheduled-meeting modules share: a stored schedule's occurrences, and saying things about it
(the recurrence in words, durations, short dates) in the room's language."""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from handlers import datewords as W
from handlers import i18n
from handlers.dates import format_when
from handlers.recurrence import Occurrence, Rule, occurrences
from handlers.text import Rendered
from storage.schedules import ScheduleRecord

# `!réunion début` takes up a scheduled meeting whose date is this close to now (before or after).
START_WINDOW = timedelta(hours=2)
_TICK = timedelta(microseconds=1)

# Scheduled meetings are written P1, P2… ("prévue", planned) in every reply and accepted so, or bare,
# in commands: held meetings (n°1, the minutes) and actions (#1) have their own numbers in the same room.
_SCHEDULE_REF = re.compile(r"^p?(\d{1,9})$", re.I)
# What names a held meeting or an action, never a scheduled one.
_OTHER_REF = re.compile(r"^(?:#|n°|no\.?)\s*\d{1,9}$", re.I)


def schedule_ref(word: str) -> int | None:
    """The number of a scheduled meeting written `P3`, `p3` or `3`; None for anything else."""
    match = _SCHEDULE_REF.match(word)
    return int(match[1]) if match else None


def is_other_ref(word: str) -> bool:
    """`#3`, `n°3`, `no. 3`: a held meeting's or an action's number."""
    return bool(_OTHER_REF.match(word))


def rule_of(record: ScheduleRecord) -> Rule | None:
    return Rule.from_text(record.rule) if record.rule else None


def upcoming(record: ScheduleRecord, after: datetime, *, before: datetime | None = None,
             limit: int = 50) -> list[Occurrence]:
    """The schedule's occurrences as they will happen in [after, before); none once cancelled."""
    if record.is_cancelled:
        return []
    changes = {c.original_at: c.moved_to for c in record.changes}
    return occurrences(rule_of(record), record.starts_at, record.timezone, changes, after=after, before=before,
                       limit=limit)


def next_occurrence(record: ScheduleRecord, now: datetime) -> Occurrence | None:
    """The first occurrence strictly after now."""
    found = upcoming(record, now + _TICK, limit=1)
    return found[0] if found else None


def occurrence_at(record: ScheduleRecord, at: datetime) -> Occurrence | None:
    """The occurrence taking place exactly at `at`, if it still does (not cancelled, not moved away)."""
    found = upcoming(record, at, before=at + timedelta(seconds=1), limit=5)
    return next((o for o in found if o.at == at), None)


async def scheduled_near(store, room_id: str, now: datetime) -> tuple[ScheduleRecord, Occurrence] | None:
    """The room's scheduled occurrence closest to now, within START_WINDOW either side, unless the room's
    last meeting was already started for it."""
    latest = await store.meetings.latest(room_id)
    best: tuple[timedelta, ScheduleRecord, Occurrence] | None = None
    for record in await store.schedules.list(room_id):
        for occurrence in upcoming(record, now - START_WINDOW, before=now + START_WINDOW, limit=10):
            if (latest is not None and latest.schedule_number == record.number
                    and abs(latest.started_at - occurrence.at) <= START_WINDOW):
                continue  # held already
            distance = abs(occurrence.at - now)
            if best is None or distance < best[0]:
                best = (distance, record, occurrence)
    return (best[1], best[2]) if best else None


# --- words ------------------------------------------------------------------------------------------------


def when_text(at: datetime, tz: str, lang: str, has_time: bool = True) -> str:
    return format_when(at.astimezone(ZoneInfo(tz)), lang, has_time)


def short_day(at: datetime, tz: str, lang: str) -> str:
    """"lundi 3 mai" / "Monday 3 May": next dates in a list, where the year and time are known."""
    local = at.astimezone(ZoneInfo(tz))
    weekday, month = W.DAY_NAMES[lang][local.weekday()], W.MONTH_NAMES[lang][local.month - 1]
    day = "1er" if lang == "fr" and local.day == 1 else str(local.day)
    return f"{weekday} {day} {month}"


def clock_text(at: datetime, tz: str, lang: str) -> str:
    local = at.astimezone(ZoneInfo(tz))
    return f"{local.hour}h{local.minute:02d}" if lang == "fr" else f"{local.hour:02d}:{local.minute:02d}"


def and_list(items: list[str], lang: str) -> str:
    """"a, b et c" / "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + i18n.t(lang, "recurrence.and").plain + items[-1]


def say_duration(delta: timedelta, lang: str) -> str:
    """"24 h", "1 h 30 min", "30 min", "45 s", "2 jours"."""
    seconds = int(delta.total_seconds())
    if seconds >= 2 * 86400 and seconds % 86400 == 0:
        return i18n.t(lang, "duration.days", n=seconds // 86400).plain
    hours, minutes, secs = seconds // 3600, seconds % 3600 // 60, seconds % 60
    parts = [f"{n} {unit}" for n, unit in ((hours, "h"), (minutes, "min"), (secs, "s")) if n]
    return " ".join(parts) or "0 s"


def say_left(delta: timedelta, lang: str) -> str:
    """A time left (or passed) as people say it: to the second under two minutes, else to the minute
    (a reminder fired at 18:00:01 for 18:00 the next day is "24 h" away, not "23 h 59 min 59 s")."""
    seconds = round(abs(delta.total_seconds()))
    if seconds >= 120:
        seconds = round(seconds / 60) * 60
    return say_duration(timedelta(seconds=seconds), lang)


def describe_rule(rule: Rule, first: datetime, tz: str, lang: str) -> str:
    """The recurrence in words, with its time and end: "tous les lundis à 18h00, jusqu'au …"."""
    t = lambda key, **v: i18n.t(lang, key, **v).plain  # noqa: E731
    names = W.DAY_NAMES[lang]
    if rule.freq == "DAILY":
        text = t("recurrence.daily") if rule.interval == 1 else t("recurrence.daily_n", n=rule.interval)
    elif rule.freq == "WEEKLY":
        if rule.interval == 1:
            days = [names[d] + ("s" if lang == "fr" else "") for d in rule.weekdays]
            text = t("recurrence.weekly", days=and_list(days, lang))
        elif rule.interval == 2 and len(rule.weekdays) == 1:
            text = t("recurrence.weekly_2", days=names[rule.weekdays[0]])
        else:
            text = t("recurrence.weekly_n", n=rule.interval, days=and_list([names[d] for d in rule.weekdays], lang))
    else:
        if rule.nth is not None:
            text = t("recurrence.monthly_nth", nth=t(f"recurrence.nth.{rule.nth}"), day=names[rule.weekdays[0]])
        else:
            text = t("recurrence.monthly_day", day=_monthday(rule.monthday or first.day, lang))
        if rule.interval != 1:
            text = t("recurrence.every_n_months", rule=text, n=rule.interval)
    text = t("recurrence.at", rule=text, time=clock_text(first, tz, lang))
    if rule.until is not None:
        day = format_when(datetime.combine(rule.until, datetime.min.time()), lang, has_time=False)
        text = t("recurrence.until", rule=text, day=day)
    if rule.count is not None:
        text = t("recurrence.count", rule=text, n=rule.count)
    return text


def _monthday(day: int, lang: str) -> str:
    if lang == "fr":
        return "1er" if day == 1 else str(day)
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def title_part(lang: str, record: ScheduleRecord, key: str = "schedule.title_short") -> Rendered | str:
    return i18n.t(lang, key, title=record.title) if record.title else ""
