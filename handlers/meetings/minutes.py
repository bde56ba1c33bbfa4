"""Minutes of a meeting, rendered from its stored record — no Matrix, no database.

    minutes = build(details, actions, tz="Europe/Paris")   # the structure (language-free)
    rendered(minutes, "fr")        # Rendered: plain body + HTML, for the room
    markdown(minutes, "fr")        # str, for `python -m bot minutes export --format md`
    html_document(minutes, "fr")   # a standalone HTML page
    to_json(minutes)               # a dict, the structured record

Layout: title, date and time span, present, excused (with reasons), late, chair, minute-taker, who
also spoke without being marked present; then one section per topic (items recorded before the first
topic come first, under "General") with its infos, decisions, ideas, links and actions; then
"Actions by person" (this meeting's new actions, and open ones carried from before) and unassigned
actions. Every text comes from the meetings' catalogue (handlers/meetings/texts.py); user text is escaped
for the format at hand (HTML, Markdown), never trusted.
"""
from __future__ import annotations

import html as _html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from string import Formatter
from typing import Any
from handlers.core.people import person_key
from handlers.core.text import Rendered, template_to_markdown, template_to_plain
from handlers.core.words import clock_text, when_text
from handlers.dates.words import fold
from handlers.meetings.texts import TEXTS
from storage.records import ActionSnapshot, ItemRecord, MeetingDetails, MeetingRecord, Person

CONTENT_KINDS = ("info", "decision", "idea", "link")


# --- the structure ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    topic: ItemRecord | None  # None: what was recorded before the first topic
    items: tuple[ItemRecord, ...]  # infos, decisions, ideas, links — grouped in that order
    actions: tuple[ActionSnapshot, ...]  # created in this meeting under this topic


@dataclass(frozen=True)
class Minutes:
    meeting: MeetingRecord
    draft: bool  # the meeting is still open
    tz: str
    present: tuple[Person, ...]
    excused: tuple[tuple[Person, str | None], ...]
    late: tuple[tuple[Person, str | None], ...]
    also_spoke: tuple[Person, ...]  # spoke or added items, but not in the attendance
    sections: tuple[Section, ...]
    new_actions: tuple[ActionSnapshot, ...]  # created in this meeting (cancelled ones left out)
    carried_actions: tuple[ActionSnapshot, ...]  # open, created before (in a meeting or not): the first ones
    carried_more: int = 0  # open actions from before not listed (common.CARRIED_SHOWN)


def _by_name(who: Person) -> str:
    return fold(who.name)


def build(details: MeetingDetails, actions: Sequence[ActionSnapshot] | None = None, *, tz: str,
          carried_more: int = 0) -> Minutes:
    """The minutes' structure. ``actions`` (and ``carried_more``, open actions from before left out): for an open
    meeting (a draft), the room's actions as they are now; an ended meeting uses the snapshot taken at its end
    and ignores these."""
    m = details.meeting
    all_actions = details.actions if details.actions is not None else tuple(actions or ())
    if details.actions is not None:
        carried_more = details.carried_more
    present, excused, late = [], [], []
    for a in details.attendance:
        if a.status == "present":
            present.append(a.person)
        elif a.status == "excused":
            excused.append((a.person, a.reason))
        else:
            late.append((a.person, a.reason))
    present.sort(key=_by_name)
    excused.sort(key=lambda e: _by_name(e[0]))
    late.sort(key=lambda e: _by_name(e[0]))

    listed = {a.person.user_id for a in details.attendance if a.person.user_id}
    spoke: dict[str, Person] = {}
    for user_id, name in [(m.started_by.user_id, m.started_by.name),
                          *((s.user_id, s.name) for s in details.speakers),
                          *((i.author.user_id, i.author.name) for i in details.items)]:
        if user_id and user_id not in listed and user_id not in spoke:
            spoke[user_id] = Person(user_id, name)

    new = tuple(a for a in all_actions if a.meeting_id == m.id and a.status != "cancelled")
    carried = tuple(a for a in all_actions if a.meeting_id != m.id and a.status == "open")
    topics = [i for i in details.items if i.kind == "topic"]
    topic_ids = {t.id for t in topics}

    def section(topic: ItemRecord | None) -> Section:
        tid = topic.id if topic else None
        items = [i for i in details.items if i.kind != "topic"
                 and (i.topic_id == tid or (tid is None and i.topic_id not in topic_ids))]
        items.sort(key=lambda i: (CONTENT_KINDS.index(i.kind), i.id))
        acts = [a for a in new if a.topic_id == tid or (tid is None and a.topic_id not in topic_ids)]
        return Section(topic, tuple(items), tuple(acts))

    general = section(None)
    sections = ([general] if general.items or general.actions else []) + [section(t) for t in topics]
    return Minutes(
        meeting=m, draft=m.is_open, tz=tz, present=tuple(present), excused=tuple(excused), late=tuple(late),
        also_spoke=tuple(sorted(spoke.values(), key=_by_name)), sections=tuple(sections),
        new_actions=new, carried_actions=carried, carried_more=carried_more,
    )


def by_person(minutes: Minutes) -> tuple[list[tuple[Person, list[ActionSnapshot]]], list[ActionSnapshot]]:
    """(owner, their actions) sorted by name — new ones first, then carried ones — and unassigned ones."""
    groups: dict[str, tuple[Person, list[ActionSnapshot]]] = {}
    unassigned: list[ActionSnapshot] = []
    for action in (*minutes.new_actions, *minutes.carried_actions):
        if not action.owners:
            unassigned.append(action)
        for owner in action.owners:
            key = person_key(owner)
            groups.setdefault(key, (owner, []))[1].append(action)
    ordered = sorted(groups.values(), key=lambda g: _by_name(g[0]))
    return ordered, unassigned


# --- formats: the same layout written as plain text, HTML (room and file) and Markdown -----------------


class _Format:
    """How one output format writes templates, user text, people, lists and blocks."""

    def template(self, tmpl: str) -> str:
        raise NotImplementedError

    def esc(self, text: str) -> str:
        raise NotImplementedError

    def person(self, who: Person) -> str:
        return self.esc(who.name)

    def link(self, url: str, text: str | None) -> str:
        raise NotImplementedError

    def bullets(self, items: list[str]) -> str:
        raise NotImplementedError

    def heading(self, text: str) -> str:
        raise NotImplementedError

    def title(self, text: str) -> str:
        return self.heading(text)

    def lines(self, lines: list[str]) -> str:
        raise NotImplementedError

    def document(self, blocks: list[str]) -> str:
        raise NotImplementedError

    def t(self, lang: str, key: str, **values: Any) -> str:
        """A catalogue text; values must already be written in this format (use esc for user text)."""
        return Formatter().vformat(self.template(TEXTS.template(lang, key)), (), {k: str(v) for k, v in values.items()})

    def counted(self, lang: str, key: str, count: int) -> str:
        """A catalogue text with plural forms, for ``count``."""
        return Formatter().vformat(self.template(TEXTS.template(lang, key, count)), (), {"count": str(count)})


class _Plain(_Format):
    def template(self, tmpl: str) -> str:
        return template_to_plain(tmpl)

    def esc(self, text: str) -> str:
        return text

    def link(self, url: str, text: str | None) -> str:
        return f"{text} — {url}" if text else url

    def bullets(self, items: list[str]) -> str:
        return "\n".join(f"• {i}" for i in items)

    def heading(self, text: str) -> str:
        return text

    def lines(self, lines: list[str]) -> str:
        return "\n".join(lines)

    def document(self, blocks: list[str]) -> str:
        return "\n\n".join(b for b in blocks if b)


class _Html(_Format):
    def __init__(self, pills: bool = True) -> None:
        self.pills = pills

    def template(self, tmpl: str) -> str:
        return tmpl

    def esc(self, text: str) -> str:
        return _html.escape(text, quote=False)

    def person(self, who: Person) -> str:
        if who.user_id is None or not self.pills:
            return self.esc(who.name)
        href = _html.escape(f"https://matrix.to/#/{who.user_id}", quote=True)
        return f'<a href="{href}">{self.esc(who.name)}</a>'

    def link(self, url: str, text: str | None) -> str:
        href = _html.escape(url, quote=True)
        return f'<a href="{href}">{self.esc(text or url)}</a>'

    def bullets(self, items: list[str]) -> str:
        return "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"

    def heading(self, text: str) -> str:
        return f"<b>{text}</b>"

    def lines(self, lines: list[str]) -> str:
        return "<p>" + "<br>".join(lines) + "</p>"

    def document(self, blocks: list[str]) -> str:
        return "".join(blocks)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~&])")


class _Markdown(_Format):
    def template(self, tmpl: str) -> str:
        return template_to_markdown(tmpl)

    def esc(self, text: str) -> str:
        text = _MD_SPECIAL.sub(r"\\\1", " ".join(text.split("\n")))
        # A leading "1." or "-" would start a list.
        return re.sub(r"^(\d+)\.(?=\s)", r"\1\\.", re.sub(r"^([-+])(?=\s)", r"\\\1", text))

    def link(self, url: str, text: str | None) -> str:
        target = url.replace("(", "%28").replace(")", "%29").replace(" ", "%20")
        return f"[{self.esc(text or url)}](<{target}>)"

    def bullets(self, items: list[str]) -> str:
        return "\n".join(f"- {i}" for i in items)

    def heading(self, text: str) -> str:
        return f"## {text}"

    def title(self, text: str) -> str:
        return f"# {text}"

    def lines(self, lines: list[str]) -> str:
        return "  \n".join(lines)

    def document(self, blocks: list[str]) -> str:
        return "\n\n".join(b for b in blocks if b) + "\n"


PLAIN, HTML, HTML_FILE, MARKDOWN = _Plain(), _Html(), _Html(pills=False), _Markdown()


# --- the layout, once for every format -----------------------------------------------------------------


def span(meeting: MeetingRecord, lang: str, tz: str) -> tuple[str, dict[str, str]]:
    """The catalogue key and values saying when the meeting took place, in the room's zone."""
    start, end = meeting.started_at, meeting.ended_at
    day, start_time = when_text(start, tz, lang, False), clock_text(start, tz, lang)
    if end is None:
        return "minutes.span_open", {"day": day, "start": start_time, "tz": tz}
    if when_text(end, tz, lang, False) == day:
        return "minutes.span", {"day": day, "start": start_time, "end": clock_text(end, tz, lang), "tz": tz}
    return "minutes.span_days", {"start": when_text(start, tz, lang), "end": when_text(end, tz, lang), "tz": tz}


def _people(f: _Format, people: Sequence[Person]) -> str:
    return ", ".join(f.person(p) for p in people)


def _with_notes(f: _Format, lang: str, entries: Sequence[tuple[Person, str | None]]) -> str:
    return ", ".join(
        f.t(lang, "minutes.with_reason", person=f.person(who), reason=f.esc(note)) if note else f.person(who)
        for who, note in entries
    )


def _due(f: _Format, lang: str, tz: str, action: ActionSnapshot) -> str:
    if action.due_at is None:
        return ""
    when = when_text(action.due_at, tz, lang, action.due_has_time)
    return f.t(lang, "minutes.action.due", when=f.esc(when))


def _status(f: _Format, lang: str, action: ActionSnapshot) -> str:
    if action.status == "open":
        return ""
    return f.t(lang, "minutes.action.status", status=f.t(lang, f"minutes.status.{action.status}"))


def action_line(f: _Format, lang: str, tz: str, action: ActionSnapshot, *, owners: bool = True,
                without: Person | None = None, meeting_id: int | None = None) -> str:
    """'#N text — owners — due date' (owners left out, or only the others when listed under one of them;
    an action carried from before says where it comes from)."""
    details = ""
    if owners and action.owners:
        details += f.t(lang, "minutes.action.owners", owners=_people(f, action.owners))
    elif without is not None:
        others = [o for o in action.owners if o != without]
        if others:
            details += f.t(lang, "minutes.action.with", owners=_people(f, others))
    details += _due(f, lang, tz, action) + _status(f, lang, action)
    if meeting_id is not None and action.meeting_id != meeting_id:
        details += (f.t(lang, "minutes.action.carried_from", number=action.meeting_number)
                    if action.meeting_number is not None else f.t(lang, "minutes.action.carried"))
    return f.t(lang, "minutes.action", number=action.number, text=f.esc(action.text), details=details)


def _item_line(f: _Format, lang: str, item: ItemRecord) -> str:
    if item.kind == "link":
        value = f.link(item.url or item.text, item.text if item.url and item.text != item.url else None)
        return f.t(lang, "minutes.item.link", link=value)
    return f.t(lang, f"minutes.item.{item.kind}", text=f.esc(item.text))


def _write(f: _Format, minutes: Minutes, lang: str) -> str:
    m, tz = minutes.meeting, minutes.tz
    key = "minutes.title" if m.title else "minutes.title_untitled"
    if minutes.draft:
        key += "_draft"
    title = f.t(lang, key, number=m.number, title=f.esc(m.title or ""))
    span_key, span_values = span(m, lang, tz)
    header = [f.title(title), f.t(lang, span_key, **{k: f.esc(v) for k, v in span_values.items()})]
    if minutes.present:
        header.append(f.t(lang, "minutes.present", count=len(minutes.present), people=_people(f, minutes.present)))
    else:
        header.append(f.t(lang, "minutes.present_none"))
    if minutes.excused:
        header.append(f.t(lang, "minutes.excused", count=len(minutes.excused),
                          people=_with_notes(f, lang, minutes.excused)))
    if minutes.late:
        header.append(f.t(lang, "minutes.late", count=len(minutes.late), people=_with_notes(f, lang, minutes.late)))
    if m.chair:
        header.append(f.t(lang, "minutes.chair", person=f.person(m.chair)))
    header.append(f.t(lang, "minutes.scribe", person=f.person(m.scribe)) if m.scribe
                  else f.t(lang, "minutes.scribe_none"))
    if minutes.also_spoke:
        header.append(f.t(lang, "minutes.also_spoke", people=_people(f, minutes.also_spoke)))
    blocks = [f.lines(header)]

    number = 0
    for sec in minutes.sections:
        if sec.topic is None:
            heading = f.t(lang, "minutes.general")
        else:
            number += 1
            heading = f.t(lang, "minutes.topic", n=number, title=f.esc(sec.topic.text))
        lines = [_item_line(f, lang, i) for i in sec.items]
        lines += [f.t(lang, "minutes.item.action", action=action_line(f, lang, tz, a)) for a in sec.actions]
        body = f.bullets(lines) if lines else f.lines([f.t(lang, "minutes.topic_empty")])
        blocks.append(f.heading(heading) + _sep(f) + body)
    if not minutes.sections:
        blocks.append(f.lines([f.t(lang, "minutes.no_topics")]))

    groups, unassigned = by_person(minutes)
    parts = [f.heading(f.t(lang, "minutes.by_person"))]
    if not groups and not unassigned:
        parts.append(f.lines([f.t(lang, "minutes.no_actions")]))
    for owner, actions in groups:
        lines = [action_line(f, lang, tz, a, owners=False, without=owner, meeting_id=m.id) for a in actions]
        parts.append(f.lines([f.t(lang, "minutes.owner", person=f.person(owner))]) + _sep(f) + f.bullets(lines))
    if unassigned:
        lines = [action_line(f, lang, tz, a, owners=False, meeting_id=m.id) for a in unassigned]
        parts.append(f.lines([f.t(lang, "minutes.unassigned")]) + _sep(f) + f.bullets(lines))
    if minutes.carried_more:
        parts.append(f.lines([f.counted(lang, "minutes.carried_more", minutes.carried_more)]))
    blocks.append(_sep(f).join(parts))
    return f.document(blocks)


def _sep(f: _Format) -> str:
    return "" if isinstance(f, _Html) else "\n"


# --- entry points -------------------------------------------------------------------------------------


def rendered(minutes: Minutes, lang: str) -> Rendered:
    """The minutes as posted in the room: plain body and HTML with mention pills."""
    return Rendered(_write(PLAIN, minutes, lang), _write(HTML, minutes, lang))


def markdown(minutes: Minutes, lang: str) -> str:
    return _write(MARKDOWN, minutes, lang)


def html_document(minutes: Minutes, lang: str) -> str:
    m = minutes.meeting
    key = "minutes.title" if m.title else "minutes.title_untitled"
    title = _html.unescape(template_to_plain(TEXTS.template(lang, key)).format(number=m.number, title=m.title or ""))
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{_html.escape(title, quote=False)}</title>\n</head>\n<body>\n"
            f"{_write(HTML_FILE, minutes, lang)}\n</body>\n</html>\n")


def to_json(minutes: Minutes) -> dict[str, Any]:
    """The structured record: everything the minutes say, without any language."""
    m = minutes.meeting

    def who(p: Person | None) -> dict[str, Any] | None:
        return None if p is None else {"user_id": p.user_id, "name": p.name}

    def item(i: ItemRecord) -> dict[str, Any]:
        return {"id": i.id, "kind": i.kind, "text": i.text, "url": i.url, "author": who(i.author),
                "at": i.created_at.isoformat()}

    groups, unassigned = by_person(minutes)
    return {
        "room_id": m.room_id,
        "number": m.number,
        "title": m.title,
        "draft": minutes.draft,
        "timezone": minutes.tz,
        "started_at": m.started_at.isoformat(),
        "ended_at": m.ended_at.isoformat() if m.ended_at else None,
        "chair": who(m.chair),
        "scribe": who(m.scribe),
        "present": [who(p) for p in minutes.present],
        "excused": [{**who(p), "reason": r} for p, r in minutes.excused],
        "late": [{**who(p), "note": r} for p, r in minutes.late],
        "also_spoke": [who(p) for p in minutes.also_spoke],
        "topics": [
            {"id": s.topic.id if s.topic else None, "title": s.topic.text if s.topic else None,
             "items": [item(i) for i in s.items], "actions": [a.number for a in s.actions]}
            for s in minutes.sections
        ],
        "actions": [{**a.to_json(), "new": a.meeting_id == m.id}
                    for a in (*minutes.new_actions, *minutes.carried_actions)],
        "actions_by_person": [{"person": who(p), "actions": [a.number for a in acts]} for p, acts in groups],
        "unassigned_actions": [a.number for a in unassigned],
        "carried_more": minutes.carried_more,
    }
