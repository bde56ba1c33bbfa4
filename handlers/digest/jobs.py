"""The automatic weekly digest and the countdowns' day, on the persistent scheduler.

  digest.weekly:{room}:{week}     "digest.weekly", at the room's posting time: posts the digest of `week` (the
                                  week that holds the day before: on Monday, the week just ended), plans the next
  digest.countdown:{room}:{n}     "digest.countdown", at 00:00 of a countdown's day (room's zone): tells the room once
  digest.sweep                    "digest.sweep", every hour (at :05): plans what start-up plans (`plan_all`), so
                                  that a room the bot joined since has its digest within the hour

Ids are deterministic: planning again replaces a job with itself. The week last posted is kept in the bot's state
(`digest.sent:{room}`): a job that runs twice (a restart between posting and the store's update) posts nothing
the second time. At start-up (`plan_all`) a digest whose time passed while the bot was down, for a week that was
planned, is posted once, marked late, even when the scheduler's grace period dropped its job.
"""
from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from handlers.core.digest import Week
from handlers.core.interface import DirectMessage, Effect, Email, Notice
from handlers.core.jobs import Job, plan_each
from handlers.core.services import Services
from handlers.core.words import room_link
from handlers.dates.dates import format_day
from handlers.digest import content
from handlers.digest.settings import COUNTDOWNS, countdowns, last_post, mailing_list, next_post, overrides, \
    subscribers, timing
from handlers.digest.texts import TEXTS
from storage.records import RoomSettings

log = logging.getLogger(__name__)

WEEKLY = "digest.weekly"
COUNTDOWN = "digest.countdown"
SWEEP = "digest.sweep"  # every hour: plans the rooms seen since (a room the bot joined after it started)


def sent_key(room_id: str) -> str:
    return f"digest.sent:{room_id}"


def planned_key(room_id: str) -> str:
    return f"digest.planned:{room_id}"


def weekly_prefix(room_id: str) -> str:
    return f"{WEEKLY}:{room_id}:"


def covered(post: datetime, tz: str) -> Week:
    """The week a digest posted at `post` is about: the one holding the day before (Monday → the week just ended;
    Friday → the current week)."""
    return Week.containing(post - timedelta(days=1), tz)


async def plan_room(services: Services, room: RoomSettings, *, replace: bool = True) -> datetime | None:
    """(Re)plan the room's next weekly digest; none when the room turned it off. Returns when it is planned."""
    scheduler = services.scheduler
    if scheduler is None:
        return None
    if replace:
        scheduler.cancel_prefix(weekly_prefix(room.room_id))
    when = timing(room, services.defaults)
    if not when.enabled:
        return None
    post = next_post(when, room.timezone, services.clock.now())
    week = covered(post, room.timezone)
    scheduler.schedule(weekly_prefix(room.room_id) + week.label, post, WEEKLY,
                       {"room_id": room.room_id, "week": week.label})
    await services.store.state.set(planned_key(room.room_id), week.label)
    return post


def plan_countdown(services: Services, room: RoomSettings, entry: dict) -> None:
    if services.scheduler is None:
        return
    at = datetime.combine(date.fromisoformat(entry["date"]), time(0), ZoneInfo(room.timezone))
    if at > services.clock.now():
        services.scheduler.schedule(f"{COUNTDOWN}:{room.room_id}:{entry['number']}", at, COUNTDOWN,
                                    {"room_id": room.room_id, "number": entry["number"]})


def cancel_countdown(services: Services, room_id: str, number: int) -> None:
    if services.scheduler is not None:
        services.scheduler.cancel(f"{COUNTDOWN}:{room_id}:{number}")


async def plan_all(services: Services) -> None:
    now = services.clock.now()

    async def plan(room: RoomSettings) -> None:
        when = timing(room, services.defaults)
        if when.enabled and services.scheduler is not None:
            # Made good: the last posting time passed while the bot was down, for a week that was planned.
            post = last_post(when, room.timezone, now)
            week = covered(post, room.timezone)
            state = services.store.state
            if (await state.get(planned_key(room.room_id)) == week.label
                    and await state.get(sent_key(room.room_id)) != week.label):
                services.scheduler.schedule(weekly_prefix(room.room_id) + week.label, now, WEEKLY,
                                            {"room_id": room.room_id, "week": week.label, "late": True})
                return  # that job plans the next one
        await plan_room(services, room, replace=False)
        for entry in countdowns(room):
            if not entry.get("told"):
                plan_countdown(services, room, entry)

    await plan_each(await services.store.rooms.all(), plan, "weekly digests", lambda r: r.room_id)
    if services.scheduler is not None:
        hour = now.replace(minute=5, second=0, microsecond=0)
        services.scheduler.schedule(SWEEP, hour + timedelta(hours=1), SWEEP, {})


async def sweep(job: Job, services: Services) -> list[Effect]:
    await plan_all(services)
    return []


async def digest_effects(services: Services, room: RoomSettings, digest: content.Digest) -> list[Effect]:
    """The digest in the room, by direct message to its subscribers (members now), and to its mailing list."""
    room_id = room.room_id
    effects: list[Effect] = [Notice(room_id, digest.content, digest.mentions)]
    dm = TEXTS.t(digest.lang, "digest.dm", room=room_link(room_id, digest.room_name)) + digest.content
    for user_id in services.reachable(room_id, subscribers(room)):
        effects.append(DirectMessage(user_id, dm))
    address = mailing_list(room)
    if address:
        effects.append(Email(room_id, address, digest.subject, digest.content, digest.lang))
    return effects


async def weekly(job: Job, services: Services) -> list[Effect]:
    room_id = job.payload["room_id"]
    room = await services.store.rooms.get(room_id)
    if room is None:
        return []
    week = Week.of_label(job.payload["week"], room.timezone)
    state = services.store.state
    if await state.get(sent_key(room_id)) == week.label:
        log.info("digest %s already posted: not again", job.id)
        await plan_room(services, room)
        return []
    if not timing(room, services.defaults).enabled:
        return []
    hooks = services.registry.digest_sections if services.registry is not None else ()
    digest = await content.build(services, room, week, now=services.clock.now(), hooks=hooks,
                                 late=job.late or bool(job.payload.get("late")))
    await state.set(sent_key(room_id), week.label)  # before it goes out: never twice
    await plan_room(services, room)
    return await digest_effects(services, room, digest)


async def countdown_reached(job: Job, services: Services) -> list[Effect]:
    room_id, number = job.payload["room_id"], job.payload["number"]
    room = await services.store.rooms.get(room_id)
    entry = next((c for c in countdowns(room) if c["number"] == number), None)
    if room is None or entry is None or entry.get("told"):
        return []
    o = overrides(room)
    o[COUNTDOWNS] = [{**c, "told": True} if c["number"] == number else c for c in o.get(COUNTDOWNS, [])]
    await services.store.rooms.update(room_id, overrides=o)
    day = date.fromisoformat(entry["date"])
    return [Notice(room_id, TEXTS.t(room.language, "countdown.reached", label=entry["label"],
                                    date=format_day(day, room.language)))]


JOBS = {WEEKLY: weekly, COUNTDOWN: countdown_reached, SWEEP: sweep}
