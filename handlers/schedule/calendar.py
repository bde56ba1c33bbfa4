"""!agenda / !calendar: the room's scheduled meetings as an iCalendar (.ics) file, posted in the room.

`build_ics` is pure (no store, no chat) and shared with the command line (`python -m bot calendar export`).
What it writes:
- one VEVENT per scheduled meeting that is not cancelled (past ones included), UID stable per room and
  number, DTSTART with the schedule's TZID (and the VTIMEZONE it needs), a 2-hour DURATION (Relais does
  not know how long meetings last: an indication, so calendars show a block rather than a point),
  SUMMARY (the title), LOCATION (the place, or the link), URL (the link), SEQUENCE (changes so far);
- for a series: its RRULE (UNTIL as a UTC instant, as RFC 5545 asks with a TZID start), an EXDATE per
  cancelled date, and per moved date a VEVENT with the same UID, RECURRENCE-ID (the original date) and
  the new DTSTART.
- one VEVENT per mobilisation of the room (its own and those relayed to it; not cancelled), UID stable per
  mobilisation, with its number in the room (M1), a 3-hour DURATION, LOCATION, URL.
"""
from __future__ import annotations

import hashlib
import re
from datetime import datetime, time, timedelta, timezone
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from handlers.core.commands import command
from handlers.core.interface import File
from handlers.core.router import Invocation
from handlers.dates.recurrence import Rule, rule_occurrences
from handlers.dates.words import fold
from handlers.schedule.common import rule_of
from handlers.schedule.texts import TEXTS
from storage.records import MobilisationRecord, ScheduleRecord

if TYPE_CHECKING:  # icalendar (~5 MiB) is imported when a calendar is built, not at start-up
    from icalendar import Event, vRecur

MEETING_LENGTH = timedelta(hours=2)
PRODID = "-//Relais//Relais Matrix bot//FR"


MOBILISATION_LENGTH = timedelta(hours=3)


def build_ics(records: list[ScheduleRecord], *, room_name: str, lang: str, now: datetime,
              mobilisations: list[MobilisationRecord] = ()) -> bytes:
    from icalendar import Calendar

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", TEXTS.t(lang, "calendar.name", room=room_name).plain)
    for record in records:
        if record.is_cancelled:
            continue
        for event in _events(record, room_name=room_name, lang=lang, now=now):
            cal.add_component(event)
    for mobilisation in mobilisations:
        if not mobilisation.is_cancelled:
            cal.add_component(_mobilisation_event(mobilisation, room_name=room_name, now=now))
    cal.add_missing_timezones()
    return cal.to_ical()


def uid(record: ScheduleRecord) -> str:
    room = hashlib.sha256(record.room_id.encode()).hexdigest()[:16]
    return f"schedule-{record.number}-{room}@relais"


def _events(record: ScheduleRecord, *, room_name: str, lang: str, now: datetime) -> list[Event]:
    zone = ZoneInfo(record.timezone)
    main = _event(record, record.starts_at.astimezone(zone), room_name=room_name, lang=lang, now=now)
    rule = rule_of(record)
    events = [main]
    if rule is None:
        return events
    main.add("rrule", _recur(rule, zone))
    cancelled = [c.original_at.astimezone(zone) for c in record.changes
                 if c.cancelled and _is_date_of(record, rule, c.original_at)]
    if cancelled:
        main.add("exdate", cancelled)
    for change in record.changes:
        if change.moved_to is not None and _is_date_of(record, rule, change.original_at):
            moved = _event(record, change.moved_to.astimezone(zone), room_name=room_name, lang=lang, now=now)
            moved.add("recurrence-id", change.original_at.astimezone(zone))
            events.append(moved)
    return events


def _is_date_of(record: ScheduleRecord, rule: Rule, original: datetime) -> bool:
    return bool(rule_occurrences(rule, record.starts_at, record.timezone, after=original,
                                 before=original + timedelta(seconds=1)))


def _event(record: ScheduleRecord, start: datetime, *, room_name: str, lang: str, now: datetime) -> Event:
    from icalendar import Event

    event = Event()
    event.add("uid", uid(record))
    event.add("dtstamp", now.astimezone(timezone.utc))
    event.add("dtstart", start)
    event.add("duration", MEETING_LENGTH)
    event.add("summary", record.title or TEXTS.t(lang, "calendar.untitled").plain)
    event.add("description", TEXTS.t(lang, "calendar.description", number=record.number, room=room_name).plain)
    return _where_and_revision(event, record)


def _mobilisation_event(record: MobilisationRecord, *, room_name: str, now: datetime) -> Event:
    from icalendar import Event

    event = Event()
    event.add("uid", f"mobilisation-{record.id}-{hashlib.sha256(record.room_id.encode()).hexdigest()[:16]}@relais")
    event.add("dtstamp", now.astimezone(timezone.utc))
    event.add("dtstart", record.starts_at.astimezone(ZoneInfo(record.timezone)))
    event.add("duration", MOBILISATION_LENGTH)
    event.add("summary", f"📣 {record.title or ''}".strip())
    event.add("description", f"M{record.ref} — {room_name}" + (f" — {record.organiser}" if record.organiser else ""))
    return _where_and_revision(event, record)


def _where_and_revision(event: Event, record: ScheduleRecord | MobilisationRecord) -> Event:
    """What a meeting's and a mobilisation's events share: the place (or the link), the link, the revision."""
    if record.place or record.link:
        event.add("location", record.place or record.link)
    if record.link:
        event.add("url", record.link)
    event.add("sequence", record.revision)
    return event


def _recur(rule: Rule, zone: ZoneInfo) -> vRecur:
    parts = dict(p.split("=", 1) for p in rule.to_text().split(";"))
    recur: dict[str, object] = {"FREQ": parts["FREQ"]}
    if rule.interval != 1:
        recur["INTERVAL"] = rule.interval
    if "BYDAY" in parts:
        recur["BYDAY"] = parts["BYDAY"].split(",")
    if rule.monthday is not None:
        recur["BYMONTHDAY"] = rule.monthday
    if rule.count is not None:
        recur["COUNT"] = rule.count
    if rule.until is not None:  # the last day, local, included: its end as a UTC instant
        last = datetime.combine(rule.until, time(23, 59, 59), zone)
        recur["UNTIL"] = last.astimezone(timezone.utc)
    from icalendar import vRecur

    return vRecur(recur)


# Letters that NFKD does not split into a base letter and an accent.
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"})


def filename(room_name: str) -> str:
    """"Relais — démo" → agenda-relais-demo.ics: accents are dropped rather than the letters they carry."""
    latin = fold(room_name).translate(_LIGATURES)  # fold: lower case (ß → ss), accents off
    slug = re.sub(r"[^a-z0-9]+", "-", latin).strip("-")
    return f"agenda-{slug or 'relais'}.ics"


@command("calendar", fr="agenda", en="calendar", aliases=("calendrier", "ics"))
async def calendar(inv: Invocation) -> None:
    store = inv.services.store
    records = await store.schedules.list(inv.msg.room_id)
    mobilisations = [*await store.mobilisations.list(inv.msg.room_id),
                     *await store.mobilisations.relayed_to(inv.msg.room_id)]
    if not records and not mobilisations:
        inv.reply("calendar.none")
        return
    name = inv.services.room_name(inv.msg.room_id)
    data = build_ics(records, room_name=name, lang=inv.lang, now=inv.services.clock.now(),
                     mobilisations=mobilisations)
    file = filename(name)
    inv.effects.add(File(file, "text/calendar", data,
                         inv.t("calendar.caption", count=len(records) + len(mobilisations), filename=file)))
