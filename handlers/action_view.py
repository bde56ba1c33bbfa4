"""How actions read in the room: one line each, lists grouped by owner, and the detail with history."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from handlers.dates import format_when
from handlers.people import Person, mention_list
from handlers.router import Invocation
from handlers.text import Rendered, bullet_list, join, raw
from storage.actions import ActionRecord, HistoryEntry, Owner


def people(owners: tuple[Owner, ...]) -> list[Person]:
    return [Person(o.user_id, o.name) for o in owners]


def due_text(inv: Invocation, action: ActionRecord) -> Rendered:
    if action.due_at is None:
        return inv.t("action.no_due")
    return raw(when_text(inv, action.due_at, action.due_has_time))


def when_text(inv: Invocation, when: datetime, has_time: bool) -> str:
    return format_when(when.astimezone(ZoneInfo(inv.room.timezone)), inv.lang, has_time)


def owners_text(inv: Invocation, owners: tuple[Owner, ...]) -> Rendered:
    return mention_list(people(owners)) if owners else inv.t("action.nobody")


def line(inv: Invocation, action: ActionRecord, *, with_owners: bool = True, with_status: bool = False) -> Rendered:
    details = Rendered("", "")
    if with_owners and action.owners:
        details += inv.t("action.line.owners", owners=mention_list(people(action.owners)))
    if action.due_at is not None:
        details += inv.t("action.line.due", when=when_text(inv, action.due_at, action.due_has_time))
        if action.is_overdue(inv.services.clock.now()):
            details += inv.t("action.line.overdue")
    if with_status and action.status != "open":
        details += inv.t("action.line.status", status=inv.t(f"action.status.{action.status}"))
    return inv.t("action.line", number=action.number, text=action.text, details=details)


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
    for key in sorted(groups):
        label, items = groups[key]
        items.sort(key=lambda a: (not a.is_overdue(now), a.due_at is None, a.due_at or now, a.number))
        parts.append(inv.t("action.list.group", name=label,
                           items=bullet_list([line(inv, a, with_owners=False) for a in items])))
    return join(parts, plain_sep="", html_sep="")


def flat(inv: Invocation, actions: list[ActionRecord]) -> Rendered:
    items = bullet_list([line(inv, a, with_status=True) for a in actions])
    return Rendered(items.plain.lstrip("\n"), items.html)  # follows a header that ends its line


def history_line(inv: Invocation, entry: HistoryEntry, names: dict[str, str]) -> Rendered:
    detail = entry.detail or {}
    kind = entry.kind if f"action.history.{entry.kind}" in _KINDS else "other"
    values: dict[str, object] = {"kind": entry.kind}
    if "owners" in detail:
        owners = tuple(Owner(o.get("user_id"), o.get("name", "")) for o in detail["owners"])
        values["owners"] = owners_text(inv, owners)
    if "due_at" in detail:
        due = detail["due_at"]
        values["due"] = (when_text(inv, datetime.fromisoformat(due), bool(detail.get("due_has_time")))
                         if due else inv.t("action.no_due"))
    if "text" in detail:
        values["text"] = detail["text"]
    what = inv.t(f"action.history.{kind}", **_defaults(values))
    who = names.get(entry.actor) or entry.actor
    return inv.t("action.history.line", at=when_text(inv, entry.at, True), who=who, what=what)


_KINDS = {f"action.history.{k}" for k in
          ("created", "assigned", "unassigned", "due", "edited", "done", "reopened", "cancelled")}


def _defaults(values: dict[str, object]) -> dict[str, object]:
    for name in ("owners", "due", "text"):
        values.setdefault(name, "")
    return values
