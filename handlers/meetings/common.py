"""What every meeting command shares: finding the open meeting, who may lead it, and loading a meeting's minutes
(with the actions as they are now, or as they were at its end)."""
from __future__ import annotations

from handlers.core.errors import UserError
from handlers.core.people import mention, sender
from handlers.core.router import Invocation
from handlers.meetings import minutes as minutes_mod
from storage.records import ActionRecord, ActionSnapshot, MeetingRecord, Person


async def open_meeting(inv: Invocation) -> MeetingRecord:
    """The room's open meeting; else a reply, in the room's language, saying how to start one.
    Whoever uses a meeting command takes part: they are noted as having spoken. (What commands used during a
    meeting `need`, before their arguments are read.)"""
    store = inv.services.store
    meeting = await store.meetings.current(inv.msg.room_id)
    if meeting is None:
        raise UserError("meeting.none_open")
    await store.meetings.note_speaker(inv.msg.room_id, inv.msg.sender, sender(inv.msg).name, inv.msg.time)
    return meeting


async def set_role(inv: Invocation, m: MeetingRecord, role: str, new: Person) -> None:
    """Set the chair or the scribe: a ✅, or a reply when it replaces someone else (a correction)."""
    old = m.chair if role == "chair" else m.scribe
    await inv.services.store.meetings.set_role(m.id, role, new)
    if old is not None and old != new:  # a correction gets a reply
        inv.reply(f"meeting.role_changed.{role}", new=mention(new), old=mention(old))
    else:
        inv.react()


def may_lead(inv: Invocation, meeting: MeetingRecord) -> bool:
    """Coordinators, and the meeting's chair."""
    return inv.is_coordinator() or (meeting.chair is not None and meeting.chair.user_id == inv.msg.sender)


def require_lead(inv: Invocation, meeting: MeetingRecord) -> None:
    if not may_lead(inv, meeting):
        raise UserError("meeting.not_allowed", chair=meeting.chair.name if meeting.chair else "—")


# --- minutes ------------------------------------------------------------------------------------------


def _snapshot(action: ActionRecord, numbers: dict[int, int]) -> ActionSnapshot:
    return ActionSnapshot(
        number=action.number,
        text=action.text,
        status=action.status,
        owners=action.owners,
        due_at=action.due_at,
        due_has_time=bool(action.due_has_time),
        meeting_id=action.meeting_id,
        meeting_number=numbers.get(action.meeting_id) if action.meeting_id is not None else None,
        topic_id=action.topic_id,
        created_at=action.created_at,
    )


# Open actions from before shown in minutes (and kept at a meeting's end): the first ones by number, then how many
# more (`!action liste` has them all). A long-lived room's minutes stay one event, its database free of copies.
CARRIED_SHOWN = 20


async def action_snapshots(store, room_id: str, meeting: MeetingRecord) -> tuple[list[ActionSnapshot], int]:
    """The actions the minutes of ``meeting`` show, as they are now: every action created in it, and the room's
    first CARRIED_SHOWN other open actions (carried from before); and how many more open ones there are."""
    new = await store.actions.list(room_id, statuses=None, meeting_id=meeting.id)
    new_open = sum(1 for a in new if a.status == "open")
    open_, total_open = await store.actions.page(room_id, limit=CARRIED_SHOWN + new_open)
    seen = {a.number for a in new}
    carried = [a for a in open_ if a.number not in seen][:CARRIED_SHOWN]
    numbers = await store.meetings.numbers(room_id, {a.meeting_id for a in (*new, *carried) if a.meeting_id})
    more = max(total_open - new_open - len(carried), 0)
    return [_snapshot(a, numbers) for a in (*new, *carried)], more


async def load_minutes(store, meeting: MeetingRecord, tz: str) -> minutes_mod.Minutes:
    details = await store.meetings.details(meeting.id)
    if details is None:  # the record was read a moment ago: only a deletion in between gets here
        raise LookupError(f"meeting {meeting.id} is gone")
    if details.actions is not None:
        return minutes_mod.build(details, tz=tz)
    live, more = await action_snapshots(store, meeting.room_id, meeting)
    return minutes_mod.build(details, live, tz=tz, carried_more=more)
