"""Seeing actions through: a DM to the owners before the deadline, one mention in the room when it
passes, and one DM per room per day to coordinators listing the newly overdue actions.

Direct messages go only to people who are members of the room when they go out (Services.reachable):
an owner who left, or one recorded as a name only, gets none."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from handlers.actions.texts import TEXTS
from handlers.core.interface import DirectMessage, Effect, Notice
from handlers.core.jobs import Job
from handlers.core.people import mention_list
from handlers.core.reminders import Reminders
from handlers.core.services import Services
from handlers.core.text import bullet_list
from handlers.core.words import room_link, say_left, when_text
from storage.records import ActionRecord, RoomSettings

DUE_SOON, OVERDUE, DIGEST = "action.due_soon", "action.overdue", "action.overdue_digest"
REPLAN = "action.replan"
# Actions planned again between two reads: each read lets the event loop serve other rooms, so a room with
# thousands of deadlines (planning one costs ~0.6 ms) never holds every room's replies for seconds.
REPLAN_PAGE = 100


async def replan_room(services: Services, room: RoomSettings) -> None:
    """The room chose other offsets: its open actions whose deadline is to come are planned again with them,
    by a job run at once (once the setting is committed), a page at a time."""
    if services.scheduler is not None:
        services.scheduler.schedule(f"action-replan:{room.room_id}", services.clock.now(), REPLAN,
                                    {"room_id": room.room_id})


async def replan(job: Job, services: Services) -> list[Effect]:
    """The job of replan_room (planning an action as it stands writes nothing)."""
    room_id = job.payload["room_id"]
    room = await services.store.rooms.get(room_id)
    now, last = services.clock.now(), None
    while page := await services.store.actions.due_after(room_id, now, limit=REPLAN_PAGE, last=last):
        for action in page:
            plan_action(services, room, action)
        last = page[-1]
    return []


ACTION_REMINDERS = Reminders("action_due", ("rappels-action", "action-reminders", "reminders-action"),
                             default=lambda defaults: defaults.action_due_reminders, changed=replan_room)


def plan_action(services: Services, room: RoomSettings | None, action: ActionRecord, *, new: bool = False) -> None:
    """(Re)plan one action's reminders; call after every change. Idempotent. `new`: the action was just
    created, so it has no job to cancel (its number was never given before: storage/counters.py)."""
    scheduler = services.scheduler
    if scheduler is None:
        return
    prefix = f"action:{action.room_id}:{action.number}:"
    if not new:  # the cancellation of the later jobs is a statement, even when there is none
        scheduler.cancel_prefix(prefix)
    if action.status != "open" or action.due_at is None:
        return
    now = services.clock.now()
    payload = {"room_id": action.room_id, "number": action.number, "due_at": action.due_at.isoformat()}
    for offset in ACTION_REMINDERS.offsets(room, services.defaults):
        if action.due_at - offset > now:
            seconds = int(offset.total_seconds())
            scheduler.schedule(f"{prefix}soon:{seconds}", action.due_at - offset, DUE_SOON, payload)
    if action.due_at > now:
        scheduler.schedule(f"{prefix}overdue", action.due_at, OVERDUE, payload)


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


def _due(action: ActionRecord, tz: str, lang: str) -> str:
    return when_text(action.due_at, tz, lang, action.due_has_time)


def _owners(action: ActionRecord, lang: str):
    return mention_list(action.owners) if action.owners else TEXTS.t(lang, "followup.nobody")


async def due_soon(job: Job, services: Services) -> list[Effect]:
    found = await _still_due(job, services)
    if found is None:
        return []
    room, action = found
    now = services.clock.now()
    if action.due_at <= now:
        return []  # sent this late (Relais was stopped), the deadline has passed: the overdue notice says it
    lang, tz = services.language_and_zone(room)
    content = job.late_mark(lang) + TEXTS.t(
        lang, "followup.due_soon", number=action.number, text=action.text, when=_due(action, tz, lang),
        room=room_link(action.room_id, services.room_name(action.room_id)),
    )
    if job.late:  # less time is left than the offset it was planned with: say how much
        content += TEXTS.t(lang, "followup.time_left", delay=say_left(action.due_at - now, lang))
    await services.store.actions.change(action.room_id, action.number, actor=services.bot_user_id,
                                        at=now, kind=None, due_reminded_at=now)
    return [DirectMessage(user_id, content)
            for user_id in services.reachable(action.room_id, (o.user_id for o in action.owners))]


async def overdue(job: Job, services: Services) -> list[Effect]:
    found = await _still_due(job, services)
    if found is None or found[1].overdue_notified_at is not None:
        return []
    room, action = found
    lang, tz = services.language_and_zone(room)
    content = job.late_mark(lang) + TEXTS.t(lang, "followup.overdue", number=action.number, text=action.text,
                                            when=_due(action, tz, lang), owners=_owners(action, lang),
                                            p=services.defaults.prefix)
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
    services.scheduler.schedule(f"digest:{room_id}:{day.isoformat()}", at, DIGEST, {"room_id": room_id})


async def overdue_digest(job: Job, services: Services) -> list[Effect]:
    room_id = job.payload["room_id"]
    key = f"overdue_digest:{room_id}"
    since = await services.store.state.get(key)
    since_at = datetime.fromisoformat(since) if since else None
    now = services.clock.now()
    room = await services.store.rooms.get(room_id)
    lang, tz = services.language_and_zone(room)
    fresh = [a for a in await services.store.actions.list(room_id)
             if a.overdue_notified_at and (since_at is None or a.overdue_notified_at > since_at)]
    await services.store.state.set(key, now.isoformat())
    if not fresh:
        return []
    lines = [TEXTS.t(lang, "followup.digest_line", number=a.number, text=a.text, when=_due(a, tz, lang),
                     owners=_owners(a, lang)) for a in fresh]
    room_name = room_link(room_id, services.room_name(room_id))
    content = job.late_mark(lang) + TEXTS.t(lang, "followup.digest", room=room_name, items=bullet_list(lines))
    return [DirectMessage(user_id, content)
            for user_id in services.reachable(room_id, services.coordinators(room_id))]


JOBS = {DUE_SOON: due_soon, OVERDUE: overdue, DIGEST: overdue_digest, REPLAN: replan}
