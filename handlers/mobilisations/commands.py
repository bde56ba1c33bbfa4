"""!mobilisation / !mobilization (alias !marche / !march): announce, show, edit, cancel, move; !mobilisations: the
list; !participe / !join and !désiste / !leave. Mobilisations are numbered per room, shown M1, M2… (a bare 1 works
too). Announce, edit, cancel, move: coordinators; show, list, join, leave: everyone."""
from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from handlers.core.arguments import Rest, Word
from handlers.core.commands import command
from handlers.core.errors import UserError
from handlers.core.interface import DirectMessage, Notice, Reply
from handlers.core.router import Invocation
from handlers.core.text import Rendered, bullet_list, join
from handlers.core.words import room_link, when_text
from handlers.dates.date_input import date_error, read_date
from handlers.dates.dates import DateError, ParsedDate
from handlers.dates.words import fold
from handlers.mobilisations.common import (MOBILISATION, announce_key, announcement, count_text, details, edits,
                                           head_count, lookup, ref_number, recount_soon)
from handlers.mobilisations.jobs import plan_mobilisation, countdown_text
from handlers.mobilisations.links import preparation
from handlers.core.phrases import take_link
from handlers.mobilisations.parse import parse_mobilisation
from storage.records import MobilisationRecord

LIST_LIMIT = 20
MAX_GUESTS = 50
_GUESTS = re.compile(r"^\+\s*([0-9]{1,3})$")


def _whole_ref(text: str) -> int | None:
    """`M3` or `3` alone: show that mobilisation."""
    words = text.split()
    return ref_number(words[0]) if len(words) == 1 else None


@command("mobilisation", fr="mobilisation", en="mobilization", aliases=("marche", "march"),
         args=[Rest("text", label="mobilisation.arg.text", optional=True, brackets=False)], line="announce")
async def mobilisation(inv: Invocation, text: str) -> None:
    if not text:
        inv.reply("mobilisation.help")
        return
    number = _whole_ref(text)
    if number is not None:
        await show(inv, await lookup(inv, number))
        return
    words = text.split(maxsplit=2)
    if len(words) >= 2 and ref_number(words[0]) is not None and fold(words[1]) in TRACT_WORDS:
        inv.require_coordinator()  # `!mobilisation M1 tract <lien>`, as `!mobilisation tract M1 <lien>`
        await tract(inv, await lookup(inv, ref_number(words[0])), words[2] if len(words) > 2 else "")
        return
    if len(words) >= 2 and ref_number(words[0]) is not None and fold(words[1]) in RELAY_WORDS:
        # `!mobilisation M1 relayer #salon:serveur`, as `!mobilisation relayer M1 …`
        inv.require_coordinator()
        await relay(inv, await lookup(inv, ref_number(words[0])), words[2] if len(words) > 2 else "")
        return
    inv.require_coordinator()
    now = inv.services.clock.now()
    try:
        draft = parse_mobilisation(text, now=now, tz=inv.room.timezone, lang=inv.lang)
    except DateError as exc:
        raise date_error(exc, inv.lang) from None
    record = await inv.services.store.mobilisations.create(
        inv.msg.room_id, title=draft.title, place=draft.place, link=draft.link, organiser=draft.organiser,
        starts_at=draft.when, timezone=inv.room.timezone, created_by=inv.msg.sender, at=now)
    planned = plan_mobilisation(inv.services, inv.room, record)
    count = await head_count(inv.services, record)
    inv.effects.add(Reply(announcement(inv.services, record, count, inv.lang, inv.room.timezone),
                          remember=announce_key(record, inv.msg.room_id)))
    if planned:
        inv.reply("mobilisation.countdown_planned", offsets=countdown_text(inv.lang, planned))


async def show(inv: Invocation, record: MobilisationRecord) -> None:
    count = await head_count(inv.services, record)
    lines = [inv.t("mobilisation.show", number=record.ref, title=record.title or ""),
             *details(inv.t, record, inv.room.timezone, inv.lang), count_text(inv.t, count)]
    if record.relays:
        rooms = [f"{inv.services.room_name(r)} : {count.in_room(r)}" if inv.lang == "fr"
                 else f"{inv.services.room_name(r)}: {count.in_room(r)}" for r in record.rooms]
        lines.append(inv.t("mobilisation.per_room", rooms=", ".join(rooms)))
    if inv.is_coordinator() and count.people:
        names = [_label(inv, p.user_id) + (f" (+{p.guests})" if p.guests else "") for p in count.people]
        lines.append(inv.t("mobilisation.names", names=", ".join(names)))
    lines.extend(await preparation(inv.services, record, inv.t, inv.msg.room_id, inv.room.timezone, inv.lang))
    lines.append(inv.t("mobilisation.how_to_join", number=record.ref))
    inv.reply_rendered(join(lines))


# --- !mobilisation modifier ----------------------------------------------------------------------------

_FIELDS = {
    "title": ("titre", "title", "nom", "name"),
    "place": ("lieu", "place", "location", "où", "where"),
    "link": ("lien", "link", "url"),
    "organiser": ("par", "by", "organisateur", "organisatrice", "organiser", "organizer", "organisation"),
}


@mobilisation.sub("modifier", "edit", "changer", "change", coordinators=True, args=[
    MOBILISATION, Word("field", label="mobilisation.arg.field"), Rest("value", label="arg.text")])
async def edit(inv: Invocation, record: MobilisationRecord, field: str, value: str) -> None:
    _origin_only(inv, record)
    name = next((k for k, words in _FIELDS.items() if field.casefold() in words), None)
    if name is None:
        raise UserError("mobilisation.bad_field", field=field)
    if name == "link":
        _, link = take_link(value)
        if link is None:
            raise UserError("mobilisation.bad_link", value=value)
        value = link
    changed = await inv.services.store.mobilisations.update(record.id, **{name: value})
    if changed is None:
        raise UserError("mobilisation.no_such", number=record.ref)
    inv.reply("mobilisation.edited", number=record.ref, title=changed.title or "")
    inv.effects.items.extend(await edits(inv.services, changed))


# --- !mobilisation annuler ----------------------------------------------------------------------------


@mobilisation.sub("annuler", "cancel", "supprimer", "delete", coordinators=True,
                  args=[MOBILISATION, Rest("reason", label="mobilisation.arg.reason", optional=True)])
async def cancel(inv: Invocation, record: MobilisationRecord, reason: str) -> None:
    _origin_only(inv, record)
    services = inv.services
    count = await head_count(services, record)
    cancelled = await services.store.mobilisations.cancel(record.id, by=inv.msg.sender,
                                                          at=services.clock.now(), reason=reason or None)
    if cancelled is None:
        raise UserError("mobilisation.no_such", number=record.ref)
    plan_mobilisation(services, inv.room, cancelled)  # cancels its jobs
    why = inv.t("mobilisation.reason", reason=reason) if reason else Rendered("", "")
    inv.reply_rendered(inv.t("mobilisation.cancelled", number=record.ref, title=record.title or "",
                             when=inv.when(record.starts_at), reason=why))
    inv.effects.items.extend(await edits(services, cancelled))
    values = {"when": _when(record.starts_at),
              "reason": lambda lang, tz: inv.registry.texts.t(lang, "mobilisation.reason", reason=reason)
              if reason else Rendered("", "")}
    await _tell_relays(inv, record, "mobilisation.cancelled", **values)
    await _tell_participants(inv, record, count, "mobilisation.cancelled_dm", **values)


def _reachable(inv: Invocation, count) -> list[str]:
    """Participants who may get a direct message: members, now, of the room where they joined (Services.reachable;
    for the command's own room, the command's view of its members)."""
    present = {m.user_id for m in inv.msg.members}
    found: list[str] = []
    for p in count.people:
        if p.room_id == inv.msg.room_id and p.user_id in present and p.user_id != inv.services.bot_user_id:
            found.append(p.user_id)
        elif inv.services.reachable(p.room_id, [p.user_id]):
            found.append(p.user_id)
    return list(dict.fromkeys(found))


def _origin_only(inv: Invocation, record: MobilisationRecord) -> None:
    if record.room_id != inv.msg.room_id:
        raise UserError("mobilisation.origin_only", number=record.ref,
                        room=inv.services.room_name(record.room_id))


def _label(inv: Invocation, user_id: str) -> str:
    member = inv.msg.member(user_id)
    if member is None:
        member = next((m for m in inv.services.members(inv.msg.room_id) if m.user_id == user_id), None)
    return member.label if member else inv.msg.label_of(user_id)


def _when(at: datetime):
    """A date said in each room's own language and time zone (for `_tell_relays` / `_tell_participants`)."""
    return lambda lang, tz: when_text(at, tz, lang)


def _localised(values: dict, lang: str, tz: str) -> dict:
    return {k: v(lang, tz) if callable(v) else v for k, v in values.items()}


async def _tell_relays(inv: Invocation, record: MobilisationRecord, key: str, **values) -> None:
    """The same news in every relaying room, in its language, with its number there; callable values get the
    room's (language, time zone), so that dates and reasons are not said in the announcing room's language."""
    for relay_ in record.relays:
        room = await inv.services.store.rooms.get(relay_.room_id)
        lang, tz = inv.services.language_and_zone(room)
        text = inv.registry.texts.t(lang, key, p=inv.prefix, number=relay_.number, title=record.title or "",
                                    **_localised(values, lang, tz))
        inv.effects.add(Notice(relay_.room_id, text))


async def _tell_participants(inv: Invocation, record: MobilisationRecord, count, key: str,
                             skip: str | None = None, **values) -> None:
    """A direct message to each reachable participant, in the language of the room where they joined, naming that
    room and the mobilisation's number there (as the day-before message does)."""
    where = {p.user_id: p.room_id for p in reversed(count.people)}  # the first room they joined from
    for user_id in _reachable(inv, count):
        if user_id == skip:
            continue
        room_id = where.get(user_id, record.room_id)
        lang, tz = inv.services.language_and_zone(await inv.services.store.rooms.get(room_id))
        text = inv.registry.texts.t(lang, key, p=inv.prefix, number=record.number_in(room_id),
                                    title=record.title or "", **_localised(values, lang, tz),
                                    room=room_link(room_id, inv.services.room_name(room_id)))
        inv.effects.add(DirectMessage(user_id, text, rooms=record.rooms))


# --- !mobilisation déplacer ---------------------------------------------------------------------------


@mobilisation.sub("déplacer", "move", "deplacer", "reporter", "reschedule", "postpone", coordinators=True,
                  args=[MOBILISATION, Rest("day", label="arg.date")])
async def move(inv: Invocation, record: MobilisationRecord, phrase: str) -> None:
    _origin_only(inv, record)
    parsed: ParsedDate = read_date(inv, phrase)
    services = inv.services
    new = parsed.when
    if not parsed.has_time:  # a day alone keeps the time
        zone = ZoneInfo(inv.room.timezone)
        new = datetime.combine(new.date(), record.starts_at.astimezone(zone).time(), zone)
        if new <= services.clock.now():
            raise UserError("date.past", phrase=parsed.phrase)
    changed = await services.store.mobilisations.update(record.id, starts_at=new)
    if changed is None:
        raise UserError("mobilisation.no_such", number=record.ref)
    planned = plan_mobilisation(services, inv.room, changed)
    text = inv.t("mobilisation.moved", number=record.ref, title=record.title or "",
                 old=inv.when(record.starts_at), new=inv.when(new))
    inv.reply_rendered(join([text, inv.t("mobilisation.countdown_planned",
                                         offsets=countdown_text(inv.lang, planned))]) if planned else text)
    inv.effects.items.extend(await edits(services, changed))
    await _tell_relays(inv, record, "mobilisation.moved", old=_when(record.starts_at), new=_when(new))
    count = await head_count(services, changed)
    await _tell_participants(inv, record, count, "mobilisation.moved_dm", skip=inv.msg.sender,
                             old=_when(record.starts_at), new=_when(new))


# --- !mobilisations -----------------------------------------------------------------------------------


@command("mobilisations", fr="mobilisations", en="mobilizations", aliases=("marches", "marches-à-venir"),
         args=[Word("all", label="mobilisation.arg.all", optional=True)], line="list")
async def mobilisations(inv: Invocation, everything: str | None) -> None:
    now = inv.services.clock.now()
    show_all = everything is not None and everything.casefold() in ("toutes", "tout", "all", "every")
    if everything is not None and not show_all:
        raise UserError("mobilisation.bad_all", word=everything)
    store = inv.services.store.mobilisations
    records = [*await store.list(inv.msg.room_id, cancelled=show_all),
               *await store.relayed_to(inv.msg.room_id, cancelled=show_all)]
    records.sort(key=lambda r: (r.starts_at, r.ref))
    if not show_all:
        records = [r for r in records if r.starts_at > now]
    if not records:
        inv.reply("mobilisation.list_none")
        return
    lines = []
    for record in records[:LIST_LIMIT]:
        count = await head_count(inv.services, record)
        mark = inv.t("mobilisation.cancelled_mark") if record.is_cancelled else (
            inv.t("mobilisation.past_mark") if record.starts_at <= now else Rendered("", ""))
        lines.append(inv.t("mobilisation.line", number=record.ref, title=record.title or "",
                           when=inv.when(record.starts_at), count=count.total, mark=mark))
    inv.reply("mobilisation.list", items=bullet_list(lines))


# --- !participe, !désiste -----------------------------------------------------------------------------


@command("join", fr="participe", en="join", aliases=("participer", "participation", "jeparticipe"),
         args=[MOBILISATION, Rest("guests", label="mobilisation.arg.guests", optional=True)], line="join")
async def join_command(inv: Invocation, record: MobilisationRecord, guests_text: str) -> None:
    guests = 0
    if guests_text:
        m = _GUESTS.match(guests_text.strip())
        if not m or int(m[1]) > MAX_GUESTS:
            raise UserError("mobilisation.bad_guests", value=guests_text, most=MAX_GUESTS)
        guests = int(m[1])
    if record.starts_at <= inv.services.clock.now():
        raise UserError("mobilisation.already_past", number=record.ref)
    store = inv.services.store.mobilisations
    changed = await store.join(record.id, inv.msg.sender, inv.msg.room_id, guests, inv.services.clock.now())
    count = await head_count(inv.services, record)
    key = "mobilisation.joined_guests" if guests else "mobilisation.joined"
    inv.reply(key if changed else "mobilisation.already_joined", number=record.ref, title=record.title or "",
              guests=guests, count=count_text(inv.t, count))
    if changed:
        inv.effects.items.extend(await recount_soon(inv.services, record))


@command("leave", fr="désiste", en="leave", aliases=("désister", "desiste", "desister", "retirer"),
         args=[MOBILISATION], line="leave")
async def leave_command(inv: Invocation, record: MobilisationRecord) -> None:
    removed = await inv.services.store.mobilisations.leave(record.id, inv.msg.sender)
    count = await head_count(inv.services, record)
    inv.reply("mobilisation.left" if removed else "mobilisation.not_joined", number=record.ref,
              title=record.title or "", count=count_text(inv.t, count))
    if removed:
        inv.effects.items.extend(await recount_soon(inv.services, record))



# --- !mobilisation relayer ----------------------------------------------------------------------------

RELAY_WORDS = {fold(w) for w in ("relayer", "relay", "relaie", "relaier", "diffuser")}


@mobilisation.sub("relayer", "relay", "relaie", "relaier", "diffuser", coordinators=True,
                  args=[MOBILISATION, Word("room", label="mobilisation.arg.room")])
async def relay_sub(inv: Invocation, record: MobilisationRecord, target: str) -> None:
    await relay(inv, record, target)


async def relay(inv: Invocation, record: MobilisationRecord, target: str) -> None:
    """Post the announcement in another room the bot is in, where the sender is a coordinator too; reactions and
    `!participe` there count towards the same head count."""
    _origin_only(inv, record)
    target = target.strip()
    if not target:
        raise UserError("mobilisation.relay_where", number=record.ref)
    services = inv.services
    room_id = await services.find_room(target)
    if room_id is None:
        raise UserError("mobilisation.relay_unknown_room", room=target)
    if room_id == record.room_id:
        raise UserError("mobilisation.relay_same_room", number=record.ref)
    there = next((m for m in services.members(room_id) if m.user_id == inv.msg.sender), None)
    if there is None or there.power_level < services.defaults.coordinator_power_level:
        raise UserError("mobilisation.relay_not_coordinator", room=target,
                        level=services.defaults.coordinator_power_level)
    number, new = await services.store.mobilisations.relay(record.id, room_id, by=inv.msg.sender,
                                                           at=services.clock.now())
    if not new:
        raise UserError("mobilisation.relay_already", number=record.ref, room=target, there=number)
    record = await services.store.mobilisations.by_id(record.id)
    room = await services.store.rooms.ensure(room_id, language=services.defaults.language,
                                             timezone=services.defaults.timezone)
    count = await head_count(services, record)
    inv.effects.add(Notice(room_id, announcement(services, record, count, room.language, room.timezone, room_id),
                           remember=announce_key(record, room_id)))
    inv.reply("mobilisation.relayed", number=record.ref, room=target, there=number)


# --- !mobilisation tract ------------------------------------------------------------------------------

TRACT_WORDS = {fold(w) for w in ("tract", "flyer", "leaflet")}


@mobilisation.sub("tract", "leaflet", "flyer", coordinators=True,
                  args=[MOBILISATION, Rest("link", label="mobilisation.arg.link")])
async def tract_sub(inv: Invocation, record: MobilisationRecord, link: str) -> None:
    await tract(inv, record, link)


async def tract(inv: Invocation, record: MobilisationRecord, text: str) -> None:
    """Attach the tract (a link); shown in the announcement, the view and every countdown notice."""
    _origin_only(inv, record)
    _, link = take_link(text)
    if link is None:
        raise UserError("mobilisation.bad_tract", number=record.ref)
    changed = await inv.services.store.mobilisations.update(record.id, tract=link)
    if changed is None:
        raise UserError("mobilisation.no_such", number=record.ref)
    inv.reply("mobilisation.tract_set", number=record.ref, title=record.title or "")
    inv.effects.items.extend(await edits(inv.services, changed))
