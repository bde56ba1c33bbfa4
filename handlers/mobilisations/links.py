"""What prepares a mobilisation: actions and scheduled meetings linked to it (`!action préparer le tract @annie pour
la mobilisation 1`, `… for M1`; `!réunion prévoir lundi 3 mai à 18h Modalités pour la mobilisation 1`).

The actions and schedule capabilities read the link from their text with `take_mobilisation`, check the number with
`mobilisation_to_prepare` and say it with `prepares_note` (public: handlers/mobilisations/__init__.py). The
mobilisation's view, its countdown notices and the digest list what is still open (`preparation`)."""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from handlers.core.errors import UserError
from handlers.core.services import Services
from handlers.core.text import Rendered, join
from handlers.core.words import when_text
from handlers.mobilisations.common import lookup
from storage.records import ActionRecord, MobilisationRecord

if TYPE_CHECKING:
    from handlers.core.router import Invocation

SHOWN = 8  # open actions listed in a notice; the view says how many more

# "pour la mobilisation 1", "pour la marche M2", "pour M1", "for mobilization 1", "for the march M1", "for M1".
_LINK = re.compile(
    r"(?:^|\s)(?:pour|for)\s+(?:(?:la|the)\s+)?"
    r"(?:(?:mobilisation|mobilization|marche|march)\s+(?:n°\s*)?[Mm]?(?P<n1>[0-9]{1,6})|[Mm](?P<n2>[0-9]{1,6}))"
    r"(?=[\s.,;:!?)]|$)[.,;:!?]?", re.IGNORECASE)


def take_mobilisation(text: str) -> tuple[str, int | None]:
    """The text without its link to a mobilisation, and that mobilisation's number (None: no link). Read before
    the deadline or date, so that "pour la mobilisation 1" is never taken for a date ("pour le 3 mai")."""
    found = list(_LINK.finditer(text))
    if not found:
        return text, None
    m = found[-1]
    rest = (text[:m.start()] + " " + text[m.end():]).strip()
    return re.sub(r"\s{2,}", " ", rest), int(m["n1"] or m["n2"])


async def mobilisation_to_prepare(inv: "Invocation", number: int, *, meeting: bool = False) -> MobilisationRecord:
    """The room's mobilisation (its own, or relayed to it) with this number, still to come; else a reply saying
    so, before anything is recorded (its example written as the command was: an action or a meeting)."""
    try:
        record = await lookup(inv, number)
    except UserError:
        raise UserError("mobilisation.link_unknown_meeting" if meeting else "mobilisation.link_unknown",
                        number=number) from None
    if record.starts_at <= inv.services.clock.now():
        raise UserError("mobilisation.already_past", number=record.ref)
    return record


def prepares_note(inv: "Invocation", record: MobilisationRecord) -> Rendered:
    """The line of a confirmation saying what it prepares."""
    return inv.t("mobilisation.prepares", number=record.ref, title=record.title or "")


def _owners(t: Callable[..., Rendered], action: ActionRecord) -> str:
    return ", ".join(o.name for o in action.owners) or t("mobilisation.prep_nobody").plain


def _item(t: Callable[..., Rendered], action: ActionRecord, room_id: str, tz: str, lang: str) -> Rendered:
    number = f"#{action.number} " if action.room_id == room_id else ""  # an action of this room: its number
    if action.due_at is None:
        return t("mobilisation.prep_item", number=number, text=action.text, owners=_owners(t, action))
    due = when_text(action.due_at, tz, lang, action.due_has_time)
    return t("mobilisation.prep_item_due", number=number, text=action.text, owners=_owners(t, action), due=due)


async def open_actions(services: Services, record: MobilisationRecord) -> list[ActionRecord]:
    return await services.store.actions.preparing(record.id)


def actions_text(t: Callable[..., Rendered], actions: list[ActionRecord], room_id: str, tz: str,
                 lang: str) -> Rendered:
    """`préparer le tract (Annie, Philippe) ; réserver le car (Bertrand, pour le 5 mai)`, and how many more."""
    items = [_item(t, a, room_id, tz, lang) for a in actions[:SHOWN]]
    text = join(items, " ; " if lang == "fr" else "; ", " ; " if lang == "fr" else "; ")
    if len(actions) > SHOWN:
        text += t("mobilisation.prep_more", count=len(actions) - SHOWN)
    return text


async def preparation(services: Services, record: MobilisationRecord, t: Callable[..., Rendered], room_id: str,
                      tz: str, lang: str, *, meetings: bool = True) -> list[Rendered]:
    """The view's lines: the open linked actions, and the linked meetings still to come."""
    lines = []
    actions = await open_actions(services, record)
    if actions:
        lines.append(t("mobilisation.to_prepare", items=actions_text(t, actions, room_id, tz, lang)))
    if meetings:
        now = services.clock.now()
        for schedule in await services.store.schedules.preparing(record.id):
            if schedule.rule is None and schedule.starts_at < now:
                continue
            number = f"P{schedule.number} " if schedule.room_id == room_id else ""
            lines.append(t("mobilisation.prep_meeting", number=number, title=schedule.title or "",
                           when=when_text(schedule.starts_at, tz, lang)))
    return lines
