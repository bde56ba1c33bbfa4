"""What every part of mobilisations shares: the M-number argument, the head count, the announcement's text, and
keeping the announcement current (an edit, debounced under a flood of reactions)."""
from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import partial
from typing import TYPE_CHECKING, Any

from handlers.core.args import MAX_NUMBER
from handlers.core.arguments import ABSENT, Arg, Line
from handlers.core.errors import UserError
from handlers.core.interface import Edit, Effect
from handlers.core.services import Services
from handlers.core.text import Rendered, join
from handlers.core.words import when_text
from handlers.mobilisations.texts import TEXTS
from storage.records import MobilisationRecord, Participant

if TYPE_CHECKING:
    from handlers.core.router import Invocation

# `M3`, `m3`, `3`: a mobilisation's number (scheduled meetings are P3, held ones n°3, actions #3).
_REF = re.compile(r"^(?P<prefix>[Mm]?)(?P<digits>[0-9]+)[.,;:!?)]*$")
_OTHER = re.compile(r"^(?:#|n\s*°|no\.?|[Pp])\s*[0-9]+[.,;:!?)]*$")
RECOUNT = "mobilisation.recount"
RECOUNT_EVERY = timedelta(seconds=5)  # the announcement is edited at most once per this


def ref_number(word: str) -> int | None:
    m = _REF.match(word)
    if not m:
        return None
    number = int(m["digits"])
    return number if 1 <= number <= MAX_NUMBER else None


def looks_like_ref(word: str) -> bool:
    return bool(_REF.match(word) or _OTHER.match(word))


async def lookup(inv: "Invocation", number: int) -> MobilisationRecord:
    """The room's own mobilisation with this number, or the one relayed to it under this number."""
    store = inv.services.store.mobilisations
    record = await store.get(inv.msg.room_id, number) or await store.relayed(inv.msg.room_id, number)
    if record is None:
        raise UserError("mobilisation.no_such", number=number)
    if record.is_cancelled:  # it exists: saying it does not would mislead
        raise UserError("mobilisation.is_cancelled", number=number, title=record.title or "")
    return record


@dataclass(frozen=True, kw_only=True)
class MobilisationRef(Arg):
    """`M3` (or a bare `3`); `#3`, `P3`, `n°3` name something else and are refused with how to write it."""

    label: str = "mobilisation.arg.ref"
    gate: bool = True

    def fits(self, word: str) -> bool:
        return looks_like_ref(word)

    def take(self, line: Line) -> tuple[Any, Line]:
        return self.take_fitting(line)

    async def value(self, inv: "Invocation", taken: Any) -> Any:
        if taken is ABSENT:
            return None
        number = ref_number(taken)
        if number is None:
            raise UserError("mobilisation.bad_ref", ref=taken)
        return await lookup(inv, number)


MOBILISATION = MobilisationRef("mobilisation")


# --- the head count -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class HeadCount:
    people: list[Participant]

    @property
    def total(self) -> int:
        return len(self.people) + sum(p.guests for p in self.people)

    @property
    def guests(self) -> int:
        return sum(p.guests for p in self.people)

    def in_room(self, room_id: str) -> int:
        return sum(1 + p.guests for p in self.people if p.room_id == room_id)


async def head_count(services: Services, record: MobilisationRecord) -> HeadCount:
    return HeadCount(await services.store.mobilisations.participants(record.id))


def count_text(t: Callable[..., Rendered], count: HeadCount) -> Rendered:
    if count.guests:
        return t("mobilisation.count_guests", count=count.total, guests=count.guests)
    return t("mobilisation.count", count=count.total)


# --- the announcement ---------------------------------------------------------------------------------


def announce_key(record: MobilisationRecord, room_id: str) -> str:
    """The `remember` key of the announcement in a room (the announcing one, or a relaying one)."""
    return f"mobilisation:{record.id}:{room_id}:announce"


def notice_key(record: MobilisationRecord, room_id: str, what: str) -> str:
    return f"mobilisation:{record.id}:{room_id}:{what}"


def parse_key(key: str | None) -> tuple[int, str] | None:
    """(mobilisation id, room) of a remembered message about a mobilisation."""
    if not key or not key.startswith("mobilisation:"):
        return None
    parts = key.split(":")  # mobilisation:<id>:<room id, itself with a colon>:<what>
    try:
        return int(parts[1]), ":".join(parts[2:-1])
    except (ValueError, IndexError):
        return None


def details(t: Callable[..., Rendered], record: MobilisationRecord, tz: str, lang: str) -> list[Rendered]:
    lines = [t("mobilisation.when", when=when_text(record.starts_at, tz, lang), tz=tz)]
    if record.place:
        lines.append(t("mobilisation.place", place=record.place))
    if record.link:
        lines.append(t("mobilisation.link", link=record.link))
    if record.organiser:
        lines.append(t("mobilisation.organiser", organiser=record.organiser))
    if record.tract:
        lines.append(t("mobilisation.tract", tract=record.tract))
    if record.tract_file:
        lines.append(t("mobilisation.tract_file_line", filename=record.tract_file.filename))
    return lines


def announcement(services: Services, record: MobilisationRecord, count: HeadCount, lang: str,
                 tz: str, room_id: str | None = None) -> Rendered:
    """The announcement as posted in `room_id` (the announcing room by default): with its number there."""
    t = partial(TEXTS.t, lang, p=services.defaults.prefix)
    number = record.number_in(room_id) if room_id else record.number
    if record.is_cancelled:
        head = t("mobilisation.announce_cancelled", number=number, title=record.title or "")
        return join([head, *details(t, record, tz, lang), count_text(t, count)])
    lines = [t("mobilisation.announce", number=number, title=record.title or ""), *details(t, record, tz, lang)]
    if room_id and room_id != record.room_id:
        lines.append(t("mobilisation.relayed_from", room=services.room_name(record.room_id)))
    return join([*lines, count_text(t, count), t("mobilisation.how_to_join", number=number)])


async def edits(services: Services, record: MobilisationRecord) -> list[Effect]:
    """The announcement, edited to what it should say now, in the announcing room and every relaying one."""
    record = await services.store.mobilisations.by_id(record.id) or record  # as stored, seen from no room
    count = await head_count(services, record)
    effects: list[Effect] = []
    for room_id in record.rooms:
        lang, tz = services.language_and_zone(await services.store.rooms.get(room_id))
        effects.append(Edit(room_id, announce_key(record, room_id),
                            announcement(services, record, count, lang, tz, room_id)))
    return effects


async def recount_soon(services: Services, record: MobilisationRecord) -> list[Effect]:
    """After a change of the head count: one edit at the end of the current RECOUNT_EVERY slot, whatever
    the number of changes within it (same job id: planned once). It renders the count when it runs, so no
    change is lost. Without a scheduler (tests), the edit at once."""
    scheduler = services.scheduler
    if scheduler is None:
        return await edits(services, record)
    now = services.clock.now().timestamp()
    step = RECOUNT_EVERY.total_seconds()
    slot = (math.floor(now / step) + 1) * step
    when = datetime.fromtimestamp(slot, timezone.utc)
    scheduler.schedule(f"mobilisation-recount:{record.id}:{int(slot)}", when, RECOUNT,
                       {"room_id": record.room_id, "id": record.id})
    return []


async def recount(job, services: Services) -> list[Effect]:
    record = await services.store.mobilisations.by_id(job.payload["id"])
    if record is None or record.is_cancelled:  # the cancellation's edit showed the last count already
        return []
    return await edits(services, record)

