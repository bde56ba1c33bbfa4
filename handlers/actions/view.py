"""How actions read in the room: one line each, lists grouped by owner, and the detail with history."""
from __future__ import annotations

import html
from datetime import datetime

from handlers.core.people import mention_list
from handlers.core.router import Invocation
from handlers.core.text import Rendered, bullet_list, join
from storage.records import ActionRecord, HistoryEntry, Person


def owners_text(inv: Invocation, owners: tuple[Person, ...]) -> Rendered:
    return mention_list(owners) if owners else inv.t("action.nobody")


def due_long(inv: Invocation, action: ActionRecord) -> Rendered | str:
    """The deadline as a reply states it: "lundi 31 mai 2021 (fin de journée)" for a day without a time."""
    if action.due_at is None:
        return inv.t("action.no_due")
    when = inv.when(action.due_at, action.due_has_time)
    return when if action.due_has_time else inv.t("action.due_day", when=when)


def line(inv: Invocation, action: ActionRecord, *, with_owners: bool = True, with_status: bool = False,
         text_bytes: int = 0) -> Rendered:
    details = Rendered("", "")
    if with_owners and action.owners:
        details += inv.t("action.line.owners", owners=mention_list(action.owners))
    if action.due_at is not None:
        details += inv.t("action.line.due", when=inv.when(action.due_at, action.due_has_time))
        if action.is_overdue(inv.services.clock.now()):
            details += inv.t("action.line.overdue")
    if with_status and action.status != "open":
        details += inv.t("action.line.status", status=inv.t(f"action.status.{action.status}"))
    return inv.t("action.line", number=action.number, text=_short(action.text, text_bytes or LINE_TEXT_BYTES),
                 details=details)


# A list line shows the start of a long text (`!action voir N` shows it whole), at most so many characters and so
# many bytes as the event carries them (UTF-8, in the plain body and HTML-escaped in the formatted one): a page
# of 25 stays one event (48 kB, bot/sender.py) even in costly characters like "&" or emoji.
LINE_TEXT_CHARS = 300
LINE_TEXT_BYTES = 1_200
LIST_TEXT_BYTES = 30_000  # for all the texts of a list: an action with several owners shows under each of them


def _cost(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass")) + len(html.escape(text, quote=False).encode("utf-8", "surrogatepass"))


def _short(text: str, budget: int) -> str:
    if len(text) <= LINE_TEXT_CHARS and _cost(text) <= budget:
        return text
    cut = text[:LINE_TEXT_CHARS - 1]
    while _cost(cut) > budget - 6:  # room for "…"
        cut = cut[:max(len(cut) * 3 // 4, len(cut) - 64)] if _cost(cut) > 2 * budget else cut[:-1]
    return cut.rstrip() + "…"


def by_owner(inv: Invocation, actions: list[ActionRecord]) -> Rendered:
    """Open actions grouped by owner (an action with two owners shows under both), overdue first."""
    now = inv.services.clock.now()
    groups: dict[tuple[int, str], tuple[str, list[ActionRecord]]] = {}
    for action in actions:
        owners = action.owners or (None,)
        for owner in owners:
            key = (1, "") if owner is None else (0, (owner.name or "").casefold())
            label = inv.t("action.list.unassigned").plain if owner is None else owner.name
            groups.setdefault(key, (label, []))[1].append(action)
    parts = []
    budget = min(LINE_TEXT_BYTES, LIST_TEXT_BYTES // max(sum(len(items) for _, items in groups.values()), 1))
    for key in sorted(groups):
        label, items = groups[key]
        items.sort(key=lambda a: (not a.is_overdue(now), a.due_at is None, a.due_at or now, a.number))
        parts.append(inv.t("action.list.group", name=label,
                           items=bullet_list([line(inv, a, with_owners=False, text_bytes=budget) for a in items])))
    return join(parts, plain_sep="", html_sep="")


def flat(inv: Invocation, actions: list[ActionRecord]) -> Rendered:
    items = bullet_list([line(inv, a, with_status=True) for a in actions])
    return Rendered(items.plain.lstrip("\n"), items.html)  # follows a header that ends its line


def history_line(inv: Invocation, entry: HistoryEntry, names: dict[str, str]) -> Rendered:
    detail = entry.detail or {}
    kind = entry.kind if f"action.history.{entry.kind}" in _KINDS else "other"
    values: dict[str, object] = {"kind": entry.kind}
    if "owners" in detail:
        owners = tuple(Person(o.get("user_id"), o.get("name", "")) for o in detail["owners"])
        values["owners"] = owners_text(inv, owners)
    if "due_at" in detail:
        due = detail["due_at"]
        values["due"] = (inv.when(datetime.fromisoformat(due), bool(detail.get("due_has_time")))
                         if due else inv.t("action.no_due"))
    if "text" in detail:
        values["text"] = detail["text"]
    what = inv.t(f"action.history.{kind}", **_defaults(values))
    who = names.get(entry.actor) or entry.actor
    return inv.t("action.history.line", at=inv.when(entry.at), who=who, what=what)


_KINDS = {f"action.history.{k}" for k in
          ("created", "assigned", "unassigned", "due", "edited", "done", "reopened", "cancelled")}


def _defaults(values: dict[str, object]) -> dict[str, object]:
    for name in ("owners", "due", "text"):
        values.setdefault(name, "")
    return values
