"""Attendance during a meeting: !présent / !present, !excusé / !excused, !retard / !late,
!absent (takes people off the list), !rédacteur / !scribe.

A new entry for someone replaces the earlier one (a correction, which gets a reply saying what
changed); a first entry is acknowledged with a ✅ reaction.
"""
from __future__ import annotations

from handlers.core.arguments import People, Rest
from handlers.core.commands import command
from handlers.core.errors import UserError
from handlers.core.people import mention, mention_list, person_key
from handlers.core.router import Invocation
from handlers.core.text import join
from handlers.meetings.common import open_meeting, set_role
from storage.records import MeetingRecord, Person

# Naming nobody means yourself, for present, late and scribe; excused and absent need a name.
SELF_OR_PEOPLE = People("people", optional=True, or_sender=True)
SOMEONE = People("people", least=1, missing="meeting.needs_a_name")


@command("present", fr="présent", en="present", aliases=("présente", "présents", "présentes"), needs=open_meeting,
         args=[SELF_OR_PEOPLE])
async def present(inv: Invocation, m: MeetingRecord, named: list[Person]) -> None:
    await _record(inv, m, named, "present", None)


@command("excused", fr="excusé", en="excused", aliases=("excusée", "excusés", "excusées"), needs=open_meeting,
         args=[SOMEONE, Rest("reason", label="meeting.arg.reason", optional=True)])
async def excused(inv: Invocation, m: MeetingRecord, named: list[Person], reason: str) -> None:
    await _record(inv, m, named, "excused", reason or None)


@command("late", fr="retard", en="late", aliases=("en-retard",), needs=open_meeting,
         args=[SELF_OR_PEOPLE, Rest("note", label="meeting.arg.note", optional=True)])
async def late(inv: Invocation, m: MeetingRecord, named: list[Person], note: str) -> None:
    await _record(inv, m, named, "late", note or None)


async def _record(inv: Invocation, m: MeetingRecord, named: list[Person], status: str, reason: str | None) -> None:
    store = inv.services.store
    before = {a.key: a for a in await store.meetings.attendance(m.id)}
    entries = [(person_key(p), p) for p in named]
    await store.meetings.set_attendance(m.id, entries, status=status, reason=reason, by=inv.msg.sender,
                                        at=inv.msg.time)
    changes = [
        inv.t("meeting.attendance_change", person=mention(p), old=inv.t(f"meeting.status.{before[k].status}"),
              new=inv.t(f"meeting.status.{status}"))
        for p, (k, _) in zip(named, entries)
        if k in before and before[k].status != status
    ]
    if changes:
        inv.reply("meeting.attendance_corrected", changes=join(changes, ", ", ", "))
    else:
        inv.react()


@command("absent", fr="absent", en="absent", aliases=("absente", "absents", "absentes"), needs=open_meeting,
         args=[SOMEONE])
async def absent(inv: Invocation, m: MeetingRecord, named: list[Person]) -> None:
    store = inv.services.store
    listed = {a.key: a.person for a in await store.meetings.attendance(m.id)}
    keys = [person_key(p) for p in named]
    if not any(k in listed for k in keys):
        raise UserError("meeting.absent_none", people=mention_list(named))
    await store.meetings.remove_attendance(m.id, keys)
    inv.reply("meeting.absent_removed", people=mention_list([listed[k] for k in keys if k in listed]))


@command("scribe", fr="rédacteur", en="scribe", needs=open_meeting,
         aliases=("rédactrice", "secrétaire", "secretary", "minute-taker", "minutes-taker"),
         args=[People("person", label="arg.person", optional=True, most=1, or_sender=True)])
async def scribe(inv: Invocation, m: MeetingRecord, named: list[Person]) -> None:
    await set_role(inv, m, "scribe", named[0])
