"""!résumé / !digest: the week's digest now (anyone), last week's, and when it is posted (coordinators):
`!résumé off|on|<jour> <heure>`. !compte-à-rebours / !countdown: long-range dates. `!abonner résumé` /
`!subscribe digest` (a sub-command of the schedule capability's !abonner): the digest by direct message."""
from __future__ import annotations

from handlers.core.arguments import Number, Rest
from handlers.core.commands import command, extend
from handlers.core.digest import Week
from handlers.core.errors import UserError
from handlers.core.router import Invocation
from handlers.core.text import bullet_list
from handlers.dates.date_input import date_error, read_date
from handlers.dates.dates import UNUSABLE_DATE, DateError, ParsedDate, format_time, parse_date, weekday_name
from handlers.digest import content
from handlers.digest.jobs import cancel_countdown, plan_countdown, plan_room
from handlers.digest.settings import COUNTDOWN_NEXT, COUNTDOWNS, DAY, ENABLED, SUBSCRIBERS, TIME, countdowns, \
    overrides, parse_day_time, subscribers, timing

MAX_COUNTDOWNS = 20
MAX_LABEL = 200
DATE_WORDS = 4  # "mardi 30 juin 2026"


async def _post(inv: Invocation, week: Week) -> None:
    digest = await content.build(inv.services, inv.room, week, now=inv.services.clock.now(),
                                 hooks=inv.registry.digest_sections)
    inv.reply_rendered(digest.content, digest.mentions)


@command("digest", fr="résumé", en="digest", aliases=("resume", "résumer", "bilan"), line="now", args=[
    Rest("when", label="digest.arg.when", optional=True),
])
async def digest(inv: Invocation, when: str) -> None:
    if not when:
        await _post(inv, Week.containing(inv.services.clock.now(), inv.room.timezone))
        return
    inv.require_coordinator()
    parsed = parse_day_time(when)
    if parsed is None:
        raise UserError("digest.bad_when", value=when)
    day, at = parsed
    o = overrides(inv.room)
    o.update({ENABLED: True, DAY: day, TIME: at.strftime("%H:%M")})
    inv.room = await inv.services.store.rooms.update(inv.msg.room_id, overrides=o)
    await _planned(inv)


async def _planned(inv: Invocation) -> None:
    post = await plan_room(inv.services, inv.room)
    chosen = timing(inv.room, inv.services.defaults)
    inv.reply("digest.planned", day=weekday_name(chosen.day, inv.lang), time=format_time(chosen.time, inv.lang),
              tz=inv.room.timezone, when=inv.when(post) if post else "—")


@digest.sub("semaine dernière", "last week", "semaine derniere", "semaine précédente", "previous week")
async def last_week(inv: Invocation) -> None:
    await _post(inv, Week.containing(inv.services.clock.now(), inv.room.timezone).previous())


@digest.sub("off", "off", "non", "arrêt", "stop", coordinators=True)
async def off(inv: Invocation) -> None:
    o = overrides(inv.room)
    o[ENABLED] = False
    inv.room = await inv.services.store.rooms.update(inv.msg.room_id, overrides=o)
    await plan_room(inv.services, inv.room)  # cancels the planned one
    inv.reply("digest.turned_off")


@digest.sub("on", "on", "oui", "marche", "start", coordinators=True)
async def on(inv: Invocation) -> None:
    o = overrides(inv.room)
    o[ENABLED] = True
    inv.room = await inv.services.store.rooms.update(inv.msg.room_id, overrides=o)
    await _planned(inv)


# --- !compte-à-rebours ------------------------------------------------------------------------------------


@command("countdown", fr="compte-à-rebours", en="countdown", aliases=("compte-a-rebours", "compte-à-rebour",
                                                                     "compte-a-rebour", "countdowns"),
         line="add", args=[Rest("what", label="countdown.arg.what", optional=True)])
async def countdown(inv: Invocation, what: str) -> None:
    today = inv.services.clock.now().astimezone(inv.tz).date()
    if not what:
        found = countdowns(inv.room)
        if not found:
            inv.reply("countdown.empty")
            return
        inv.reply("countdown.list", items=bullet_list([
            inv.t("countdown.item", number=c["number"], left=content.countdown_left(c, today, inv.lang))
            for c in found]))
        return
    inv.require_coordinator()
    parsed, label = _date_and_label(inv, what)
    if not label:
        raise UserError("countdown.no_label")
    if len(label) > MAX_LABEL:
        label = label[:MAX_LABEL]
    o = overrides(inv.room)
    existing = list(o.get(COUNTDOWNS, []))
    if len(existing) >= MAX_COUNTDOWNS:
        raise UserError("countdown.too_many", max=MAX_COUNTDOWNS)
    number = int(o.get(COUNTDOWN_NEXT, 1))
    day = parsed.when.astimezone(inv.tz).date()
    entry = {"number": number, "date": day.isoformat(), "label": label, "by": inv.msg.sender}
    o[COUNTDOWNS] = [*existing, entry]
    o[COUNTDOWN_NEXT] = number + 1
    inv.room = await inv.services.store.rooms.update(inv.msg.room_id, overrides=o)
    plan_countdown(inv.services, inv.room, entry)
    inv.reply("countdown.added", number=number, left=content.countdown_left(entry, today, inv.lang))


def _date_and_label(inv: Invocation, text: str) -> tuple[ParsedDate, str]:
    """The longest run of first words that is a date ("2026-06-30", "30 juin 2026"), and the label after it. A
    date that cannot be used (past, a day the month does not have…): the reply about it; no date at all: the reply
    about the first word."""
    words = text.split()
    for n in range(min(DATE_WORDS, len(words)), 1, -1):
        try:
            parsed = parse_date(" ".join(words[:n]), now=inv.services.clock.now(), tz=inv.room.timezone,
                                lang=inv.lang)
        except DateError as error:
            if error.code in UNUSABLE_DATE:  # "1er janvier 2020", "31 février": about that date, not its first word
                raise date_error(error, inv.lang) from None
            continue
        return parsed, " ".join(words[n:])
    return read_date(inv, words[0]), " ".join(words[1:])


async def _countdown(inv: Invocation, number: int) -> dict:
    entry = next((c for c in countdowns(inv.room) if c["number"] == number), None)
    if entry is None:
        raise UserError("countdown.no_such", number=number)
    return entry


@countdown.sub("annuler", "cancel", "retirer", "supprimer", "remove", coordinators=True, args=[
    Number("countdown", lookup=_countdown),
])
async def cancel(inv: Invocation, entry: dict) -> None:
    o = overrides(inv.room)
    o[COUNTDOWNS] = [c for c in o.get(COUNTDOWNS, []) if c["number"] != entry["number"]]
    inv.room = await inv.services.store.rooms.update(inv.msg.room_id, overrides=o)
    cancel_countdown(inv.services, inv.msg.room_id, entry["number"])
    inv.reply("countdown.cancelled", number=entry["number"], label=entry["label"])


# --- !abonner résumé ----------------------------------------------------------------------------------------

subscribe = extend("subscribe")  # !abonner, declared by handlers/schedule
unsubscribe = extend("unsubscribe")


@subscribe.sub("résumé", "digest", "resume", "bilan")
async def subscribe_digest(inv: Invocation) -> None:
    o = overrides(inv.room)
    found = subscribers(inv.room)
    if inv.msg.sender in found:
        inv.reply("digest.already_subscribed")
        return
    o[SUBSCRIBERS] = [*found, inv.msg.sender]
    inv.room = await inv.services.store.rooms.update(inv.msg.room_id, overrides=o)
    inv.reply("digest.subscribed")


@unsubscribe.sub("résumé", "digest", "resume", "bilan")
async def unsubscribe_digest(inv: Invocation) -> None:
    o = overrides(inv.room)
    found = subscribers(inv.room)
    if inv.msg.sender not in found:
        inv.reply("digest.not_subscribed")
        return
    o[SUBSCRIBERS] = [u for u in found if u != inv.msg.sender]
    inv.room = await inv.services.store.rooms.update(inv.msg.room_id, overrides=o)
    inv.reply("digest.unsubscribed")

