"""The weekly digest of a room, built from the store in a bounded number of queries (each filtered by room, and by
week where the history grows): the room, its open actions and those created or closed that week (with owners and
themes), its themes, its meetings started that week (and each one's details), its scheduled meetings; countdowns
and the digest's settings live in the room's settings. Then the sections other capabilities declare
(Capability.digest). A week with nothing to say gives one line, never an empty digest."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from handlers.core.digest import DigestHook, Section, Week
from handlers.core.people import mention
from handlers.core.services import Services
from handlers.core.text import Rendered, bullet_list, join, raw
from handlers.core.words import when_text
from handlers.dates.dates import format_day
from handlers.digest.settings import countdowns
from handlers.digest.texts import TEXTS
from handlers.schedule import upcoming
from storage.records import ActionRecord, Person, RoomSettings

EMPTY = Rendered("", "")
SOON = timedelta(days=7)
NEXT_MEETINGS = 3
LIST_LIMIT = 15  # lines per part: a long list ends with "…"


@dataclass(frozen=True)
class Digest:
    room_id: str
    week: Week
    lang: str
    room_name: str
    content: Rendered
    mentions: tuple[str, ...]
    quiet: bool

    @property
    def subject(self) -> str:
        start = format_day(self.week.monday, self.lang, year=False)
        return TEXTS.t(self.lang, "digest.email_subject", room=self.room_name, start=start).plain


def span_text(start: date, end: date, lang: str) -> str:
    """"1 an 0 mois 0 jours" / "1 year 0 months 0 days" between two days."""
    delta = relativedelta(end, start)
    if lang == "fr":
        years = f"{delta.years} an" + ("s" if delta.years > 1 else "")
        days = f"{delta.days} jour" + ("" if delta.days == 1 else "s")
        return TEXTS.t(lang, "countdown.span", years=years, months=delta.months, days=days).plain
    unit = lambda n, word: f"{n} {word}" + ("" if n == 1 else "s")  # noqa: E731
    return TEXTS.t(lang, "countdown.span", years=unit(delta.years, "year"), months=unit(delta.months, "month"),
                   days=unit(delta.days, "day")).plain


def countdown_left(entry: dict, today: date, lang: str) -> Rendered:
    day = date.fromisoformat(entry["date"])
    values = dict(label=entry["label"], date=format_day(day, lang))
    if day < today:
        return TEXTS.t(lang, "countdown.passed", **values)
    if day == today:
        return TEXTS.t(lang, "countdown.today", **values)
    return TEXTS.t(lang, "countdown.left", span=span_text(today, day, lang), **values)


def _part(lang: str, title_key: str, lines: list[Rendered]) -> Rendered | None:
    if not lines:
        return None
    if len(lines) > LIST_LIMIT:
        lines = [*lines[:LIST_LIMIT], raw("…")]
    return TEXTS.t(lang, "digest.part", title=TEXTS.t(lang, title_key), items=bullet_list(lines))


def _names(people: tuple[Person, ...], *, pills: bool) -> Rendered:
    items = [mention(p) if pills else raw(p.name) for p in people]
    return Rendered(", ".join(i.plain for i in items), ", ".join(i.html for i in items))


async def actions_section(room: RoomSettings, week: Week, services: Services, now: datetime) -> Section | None:
    lang, tz = room.language, room.timezone
    t = partial(TEXTS.t, lang)
    store = services.store
    # Each list cut where _part cuts it (LIST_LIMIT lines, then "…"), the counts made in SQL: the same few
    # queries and a bounded read whatever the room's history (storage ActionRepo.week_view).
    view = await store.actions.week_view(room.room_id, week.start, week.end, now=now, soon_until=now + SOON,
                                         limit=LIST_LIMIT + 1)
    themes = await store.themes.all(room.room_id)
    today = now.astimezone(ZoneInfo(tz)).date()

    def due(a: ActionRecord) -> Rendered:
        return t("digest.action.due", when=when_text(a.due_at, tz, lang, a.due_has_time)) if a.due_at else EMPTY

    def line(a: ActionRecord, details: Rendered | str = "") -> Rendered:
        return t("digest.action", number=a.number, text=a.text, details=details)

    def by(a: ActionRecord, pills: bool = False) -> Rendered:
        return t("digest.action.by", who=_names(a.owners, pills=pills)) if a.owners else EMPTY

    done, new, overdue, soon = view.done, view.new, view.overdue, view.soon
    closers = {a.number: a.closed_by for a in done}

    def done_by(a: ActionRecord) -> Rendered:
        if a.owners:
            return by(a)
        closer = closers.get(a.number)
        return t("digest.action.by", who=closer[1:].split(":", 1)[0]) if closer else EMPTY

    def late(a: ActionRecord) -> Rendered:
        days = (today - a.due_at.astimezone(ZoneInfo(tz)).date()).days
        return by(a, pills=True) + t("digest.action.late", when=when_text(a.due_at, tz, lang, a.due_has_time),
                                     days=max(days, 0))

    per_person: dict[str, tuple[str, int]] = {key: (name, n) for key, name, n in view.per_owner}
    if view.unassigned:
        per_person["~"] = (t("digest.nobody").plain, view.unassigned)
    theme_counts = view.per_theme
    theme_lines = []
    for theme in themes:
        if theme.key not in theme_counts:
            continue
        referent = (t("digest.theme.referent", name=theme.referent_name) if theme.referent_name
                    else t("digest.theme.no_referent"))
        theme_lines.append(t("digest.theme", name=theme.name, referent=referent, n=theme_counts[theme.key]))

    parts = [
        _part(lang, "digest.actions.done", [line(a, done_by(a)) for a in done]),
        _part(lang, "digest.actions.new", [line(a, by(a) + due(a)) for a in new]),
        _part(lang, "digest.actions.overdue", [line(a, late(a)) for a in overdue]),
        _part(lang, "digest.actions.soon", [line(a, by(a) + due(a)) for a in soon]),
        _part(lang, "digest.actions.per_person", [
            t("digest.count", name=name, n=n)
            for _, (name, n) in sorted(per_person.items(), key=lambda kv: (kv[0] == "~", kv[1][0].casefold()))]),
        _part(lang, "digest.actions.per_theme", theme_lines),
    ]
    found = [p for p in parts if p is not None]
    if not found:
        return None
    mentions = tuple(dict.fromkeys(o.user_id for a in overdue for o in a.owners if o.user_id))
    return Section(join(found, "\n", ""), mentions)


async def meetings_section(room: RoomSettings, week: Week, services: Services, now: datetime) -> Section | None:
    lang, tz = room.language, room.timezone
    t = partial(TEXTS.t, lang)
    store = services.store
    held = []
    for meeting in await store.meetings.between(room.room_id, week.start, week.end):
        details = await store.meetings.details(meeting.id)
        if details is None:
            continue
        present = sum(1 for a in details.attendance if a.status in ("present", "late"))
        excused = sum(1 for a in details.attendance if a.status == "excused")
        decisions = [raw(i.text) for i in details.items if i.kind == "decision"]
        held.append(t(
            "digest.meeting", number=meeting.number,
            title=t("digest.meeting.title", title=meeting.title) if meeting.title else "",
            when=when_text(meeting.started_at, tz, lang), present=t("digest.meeting.present", count=present),
            excused=t("digest.meeting.excused", count=excused),
            scribe=t("digest.meeting.scribe", name=meeting.scribe.name) if meeting.scribe else "",
            decisions=t("digest.meeting.decisions", items=join(decisions, " ; " if lang == "fr" else "; ",
                                                                " ; " if lang == "fr" else "; "))
            if decisions else ""))
    coming = []
    for record in await store.schedules.list(room.room_id):
        for occurrence in upcoming(record, now, limit=NEXT_MEETINGS):
            coming.append((occurrence.at, record))
    coming.sort(key=lambda c: (c[0], c[1].number))
    next_lines = [t("digest.next", number=record.number,
                    title=t("digest.meeting.title", title=record.title) if record.title else "",
                    when=when_text(at, tz, lang),
                    place=t("digest.next.place", place=record.place) if record.place else "",
                    link=t("digest.next.link", link=record.link) if record.link else "")
                  for at, record in coming[:NEXT_MEETINGS]]
    found = [p for p in (_part(lang, "digest.meetings.held", held), _part(lang, "digest.meetings.next", next_lines))
             if p is not None]
    return Section(join(found, "\n", "")) if found else None


async def countdowns_section(room: RoomSettings, week: Week, services: Services, now: datetime) -> Section | None:
    today = now.astimezone(ZoneInfo(room.timezone)).date()
    lines = [countdown_left(c, today, room.language) for c in countdowns(room)
             if date.fromisoformat(c["date"]) >= today]
    part = _part(room.language, "digest.countdowns", lines)
    return Section(part) if part is not None else None


OWN: tuple[DigestHook, ...] = (actions_section, meetings_section)


async def build(services: Services, room: RoomSettings, week: Week, *, now: datetime,
                hooks: tuple[DigestHook, ...] = (), late: bool = False) -> Digest:
    lang, tz = room.language, room.timezone
    room_name = services.room_name(room.room_id)
    start = format_day(week.monday, lang, year=False)
    end = format_day(week.monday + timedelta(days=6), lang)
    sections = [s for hook in (*OWN, *hooks) if (s := await hook(room, week, services, now)) is not None]
    quiet = not sections
    if not quiet:
        countdown = await countdowns_section(room, week, services, now)
        if countdown is not None:
            sections.append(countdown)
    title = TEXTS.t(lang, "digest.title", room=room_name, start=start, end=end)
    if late:
        title = TEXTS.t(lang, "digest.late") + title
    if quiet:
        body = TEXTS.t(lang, "digest.quiet", start=start, end=end)
        content = join([title, body])
    else:
        content = join([title, join([s.content for s in sections], "\n", "")], "\n", "<br>")
    mentions = tuple(dict.fromkeys(m for s in sections for m in s.mentions))
    return Digest(room.room_id, week, lang, room_name, content, mentions, quiet)
