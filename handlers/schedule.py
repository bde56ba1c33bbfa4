"""Scheduled meetings: `!réunion prévoir|liste|annuler|déplacer` / `!meeting schedule|list|cancel|move`
(dispatched here by handlers/meetings.py), and `!réunions à venir` / `!meetings upcoming`.

Reading `!réunion prévoir <text>`
 1. A quoted part ("…", «…», “…”) is the title, whatever it contains.
 2. A link (http…) anywhere is the meeting's link (a video call).
 3. A recurrence ("tous les lundis à 18h", see handlers/recurrence.py); else the date layer's find_date
    (the longest date phrase, which must have a time). A date already past gets the date layer's reply.
 4. The place: what follows the last "à", "au", "aux", "chez", "at", "lieu :", "location:".
 5. What is left is the title (optional).

Numbers are per room (1, 2, 3…, never reused), shown and accepted as P1, P2… (a bare 1 works too), so
they are never taken for held meetings (n°1, handlers/meetings.py) or actions (#1). Schedule, cancel and
move are for coordinators; the list is for everyone. Reminders: handlers/schedule_jobs.py.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from handlers.args import NumberError, fold, looks_like_number, parse_number
from handlers.dates import DateError, find_date, parse_date
from handlers.recurrence import RecurrenceError, Rule, find_recurring
from handlers.reminder_settings import room_offsets
from handlers.router import Invocation, UsageError, UserError
from handlers.schedule_common import (
    and_list,
    describe_rule,
    is_other_ref,
    next_occurrence,
    rule_of,
    say_duration,
    short_day,
    title_part,
    upcoming,
    when_text,
)
from handlers.schedule_jobs import Planned, plan_schedule
from handlers.text import Rendered, bullet_list, join
from handlers.date_input import date_error, read_date
from storage.schedules import ScheduleRecord

SUBCOMMANDS = {
    "schedule": ("prévoir", "prevoir", "planifier", "programmer", "schedule", "plan"),
    "list": ("liste", "lister", "list", "ls", "prochaines", "upcoming"),
    "cancel": ("annuler", "cancel", "supprimer", "delete"),
    "move": ("déplacer", "deplacer", "reporter", "move", "reschedule", "postpone"),
}
UPCOMING = ("à venir", "a venir", "avenir", "venir", "prévues", "prevues", "prochaines", "upcoming", "next",
            "scheduled", "planned")
LIST_LIMIT = 20
NEXT_DATES = 3
_URL = re.compile(r"https?://[^\s<>\"]+")
_QUOTED = re.compile(r'"([^"]+)"|«\s*([^»]+?)\s*»|“([^”]+)”')
_PLACE = re.compile(r"(?:^|\s)(?:à|au|aux|chez|at|lieu\s*:|location\s*:|place\s*:)\s+(?=\S)", re.I)
_SEPARATORS = " \t\n,;:-–—"


def is_upcoming(words: list[str]) -> bool:
    """`!réunions à venir` / `!meetings upcoming`."""
    return bool(words) and fold(" ".join(words)) in {fold(w) for w in UPCOMING}


async def run(inv: Invocation, sub: str) -> None:
    """`!réunion <sub> …` for sub in SUBCOMMANDS."""
    if sub == "list":
        if len(inv.args) > 1:
            raise UsageError()
        await list_upcoming(inv)
        return
    rest = inv.rest.split(None, 1)[1].strip() if len(inv.args) > 1 else ""
    if sub == "schedule" and not rest:  # how to write it, for everyone
        inv.reply("schedule.help")
        return
    inv.require_coordinator()
    if sub == "schedule":
        await schedule(inv, rest)
        return
    words = rest.split(None, 1)
    record = await _record(inv, words[0] if words else "")
    phrase = words[1].strip() if len(words) > 1 else ""
    if sub == "cancel":
        await (cancel_one(inv, record, phrase) if phrase else cancel(inv, record))
    else:
        if not phrase:
            raise UsageError()
        await move(inv, record, phrase)


async def _record(inv: Invocation, word: str) -> ScheduleRecord:
    """The scheduled meeting `P3` (or `3`) names; a held meeting's `n°3` or an action's `#3` is refused
    with a reply saying how scheduled meetings are written, rather than acting on another P3."""
    if is_other_ref(word):
        raise UserError("schedule.not_a_schedule", ref=word)
    if not looks_like_number(word):
        raise UsageError()
    try:
        number = parse_number(word, scheduled=True)
    except NumberError:
        example = f"{inv.prefix}{inv.command.name(inv.lang)} {inv.args[0]} P3"
        raise UserError("number.bad_schedule", value=word, example=example) from None
    record = await inv.services.store.schedules.get(inv.msg.room_id, number)
    if record is None or record.is_cancelled:
        raise UserError("schedule.no_such", number=number)
    return record


# --- reading the text --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Draft:
    title: str | None
    place: str | None
    link: str | None
    first: datetime  # aware, in the room's zone
    rule: Rule | None


def parse_schedule(text: str, *, now: datetime, tz: str, lang: str) -> Draft:
    """See the module docstring. Raises DateError, RecurrenceError, or UserError("schedule.no_date")."""
    title = None
    quoted = _QUOTED.search(text)
    if quoted:
        title = next(g for g in quoted.groups() if g is not None).strip() or None
        text = f"{text[:quoted.start()]} {text[quoted.end():]}"
    link = None
    url = _URL.search(text)
    if url:
        link = url.group().rstrip(".,;:!?)»")
        text = f"{text[:url.start()]} {text[url.start() + len(link):]}"
    recurring = find_recurring(text, now=now, tz=tz, lang=lang)
    if recurring is not None:
        first, rule, rest = recurring.first, recurring.rule, recurring.rest
    else:
        found = find_date(text, now=now, tz=tz, lang=lang)
        if found is None:
            _raise_if_past(text, now=now, tz=tz, lang=lang)
            raise UserError("schedule.no_date", text=text.strip())
        parsed, rest = found
        _raise_if_past(text, now=now, tz=tz, lang=lang, around=parsed.phrase)
        if not parsed.has_time:
            raise RecurrenceError("needs_time", parsed.phrase)
        first, rule = parsed.when, None
    place = None
    markers = list(_PLACE.finditer(rest))
    if markers:
        place = rest[markers[-1].end():].strip(_SEPARATORS) or None
        rest = rest[:markers[-1].start()]
    rest = re.sub(r"\s+", " ", rest).strip(_SEPARATORS)
    if title is None:
        title = rest or None
    elif rest:
        place = f"{rest}, {place}" if place else rest
    return Draft(title, place, link, first, rule)


def _raise_if_past(text: str, *, now: datetime, tz: str, lang: str, around: str | None = None) -> None:
    """find_date skips past dates: "hier 18h" would be read as "18h". Look again for a date phrase that
    is past (one containing `around`, the phrase found, when given), to say so rather than guess."""
    words = list(re.finditer(r"\S+", text))
    inner: tuple[int, int] | None = None
    if around:
        start = text.find(around)
        inside = [i for i, w in enumerate(words) if w.start() >= start and w.end() <= start + len(around)]
        if start < 0 or not inside:
            return
        inner = (inside[0], inside[-1])
    for length in range(min(8, len(words)), 0, -1):
        for first in range(len(words) - length + 1):
            last = first + length - 1
            if inner is not None and not (first <= inner[0] and last >= inner[1] and length > inner[1] - inner[0] + 1):
                continue
            phrase = text[words[first].start():words[last].end()].strip(",;:!?()")
            try:
                parse_date(phrase, now=now, tz=tz, lang=lang)
            except DateError as error:
                if error.code == "past":
                    raise


# --- !réunion prévoir ---------------------------------------------------------------------------------------


async def schedule(inv: Invocation, text: str) -> None:
    now = inv.services.clock.now()
    try:
        draft = parse_schedule(text, now=now, tz=inv.room.timezone, lang=inv.lang)
    except DateError as exc:
        raise date_error(exc, inv.lang) from None
    except RecurrenceError as exc:
        raise UserError(f"schedule.{exc.code}", phrase=exc.phrase) from None
    record = await inv.services.store.schedules.create(
        inv.msg.room_id, title=draft.title, place=draft.place, link=draft.link,
        starts_at=draft.first, timezone=inv.room.timezone,
        rule=draft.rule.to_text() if draft.rule else None, created_by=inv.msg.sender, at=now)
    planned = plan_schedule(inv.services, inv.room, record)
    inv.reply_rendered(join([
        inv.t("schedule.created", number=record.number, title=title_part(inv.lang, record, "schedule.title_part")),
        *describe(inv, record),
        reminders_text(inv, planned),
    ]))


def describe(inv: Invocation, record: ScheduleRecord) -> list[Rendered]:
    """When (and the next dates of a series), place, link."""
    tz = inv.room.timezone
    lines = []
    rule = rule_of(record)
    if rule is None:
        lines.append(inv.t("schedule.when_once", when=when_text(record.starts_at, tz, inv.lang), tz=tz))
    else:
        words = describe_rule(rule, record.starts_at, record.timezone, inv.lang)
        lines.append(inv.t("schedule.when_series", rule=words,
                           first=when_text(record.starts_at, tz, inv.lang, has_time=False), tz=tz))
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
    tz = inv.room.timezone
    usual = record.starts_at.astimezone(ZoneInfo(record.timezone)).time()
    if at.astimezone(ZoneInfo(record.timezone)).time() == usual:
        return short_day(at, tz, inv.lang)
    return when_text(at, tz, inv.lang)


def reminders_text(inv: Invocation, planned: Planned | None) -> Rendered:
    offsets = room_offsets(inv.room, inv.services.defaults, "meeting")
    if not offsets:
        return inv.t("schedule.reminders_none")
    text = inv.t("schedule.reminders", offsets=and_list([say_duration(o, inv.lang) for o in offsets], inv.lang))
    if planned is not None and planned.skipped:
        skipped = and_list([say_duration(o, inv.lang) for o in planned.skipped], inv.lang)
        text += inv.t("schedule.reminders_skipped", offsets=skipped)
    return text


# --- !réunion liste -----------------------------------------------------------------------------------------


async def list_upcoming(inv: Invocation) -> None:
    now = inv.services.clock.now()
    tz = inv.room.timezone
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
        lines.append(inv.t("schedule.line", number=record.number, title=title_part(inv.lang, record),
                           when=when_text(dates[0].at, tz, inv.lang),
                           moved=inv.t("schedule.moved_mark") if dates[0].moved else "", details=details))
    inv.reply("schedule.list", items=bullet_list(lines))


# --- !réunion annuler ---------------------------------------------------------------------------------------


async def cancel(inv: Invocation, record: ScheduleRecord) -> None:
    cancelled = await inv.services.store.schedules.cancel(inv.msg.room_id, record.number, by=inv.msg.sender,
                                                          at=inv.services.clock.now())
    if cancelled is None:
        raise UserError("schedule.no_such", number=record.number)
    plan_schedule(inv.services, inv.room, cancelled)  # cancels its jobs
    rule = rule_of(record)
    if rule is None:
        inv.reply("schedule.cancelled", number=record.number, title=title_part(inv.lang, record))
    else:
        inv.reply("schedule.series_cancelled", number=record.number, title=title_part(inv.lang, record),
                  rule=describe_rule(rule, record.starts_at, record.timezone, inv.lang))


async def cancel_one(inv: Invocation, record: ScheduleRecord, phrase: str) -> None:
    """Cancel the occurrence on the day the phrase names (a one-off: the meeting itself)."""
    named = read_date(inv, phrase).when
    now = inv.services.clock.now()
    zone = ZoneInfo(inv.room.timezone)
    day_start = datetime.combine(named.date(), time(0, 0), zone)
    day_end = datetime.combine(named.date() + timedelta(days=1), time(0, 0), zone)
    that_day = upcoming(record, max(now, day_start), before=day_end, limit=5)
    if not that_day:
        raise UserError("schedule.not_that_day", number=record.number, title=title_part(inv.lang, record),
                        day=when_text(named, inv.room.timezone, inv.lang, has_time=False),
                        next=_next_text(inv, record))
    if rule_of(record) is None:
        await cancel(inv, record)
        return
    occurrence = that_day[0]
    changed = await inv.services.store.schedules.change_occurrence(
        inv.msg.room_id, record.number, occurrence.original, None, by=inv.msg.sender, at=now)
    plan_schedule(inv.services, inv.room, changed)
    inv.reply("schedule.occurrence_cancelled", number=record.number, title=title_part(inv.lang, changed),
              when=when_text(occurrence.at, inv.room.timezone, inv.lang), next=_next_text(inv, changed))


def _next_text(inv: Invocation, record: ScheduleRecord) -> Rendered:
    occurrence = next_occurrence(record, inv.services.clock.now())
    if occurrence is None:
        return inv.t("schedule.no_next")
    return inv.t("schedule.next_one", when=when_text(occurrence.at, inv.room.timezone, inv.lang))


# --- !réunion déplacer --------------------------------------------------------------------------------------


async def move(inv: Invocation, record: ScheduleRecord, phrase: str) -> None:
    """A one-off moves; a series has its next occurrence moved. A day without a time keeps the time."""
    store = inv.services.store
    now = inv.services.clock.now()
    occurrence = next_occurrence(record, now)
    if occurrence is None:
        raise UserError("schedule.nothing_to_come", number=record.number, title=title_part(inv.lang, record))
    parsed = read_date(inv, phrase)
    new = parsed.when
    if not parsed.has_time:
        zone = ZoneInfo(inv.room.timezone)
        new = datetime.combine(new.date(), occurrence.at.astimezone(zone).time(), zone)
        new = new.astimezone(timezone.utc).astimezone(zone)  # a time in the DST gap moves an hour on
        if new <= now:
            raise UserError("date.past", phrase=phrase)
    if rule_of(record) is None:
        changed = await store.schedules.move(inv.msg.room_id, record.number, new)
        key = "schedule.moved"
    else:
        changed = await store.schedules.change_occurrence(inv.msg.room_id, record.number, occurrence.original,
                                                          new, by=inv.msg.sender, at=now)
        key = "schedule.moved_series"
    planned = plan_schedule(inv.services, inv.room, changed)
    tz = inv.room.timezone
    inv.reply_rendered(join([
        inv.t(key, number=record.number, title=title_part(inv.lang, record),
              old=when_text(occurrence.at, tz, inv.lang), new=when_text(new, tz, inv.lang)),
        reminders_text(inv, planned),
    ]))


__all__ = ["SUBCOMMANDS", "is_upcoming", "list_upcoming", "parse_schedule", "run"]
