"""Attendance during a meeting: !présent / !present, !excusé / !excused, !retard / !late,
!absent (takes people off the list), !rédacteur / !scribe.

A new entry for someone replaces the earlier one (a correction, which gets a reply saying what
changed); a first entry is acknowledged with a ✅ reaction.
"""
from __future__ import annotations

from handlers.meeting_common import open_meeting, people, person_of, sender, set_role, split_people, who
from handlers.people import Person, mention, mention_list, person_key
from handlers.registry import registry
from handlers.router import Invocation, UsageError, UserError
from handlers.text import join

SECTION = "meetings"  # where !aide lists these commands


@registry.command("present", fr="présent", en="present", aliases=("présente", "présents", "présentes"))
async def present(inv: Invocation) -> None:
    tokens, rest = split_people(inv.rest)
    await _record(inv, tokens, "present", None, default_self=True, extra=rest)


@registry.command("excused", fr="excusé", en="excused", aliases=("excusée", "excusés", "excusées"))
async def excused(inv: Invocation) -> None:
    tokens, reason = split_people(inv.rest)
    await _record(inv, tokens, "excused", reason or None, default_self=False)


@registry.command("late", fr="retard", en="late", aliases=("en-retard",))
async def late(inv: Invocation) -> None:
    tokens, note = split_people(inv.rest)
    await _record(inv, tokens, "late", note or None, default_self=True)


async def _record(inv: Invocation, tokens: list[str], status: str, reason: str | None, *,
                  default_self: bool, extra: str = "") -> None:
    m = await open_meeting(inv)
    if extra:
        raise UsageError()
    if not tokens and not default_self:
        raise UsageError("meeting.needs_a_name")
    named = people(inv, tokens) if tokens else [person_of(sender(inv))]
    store = inv.services.store
    before = {a.key: a for a in await store.meetings.attendance(m.id)}
    entries = [(person_key(p), who(p)) for p in named]
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


@registry.command("absent", fr="absent", en="absent", aliases=("absente", "absents", "absentes"))
async def absent(inv: Invocation) -> None:
    m = await open_meeting(inv)
    tokens, rest = split_people(inv.rest)
    if not tokens or rest:
        raise UsageError("meeting.needs_a_name")
    named: list[Person] = people(inv, tokens)
    store = inv.services.store
    listed = {a.key: a.person for a in await store.meetings.attendance(m.id)}
    keys = [person_key(p) for p in named]
    if not any(k in listed for k in keys):
        raise UserError("meeting.absent_none", people=mention_list(named))
    await store.meetings.remove_attendance(m.id, keys)
    removed = [person_of(listed[k]) for k in keys if k in listed]
    inv.reply("meeting.absent_removed", people=mention_list(removed))


@registry.command("scribe", fr="rédacteur", en="scribe",
                  aliases=("rédactrice", "secrétaire", "secretary", "minute-taker", "minutes-taker"))
async def scribe(inv: Invocation) -> None:
    m = await open_meeting(inv)
    tokens, rest = split_people(inv.rest)
    if len(tokens) > 1 or rest:
        raise UsageError()
    person = people(inv, tokens)[0] if tokens else person_of(sender(inv))
    await set_role(inv, m, "scribe", who(person))
