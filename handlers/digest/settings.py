"""The digest's room settings, kept in the room's settings (RoomSettings.overrides, no table of their own):
whether the automatic digest runs and when (`!résumé off|on|<jour> <heure>`), who gets it by direct message
(`!abonner résumé`), its mailing list (`!réglages liste-de-diffusion`), and the room's countdowns."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from handlers.core.arguments import Word
from handlers.core.errors import UserError
from handlers.core.services import Defaults
from handlers.core.settings import Setting
from handlers.dates.words import fold
from storage.records import RoomSettings

if TYPE_CHECKING:
    from handlers.core.router import Invocation

ENABLED, DAY, TIME = "digest.enabled", "digest.day", "digest.time"
SUBSCRIBERS, MAILING_LIST = "digest.subscribers", "digest.mailing_list"
COUNTDOWNS, COUNTDOWN_NEXT = "digest.countdowns", "digest.countdown_next"

DAYS = {fold(name): n for n, names in enumerate((
    ("lundi", "monday", "mon", "lun"), ("mardi", "tuesday", "tue", "mar"), ("mercredi", "wednesday", "wed", "mer"),
    ("jeudi", "thursday", "thu", "jeu"), ("vendredi", "friday", "fri", "ven"), ("samedi", "saturday", "sat", "sam"),
    ("dimanche", "sunday", "sun", "dim"))) for name in names}
_TIME = re.compile(r"^(\d{1,2})(?:[h:](\d{2})?)?$", re.I)
_TIME_EN = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*(am|pm)$", re.I)
# An address as people write it: one @, a dot in the domain, no spaces, quotes, angle brackets or commas.
_ADDRESS = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                      r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")
NONE = ("aucune", "aucun", "none", "off", "non")


def overrides(room: RoomSettings | None) -> dict[str, Any]:
    return dict(room.overrides or {}) if room is not None else {}


def parse_day(word: str) -> int | None:
    """"monday", "lundi" (any case or accent) → 0; None for anything else."""
    return DAYS.get(fold(word.strip().rstrip(".")))


def parse_clock(word: str) -> time | None:
    """"09:00", "9h", "9h30", "18", "6pm" → the time; None for anything else."""
    word = word.strip().replace(" ", "")
    if m := _TIME_EN.match(word):
        hour, minute = int(m[1]), int(m[2] or 0)
        if not 1 <= hour <= 12 or minute > 59:
            return None
        return time(hour % 12 + (12 if m[3].lower() == "pm" else 0), minute)
    if m := _TIME.match(word):
        hour, minute = int(m[1]), int(m[2] or 0)
        if hour > 23 or minute > 59:
            return None
        return time(hour, minute)
    return None


def parse_day_time(text: str) -> tuple[int, time] | None:
    """"lundi 9h00", "monday 09:00", "friday at 5pm" → (weekday, time); None when it is not that."""
    words = [w for w in text.split() if fold(w) not in ("a", "at")]
    if len(words) != 2:
        return None
    day, clock = parse_day(words[0]), parse_clock(words[1])
    return None if day is None or clock is None else (day, clock)


@dataclass(frozen=True)
class Timing:
    enabled: bool
    day: int
    time: time


def timing(room: RoomSettings | None, defaults: Defaults) -> Timing:
    o = overrides(room)
    day = o.get(DAY, defaults.digest_day)
    at = time.fromisoformat(o[TIME]) if o.get(TIME) else defaults.digest_time
    return Timing(bool(o.get(ENABLED, True)), int(day), at)


def next_post(timing_: Timing, tz: str, after: datetime) -> datetime:
    """The first posting time strictly after `after` (aware UTC), in the room's zone."""
    zone = ZoneInfo(tz)
    local = after.astimezone(zone)
    day = local.date() + timedelta(days=(timing_.day - local.weekday()) % 7)
    for _ in range(3):
        at = datetime.combine(day, timing_.time, zone)
        if at > after:
            return at
        day += timedelta(days=7)
    raise AssertionError("unreachable")


def last_post(timing_: Timing, tz: str, before: datetime) -> datetime:
    """The last posting time at or before `before`."""
    found = next_post(timing_, tz, before - timedelta(days=7))
    return found if found <= before else next_post(timing_, tz, before - timedelta(days=8))


def subscribers(room: RoomSettings | None) -> list[str]:
    return list(overrides(room).get(SUBSCRIBERS, []))


def mailing_list(room: RoomSettings | None) -> str | None:
    return overrides(room).get(MAILING_LIST) or None


def countdowns(room: RoomSettings | None) -> list[dict]:
    """The room's countdowns, soonest first: {"number", "date" (ISO day), "label", "by"}."""
    return sorted(overrides(room).get(COUNTDOWNS, []), key=lambda c: (c["date"], c["number"]))


def valid_address(value: str) -> bool:
    return len(value) <= 254 and bool(_ADDRESS.match(value))


@dataclass(frozen=True)
class MailingList(Setting):
    def shown(self, inv: "Invocation"):
        return mailing_list(inv.room) or inv.t("digest.no_mailing_list")

    async def apply(self, inv: "Invocation", value: str) -> None:
        value = value.strip()
        o = overrides(inv.room)
        if value.casefold() in NONE:
            o.pop(MAILING_LIST, None)
        elif valid_address(value):
            o[MAILING_LIST] = value
        else:
            raise UserError("digest.bad_address", value=value)
        inv.room = await inv.services.store.rooms.update(inv.msg.room_id, overrides=o)


MAILING_LIST_SETTING = MailingList("mailing_list", ("liste-de-diffusion", "mailing-list", "liste", "liste-diffusion"),
                                   Word("value", label="settings.arg.address"))
