"""What every meeting command shares: finding the open meeting, who may lead it, the people named,
and loading a meeting's minutes (with the actions as they are now, or as they were at its end)."""
from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from handlers import minutes as minutes_mod
from handlers.dates import format_when
from handlers.people import Person, mention, resolve_all
from handlers.router import Invocation, UserError
from handlers.text import Rendered
from storage.meetings import ActionSnapshot, MeetingRecord, Who

_LEADING_PERSON = re.compile(r'^\s*(@"[^"]*"|@\S+)(?=\s|$)')
_NOTE_PUNCTUATION = " \t\n:;,-–—"


async def open_meeting(inv: Invocation) -> MeetingRecord:
    """The room's open meeting; else a reply, in the room's language, saying how to start one.
    Whoever uses a meeting command takes part: they are noted as having spoken."""
    store = inv.services.store
    meeting = await store.meetings.current(inv.msg.room_id)
    if meeting is None:
        raise UserError("meeting.none_open")
    await store.meetings.note_speaker(inv.msg.room_id, inv.msg.sender, sender(inv).name, inv.msg.time)
    return meeting


def sender(inv: Invocation) -> Who:
    member = inv.msg.member(inv.msg.sender)
    return Who(inv.msg.sender, member.label if member else inv.msg.sender[1:].split(":", 1)[0])


def who(person: Person) -> Who:
    return Who(person.user_id, person.name)


async def set_role(inv: Invocation, m: MeetingRecord, role: str, new: Who) -> None:
    """Set the chair or the scribe: a ✅, or a reply when it replaces someone else (a correction)."""
    old = m.chair if role == "chair" else m.scribe
    await inv.services.store.meetings.set_role(m.id, role, new)
    if old is not None and old != new:  # a correction gets a reply
        inv.reply(f"meeting.role_changed.{role}", new=mention(person_of(new)), old=mention(person_of(old)))
    else:
        inv.react()


def person_of(w: Who) -> Person:
    return Person(w.user_id, w.name)


def may_lead(inv: Invocation, meeting: MeetingRecord) -> bool:
    """Coordinators, and the meeting's chair."""
    return inv.is_coordinator() or (meeting.chair is not None and meeting.chair.user_id == inv.msg.sender)


def require_lead(inv: Invocation, meeting: MeetingRecord) -> None:
    if not may_lead(inv, meeting):
        raise UserError("meeting.not_allowed", chair=meeting.chair.name if meeting.chair else "—")


def split_people(rest: str) -> tuple[list[str], str]:
    """'@annie @"Nico D" : malade' -> (['@annie', '@"Nico D"'], 'malade')."""
    tokens = []
    while match := _LEADING_PERSON.match(rest):
        tokens.append(match.group(1))
        rest = rest[match.end():]
    return tokens, rest.strip(_NOTE_PUNCTUATION)


def people(inv: Invocation, tokens: list[str]) -> list[Person]:
    """The people the tokens name, each once (raises UserError for an unknown or ambiguous name)."""
    return resolve_all(tokens, inv.msg.members)


def title_part(inv: Invocation, meeting: MeetingRecord) -> Rendered | str:
    return inv.t("meeting.title_part", title=meeting.title) if meeting.title else ""


def when_text(inv: Invocation, when: datetime, has_time: bool = True) -> str:
    return format_when(when.astimezone(ZoneInfo(inv.room.timezone)), inv.lang, has_time)


# --- minutes ------------------------------------------------------------------------------------------


def _snapshot(action, numbers: dict[int, int]) -> ActionSnapshot:
    return ActionSnapshot(
        number=action.number,
        text=action.text,
        status=action.status,
        owners=tuple(Who(o.user_id, o.name) for o in action.owners),
        due_at=action.due_at,
        due_has_time=bool(action.due_has_time),
        meeting_id=action.meeting_id,
        meeting_number=numbers.get(action.meeting_id) if action.meeting_id is not None else None,
        topic_id=action.topic_id,
        created_at=action.created_at,
    )


async def action_snapshots(store, room_id: str, meeting: MeetingRecord) -> list[ActionSnapshot]:
    """The actions the minutes of ``meeting`` show, as they are now: every action created in it, and
    the room's other open actions (carried from before)."""
    new = await store.actions.list(room_id, statuses=None, meeting_id=meeting.id)
    open_ = await store.actions.list(room_id, statuses=("open",))
    numbers = await store.meetings.numbers(room_id)
    seen = {a.number for a in new}
    return [_snapshot(a, numbers) for a in (*new, *(a for a in open_ if a.number not in seen))]


async def load_minutes(store, meeting: MeetingRecord, tz: str) -> minutes_mod.Minutes:
    details = await store.meetings.details(meeting.id)
    assert details is not None
    live = None if details.actions is not None else await action_snapshots(store, meeting.room_id, meeting)
    return minutes_mod.build(details, live, tz=tz)
