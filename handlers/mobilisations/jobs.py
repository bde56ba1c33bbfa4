"""Countdown of a mobilisation: notices in its room at offsets before it (`[reminders] mobilisation`, overridable per
room with `!réglages rappels-mobilisation 7j 3j 1j`), one on its morning (`[reminders] mobilisation_morning`, room
time), and direct messages to its participants the day before.

For a mobilisation, `plan_mobilisation` plans (deterministic ids, so planning again never duplicates):
  mobilisation:{room}:{N}:{start ISO}:{offset seconds}   "mobilisation.notice"
  mobilisation:{room}:{N}:{start ISO}:morning            "mobilisation.notice" (offset "morning")
  mobilisation:{room}:{N}:{start ISO}:eve                "mobilisation.eve"
The day-before notice (`tract_offset`: J-1 by default) also posts the tract file again, by its mxc:// URI.
Only times still to come are planned, as for meeting reminders (handlers/schedule/jobs.py): a job missed while the
bot was down stays in the job store, where the scheduler's grace logic runs it once (marked late) or drops it; the
start-up hook only adds. A job checks when it fires that the mobilisation still exists, is not cancelled and still
starts at the time it was planned for (a moved one has newer jobs), and that it has not begun.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone
from functools import partial
from zoneinfo import ZoneInfo

from handlers.core.interface import DirectMessage, Effect, File, Notice
from handlers.core.jobs import Job, plan_each
from handlers.core.reminders import Reminders
from handlers.core.services import Services
from handlers.core.text import join
from handlers.core.words import clock_text, room_link, say_duration, say_left, when_text
from handlers.mobilisations.common import RECOUNT, count_text, head_count, notice_key, recount
from handlers.mobilisations.links import actions_text, open_actions
from handlers.mobilisations.optout import opted_out
from handlers.mobilisations.texts import TEXTS
from storage.records import MobilisationRecord, RoomSettings

log = logging.getLogger(__name__)

NOTICE = "mobilisation.notice"
EVE = "mobilisation.eve"
MORNING = "morning"
DAY = timedelta(days=1)


def job_prefix(room_id: str, number: int) -> str:
    return f"mobilisation:{room_id}:{number}:"


def plan_mobilisation(services: Services, room: RoomSettings | None, record: MobilisationRecord, *,
                      replace: bool = True) -> list[timedelta | str]:
    """(Re)plan the countdown; call after every change. Returns what was planned (offsets, then MORNING).
    With replace=False (start-up), jobs are only added."""
    scheduler = services.scheduler
    prefix = job_prefix(record.room_id, record.number)
    if scheduler is not None and replace:
        scheduler.cancel_prefix(prefix)
    now = services.clock.now()
    if record.is_cancelled or record.starts_at <= now:
        return []
    iso = record.starts_at.isoformat()
    payload = {"room_id": record.room_id, "number": record.number, "at": iso}
    planned: list[timedelta | str] = []

    def plan(suffix: str, when: datetime, kind: str, extra: dict) -> None:
        if scheduler is not None:
            scheduler.schedule(f"{prefix}{iso}:{suffix}", when, kind, {**payload, **extra})

    _, tz = services.language_and_zone(room)
    offsets = MOBILISATION_REMINDERS.offsets(room, services.defaults)
    eve_offset = tract_offset(offsets)
    for offset in offsets:
        when = before(record.starts_at, offset, tz)
        if when > now:
            seconds = int(offset.total_seconds())
            last = {"last": True} if offset == eve_offset else {}  # it re-posts the tract file
            plan(str(seconds), when, NOTICE, {"offset": seconds, **last})
            planned.append(offset)
    morning = morning_of(services, record, room)
    if morning is not None and now < morning < record.starts_at:
        plan(MORNING, morning, NOTICE, {"offset": MORNING})
        planned.append(MORNING)
    if before(record.starts_at, DAY, tz) > now:
        plan("eve", before(record.starts_at, DAY, tz), EVE, {})
    return planned


def tract_offset(offsets: tuple[timedelta, ...]) -> timedelta | None:
    """The notice that posts the tract file again: the day before (the smallest offset of a day or more: J-1 by
    default), else the last one."""
    days = [o for o in offsets if o >= DAY]
    return min(days) if days else min(offsets, default=None)


def before(at: datetime, offset: timedelta, tz: str) -> datetime:
    """`offset` before `at`; whole days in the room's wall time (J-7 at 14h is 14h seven days before, across a
    change of summer time), other offsets in elapsed time."""
    if offset.total_seconds() % 86400:
        return at - offset
    zone = ZoneInfo(tz)
    local = at.astimezone(zone)
    wall = datetime.combine(local.date() - timedelta(days=offset.days), local.time(), zone)
    return wall.astimezone(timezone.utc).astimezone(zone)  # a wall time in the DST gap moves an hour on


def morning_of(services: Services, record: MobilisationRecord, room: RoomSettings | None) -> datetime | None:
    at = services.defaults.mobilisation_morning
    if at is None:
        return None
    _, tz = services.language_and_zone(room)
    zone = ZoneInfo(tz)
    day = record.starts_at.astimezone(zone).date()
    return datetime.combine(day, at, zone)


def countdown_text(lang: str, planned: list[timedelta | str]) -> str:
    words = [say_duration(p, lang) if isinstance(p, timedelta) else TEXTS.t(lang, "mobilisation.morning_word").plain
             for p in planned]
    return ", ".join(words)


async def replan_room(services: Services, room: RoomSettings) -> None:
    for record in await services.store.mobilisations.list(room.room_id):
        plan_mobilisation(services, room, record)


MOBILISATION_REMINDERS = Reminders(
    "mobilisation", ("rappels-mobilisation", "mobilization-reminders", "mobilisation-reminders",
                     "rappels-marche"),
    default=lambda defaults: defaults.mobilisation_reminders, changed=replan_room)


async def plan_all(services: Services) -> None:
    async def plan(record: MobilisationRecord) -> None:
        plan_mobilisation(services, await services.store.rooms.get(record.room_id), record, replace=False)

    await plan_each(await services.store.mobilisations.active(), plan, "mobilisations",
                    lambda r: f"{r.room_id} M{r.number}")


async def _current(job: Job, services: Services) -> MobilisationRecord | None:
    payload = job.payload
    record = await services.store.mobilisations.get(payload["room_id"], payload["number"])
    if record is None or record.is_cancelled or record.starts_at != datetime.fromisoformat(payload["at"]):
        return None  # cancelled, or moved: newer jobs cover it
    if services.clock.now() >= record.starts_at:
        log.info("countdown %s dropped: the mobilisation began at %s", job.id, record.starts_at)
        return None
    return record


async def notice(job: Job, services: Services) -> list[Effect]:
    """The countdown notice, in the announcing room and every relaying one (each in its language, with its
    number there); a reaction on it counts as on the announcement."""
    record = await _current(job, services)
    if record is None:
        return []
    count = await head_count(services, record)
    actions = await open_actions(services, record)
    offset = job.payload.get("offset")
    now = services.clock.now()
    effects: list[Effect] = []
    for room_id in record.rooms:
        lang, tz = services.language_and_zone(await services.store.rooms.get(room_id))
        t = partial(TEXTS.t, lang, p=services.defaults.prefix)
        number = record.number_in(room_id)
        if offset == MORNING:
            head = t("mobilisation.today", title=record.title or "", number=number)
        elif isinstance(offset, int) and offset % 86400 == 0 and not job.late:
            head = t("mobilisation.days_before", days=offset // 86400, title=record.title or "", number=number)
        else:
            head = t("mobilisation.soon", left=say_left(record.starts_at - now, lang), title=record.title or "",
                     number=number)
        where = t("mobilisation.where_short", place=record.place) if record.place else ""
        line = job.late_mark(lang) + t("mobilisation.countdown", head=head, count=count_text(t, count),
                                       time=clock_text(record.starts_at, tz, lang), where=where)
        if actions:  # what is still to prepare, and by whom
            line += t("mobilisation.to_prepare_inline", items=actions_text(t, actions, room_id, tz, lang))
        lines = [line]
        if record.link:
            lines.append(t("mobilisation.link", link=record.link))
        if record.tract:  # the tract, to print or share, with every notice (the day before's included)
            lines.append(t("mobilisation.tract", tract=record.tract))
        lines.append(t("mobilisation.how_to_join", number=number))
        effects.append(Notice(room_id, join(lines), remember=notice_key(record, room_id, f"notice-{offset}")))
        tract = record.tract_file
        if tract is not None and job.payload.get("last"):  # the same mxc:// content, no upload
            effects.append(File(tract.filename, tract.mimetype or "application/pdf", b"", url=tract.url,
                                room_id=room_id, size=tract.size))
    return effects


async def eve(job: Job, services: Services) -> list[Effect]:
    """The day before: a direct message to each participant still a member of the room where they joined."""
    record = await _current(job, services)
    if record is None:
        return []
    count = await head_count(services, record)
    effects: list[Effect] = []
    for p in count.people:
        if not services.reachable(p.room_id, [p.user_id]) or await opted_out(services, p.room_id, p.user_id):
            continue
        lang, tz = services.language_and_zone(await services.store.rooms.get(p.room_id))
        t = partial(TEXTS.t, lang, p=services.defaults.prefix)
        where = t("mobilisation.where_short", place=record.place) if record.place else ""
        text = job.late_mark(lang) + t("mobilisation.eve_dm", title=record.title or "",
                                       number=record.number_in(p.room_id),
                                       when=when_text(record.starts_at, tz, lang), where=where,
                                       room=room_link(p.room_id, services.room_name(p.room_id)))
        effects.append(DirectMessage(p.user_id, text, rooms=record.rooms))
    return effects


JOBS = {NOTICE: notice, EVE: eve, RECOUNT: recount}
