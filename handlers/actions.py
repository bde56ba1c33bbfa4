"""!action: record who does what by when, list, and see it through.

`!action <what> …` creates; a first word naming a sub-command (fr or en) acts on existing actions.
"""
from __future__ import annotations

import re

from handlers import action_view as view
from handlers.action_parse import parse_new_action, theme_key, themes_of
from handlers.args import NumberError, looks_like_number, parse_number, pick, tokenize
from handlers.dates import DateError
from handlers.followup import plan_action
from handlers.people import Person, not_in_room, resolve, same_person
from handlers.registry import registry
from handlers.router import Invocation, UsageError, UserError
from handlers.text import bullet_list, join, too_long
from handlers.date_input import date_error, read_date
from storage.actions import ActionRecord, Owner

SECTION = "actions"  # where !aide lists these commands

SUBCOMMANDS = {
    "list": ("liste", "list", "ls", "lister"),
    "show": ("voir", "show", "détail", "detail", "details"),
    "done": ("fait", "faite", "done", "terminé", "terminée", "finie", "fini", "close"),
    "reopen": ("rouvrir", "réouvrir", "reopen"),
    "assign": ("assigner", "attribuer", "assign"),
    "unassign": ("désassigner", "retirer", "unassign"),
    "due": ("échéance", "due", "deadline"),
    "edit": ("modifier", "edit", "renommer"),
    "cancel": ("annuler", "cancel", "supprimer"),
}
NUMBERED = {"show", "done", "reopen", "assign", "unassign", "due", "edit", "cancel"}
FILTERS = {
    "mine": ("mes", "mine", "moi", "miennes", "me"),
    "overdue": ("retard", "en-retard", "retards", "overdue", "late"),
    "done": ("faites", "fait", "done", "terminées", "closed"),
    "all": ("toutes", "tout", "all"),
}
NO_DATE = ("aucune", "aucun", "none", "sans", "-")


@registry.command("action", fr="action", en="action", aliases=("actions", "tâche", "task"))
async def action(inv: Invocation) -> None:
    if not inv.args:
        raise UsageError()
    sub = pick(inv.args[0], SUBCOMMANDS)
    if sub == "list":
        await list_actions(inv, inv.args[1:])
    elif sub in NUMBERED and len(inv.args) >= 2 and looks_like_number(inv.args[1]):  # "-1" too: refused
        await SUBS[sub](inv, await _get(inv, inv.args[1]), _after(inv.rest, 2))
    elif sub in NUMBERED and len(inv.args) == 1:
        raise UsageError()
    else:  # "!action annuler la réservation …" is a new action, not `cancel`
        await create(inv)


async def create(inv: Invocation) -> None:
    _check_length(inv, inv.rest.strip())  # before parsing: the parsers are not meant for huge texts
    try:
        draft = parse_new_action(inv.rest, now=inv.services.clock.now(), tz=inv.room.timezone, lang=inv.lang)
    except DateError as exc:
        raise date_error(exc, inv.lang) from None
    if not draft.text:
        raise UsageError("action.empty")
    owners, strangers = _owners(inv, draft.owner_tokens)
    store = inv.services.store
    for key, name in draft.themes:
        await store.themes.ensure(inv.msg.room_id, key, name)
    meeting = await store.meetings.current(inv.msg.room_id)
    due = draft.deadline
    record = await store.actions.create(
        inv.msg.room_id, text=draft.text, created_by=inv.msg.sender, at=inv.services.clock.now(),
        owners=tuple(Owner(p.user_id, p.name) for p in owners), themes=tuple(k for k, _ in draft.themes),
        due_at=due.when if due else None, due_has_time=bool(due and due.has_time),
        meeting_id=meeting.id if meeting else None, topic_id=meeting.current_topic_id if meeting else None,
    )
    plan_action(inv.services, inv.room, record)
    reply = inv.t("action.created", number=record.number, text=record.text,
                  owners=view.owners_text(inv, record.owners), due=_due_long(inv, record))
    if meeting:
        reply = join([reply, inv.t("action.meeting_note")])
    reply = join([reply, *_not_in_room_notes(inv, strangers)])
    inv.reply_rendered(reply, mentions=_pinged(record.owners, inv.msg.sender))


async def list_actions(inv: Invocation, words: list[str]) -> None:
    statuses: tuple[str, ...] | None = ("open",)
    owner: Person | None = None
    theme = None
    overdue = False
    labels = []
    for word in words:
        which = pick(word, FILTERS)
        if which == "mine":
            owner = Person(inv.msg.sender, "")
            labels.append(inv.t("action.filter.mine"))
        elif which == "overdue":
            overdue = True
            labels.append(inv.t("action.filter.overdue"))
        elif which == "done":
            statuses = ("done",)
            labels.append(inv.t("action.filter.done"))
        elif which == "all":
            statuses = None
            labels.append(inv.t("action.filter.all"))
        elif word.startswith("@"):
            owner = resolve(word, inv.msg.members)
            labels.append(inv.t("action.filter.owner", name=owner.name))
        elif word.startswith("#") and len(word) > 1:
            theme = theme_key(word)
            labels.append(inv.t("action.filter.theme", name=word[1:]))
        else:
            raise UserError("action.list.bad_filter", value=word)
    actions = await inv.services.store.actions.list(inv.msg.room_id, statuses=statuses, theme=theme)
    if owner is not None:
        actions = [a for a in actions if any(_is(o, owner) for o in a.owners)]
    if overdue:
        now = inv.services.clock.now()
        actions = [a for a in actions if a.is_overdue(now)]
    if not actions:
        inv.reply("action.list.empty")
        return
    if not labels:
        inv.reply_rendered(inv.t("action.list.open") + view.by_owner(inv, actions))
        return
    header = inv.t("action.list.filtered", filters=join(labels, ", ", ", "))
    body = view.by_owner(inv, actions) if statuses == ("open",) else view.flat(inv, actions)
    inv.reply_rendered(header + body)


async def show(inv: Invocation, action: ActionRecord, _rest: str) -> None:
    history = await inv.services.store.actions.history(inv.msg.room_id, action.number)
    names = {m.user_id: m.label for m in inv.msg.members}
    themes = ", ".join(f"#{t}" for t in action.themes) or inv.t("action.no_themes")
    inv.reply("action.show", number=action.number, text=action.text,
              status=inv.t(f"action.status.{action.status}"), owners=view.owners_text(inv, action.owners),
              due=_due_long(inv, action), themes=themes,
              history=bullet_list([view.history_line(inv, e, names) for e in history]))


async def done(inv: Invocation, action: ActionRecord, _rest: str) -> None:
    if action.status == "done":
        raise UserError("action.already_done", number=action.number)
    if action.status == "cancelled":
        raise UserError("action.is_cancelled", number=action.number)
    now = inv.services.clock.now()
    await _change(inv, action, "done", status="done", closed_by=inv.msg.sender, closed_at=now)
    inv.reply("action.done", number=action.number, text=action.text)


async def reopen(inv: Invocation, action: ActionRecord, _rest: str) -> None:
    if action.status == "open":
        raise UserError("action.already_open", number=action.number)
    await _change(inv, action, "reopened", status="open", closed_by=None, closed_at=None)
    inv.reply("action.reopened", number=action.number, text=action.text)


async def cancel(inv: Invocation, action: ActionRecord, _rest: str) -> None:
    _require_editor(inv, action)
    if action.status == "cancelled":
        raise UserError("action.already_cancelled", number=action.number)
    await _change(inv, action, "cancelled", status="cancelled", closed_by=inv.msg.sender,
                  closed_at=inv.services.clock.now())
    inv.reply("action.cancelled", number=action.number, text=action.text)


async def assign(inv: Invocation, action: ActionRecord, rest: str) -> None:
    _require_editable(inv, action)
    added, strangers = _owners(inv, _people_tokens(inv, rest))
    owners = list(action.owners)
    for person in added:
        # An owner kept as a name (their id: not in the room then) who has joined since becomes a member owner.
        owners = [Owner(person.user_id, person.name) if person.user_id and o.user_id is None
                  and o.name == person.user_id else o for o in owners]
        if not any(_is(o, person) for o in owners):
            owners.append(Owner(person.user_id, person.name))
    updated = await _change(inv, action, "assigned", owners=tuple(owners))
    reply = inv.t("action.assigned", number=action.number, owners=view.owners_text(inv, updated.owners))
    inv.reply_rendered(join([reply, *_not_in_room_notes(inv, strangers)]),
                       mentions=_pinged(tuple(Owner(p.user_id, p.name) for p in added), inv.msg.sender))


async def unassign(inv: Invocation, action: ActionRecord, rest: str) -> None:
    _require_editable(inv, action)
    removed = _resolve_all(inv, _people_tokens(inv, rest))
    owners = list(action.owners)
    for person in removed:
        if not any(_is(o, person) for o in owners):
            raise UserError("action.not_an_owner", name=person.name, number=action.number)
        owners = [o for o in owners if not _is(o, person)]
    updated = await _change(inv, action, "unassigned", owners=tuple(owners))
    inv.reply("action.assigned", number=action.number, owners=view.owners_text(inv, updated.owners))


async def due(inv: Invocation, action: ActionRecord, rest: str) -> None:
    _require_editable(inv, action)
    if not rest:
        raise UsageError()
    if rest.strip().casefold() in NO_DATE:
        updated = await _change(inv, action, "due", due_at=None, due_has_time=False)
    else:
        parsed = read_date(inv, rest, deadline=True)
        updated = await _change(inv, action, "due", due_at=parsed.when, due_has_time=parsed.has_time,
                                due_reminded_at=None, overdue_notified_at=None)
    inv.reply("action.due_set", number=action.number, due=_due_long(inv, updated))


async def edit(inv: Invocation, action: ActionRecord, rest: str) -> None:
    _require_editable(inv, action)
    if not rest.strip():
        raise UsageError("action.empty")
    text = rest.strip()
    _check_length(inv, text)
    keys = {k for k, _ in themes_of(re.findall(r"(?<!\S)#([\w-]+)", text))}
    updated = await _change(inv, action, "edited", text=text, themes=tuple(sorted(set(action.themes) | keys)))
    inv.reply("action.edited", number=action.number, text=updated.text)


SUBS = {"show": show, "done": done, "reopen": reopen, "cancel": cancel, "assign": assign,
        "unassign": unassign, "due": due, "edit": edit}


# ---- helpers ---------------------------------------------------------------------------------

async def _get(inv: Invocation, word: str) -> ActionRecord:
    try:
        number = parse_number(word)
    except NumberError:
        raise UserError("number.bad_action", value=word,
                        example=f"{inv.prefix}{inv.command.name(inv.lang)} {inv.args[0]} 12") from None
    found = await inv.services.store.actions.get(inv.msg.room_id, number)
    if found is None:
        raise UserError("action.not_found", number=number)
    return found


async def _change(inv: Invocation, action: ActionRecord, kind: str, **changes) -> ActionRecord:
    updated = await inv.services.store.actions.change(
        inv.msg.room_id, action.number, actor=inv.msg.sender, at=inv.services.clock.now(), kind=kind, **changes
    )
    plan_action(inv.services, inv.room, updated)  # a new deadline, or no reminder for a closed action
    return updated


def _check_length(inv: Invocation, text: str) -> None:
    """Refuse a text over MAX_TEXT_CHARS: one that long belongs in a linked document, not in an action."""
    if values := too_long(text, inv.lang):
        raise UserError("action.too_long", **values)


def _require_editor(inv: Invocation, action: ActionRecord) -> None:
    me = inv.msg.sender
    if me == action.created_by or any(o.user_id == me for o in action.owners) or inv.is_coordinator():
        return
    raise UserError("action.refused", number=action.number)


def _require_editable(inv: Invocation, action: ActionRecord) -> None:
    _require_editor(inv, action)
    if action.status == "cancelled":
        raise UserError("action.is_cancelled", number=action.number)


def _people_tokens(inv: Invocation, rest: str) -> list[str]:
    tokens = tokenize(rest)
    if not tokens or not all(t.startswith("@") for t in tokens):
        raise UsageError()
    return tokens


def _resolve_all(inv: Invocation, tokens) -> list[Person]:
    found: list[Person] = []
    for token in tokens:
        person = resolve(token, inv.msg.members)
        if not any(same_person(person, p) for p in found):
            found.append(person)
    return found


def _owners(inv: Invocation, tokens) -> tuple[list[Person], list[Person]]:
    """The people named as owners, and those of them kept as a name only: someone named by id who is not
    a member of the room, so that no direct message ever goes to them (handlers/people.py, not_in_room)."""
    owners, strangers = [], []
    for person in _resolve_all(inv, tokens):
        kept = not_in_room(person, inv.msg.members)
        if kept is not None:
            strangers.append(kept)
        owners.append(kept or person)
    return owners, strangers


def _not_in_room_notes(inv: Invocation, strangers: list[Person]):
    """One line per owner kept as a name because they are not in the room: they will not be reminded."""
    return [inv.t("people.not_in_room", name=p.name) for p in strangers]


def _is(owner: Owner, person: Person) -> bool:
    return same_person(Person(owner.user_id, owner.name), person)


def _pinged(owners: tuple[Owner, ...], sender: str) -> tuple[str, ...]:
    """Owners other than the sender are notified (an intentional mention)."""
    return tuple(o.user_id for o in owners if o.user_id and o.user_id != sender)


def _due_long(inv: Invocation, action: ActionRecord):
    if action.due_at is None:
        return inv.t("action.no_due")
    when = view.when_text(inv, action.due_at, action.due_has_time)
    return when if action.due_has_time else inv.t("action.due_day", when=when)


def _after(rest: str, n: int) -> str:
    """The raw text after the first n words (keeps quotes and spacing for dates and texts)."""
    parts = rest.split(None, n)
    return parts[n].strip() if len(parts) > n else ""
