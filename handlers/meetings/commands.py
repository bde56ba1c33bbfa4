"""!réunion / !meeting (status, start, end), !président / !chair, !réunions / !meetings, !compte-rendu / !minutes,
and the observer that notes who speaks during a meeting.

Attendance commands are in attendance.py, content in content.py, the minutes' layout in minutes.py. Scheduled
meetings add their sub-commands to !réunion and !réunions (handlers/schedule).

Who may do what
- start a meeting: coordinators (one open meeting per room); the one who starts it chairs it;
- end it, hand the chair over: coordinators and the chair;
- attendance, content, undo, the draft minutes: any member, while a meeting is open;
- past minutes and the list of meetings: anyone.
"""
from __future__ import annotations

from handlers.core.arguments import Number, People, Rest
from handlers.core.args import NumberError, numbering, parse_number
from handlers.core.commands import command
from handlers.core.errors import UserError
from handlers.core.interface import Effect, Message, Notice
from handlers.core.people import mention, sender
from handlers.core.router import Invocation
from handlers.core.services import Services
from handlers.core.text import bullet_list, join
from handlers.core.words import title_part
from handlers.meetings import minutes as minutes_mod
from handlers.meetings.common import action_snapshots, load_minutes, open_meeting, require_lead, set_role
from handlers.schedule import starting_now
from storage.meetings import MeetingAlreadyOpen
from storage.records import MeetingRecord, Person

LIST_LIMIT = 20


@command("meeting", fr="réunion", en="meeting", line="status")
async def meeting(inv: Invocation) -> None:
    store = inv.services.store
    m = await store.meetings.current(inv.msg.room_id)
    if m is None:
        inv.reply("meeting.status_none")
        return
    details = await store.meetings.details(m.id)
    topic = next((i.text for i in details.items if i.id == m.current_topic_id), None)
    present = sum(1 for a in details.attendance if a.status in ("present", "late"))
    excused = sum(1 for a in details.attendance if a.status == "excused")
    inv.reply("meeting.status", number=m.number, title=title_part(inv.t, m.title), since=inv.when(m.started_at),
              chair=mention(m.chair) if m.chair else inv.t("meeting.nobody"),
              scribe=mention(m.scribe) if m.scribe else inv.t("meeting.nobody"),
              topic=topic if topic is not None else inv.t("meeting.no_topic"), present=present, excused=excused)


@meeting.sub("début", "start", "debut", "commencer", "ouvrir", "open", "startmeeting", coordinators=True,
             args=[Rest("title", label="meeting.arg.title", optional=True)])
async def start(inv: Invocation, title: str) -> None:
    # A scheduled meeting due within two hours of now is the one starting: its title unless one is given.
    linked = await starting_now(inv)
    if linked and not title:
        title = linked.title or ""
    try:
        m = await inv.services.store.meetings.start(inv.msg.room_id, title=title or None, by=sender(inv.msg),
                                                    at=inv.msg.time,
                                                    schedule_number=linked.number if linked else None)
    except MeetingAlreadyOpen as exc:
        raise UserError("meeting.already_open", number=exc.meeting.number, title=title_part(inv.t, exc.meeting.title),
                        since=inv.when(exc.meeting.started_at)) from None
    reply = inv.t("meeting.started", number=m.number, title=title_part(inv.t, m.title), chair=mention(m.chair))
    inv.reply_rendered(join([reply, linked.note]) if linked else reply)


@meeting.sub("fin", "end", "terminer", "clore", "clôturer", "close", "stop", "endmeeting")
async def end(inv: Invocation) -> None:
    store = inv.services.store
    m = await open_meeting(inv)
    require_lead(inv, m)
    actions, more = await action_snapshots(store, inv.msg.room_id, m)
    ended = await store.meetings.end(m.id, by=inv.msg.sender, at=inv.msg.time, actions=actions, carried_more=more)
    if ended is None:  # someone else ended it in the meantime: their minutes are posted
        raise UserError("meeting.none_open")
    minutes = await load_minutes(store, ended, inv.room.timezone)
    inv.effects.add(Notice(inv.msg.room_id, minutes_mod.rendered(minutes, inv.lang)))


@command("chair", fr="président", en="chair", aliases=("présidente", "présidence"), needs=open_meeting,
         args=[People("person", label="arg.person", least=1, most=1)])
async def chair(inv: Invocation, m: MeetingRecord, named: list[Person]) -> None:
    require_lead(inv, m)
    await set_role(inv, m, "chair", named[0])


@command("meetings", fr="réunions", en="meetings")
async def meetings(inv: Invocation) -> None:
    store = inv.services.store
    summaries = await store.meetings.list(inv.msg.room_id, limit=LIST_LIMIT)  # what the view shows, no more
    if not summaries:
        # Someone looking for meetings may mean the planned ones: name the command that lists them, when a
        # capability (handlers/schedule) gives `!réunion` one.
        meeting_cmd = inv.registry.find("meeting")
        planned = meeting_cmd is not None and any(f.key == "list" for f in meeting_cmd.subs)
        inv.reply("meetings.none_planned" if planned else "meetings.none")
        return
    lines = [
        inv.t("meetings.line", number=s.meeting.number, title=title_part(inv.t, s.meeting.title),
              day=inv.when(s.meeting.started_at, has_time=False),
              present=inv.t("meetings.present", count=s.present), excused=inv.t("meetings.excused", count=s.excused),
              open=inv.t("meetings.open") if s.meeting.is_open else "")
        for s in summaries
    ]
    if len(summaries) == LIST_LIMIT and (total := await store.meetings.count(inv.msg.room_id)) > LIST_LIMIT:
        lines.append(inv.t("meetings.more", count=total - LIST_LIMIT))
    inv.reply("meetings.list", items=bullet_list(lines))


# What `!réunions` shows anyway, said explicitly (as `!réunions à venir` is).
meetings.sub("passées", "past", "passees", "tenues", "held", "previous")(meetings.root.handler)


async def _not_a_scheduled_one(inv: Invocation, word: str) -> None:
    """`P3` is a scheduled meeting, which has no minutes: say so, and name the meeting held for it, if any,
    rather than show another meeting's minutes."""
    if numbering(word) != "P":
        return
    try:
        number = parse_number(word, scheduled=True)
    except NumberError:
        return  # refused as a held meeting's number
    held = await inv.services.store.meetings.held_for(inv.msg.room_id, number)
    last = inv.t("minutes.scheduled_held", number=max(held)) if held else ""
    raise UserError("minutes.scheduled_ref", ref=f"P{number}", held=last)


async def _held(inv: Invocation, number: int) -> MeetingRecord:
    m = await inv.services.store.meetings.get(inv.msg.room_id, number)
    if m is None:
        raise UserError("minutes.no_such_meeting", number=number)
    return m


@command("minutes", fr="compte-rendu", en="minutes", aliases=("cr", "compterendu", "pv"), args=[
    Number("meeting", optional=True, invalid="number.bad_meeting", sample="3", screen=_not_a_scheduled_one,
           lookup=_held),
])
async def minutes(inv: Invocation, m: MeetingRecord | None) -> None:
    store = inv.services.store
    if m is None:
        m = await store.meetings.current(inv.msg.room_id) or await store.meetings.latest(inv.msg.room_id,
                                                                                        ended=True)
        if m is None:
            raise UserError("minutes.none")
    record = await load_minutes(store, m, inv.room.timezone)
    inv.effects.add(Notice(inv.msg.room_id, minutes_mod.rendered(record, inv.lang)))


async def note_speaker(msg: Message, services: Services) -> list[Effect]:
    """Who speaks during a meeting is suggested as present in the minutes (one statement per message)."""
    await services.store.meetings.note_speaker(msg.room_id, msg.sender, msg.label_of(msg.sender), msg.time)
    return []
