"""Reminders of scheduled meetings: planned for the next occurrence only, re-planned when it comes.

For a schedule, `plan_schedule` plans (with deterministic ids, so planning again never duplicates):
  meeting:{room}:{N}:{occurrence ISO}:{offset seconds}   "meeting.remind", one per reminder offset
  meeting:{room}:{N}:{occurrence ISO}:roll               "meeting.roll", at the occurrence: plans the next one
Only times still to come are planned: a job missed while the bot was down is still in the job store,
where the scheduler's grace logic runs it once (marked late) or drops it; adding it again would send it
twice. At start-up every schedule is planned again, adding only (so what a long stop dropped, like a
roll job, is made good, and what the store still holds is not touched: the scheduler writes nothing for a job
planned exactly as it stands, so a second start-up writes no jobs).

A reminder checks, when it fires, that the schedule still exists and the occurrence still takes place
at that time (not cancelled, not moved); it is skipped once the meeting has begun (more than STARTED
ago), or when the meeting was already started with `!réunion début`. It says the time actually left when
it goes out (a reminder sent late, after a stop, says less than its offset). It posts a notice in the
room (mentioning nobody) and sends the same by direct message to the room's coordinators and subscribers,
each once, who are members of the room when it goes out.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from functools import partial

from handlers.core.interface import DirectMessage, Effect, Notice
from handlers.core.jobs import Job, plan_each
from handlers.core.reminders import Reminders
from handlers.core.services import Services
from handlers.core.text import Rendered
from handlers.core.words import room_link, say_left, title_part, when_text
from handlers.dates.recurrence import Occurrence
from handlers.schedule.common import next_occurrence, occurrence_at
from handlers.schedule.texts import TEXTS
from storage.records import RoomSettings, ScheduleRecord

log = logging.getLogger(__name__)

REMIND = "meeting.remind"
ROLL = "meeting.roll"
# A reminder that would arrive this long after the meeting began is not sent any more.
STARTED = timedelta(minutes=1)


@dataclass(frozen=True)
class Planned:
    occurrence: Occurrence
    offsets: tuple[timedelta, ...]  # reminders planned
    skipped: tuple[timedelta, ...]  # reminders whose time had already passed


def job_prefix(room_id: str, number: int) -> str:
    return f"meeting:{room_id}:{number}:"


def plan_schedule(services: Services, room: RoomSettings | None, record: ScheduleRecord, *,
                  replace: bool = True) -> Planned | None:
    """(Re)plan the reminders of the schedule's next occurrence; call after every change. With
    replace=False (start-up), jobs are only added, never removed."""
    scheduler = services.scheduler
    prefix = job_prefix(record.room_id, record.number)
    if scheduler is not None and replace:
        scheduler.cancel_prefix(prefix)
    now = services.clock.now()
    occurrence = next_occurrence(record, now)
    if occurrence is None:
        return None
    iso = occurrence.at.isoformat()
    payload = {"room_id": record.room_id, "number": record.number, "at": iso}
    planned, skipped = [], []
    for offset in MEETING_REMINDERS.offsets(room, services.defaults):
        when = occurrence.at - offset
        if when <= now:
            skipped.append(offset)
            continue
        planned.append(offset)
        if scheduler is not None:
            seconds = int(offset.total_seconds())
            scheduler.schedule(f"{prefix}{iso}:{seconds}", when, REMIND, {**payload, "offset": seconds})
    if scheduler is not None:
        scheduler.schedule(f"{prefix}{iso}:roll", occurrence.at, ROLL, payload)
    return Planned(occurrence, tuple(planned), tuple(skipped))


async def replan_room(services: Services, room: RoomSettings) -> None:
    """Plan every schedule of the room again (after its reminder offsets changed)."""
    for record in await services.store.schedules.list(room.room_id):
        plan_schedule(services, room, record)


MEETING_REMINDERS = Reminders("meeting", ("rappels-réunion", "meeting-reminders", "rappels-reunion",
                                          "reminders-meeting"),
                              default=lambda defaults: defaults.meeting_reminders, changed=replan_room)


async def plan_all(services: Services) -> None:
    """At start-up: every schedule's next reminders, added only where missing or changed (the scheduler writes
    nothing for a job planned as it stands), each room's settings read once."""
    rooms: dict[str, RoomSettings | None] = {}

    async def plan(record: ScheduleRecord) -> None:
        if record.room_id not in rooms:
            rooms[record.room_id] = await services.store.rooms.get(record.room_id)
        plan_schedule(services, rooms[record.room_id], record, replace=False)

    # Each schedule on its own, retried: one failure must not leave the later ones without reminders.
    await plan_each(await services.store.schedules.active(), plan, "scheduled meetings",
                    lambda r: f"{r.room_id} n°{r.number}")


async def roll(job: Job, services: Services) -> list[Effect]:
    record = await services.store.schedules.get(job.payload["room_id"], job.payload["number"])
    if record is not None and not record.is_cancelled:
        plan_schedule(services, await services.store.rooms.get(record.room_id), record)
    return []


def time_left(left: timedelta, lang: str) -> Rendered:
    """"(dans 22 h)" measured when the reminder goes out, not the offset it was planned with: after a
    stop of Relais, less time is left; a meeting begun less than STARTED ago "started 40 s ago"."""
    if abs(left) < timedelta(seconds=0.5):  # would read "in 0 s"
        return TEXTS.t(lang, "schedule.now")
    key = "schedule.soon" if left > timedelta(0) else "schedule.started_ago"
    return TEXTS.t(lang, key, delay=say_left(left, lang))


async def remind(job: Job, services: Services) -> list[Effect]:
    payload = job.payload
    room_id = payload["room_id"]
    record = await services.store.schedules.get(room_id, payload["number"])
    at = datetime.fromisoformat(payload["at"])
    occurrence = occurrence_at(record, at) if record is not None else None
    if occurrence is None:
        return []  # cancelled, or moved: a newer job covers it
    now = services.clock.now()
    if now - occurrence.at >= STARTED:
        log.info("reminder %s dropped: the meeting began at %s", job.id, occurrence.at)
        return []
    meeting = await services.store.meetings.current(room_id)
    if meeting is not None and meeting.schedule_number == record.number:
        return []  # already started with !réunion début
    room = await services.store.rooms.get(room_id)
    lang, tz = services.language_and_zone(room)
    t = partial(TEXTS.t, lang, p=services.defaults.prefix)
    late = job.late_mark(lang)
    soon = time_left(occurrence.at - now, lang)
    details = Rendered("", "")
    if record.place:
        details += t("schedule.remind_place", place=record.place)
    if record.link:
        details += t("schedule.remind_link", link=record.link)
    values = dict(number=record.number, title=title_part(t, record.title), when=when_text(occurrence.at, tz, lang),
                  soon=soon, details=details)
    if occurrence.moved:
        values["soon"] = t("schedule.remind_moved") + soon
    effects: list[Effect] = [Notice(room_id, late + t("schedule.remind", **values))]
    direct = late + t("schedule.remind_dm", room=room_link(room_id, services.room_name(room_id)), **values)
    # Members now only (Services.reachable): a subscriber who left gets nothing (the subscription stays,
    # unused, until they come back); each person once.
    coordinators = services.reachable(room_id, services.coordinators(room_id))
    for user_id in coordinators:
        effects.append(DirectMessage(user_id, direct))
    for user_id in services.reachable(room_id, await services.store.subscriptions.list(room_id)):
        if user_id not in coordinators:
            effects.append(DirectMessage(user_id, direct + t("schedule.remind_subscriber")))
    return effects


JOBS = {REMIND: remind, ROLL: roll}
