"""What the scheduled-meeting modules share: a stored schedule's occurrences, and saying things about it
(the recurrence in words, short dates) in the room's language."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from handlers.core.words import and_list, clock_text
from handlers.dates.dates import format_day, format_when, weekday_name
from handlers.dates.recurrence import Occurrence, Rule, occurrences
from handlers.schedule.texts import TEXTS
from storage.records import ScheduleRecord

# `!réunion début` takes up a scheduled meeting whose date is this close to now (before or after).
START_WINDOW = timedelta(hours=2)
_TICK = timedelta(microseconds=1)


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


def short_day(at: datetime, tz: str, lang: str) -> str:
    """"lundi 3 mai" / "Monday 3 May": next dates in a list, where the year and time are known."""
    local = at.astimezone(ZoneInfo(tz))
    return f"{weekday_name(local.weekday(), lang)} {format_day(local.date(), lang, year=False)}"


def describe_rule(rule: Rule, first: datetime, tz: str, lang: str) -> str:
    """The recurrence in words, with its time and end: "tous les lundis à 18h00, jusqu'au …"."""
    t = lambda key, **v: TEXTS.t(lang, key, **v).plain  # noqa: E731
    names = [weekday_name(d, lang) for d in range(7)]
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
