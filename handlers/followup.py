"""Seeing actions through: a DM to the owners before the deadline, one mention in the room when it
passes, and one DM per room per day to coordinators listing the newly overdue actions.

Direct messages go only to people who are members of the room when they go out (Services.reachable):
an owner who left, or one recorded as a name only, gets none."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from handlers import i18n
from handlers.dates import format_when
from handlers.interface import DirectMessage, Effect, Notice
from handlers.jobs import Job, jobs
from handlers.people import Person, mention_list
from handlers.reminder_settings import room_offsets
from handlers.schedule_common import say_left
from handlers.services import Services
from handlers.text import Rendered, bullet_list, raw
from storage.actions import ActionRecord



def plan_action(services: Services, room, action: ActionRecord) -> None:
    """(Re)plan one action's reminders; call after every change. Idempotent."""
    scheduler = services.scheduler
    if scheduler is None:
        return
    prefix = f"action:{action.room_id}:{action.number}:"
    scheduler.cancel_prefix(prefix)
    if action.status != "open" or action.due_at is None:
        return
    now = services.clock.now()
    payload = {"room_id": action.room_id, "number": action.number, "due_at": action.due_at.isoformat()}
    for offset in room_offsets(room, services.defaults, "action_due"):
        if action.due_at - offset > now:
            seconds = int(offset.total_seconds())
            scheduler.schedule(f"{prefix}soon:{seconds}", action.due_at - offset, "action.due_soon", payload)
    if action.due_at > now:
        scheduler.schedule(f"{prefix}overdue", action.due_at, "action.overdue", payload)


async def _still_due(job: Job, services: Services) -> tuple[object, ActionRecord] | None:
    """The room and the action, if it is still open with the deadline this job was planned for."""
    payload = job.payload
    action = await services.store.actions.get(payload["room_id"], payload["number"])
    if action is None or action.status != "open" or action.due_at is None:
        return None
    if action.due_at != datetime.fromisoformat(payload["due_at"]):
        return None  # the deadline moved: a newer job covers it
    room = await services.store.rooms.get(payload["room_id"])
    return room, action


def _lang_tz(room, services: Services) -> tuple[str, str]:
    d = services.defaults
    return (room.language, room.timezone) if room else (d.language, d.timezone)


def _due(action: ActionRecord, tz: str, lang: str) -> str:
    return format_when(action.due_at.astimezone(ZoneInfo(tz)), lang, action.due_has_time)


def _late(job: Job, lang: str) -> Rendered:
    return i18n.t(lang, "followup.late") if job.late else Rendered("", "")


@jobs.kind("action.due_soon")
async def due_soon(job: Job, services: Services) -> list[Effect]:
    found = await _still_due(job, services)
    if found is None:
        return []
    room, action = found
    now = services.clock.now()
    if action.due_at <= now:
        return []  # sent this late (Relais was stopped), the deadline has passed: the overdue notice says it
    lang, tz = _lang_tz(room, services)
    content = _late(job, lang) + i18n.t(
        lang, "followup.due_soon", number=action.number, text=action.text, when=_due(action, tz, lang),
        room=room_link(action.room_id, services),
    )
    if job.late:  # less time is left than the offset it was planned with: say how much
        content += i18n.t(lang, "followup.time_left", delay=say_left(action.due_at - now, lang))
    await services.store.actions.change(action.room_id, action.number, actor=services.bot_user_id,
                                        at=now, kind=None, due_reminded_at=now)
    return [DirectMessage(user_id, content)
            for user_id in services.reachable(action.room_id, (o.user_id for o in action.owners))]


@jobs.kind("action.overdue")
async def overdue(job: Job, services: Services) -> list[Effect]:
    found = await _still_due(job, services)
    if found is None or found[1].overdue_notified_at is not None:
        return []
    room, action = found
    lang, tz = _lang_tz(room, services)
    owners = [Person(o.user_id, o.name) for o in action.owners]
    who = mention_list(owners) if owners else i18n.t(lang, "followup.nobody")
    content = _late(job, lang) + i18n.t(lang, "followup.overdue", number=action.number, text=action.text,
                                        when=_due(action, tz, lang), owners=who, p=services.defaults.prefix)
    now = services.clock.now()
    await services.store.actions.change(action.room_id, action.number, actor=services.bot_user_id, at=now,
                                        kind=None, overdue_notified_at=now)
    _plan_digest(services, action.room_id, tz, now)
    return [Notice(action.room_id, content, tuple(o.user_id for o in action.owners if o.user_id))]


def _plan_digest(services: Services, room_id: str, tz: str, now: datetime) -> None:
    digest_time = services.defaults.overdue_digest_time  # room-local
    local = now.astimezone(ZoneInfo(tz))
    day = local.date() if local.time() < digest_time else local.date() + timedelta(days=1)
    at = datetime.combine(day, digest_time, ZoneInfo(tz))
    # One id per room and day: planning it again for another overdue action replaces it with itself.
    services.scheduler.schedule(f"digest:{room_id}:{day.isoformat()}", at, "action.overdue_digest",
                                {"room_id": room_id})


@jobs.kind("action.overdue_digest")
async def overdue_digest(job: Job, services: Services) -> list[Effect]:
    room_id = job.payload["room_id"]
    key = f"overdue_digest:{room_id}"
    since = await services.store.state.get(key)
    since_at = datetime.fromisoformat(since) if since else None
    now = services.clock.now()
    room = await services.store.rooms.get(room_id)
    lang, tz = _lang_tz(room, services)
    fresh = [a for a in await services.store.actions.list(room_id)
             if a.overdue_notified_at and (since_at is None or a.overdue_notified_at > since_at)]
    await services.store.state.set(key, now.isoformat())
    if not fresh:
        return []
    lines = [i18n.t(lang, "followup.digest_line", number=a.number, text=a.text, when=_due(a, tz, lang),
                    owners=mention_list([Person(o.user_id, o.name) for o in a.owners]) if a.owners
                    else i18n.t(lang, "followup.nobody")) for a in fresh]
    content = _late(job, lang) + i18n.t(lang, "followup.digest", room=room_link(room_id, services),
                                        items=bullet_list(lines))
    threshold = services.defaults.coordinator_power_level
    coordinators = [m.user_id for m in services.members(room_id) if m.power_level >= threshold]
    return [DirectMessage(user_id, content) for user_id in services.reachable(room_id, coordinators)]


def room_link(room_id: str, services: Services) -> Rendered:
    name = services.room_name(room_id)
    link = raw(name)
    return Rendered(link.plain, f'<a href="https://matrix.to/#/{room_id}">{link.html}</a>')
