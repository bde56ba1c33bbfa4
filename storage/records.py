"""What the repositories return and the handlers read: plain frozen records, one place for all of them.

No SQLAlchemy here and no behaviour beyond a few derived properties, so that handlers (handlers/) depend on these
types only, never on how rows are stored. One type names a person everywhere: `Person`, who an action, a meeting
or an attendance entry refers to — a Matrix user, or someone outside Matrix named as typed. (Someone present in a
room with a power level is a `Member`, handlers/core/interface.py: the chat layer knows those.)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Person:
    user_id: str | None  # a Matrix user id, or None for someone outside Matrix
    name: str  # how to name them: the member's label when named, or the outsider's name as typed

    @property
    def is_member(self) -> bool:
        """A Matrix user (whether in the room or not), rather than someone outside Matrix."""
        return self.user_id is not None


# --- rooms --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoomSettings:
    room_id: str
    language: str
    timezone: str
    joined_at: datetime | None
    # The parsed `settings` JSON. Left out of the hash so that RoomSettings stays hashable; a copy:
    # mutating it changes nothing stored (use RoomRepo.update(overrides=...)).
    overrides: dict[str, Any] = field(default_factory=dict, hash=False)


# --- actions and themes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionRecord:
    id: int
    room_id: str
    number: int
    text: str
    status: str  # "open" | "done" | "cancelled"
    owners: tuple[Person, ...]  # in the order given
    themes: tuple[str, ...]  # theme keys, sorted
    due_at: datetime | None
    due_has_time: bool  # False: the deadline named only a day
    created_by: str
    created_at: datetime
    closed_by: str | None
    closed_at: datetime | None
    meeting_id: int | None
    topic_id: int | None
    due_reminded_at: datetime | None
    overdue_notified_at: datetime | None
    mobilisation_id: int | None = None  # the mobilisation it prepares

    def is_overdue(self, now: datetime) -> bool:
        return self.status == "open" and self.due_at is not None and self.due_at < now


@dataclass(frozen=True)
class WeekActions:
    """A room's actions as a weekly digest shows them (ActionRepo.week_view): each list cut at its limit."""

    done: tuple[ActionRecord, ...]  # done during the week, by number
    new: tuple[ActionRecord, ...]  # created during the week (and not done in it), by number
    overdue: tuple[ActionRecord, ...]  # open, deadline passed, by deadline
    soon: tuple[ActionRecord, ...]  # open, deadline to come within the digest's horizon, by deadline
    per_owner: tuple[tuple[str, str, int], ...]  # open actions per owner: (user id or name, name, count)
    unassigned: int  # open actions without an owner
    per_theme: dict[str, int]  # open actions per theme key


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    actor: str
    kind: str
    # The JSON detail of what changed. Left out of the hash so that entries stay hashable.
    detail: dict[str, Any] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Theme:
    room_id: str
    key: str
    name: str
    referent_user_id: str | None
    referent_name: str | None


# --- meetings -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingRecord:
    id: int
    room_id: str
    number: int
    title: str | None
    started_at: datetime
    started_by: Person
    ended_at: datetime | None
    ended_by: str | None
    chair: Person | None
    scribe: Person | None
    current_topic_id: int | None
    schedule_number: int | None = None  # the scheduled meeting (ScheduleRecord) it was started for

    @property
    def is_open(self) -> bool:
        return self.ended_at is None


@dataclass(frozen=True)
class AttendanceRecord:
    key: str
    person: Person
    status: str  # "present" | "excused" | "late"
    reason: str | None
    set_by: str
    set_at: datetime


@dataclass(frozen=True)
class ItemRecord:
    id: int
    meeting_id: int
    topic_id: int | None  # for a topic: None
    kind: str  # "topic" | "info" | "decision" | "idea" | "link"
    text: str
    url: str | None
    author: Person
    created_at: datetime


@dataclass(frozen=True)
class SpeakerRecord:
    user_id: str
    name: str
    first_at: datetime


@dataclass(frozen=True)
class ActionSnapshot:
    """An action as the minutes show it (copied from the actions table when the meeting ends)."""

    number: int
    text: str
    status: str
    owners: tuple[Person, ...]
    due_at: datetime | None
    due_has_time: bool
    meeting_id: int | None
    meeting_number: int | None  # the meeting it was created in, if any
    topic_id: int | None
    created_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "text": self.text,
            "status": self.status,
            "owners": [{"user_id": o.user_id, "name": o.name} for o in self.owners],
            "due_at": self.due_at.isoformat() if self.due_at else None,
            "due_has_time": self.due_has_time,
            "meeting_id": self.meeting_id,
            "meeting_number": self.meeting_number,
            "topic_id": self.topic_id,
            "created_at": self.created_at.isoformat(),
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> ActionSnapshot:
        return cls(
            number=int(d["number"]),
            text=d["text"],
            status=d["status"],
            owners=tuple(Person(o.get("user_id"), o["name"]) for o in d.get("owners", [])),
            due_at=datetime.fromisoformat(d["due_at"]) if d.get("due_at") else None,
            due_has_time=bool(d.get("due_has_time")),
            meeting_id=d.get("meeting_id"),
            meeting_number=d.get("meeting_number"),
            topic_id=d.get("topic_id"),
            created_at=datetime.fromisoformat(d["created_at"]),
        )


@dataclass(frozen=True)
class MeetingDetails:
    """Everything the minutes are rendered from."""

    meeting: MeetingRecord
    attendance: tuple[AttendanceRecord, ...]  # in the order first recorded
    items: tuple[ItemRecord, ...]  # topics and items, in the order recorded
    speakers: tuple[SpeakerRecord, ...]  # in the order they first spoke
    actions: tuple[ActionSnapshot, ...] | None  # the snapshot taken at the end; None while open
    carried_more: int = 0  # open actions from before that the snapshot leaves out (it keeps the first ones)


@dataclass(frozen=True)
class MeetingSummary:
    meeting: MeetingRecord
    present: int  # present or late
    excused: int


# --- scheduled meetings ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class OccurrenceChange:
    original_at: datetime  # the occurrence's start as the rule gives it (UTC)
    moved_to: datetime | None  # None: cancelled
    set_by: str
    set_at: datetime

    @property
    def cancelled(self) -> bool:
        return self.moved_to is None


@dataclass(frozen=True)
class ScheduleRecord:
    id: int
    room_id: str
    number: int
    title: str | None
    place: str | None
    link: str | None
    starts_at: datetime  # first occurrence, aware UTC
    timezone: str
    rule: str | None  # None: a one-off
    created_by: str
    created_at: datetime
    cancelled_at: datetime | None
    cancelled_by: str | None
    revision: int
    changes: tuple[OccurrenceChange, ...] = ()  # by original start
    mobilisation_id: int | None = None  # the mobilisation it prepares

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def is_recurring(self) -> bool:
        return self.rule is not None


# --- mobilisations ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MobilisationRecord:
    id: int
    room_id: str
    number: int
    title: str | None
    place: str | None
    link: str | None
    organiser: str | None
    starts_at: datetime  # aware UTC
    timezone: str
    created_by: str
    created_at: datetime
    cancelled_at: datetime | None
    cancelled_by: str | None
    cancel_reason: str | None
    revision: int
    relays: tuple["Relay", ...] = ()  # the other rooms it is relayed to, in order
    tract: str | None = None  # a link to its tract
    shown_number: int | None = None  # its number in the room it was looked up from (a relaying room's own)
    tract_file: "TractFile | None" = None  # the tract as a file posted in the room


    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def ref(self) -> int:
        """Its number as the room it was looked up from writes it."""
        return self.shown_number or self.number

    def number_in(self, room_id: str) -> int | None:
        if room_id == self.room_id:
            return self.number
        return next((r.number for r in self.relays if r.room_id == room_id), None)

    @property
    def rooms(self) -> tuple[str, ...]:
        """The announcing room, then the relaying ones."""
        return (self.room_id, *(r.room_id for r in self.relays))


@dataclass(frozen=True)
class TractFile:
    """A file already on the homeserver (posted in a room): re-posted by its mxc:// URI, never uploaded again."""
    url: str
    filename: str
    mimetype: str | None = None
    size: int | None = None


@dataclass(frozen=True)
class Relay:
    room_id: str
    number: int  # its number in that room (the room's own counter: never taken by a mobilisation of the room)
    relayed_by: str


@dataclass(frozen=True)
class Participant:
    user_id: str
    room_id: str  # where they joined (the announcing room, or a relaying one)
    guests: int
    since: datetime
    by_command: bool


# --- web pages ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageLink:
    """A room's web pages (storage/pages.py): the capability token of their address, and whether they are served."""

    room_id: str
    token: str
    enabled: bool
    changed_by: str
    changed_at: datetime
