"""The pages as HTML strings, from the store's records (no web server, no database here): the home page, the
minutes (an index by date and one article per meeting), the weekly digests (index and one page per week).
Semantic HTML: one h1 per page, h2 per part, lists for lists, <time> for dates; user text always escaped."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from handlers.core.words import clock_text, when_text
from handlers.dates.dates import format_day
from handlers.meetings import Minutes
from handlers.pages.layout import Frame, document, esc, pager, plain, t
from storage.records import ActionRecord, ActionSnapshot, ItemRecord, MeetingRecord, Person

KINDS = ("info", "decision", "idea", "link")


@dataclass(frozen=True)
class Upcoming:
    """A next meeting (P-number) or mobilisation (M-number, with its head count)."""

    ref: str
    title: str | None
    at: datetime
    place: str | None
    link: str | None
    head_count: int | None = None


@dataclass(frozen=True)
class Home:
    meetings: Sequence[Upcoming]
    mobilisations: Sequence[Upcoming]
    countdowns: Sequence[tuple[str, date]]  # label, day
    actions: Sequence[ActionRecord]  # the open ones shown (the soonest due first)
    actions_total: int  # open in all
    themes: dict[str, str]  # key -> name
    decisions: Sequence[tuple[int, datetime, ItemRecord]]  # meeting number, its start, the decision
    now: datetime
    tz: str


def _para(lang: str, key: str) -> str:
    return f"<p>{t(lang, key)}</p>"


def _time(at: datetime, tz: str, lang: str, has_time: bool = True) -> str:
    local = at.astimezone(ZoneInfo(tz))
    stamp = local.isoformat() if has_time else local.date().isoformat()
    return f'<time datetime="{esc(stamp)}">{esc(when_text(at, tz, lang, has_time))}</time>'


def _days_left(day: date, today: date, lang: str) -> str:
    left = (day - today).days
    if left <= 0:
        return t(lang, "web.today")
    if left == 1:
        return t(lang, "web.tomorrow")
    return t(lang, "web.in_days", count=left)


def _link(url: str, text: str | None = None) -> str:
    safe = url if url.lower().startswith(("http://", "https://")) else None
    label = esc(text or url)
    return f'<a href="{esc(safe)}" rel="nofollow noopener">{label}</a>' if safe else label


def _upcoming(items: Sequence[Upcoming], lang: str, tz: str, today: date, empty: str) -> str:
    if not items:
        return f"<p>{t(lang, empty)}</p>"
    lines = []
    for u in items:
        title = esc(u.title) if u.title else t(lang, "web.untitled")
        details = [f'<span class="when">{_time(u.at, tz, lang)}</span> '
                   f'({_days_left(u.at.astimezone(ZoneInfo(tz)).date(), today, lang)})']
        if u.place:
            details.append(t(lang, "web.place", place=u.place))
        if u.link:
            details.append(_link(u.link, plain(lang, "web.link")))
        if u.head_count is not None:
            details.append(t(lang, "web.head_count", count=u.head_count))
        lines.append(f"<li><strong>{esc(u.ref)} {title}</strong><br>{' · '.join(details)}</li>")
    return "<ul>" + "".join(lines) + "</ul>"


def _names(people: Sequence[Person]) -> str:
    return ", ".join(esc(p.name) for p in people)


@lru_cache(maxsize=4096)
def _due(at: datetime, tz: str, lang: str, has_time: bool) -> str:
    """"échéance vendredi 30 avril 2021": many actions share a day, and Babel's formatting is the page's cost."""
    return t(lang, "web.due", when=when_text(at, tz, lang, has_time))


def _action(a: ActionRecord | ActionSnapshot, lang: str, tz: str, now: datetime, *, owners: bool = False) -> str:
    parts = [f"#{a.number} {esc(a.text)}"]
    if owners and a.owners:
        parts.append(f"— {_names(a.owners)}")
    if a.due_at is not None:
        due = _due(a.due_at, tz, lang, a.due_has_time)
        if a.status == "open" and a.due_at < now:
            parts.append(f'<span class="overdue">({due}, {t(lang, "web.overdue")})</span>')
        else:
            parts.append(f"({due})")
    if a.status in ("done", "cancelled"):
        status = t(lang, f"web.status.{a.status}")
        parts.append(f"({status})")
    return " ".join(parts)


def _grouped(groups: dict[str, tuple[str, list[ActionRecord]]], lines: dict[int, str], last: str) -> str:
    """h4 per group (by name, `last` at the end), a list of its actions (`lines`: each one's text, by number)."""
    out = []
    for key, (name, actions) in sorted(groups.items(), key=lambda kv: (kv[0] == last, kv[1][0].casefold())):
        out.append(f"<h4>{esc(name)}</h4><ul>" + "".join(f"<li>{lines[a.number]}</li>" for a in actions) + "</ul>")
    return "".join(out)


def home(frame: Frame, data: Home) -> str:
    lang, tz, now = frame.lang, data.tz, data.now
    today = now.astimezone(ZoneInfo(tz)).date()
    body = [f"<h1>{esc(frame.room_name)}</h1>"]
    body.append(f'<section aria-labelledby="next"><h2 id="next">{t(lang, "web.next_meetings")}</h2>'
                + _upcoming(data.meetings, lang, tz, today, "web.no_meetings") + "</section>")
    body.append(f'<section aria-labelledby="mob"><h2 id="mob">{t(lang, "web.mobilisations")}</h2>'
                + _upcoming(data.mobilisations, lang, tz, today, "web.no_mobilisations") + "</section>")
    if data.countdowns:
        items = "".join(f"<li><strong>{esc(label)}</strong> — <time datetime=\"{day.isoformat()}\">"
                        f"{esc(format_day(day, lang))}</time> ({_days_left(day, today, lang)})</li>"
                        for label, day in data.countdowns)
        body.append(f'<section aria-labelledby="cd"><h2 id="cd">{t(lang, "web.countdowns")}</h2>'
                    f"<ul>{items}</ul></section>")
    actions = [f'<h2 id="actions">{t(lang, "web.actions")}</h2>']
    if not data.actions:
        actions.append(_para(lang, "web.no_actions"))
    else:
        if data.actions_total > len(data.actions):
            actions.append(f'<p class="meta">{t(lang, "web.actions_more", shown=len(data.actions), count=data.actions_total)}</p>')
        people: dict[str, tuple[str, list[ActionRecord]]] = {}
        themes: dict[str, tuple[str, list[ActionRecord]]] = {}
        for a in data.actions:
            for owner in a.owners or (None,):
                key, name = (("~", plain(lang, "web.unassigned")) if owner is None
                             else (owner.user_id or f"name:{owner.name}", owner.name))
                people.setdefault(key, (name, []))[1].append(a)
            for key in a.themes or ("~",):
                name = plain(lang, "web.no_theme") if key == "~" else data.themes.get(key, key)
                themes.setdefault(key, (name, []))[1].append(a)
        lines = {a.number: _action(a, lang, tz, now) for a in data.actions}  # each once, shown twice
        actions.append(f'<h3>{t(lang, "web.by_person")}</h3>{_grouped(people, lines, "~")}')
        actions.append(f'<h3>{t(lang, "web.by_theme")}</h3>{_grouped(themes, lines, "~")}')
    body.append('<section aria-labelledby="actions">' + "".join(actions) + "</section>")
    decisions = [f'<h2 id="decisions">{t(lang, "web.decisions")}</h2>']
    if not data.decisions:
        decisions.append(_para(lang, "web.no_decisions"))
    else:
        decisions.append("<ul>" + "".join(
            f'<li>{esc(item.text)} <span class="meta">(<a href="minutes/{number}">'
            f'{t(lang, "web.decision_from", number=number, when=when_text(at, tz, lang, False))}</a>)</span></li>'
            for number, at, item in data.decisions) + "</ul>")
    body.append('<section aria-labelledby="decisions">' + "".join(decisions) + "</section>")
    return document(frame, frame.room_name, "\n".join(body))


# --- minutes ----------------------------------------------------------------------------------------------


def meeting_title(meeting: MeetingRecord, lang: str, tz: str) -> str:
    """"La réunion du 27 avril 2021" (with its title first when it has one), plain text."""
    day = format_day(meeting.started_at.astimezone(ZoneInfo(tz)).date(), lang)
    if meeting.title:
        return plain(lang, "web.meeting_title_named", title=meeting.title, date=day)
    return plain(lang, "web.meeting_title", date=day)


def minutes_index(frame: Frame, meetings: Sequence[MeetingRecord], tz: str, page: int, pages: int) -> str:
    lang = frame.lang
    title = plain(lang, "web.minutes")
    if not meetings:
        listing = _para(lang, "web.minutes_none")
    else:
        listing = "<ol reversed>" + "".join(
            f'<li value="{m.number}"><a href="{m.number}">{esc(meeting_title(m, lang, tz))}</a></li>'
            for m in meetings) + "</ol>"
    return document(frame, title, f"<h1>{esc(title)}</h1>\n{listing}\n{pager(lang, page, pages, './')}")


def _people_row(lang: str, key: str, value: str) -> str:
    nobody = t(lang, "web.nobody")
    return f"<dt>{t(lang, key)}</dt><dd>{value or nobody}</dd>"


def _with_reasons(entries: Sequence[tuple[Person, str | None]]) -> str:
    return ", ".join(esc(p.name) + (f" ({esc(reason)})" if reason else "") for p, reason in entries)


def _item(item: ItemRecord) -> str:
    if item.kind == "link":
        return _link(item.url or item.text, item.text if item.url and item.text != item.url else None)
    return esc(item.text)


def minutes_page(frame: Frame, minutes: Minutes, now: datetime) -> str:
    lang, m, tz = frame.lang, minutes.meeting, minutes.tz
    title = meeting_title(m, lang, tz)
    span = clock_text(m.started_at, tz, lang) + (f" – {clock_text(m.ended_at, tz, lang)}" if m.ended_at else "")
    head = [f"<h1>{esc(title)}</h1>",
            f'<p class="meta">{t(lang, "web.meeting_ref", number=m.number, span=span)}</p>']
    if minutes.draft:
        head.append(f'<p class="overdue">{t(lang, "web.draft")}</p>')
    rows = [_people_row(lang, "web.present", _names(minutes.present)),
            _people_row(lang, "web.excused", _with_reasons(minutes.excused))]
    if minutes.late:
        rows.append(_people_row(lang, "web.late", _with_reasons(minutes.late)))
    if m.chair:
        rows.append(_people_row(lang, "web.chair", esc(m.chair.name)))
    rows.append(_people_row(lang, "web.scribe", esc(m.scribe.name) if m.scribe else ""))
    head.append('<dl class="people">' + "".join(rows) + "</dl>")
    sections = []
    number = 0
    for sec in minutes.sections:
        if sec.topic is None:
            heading = t(lang, "web.general")
        else:
            number += 1
            heading = f"{number}. {esc(sec.topic.text)}"
        parts = []
        for kind in KINDS:
            items = [i for i in sec.items if i.kind == kind]
            if items:
                heading_kind = t(lang, f"web.kind.{kind}")
                parts.append(f"<h3>{heading_kind}</h3><ul>"
                             + "".join(f"<li>{_item(i)}</li>" for i in items) + "</ul>")
        if sec.actions:
            parts.append("<h3>" + t(lang, "web.kind.action") + "</h3><ul>"
                         + "".join(f"<li>{_action(a, lang, tz, now, owners=True)}</li>" for a in sec.actions)
                         + "</ul>")
        sections.append(f"<section><h2>{heading}</h2>"
                        + ("".join(parts) or _para(lang, "web.topic_empty")) + "</section>")
    if not minutes.sections:
        sections.append(_para(lang, "web.no_topics"))
    back = f'<p><a href="./">{t(lang, "web.back_to_minutes")}</a></p>'
    body = "<article>\n<header>" + "".join(head) + "</header>\n" + "\n".join(sections) + "\n</article>\n" + back
    return document(frame, title, body)


# --- digests ----------------------------------------------------------------------------------------------


def week_title(monday: date, lang: str) -> str:
    sunday = date.fromordinal(monday.toordinal() + 6)
    return plain(lang, "web.digest_title", start=format_day(monday, lang, year=False), end=format_day(sunday, lang))


def digests_index(frame: Frame, weeks: Sequence[tuple[str, date]], page: int, pages: int) -> str:
    """`weeks`: (label "2026-W48", its Monday), newest first."""
    lang = frame.lang
    title = plain(lang, "web.digests")
    if not weeks:
        listing = _para(lang, "web.digests_none")
    else:
        listing = "<ul>" + "".join(f'<li><a href="{esc(label)}">{esc(week_title(monday, lang))}</a></li>'
                                   for label, monday in weeks) + "</ul>"
    return document(frame, title, f"<h1>{esc(title)}</h1>\n{listing}\n{pager(lang, page, pages, './')}")


def digest_page(frame: Frame, monday: date, content_html: str) -> str:
    """`content_html`: the digest as posted in the room (handlers/digest), whose HTML escapes user text."""
    title = week_title(monday, frame.lang)
    back = f'<p><a href="./">{t(frame.lang, "web.back_to_digests")}</a></p>'
    return document(frame, title, f"<article>\n<h1>{esc(title)}</h1>\n<div>{content_html}</div>\n</article>\n{back}")
