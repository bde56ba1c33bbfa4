"""!réunion / !meeting (start, end, status), !président / !chair, !réunions / !meetings,
!compte-rendu / !minutes, and the observer that notes who speaks during a meeting.

Attendance commands are in handlers/meeting_attendance.py, content in handlers/meeting_content.py,
the minutes' layout in handlers/minutes.py.

Who may do what
- start a meeting: coordinators (one open meeting per room); the one who starts it chairs it;
- end it, hand the chair over: coordinators and the chair;
- attendance, content, undo, the draft minutes: any member, while a meeting is open;
- past minutes and the list of meetings: anyone.
"""
from __future__ import annotations

from handlers import minutes as minutes_mod
from handlers import schedule as scheduled
from handlers.args import NumberError, looks_like_number, parse_number, pick
from handlers.interface import Effect, Message, Notice
from handlers.meeting_common import (
    action_snapshots,
    load_minutes,
    open_meeting,
    people,
    person_of,
    require_lead,
    set_role,
    sender,
    split_people,
    title_part,
    when_text,
    who,
)
from handlers.people import mention
from handlers.registry import registry
from handlers.router import Invocation, UsageError, UserError
from handlers.schedule_common import schedule_ref, scheduled_near
from handlers.schedule_common import title_part as schedule_title
from handlers.services import Services
from handlers.text import bullet_list, join
from storage.meetings import MeetingAlreadyOpen

SECTION = "meetings"  # where !aide lists these commands

SUBCOMMANDS = {
    "start": ("début", "debut", "start", "commencer", "ouvrir", "open", "startmeeting"),
    "end": ("fin", "end", "terminer", "clore", "clôturer", "close", "stop", "endmeeting"),
    **scheduled.SUBCOMMANDS,  # prévoir, liste, annuler, déplacer: handlers/schedule.py
}
LIST_LIMIT = 20


@registry.command("meeting", fr="réunion", en="meeting")
async def meeting(inv: Invocation) -> None:
    sub = pick(inv.args[0], SUBCOMMANDS) if inv.args else None
    if not inv.args:
        await _status(inv)
    elif sub == "start":
        await _start(inv, inv.rest.split(None, 1)[1].strip() if len(inv.args) > 1 else "")
    elif sub == "end" and len(inv.args) == 1:
        await _end(inv)
    elif sub in scheduled.SUBCOMMANDS:
        await scheduled.run(inv, sub)
    else:
        raise UsageError()


async def _start(inv: Invocation, title: str) -> None:
    inv.require_coordinator()
    me = sender(inv)
    # A scheduled meeting due within two hours of now is the one starting: its title unless one is given.
    linked = await scheduled_near(inv.services.store, inv.msg.room_id, inv.services.clock.now())
    if linked and not title:
        title = linked[0].title or ""
    try:
        m = await inv.services.store.meetings.start(inv.msg.room_id, title=title or None, by=me, at=inv.msg.time,
                                                    schedule_number=linked[0].number if linked else None)
    except MeetingAlreadyOpen as exc:
        raise UserError("meeting.already_open", number=exc.meeting.number, title=title_part(inv, exc.meeting),
                        since=when_text(inv, exc.meeting.started_at)) from None
    reply = inv.t("meeting.started", number=m.number, title=title_part(inv, m), chair=mention(person_of(m.chair)))
    if linked:
        record, occurrence = linked
        reply = join([reply, inv.t("schedule.started_from", number=record.number,
                                   title=schedule_title(inv.lang, record),
                                   when=when_text(inv, occurrence.at))])
    inv.reply_rendered(reply)


async def _end(inv: Invocation) -> None:
    store = inv.services.store
    m = await open_meeting(inv)
    require_lead(inv, m)
    actions = await action_snapshots(store, inv.msg.room_id, m)
    ended = await store.meetings.end(m.id, by=inv.msg.sender, at=inv.msg.time, actions=actions)
    if ended is None:  # someone else ended it in the meantime: their minutes are posted
        raise UserError("meeting.none_open")
    minutes = await load_minutes(store, ended, inv.room.timezone)
    inv.effects.add(Notice(inv.msg.room_id, minutes_mod.rendered(minutes, inv.lang)))


async def _status(inv: Invocation) -> None:
    store = inv.services.store
    m = await store.meetings.current(inv.msg.room_id)
    if m is None:
        inv.reply("meeting.status_none")
        return
    details = await store.meetings.details(m.id)
    topic = next((i.text for i in details.items if i.id == m.current_topic_id), None)
    present = sum(1 for a in details.attendance if a.status in ("present", "late"))
    excused = sum(1 for a in details.attendance if a.status == "excused")
    inv.reply("meeting.status", number=m.number, title=title_part(inv, m), since=when_text(inv, m.started_at),
              chair=mention(person_of(m.chair)) if m.chair else inv.t("meeting.nobody"),
              scribe=mention(person_of(m.scribe)) if m.scribe else inv.t("meeting.nobody"),
              topic=topic if topic is not None else inv.t("meeting.no_topic"), present=present, excused=excused)


@registry.command("chair", fr="président", en="chair", aliases=("présidente", "présidence"))
async def chair(inv: Invocation) -> None:
    m = await open_meeting(inv)
    tokens, rest = split_people(inv.rest)
    if len(tokens) != 1 or rest:
        raise UsageError()
    require_lead(inv, m)
    await set_role(inv, m, "chair", who(people(inv, tokens)[0]))


@registry.command("meetings", fr="réunions", en="meetings")
async def meetings(inv: Invocation) -> None:
    if scheduled.is_upcoming(inv.args):  # !réunions à venir / !meetings upcoming
        await scheduled.list_upcoming(inv)
        return
    if inv.args:
        raise UsageError()
    summaries = await inv.services.store.meetings.list(inv.msg.room_id)
    if not summaries:
        inv.reply("meetings.none")
        return
    lines = [
        inv.t("meetings.line", number=s.meeting.number, title=title_part(inv, s.meeting),
              day=when_text(inv, s.meeting.started_at, has_time=False), present=s.present, excused=s.excused,
              open=inv.t("meetings.open") if s.meeting.is_open else "")
        for s in summaries[:LIST_LIMIT]
    ]
    if len(summaries) > LIST_LIMIT:
        lines.append(inv.t("meetings.more", count=len(summaries) - LIST_LIMIT))
    inv.reply("meetings.list", items=bullet_list(lines))


@registry.command("minutes", fr="compte-rendu", en="minutes", aliases=("cr", "compterendu", "pv"))
async def minutes(inv: Invocation) -> None:
    store = inv.services.store
    if len(inv.args) > 1:
        raise UsageError()
    if inv.args:
        m = await _held(inv, inv.args[0])
    else:
        m = await store.meetings.current(inv.msg.room_id) or await store.meetings.latest(inv.msg.room_id,
                                                                                        ended=True)
        if m is None:
            raise UserError("minutes.none")
    record = await load_minutes(store, m, inv.room.timezone)
    inv.effects.add(Notice(inv.msg.room_id, minutes_mod.rendered(record, inv.lang)))


async def _held(inv: Invocation, word: str):
    """The held meeting `3` (or `n°3`) names. `P3` is a scheduled meeting, which has no minutes: say so,
    and name the meeting held for it, if any, rather than show another meeting's minutes."""
    store = inv.services.store
    if word[:1] in ("P", "p") and (scheduled_number := schedule_ref(word)) is not None:
        held = [s.meeting.number for s in await store.meetings.list(inv.msg.room_id)
                if s.meeting.schedule_number == scheduled_number]
        last = inv.t("minutes.scheduled_held", number=max(held)) if held else ""
        raise UserError("minutes.scheduled_ref", ref=f"P{scheduled_number}", held=last)
    if not looks_like_number(word):
        raise UsageError()
    try:
        number = parse_number(word)
    except NumberError:
        example = f"{inv.prefix}{inv.command.name(inv.lang)} 3"
        raise UserError("number.bad_meeting", value=word, example=example) from None
    m = await store.meetings.get(inv.msg.room_id, number)
    if m is None:
        raise UserError("minutes.no_such_meeting", number=number)
    return m


@registry.observer
async def note_speaker(msg: Message, services: Services) -> list[Effect]:
    """Who speaks during a meeting is suggested as present in the minutes (one statement per message)."""
    member = msg.member(msg.sender)
    name = member.label if member else msg.sender[1:].split(":", 1)[0]
    await services.store.meetings.note_speaker(msg.room_id, msg.sender, name, msg.time)
    return []

