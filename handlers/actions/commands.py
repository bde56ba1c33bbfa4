"""!action: record who does what by when, list, and see it through.

`!action <what> …` creates; a first word naming a sub-command (fr or en) followed by a number acts on an existing
action (`!action annuler la réservation` is a new action: no number follows).
"""
from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from handlers.actions import view
from handlers.actions.followup import plan_action
from handlers.actions.parse import parse_new_action, theme_key, themes_of
from handlers.core import paging
from handlers.core.arguments import Date, Number, Numbers, People, Rest, Words
from handlers.core.args import pick
from handlers.core.commands import command
from handlers.core.errors import UsageError, UserError
from handlers.core.people import not_in_room, resolve, resolve_all, same_person
from handlers.core.router import Invocation
from handlers.core.text import Rendered, bullet_list, join, too_long
from handlers.dates.date_input import date_error
from handlers.dates.words import fold
from handlers.dates.dates import DateError, ParsedDate
from handlers.mobilisations import mobilisation_to_prepare, prepares_note, take_mobilisation
from storage.records import ActionRecord, Person

FILTERS = {
    "mine": ("mes", "mine", "moi", "miennes", "me"),
    "overdue": ("retard", "en-retard", "retards", "overdue", "late"),
    "done": ("faites", "fait", "done", "terminées", "closed"),
    "all": ("toutes", "tout", "all"),
}
NO_DATE = ("aucune", "aucun", "none", "sans", "-")


def _en_retard(words: list[str]) -> list[str]:
    """`en retard` as French speakers write it, two words: the filter `retard`."""
    out: list[str] = []
    for word in words:
        if out and fold(out[-1]) == "en" and pick(word, FILTERS) == "overdue":
            out[-1] = word
        else:
            out.append(word)
    return out


async def _action(inv: Invocation, number: int) -> ActionRecord:
    found = await inv.services.store.actions.get(inv.msg.room_id, number)
    if found is None:
        raise UserError("action.not_found", number=number)
    return found


ACTION = Number("action", invalid="number.bad_action", sample="12", lookup=_action)
ACTIONS = Numbers("actions", invalid="number.bad_action", sample="12", lookup=_action)
OWNERS = People("owners", least=1)


@command("action", fr="action", en="action", aliases=("tâche", "task"), line="create",
         shortcuts={"actions": "liste", "tâches": "liste", "tasks": "liste"},  # plural: the list
         args=[Rest("what", label="action.arg.what")])
async def action(inv: Invocation, what: str) -> None:
    _check_length(inv, what)  # before parsing: the parsers are not meant for huge texts
    what, linked = take_mobilisation(what)  # "… pour la mobilisation 1" / "for M1": before the deadline's "pour"
    try:
        draft = parse_new_action(what, now=inv.services.clock.now(), tz=inv.room.timezone, lang=inv.lang)
    except DateError as exc:
        raise date_error(exc, inv.lang) from None
    if not draft.text:
        raise UsageError("action.empty")
    owners, strangers = _owners(inv, resolve_all(draft.owner_tokens, inv.msg.members))
    prepares = await mobilisation_to_prepare(inv, linked) if linked is not None else None  # before recording
    store = inv.services.store
    for key, name in draft.themes:
        await store.themes.ensure(inv.msg.room_id, key, name)
    due = draft.deadline
    record = await store.actions.create(  # in the open meeting, if there is one (read by the insert itself)
        inv.msg.room_id, text=draft.text, created_by=inv.msg.sender, at=inv.services.clock.now(),
        owners=tuple(owners), themes=tuple(k for k, _ in draft.themes),
        due_at=due.when if due else None, due_has_time=bool(due and due.has_time),
        mobilisation_id=prepares.id if prepares else None, in_open_meeting=True,
    )
    plan_action(inv.services, inv.room, record, new=True)
    reply = inv.t("action.created", number=record.number, text=record.text,
                  owners=view.owners_text(inv, record.owners), due=view.due_long(inv, record))
    if record.meeting_id is not None:
        reply = join([reply, inv.t("action.meeting_note")])
    if prepares:
        reply = join([reply, prepares_note(inv, prepares)])
    reply = join([reply, *_not_in_room_notes(inv, strangers)])
    # "!action fait abc" came here, no number after `fait`: recorded (it may be a text), but say how to act on one
    if (word := inv.command.passed_over(what)) is not None:
        reply = join([reply, inv.t("action.sub_hint", word=word, number=record.number)])
    inv.reply_rendered(reply, mentions=_pinged(record.owners, inv.msg.sender))


@action.sub("liste", "list", "ls", "lister", args=[Words("filters", label="action.arg.filters", optional=True)])
async def list_actions(inv: Invocation, words: list[str]) -> None:
    words, page = _page_of(inv, _en_retard(words))
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
    store = inv.services.store
    owner_ids, owner_names = await _owner_filter(inv, owner) if owner is not None else ((), ())
    grouped = statuses == ("open",)  # open actions read by owner; others one per line, with their status
    if overdue:
        statuses = ("open",)  # overdue: open with a deadline passed
    actions, total = await store.actions.page(
        inv.msg.room_id, limit=PAGE_SIZE, offset=paging.offset(page, PAGE_SIZE), statuses=statuses,
        owner_ids=owner_ids, owner_names=owner_names, theme=theme,
        due_before=inv.services.clock.now() if overdue else None)
    if not total:
        inv.reply("action.list.empty")
        return
    if not actions:  # a page past the last one
        pages = paging.page_count(total, PAGE_SIZE)
        raise UserError("action.list.beyond" if pages > 1 else "action.list.beyond_one", page=page, pages=pages,
                        total=total,
                        command=_page_command(inv, words, pages))
    if not labels:
        body = inv.t("action.list.open") + view.by_owner(inv, actions)
    else:
        header = inv.t("action.list.filtered", filters=join(labels, ", ", ", "))
        body = header + (view.by_owner(inv, actions) if grouped else view.flat(inv, actions))
    footer = paging.footer(inv, ("action.list.page", "action.list.next"), page=page, size=PAGE_SIZE, shown=len(actions), total=total,
                           command=lambda n: _page_command(inv, words, n))
    inv.reply_rendered(join([body, footer]) if footer else body)


# A page of `!action liste`: one event well under the homeserver's size limit even with long texts and many
# owners (list lines cut texts at view.LINE_TEXT_CHARS), whatever the room's history.
PAGE_SIZE = 25
PAGE_WORDS = ("page", "p", "pages")


def _page_of(inv: Invocation, words: list[str]) -> tuple[list[str], int]:
    """The filters without `page N`, and N (1 when absent)."""
    for i, word in enumerate(words):
        if word.casefold() in PAGE_WORDS:
            value = words[i + 1] if i + 1 < len(words) else ""
            if not value.isdigit() or int(value) < 1:
                raise UserError("action.list.bad_page", value=value or word,
                                command=_page_command(inv, words[:i] + words[i + 2:], 2))
            return words[:i] + words[i + 2:], int(value)
    return words, 1


def _page_command(inv: Invocation, filters: list[str], page: int) -> str:
    """`!action liste mes page 2`: the same list, another page, in the room's language."""
    listing = "liste" if inv.lang == "fr" else "list"
    return " ".join([f"{inv.prefix}action", listing, *filters, "page", str(page)])


async def _owner_filter(inv: Invocation, owner: Person) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The stored owners `@person` / `mes` matches (as handlers/core/people.same_person): a member by id, or by
    their id kept as a name; someone outside Matrix by name, whatever the case and accents."""
    if owner.user_id:
        return (owner.user_id,), (owner.user_id,)
    wanted = fold(owner.name)
    names = [n for n in await inv.services.store.actions.outsider_names(inv.msg.room_id) if fold(n) == wanted]
    return (owner.name,), tuple(names)


@action.sub("voir", "show", "détail", "detail", "details", args=[ACTIONS], more_ok=True)
async def show(inv: Invocation, actions: list[ActionRecord]) -> None:
    inv.reply_rendered(join([await _detail(inv, action) for action in actions], "\n", "<br>"))


async def _detail(inv: Invocation, action: ActionRecord) -> Rendered:
    history = await inv.services.store.actions.history(inv.msg.room_id, action.number)
    names = {m.user_id: m.label for m in inv.msg.members}
    shown = await inv.services.store.themes.names(inv.msg.room_id, action.themes)  # as written, accents included
    themes = ", ".join(f"#{shown.get(t, t)}" for t in action.themes) or inv.t("action.no_themes")
    return inv.t("action.show", number=action.number, text=action.text,
                 status=inv.t(f"action.status.{action.status}"), owners=view.owners_text(inv, action.owners),
                 due=view.due_long(inv, action), themes=themes,
                 history=bullet_list([view.history_line(inv, e, names) for e in history]))


@action.sub("fait", "done", "faite", "terminé", "terminée", "finie", "fini", "close", args=[ACTIONS], more_ok=True)
async def done(inv: Invocation, actions: list[ActionRecord]) -> None:
    await _each(inv, actions, _done)


async def _done(inv: Invocation, action: ActionRecord) -> Rendered:
    if action.status == "done":
        raise UserError("action.already_done", number=action.number)
    if action.status == "cancelled":
        raise UserError("action.is_cancelled", number=action.number)
    now = inv.services.clock.now()
    await _change(inv, action, "done", status="done", closed_by=inv.msg.sender, closed_at=now)
    return inv.t("action.done", number=action.number, text=action.text)


@action.sub("rouvrir", "reopen", "réouvrir", args=[ACTIONS], more_ok=True)
async def reopen(inv: Invocation, actions: list[ActionRecord]) -> None:
    await _each(inv, actions, _reopen)


async def _reopen(inv: Invocation, action: ActionRecord) -> Rendered:
    if action.status == "open":
        raise UserError("action.already_open", number=action.number)
    await _change(inv, action, "reopened", status="open", closed_by=None, closed_at=None)
    return inv.t("action.reopened", number=action.number, text=action.text)


@action.sub("assigner", "assign", "attribuer", args=[ACTION, OWNERS])
async def assign(inv: Invocation, action: ActionRecord, named: list[Person]) -> None:
    _require_editable(inv, action)
    added, strangers = _owners(inv, named)
    owners = list(action.owners)
    for person in added:
        # An owner kept as a name (their id: not in the room then) who has joined since becomes a member owner.
        owners = [person if person.user_id and o.user_id is None and o.name == person.user_id else o
                  for o in owners]
        if not any(same_person(o, person) for o in owners):
            owners.append(person)
    updated = await _change(inv, action, "assigned", owners=tuple(owners))
    reply = inv.t("action.assigned", number=action.number, owners=view.owners_text(inv, updated.owners))
    inv.reply_rendered(join([reply, *_not_in_room_notes(inv, strangers)]),
                       mentions=_pinged(tuple(added), inv.msg.sender))


@action.sub("retirer", "unassign", "désassigner", args=[ACTION, OWNERS])
async def unassign(inv: Invocation, action: ActionRecord, removed: list[Person]) -> None:
    _require_editable(inv, action)
    owners = list(action.owners)
    for person in removed:
        if not any(same_person(o, person) for o in owners):
            raise UserError("action.not_an_owner", name=person.name, number=action.number)
        owners = [o for o in owners if not same_person(o, person)]
    updated = await _change(inv, action, "unassigned", owners=tuple(owners))
    inv.reply("action.assigned", number=action.number, owners=view.owners_text(inv, updated.owners))


@action.sub("échéance", "due", "deadline",
            args=[ACTION, Date("due", label="arg.date_or_none", deadline=True, none=NO_DATE)])
async def due(inv: Invocation, action: ActionRecord, parsed: ParsedDate | None) -> None:
    _require_editable(inv, action)
    if parsed is None:
        updated = await _change(inv, action, "due", due_at=None, due_has_time=False)
    else:
        updated = await _change(inv, action, "due", due_at=parsed.when, due_has_time=parsed.has_time,
                                due_reminded_at=None, overdue_notified_at=None)
    inv.reply("action.due_set", number=action.number, due=view.due_long(inv, updated))


@action.sub("modifier", "edit", "renommer", args=[ACTION, Rest("text", missing="action.empty")])
async def edit(inv: Invocation, action: ActionRecord, text: str) -> None:
    _require_editable(inv, action)
    _check_length(inv, text)
    keys = {k for k, _ in themes_of(re.findall(r"(?<!\S)#([\w-]+)", text))}
    updated = await _change(inv, action, "edited", text=text, themes=tuple(sorted(set(action.themes) | keys)))
    inv.reply("action.edited", number=action.number, text=updated.text)


@action.sub("annuler", "cancel", "supprimer", args=[ACTIONS], more_ok=True)
async def cancel(inv: Invocation, actions: list[ActionRecord]) -> None:
    await _each(inv, actions, _cancel)


async def _cancel(inv: Invocation, action: ActionRecord) -> Rendered:
    _require_editor(inv, action)
    if action.status == "cancelled":
        raise UserError("action.already_cancelled", number=action.number)
    await _change(inv, action, "cancelled", status="cancelled", closed_by=inv.msg.sender,
                  closed_at=inv.services.clock.now())
    return inv.t("action.cancelled", number=action.number, text=action.text)


# ---- helpers ---------------------------------------------------------------------------------


async def _each(inv: Invocation, actions: list[ActionRecord],
                one: Callable[[Invocation, ActionRecord], Awaitable[Rendered]]) -> None:
    """`!action fait 2 3`: each action in turn, one reply with a line each. One action that cannot be changed
    (already done, not yours) gets its line saying why; the others are changed all the same."""
    lines = []
    for action in actions:
        try:
            lines.append(await one(inv, action))
        except UserError as exc:
            if len(actions) == 1:
                raise
            lines.append(inv.t(exc.key, **exc.values))
    inv.reply_rendered(join(lines))


async def _change(inv: Invocation, action: ActionRecord, kind: str, **changes) -> ActionRecord:
    updated = await inv.services.store.actions.change(
        inv.msg.room_id, action.number, actor=inv.msg.sender, at=inv.services.clock.now(), kind=kind, **changes
    )
    plan_action(inv.services, inv.room, updated)  # a new deadline, or no reminder for a closed action
    return updated


def _check_length(inv: Invocation, text: str) -> None:
    """Refuse a text over MAX_TEXT_CHARS: one that long belongs in a linked document, not in an action."""
    if values := too_long(text.strip(), inv.lang):
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


def _owners(inv: Invocation, named: list[Person]) -> tuple[list[Person], list[Person]]:
    """The people named as owners, and those of them kept as a name only: someone named by id who is not
    a member of the room, so that no direct message ever goes to them (handlers/core/people.py, not_in_room)."""
    owners, strangers = [], []
    for person in named:
        kept = not_in_room(person, inv.msg.members)
        if kept is not None:
            strangers.append(kept)
        owners.append(kept or person)
    return owners, strangers


def _not_in_room_notes(inv: Invocation, strangers: list[Person]):
    """One line per owner kept as a name because they are not in the room: they will not be reminded."""
    return [inv.t("people.not_in_room", name=p.name) for p in strangers]


def _pinged(owners: tuple[Person, ...], sender: str) -> tuple[str, ...]:
    """Owners other than the sender are notified (an intentional mention)."""
    return tuple(o.user_id for o in owners if o.user_id and o.user_id != sender)
