"""Scheduled meetings: the sub-commands this capability adds to meetings' commands — `!réunion prévoir|liste|
annuler|déplacer` / `!meeting schedule|list|cancel|move`, and `!réunions à venir` / `!meetings upcoming`.

Numbers are per room (1, 2, 3…, never reused), shown and accepted as P1, P2… (a bare 1 works too), so
they are never taken for held meetings (n°1, handlers/meetings) or actions (#1). Schedule, cancel and
move are for coordinators; the list is for everyone. How the text is read: parse.py; reminders: jobs.py.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from handlers.core.arguments import Date, Rest, ScheduleRef
from handlers.core.commands import extend
from handlers.core.errors import UserError
from handlers.core.router import Invocation
from handlers.core.text import Rendered, bullet_list, join
from handlers.core.words import say_duration, title_part
from handlers.dates.date_input import date_error
from handlers.dates.dates import DateError, ParsedDate
from handlers.dates.recurrence import RecurrenceError
from handlers.dates.words import fold
from handlers.mobilisations import mobilisation_to_prepare, prepares_note, take_mobilisation
from handlers.schedule.common import and_list, describe_rule, next_occurrence, rule_of, short_day, upcoming
from handlers.schedule.jobs import MEETING_REMINDERS, Planned, plan_schedule
from handlers.schedule.parse import parse_schedule
from storage.records import ScheduleRecord

LIST_LIMIT = 20
NEXT_DATES = 3

meeting = extend("meeting")  # !réunion, declared by handlers/meetings
meetings = extend("meetings")  # !réunions


async def _scheduled(inv: Invocation, number: int) -> ScheduleRecord:
    record = await inv.services.store.schedules.get(inv.msg.room_id, number)
    if record is None or record.is_cancelled:
        raise UserError("schedule.no_such", number=number)
    return record


SCHEDULED = ScheduleRef("scheduled", lookup=_scheduled)


# --- !réunion prévoir ---------------------------------------------------------------------------------------


@meeting.sub("prévoir", "schedule", "prevoir", "planifier", "programmer", "plan", args=[
    Rest("text", label="schedule.arg.text", overview="schedule.arg.text_overview", optional=True, brackets=False),
])
async def schedule(inv: Invocation, text: str) -> None:
    if not text:  # how to write it, for everyone
        inv.reply("schedule.help")
        return
    inv.require_coordinator()
    now = inv.services.clock.now()
    text, linked = take_mobilisation(text)  # "… pour la mobilisation 1": not a date, not a place
    try:
        draft = parse_schedule(text, now=now, tz=inv.room.timezone, lang=inv.lang)
    except DateError as exc:
        raise date_error(exc, inv.lang) from None
    except RecurrenceError as exc:
        raise UserError(f"schedule.{exc.code}", phrase=exc.phrase) from None
    rule = draft.rule.to_text() if draft.rule else None
    for existing in await inv.services.store.schedules.list(inv.msg.room_id):  # a command sent twice
        if (existing.starts_at == draft.first and existing.rule == rule
                and fold(existing.title or "") == fold(draft.title or "")):
            raise UserError("schedule.duplicate", number=existing.number,
                            title=title_part(inv.t, existing.title, "schedule.title_part"))
    prepares = await mobilisation_to_prepare(inv, linked, meeting=True) if linked is not None else None
    record = await inv.services.store.schedules.create(
        inv.msg.room_id, title=draft.title, place=draft.place, link=draft.link,
        starts_at=draft.first, timezone=inv.room.timezone,
        rule=rule, created_by=inv.msg.sender, at=now,
        mobilisation_id=prepares.id if prepares else None)
    planned = plan_schedule(inv.services, inv.room, record)
    inv.reply_rendered(join([
        inv.t("schedule.created", number=record.number, title=title_part(inv.t, record.title, "schedule.title_part")),
        *describe(inv, record),
        *([prepares_note(inv, prepares)] if prepares else []),
        reminders_text(inv, planned),
    ]))


def describe(inv: Invocation, record: ScheduleRecord) -> list[Rendered]:
    """When (and the next dates of a series), place, link."""
    tz = inv.room.timezone
    lines = []
    rule = rule_of(record)
    if rule is None:
        lines.append(inv.t("schedule.when_once", when=inv.when(record.starts_at), tz=tz))
    else:
        words = describe_rule(rule, record.starts_at, record.timezone, inv.lang)
        lines.append(inv.t("schedule.when_series", rule=words, first=inv.when(record.starts_at, has_time=False),
                           tz=tz))
        dates = upcoming(record, inv.services.clock.now(), limit=NEXT_DATES)
        if dates:
            lines.append(inv.t("schedule.next_dates", dates=", ".join(_date_words(inv, record, o.at) for o in dates)))
    if record.place:
        lines.append(inv.t("schedule.place", place=record.place))
    if record.link:
        lines.append(inv.t("schedule.link", link=record.link))
    return lines


def _date_words(inv: Invocation, record: ScheduleRecord, at: datetime) -> str:
    """A short date; with its time when it differs from the series' time (a moved date)."""
    usual = record.starts_at.astimezone(ZoneInfo(record.timezone)).time()
    if at.astimezone(ZoneInfo(record.timezone)).time() == usual:
        return short_day(at, inv.room.timezone, inv.lang)
    return inv.when(at)


def reminders_text(inv: Invocation, planned: Planned | None) -> Rendered:
    offsets = MEETING_REMINDERS.offsets(inv.room, inv.services.defaults)
    if not offsets:
        return inv.t("schedule.reminders_none")
    text = inv.t("schedule.reminders", offsets=and_list([say_duration(o, inv.lang) for o in offsets], inv.lang))
    if planned is not None and planned.skipped:
        skipped = and_list([say_duration(o, inv.lang) for o in planned.skipped], inv.lang)
        text += inv.t("schedule.reminders_skipped", offsets=skipped)
    return text


# --- !réunion liste, !réunions à venir -----------------------------------------------------------------------


@meeting.sub("liste", "list", "lister", "ls", "prochaines", "upcoming")
async def list_upcoming(inv: Invocation) -> None:
    now = inv.services.clock.now()
    rows = []
    for record in await inv.services.store.schedules.list(inv.msg.room_id):
        dates = upcoming(record, now, limit=NEXT_DATES)
        if dates:
            rows.append((dates[0].at, record.number, record, dates))
    if not rows:
        inv.reply("schedule.list_none")
        return
    rows.sort(key=lambda r: (r[0], r[1]))
    lines = []
    for _, _, record, dates in rows[:LIST_LIMIT]:
        details = Rendered("", "")
        rule = rule_of(record)
        if rule is not None:
            details += inv.t("schedule.line_series", rule=describe_rule(rule, record.starts_at, record.timezone,
                                                                         inv.lang))
            if len(dates) > 1:
                details += inv.t("schedule.line_then",
                                 dates=", ".join(_date_words(inv, record, o.at) for o in dates[1:]))
        if record.place:
            details += inv.t("schedule.line_place", place=record.place)
        lines.append(inv.t("schedule.line", number=record.number, title=title_part(inv.t, record.title),
                           when=inv.when(dates[0].at),
                           moved=inv.t("schedule.moved_mark") if dates[0].moved else "", details=details))
    inv.reply("schedule.list", items=bullet_list(lines))


meetings.sub("à venir", "upcoming", "a venir", "avenir", "venir", "prévues", "prevues", "prochaines", "next",
             "scheduled", "planned")(list_upcoming)


# --- !réunion annuler ---------------------------------------------------------------------------------------


@meeting.sub("annuler", "cancel", "supprimer", "delete", coordinators=True,
             args=[SCHEDULED, Date("day", label="schedule.arg.day", optional=True)])
async def cancel(inv: Invocation, record: ScheduleRecord, day: ParsedDate | None) -> None:
    if day is not None:
        await _cancel_one(inv, record, day.when)
        return
    await _cancel_all(inv, record)


async def _cancel_all(inv: Invocation, record: ScheduleRecord) -> None:
    cancelled = await inv.services.store.schedules.cancel(inv.msg.room_id, record.number, by=inv.msg.sender,
                                                          at=inv.services.clock.now())
    if cancelled is None:
        raise UserError("schedule.no_such", number=record.number)
    plan_schedule(inv.services, inv.room, cancelled)  # cancels its jobs
    rule = rule_of(record)
    if rule is None:
        inv.reply("schedule.cancelled", number=record.number, title=title_part(inv.t, record.title))
    else:
        inv.reply("schedule.series_cancelled", number=record.number, title=title_part(inv.t, record.title),
                  rule=describe_rule(rule, record.starts_at, record.timezone, inv.lang))


async def _cancel_one(inv: Invocation, record: ScheduleRecord, named: datetime) -> None:
    """Cancel the occurrence on the day named (a one-off: the meeting itself)."""
    now = inv.services.clock.now()
    zone = ZoneInfo(inv.room.timezone)
    day_start = datetime.combine(named.date(), time(0, 0), zone)
    day_end = datetime.combine(named.date() + timedelta(days=1), time(0, 0), zone)
    that_day = upcoming(record, max(now, day_start), before=day_end, limit=5)
    if not that_day:
        raise UserError("schedule.not_that_day", number=record.number, title=title_part(inv.t, record.title),
                        day=inv.when(named, has_time=False), next=_next_text(inv, record))
    if rule_of(record) is None:
        await _cancel_all(inv, record)
        return
    occurrence = that_day[0]
    changed = await inv.services.store.schedules.change_occurrence(
        inv.msg.room_id, record.number, occurrence.original, None, by=inv.msg.sender, at=now)
    plan_schedule(inv.services, inv.room, changed)
    inv.reply("schedule.occurrence_cancelled", number=record.number, title=title_part(inv.t, changed.title),
              when=inv.when(occurrence.at), next=_next_text(inv, changed))


def _next_text(inv: Invocation, record: ScheduleRecord) -> Rendered:
    occurrence = next_occurrence(record, inv.services.clock.now())
    if occurrence is None:
        return inv.t("schedule.no_next")
    return inv.t("schedule.next_one", when=inv.when(occurrence.at))


# --- !réunion déplacer --------------------------------------------------------------------------------------


@meeting.sub("déplacer", "move", "deplacer", "reporter", "reschedule", "postpone", coordinators=True,
             args=[SCHEDULED, Date("day")])
async def move(inv: Invocation, record: ScheduleRecord, parsed: ParsedDate) -> None:
    """A one-off moves; a series has its next occurrence moved. A day without a time keeps the time."""
    store = inv.services.store
    now = inv.services.clock.now()
    occurrence = next_occurrence(record, now)
    if occurrence is None:
        raise UserError("schedule.nothing_to_come", number=record.number, title=title_part(inv.t, record.title))
    new = parsed.when
    if not parsed.has_time:
        zone = ZoneInfo(inv.room.timezone)
        new = datetime.combine(new.date(), occurrence.at.astimezone(zone).time(), zone)
        new = new.astimezone(timezone.utc).astimezone(zone)  # a time in the DST gap moves an hour on
        if new <= now:
            raise UserError("date.past", phrase=parsed.phrase)
    if rule_of(record) is None:
        changed = await store.schedules.move(inv.msg.room_id, record.number, new)
        key = "schedule.moved"
    else:
        changed = await store.schedules.change_occurrence(inv.msg.room_id, record.number, occurrence.original,
                                                          new, by=inv.msg.sender, at=now)
        key = "schedule.moved_series"
    planned = plan_schedule(inv.services, inv.room, changed)
    inv.reply_rendered(join([
        inv.t(key, number=record.number, title=title_part(inv.t, record.title),
              old=inv.when(occurrence.at), new=inv.when(new)),
        reminders_text(inv, planned),
    ]))
