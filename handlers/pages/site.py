"""A room's pages, read from the store: the token finds the room (only a room whose pages are on), then each
page reads that room's rows only, in a bounded number of limited queries, and is rendered by views.py.
No web server here (bot/web.py serves these): a page is bytes and a content type, or `NotFound`."""
from __future__ import annotations

import hashlib
import math
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from handlers.core.digest import DigestHook, Week
from handlers.core.services import Services
from handlers.core.words import when_text
from handlers.dates.dates import format_day
from handlers.digest import build as build_digest, countdowns
from handlers.meetings import build_minutes
from handlers.pages import feed, layout, views
from handlers.pages.links import room_url, webcal
from handlers.schedule import build_ics, upcoming
from storage.records import ActionSnapshot, MeetingRecord, PageLink, RoomSettings

HOME_MEETINGS = 5
HOME_MOBILISATIONS = 5
HOME_ACTIONS = 100  # open actions shown on the home page, the soonest due first (the total is said)
HOME_DECISIONS = 10
MINUTES_PER_PAGE = 50
WEEKS_PER_PAGE = 52
FEED_MINUTES = 20
FEED_DIGESTS = 10
MAX_WEEKS = 520  # ten years of digests at most
MAX_PAGE = 10_000
DIGESTS_KEPT = 1_000  # past weeks' digests kept in memory

HTML = "text/html; charset=utf-8"


class NotFound(Exception):
    """No such page for this token (unknown or revoked token, pages off, no such meeting or week)."""


@dataclass(frozen=True)
class Page:
    body: bytes
    content_type: str = HTML


@dataclass(frozen=True)
class Room:
    link: PageLink
    settings: RoomSettings
    name: str

    @property
    def lang(self) -> str:
        return self.settings.language

    @property
    def tz(self) -> str:
        return self.settings.timezone


@dataclass
class Site:
    services: Services
    public_url: str
    digest_hooks: tuple[DigestHook, ...] = ()  # the other capabilities' digest sections (the registry's)
    # The digests of weeks that are over, as first built: (room, week, language, zone) -> HTML.
    _digests: OrderedDict[tuple[str, str, str, str], str] = field(default_factory=OrderedDict)

    @property
    def store(self):
        return self.services.store

    def now(self) -> datetime:
        return self.services.clock.now()

    def default_language(self) -> str:
        return self.services.defaults.language

    async def room(self, token: str) -> Room:
        if not token or len(token) > 128:
            raise NotFound
        link = await self.store.pages.by_token(token)
        if link is None:
            raise NotFound
        settings = await self.store.rooms.get(link.room_id)
        if settings is None:
            d = self.services.defaults
            settings = RoomSettings(link.room_id, d.language, d.timezone, None)
        return Room(link, settings, self.services.room_name(link.room_id))

    def _frame(self, room: Room, root: str) -> views.Frame:
        calendar = room_url(self.public_url, room.link.token, "calendar.ics")
        return views.Frame(room.lang, room.name, root, when_text(self.now(), room.tz, room.lang), webcal(calendar))

    # --- home

    async def home(self, token: str) -> Page:
        room = await self.room(token)
        store, now, room_id = self.store, self.now(), room.link.room_id
        meetings = []
        for record in await store.schedules.list(room_id):
            for occurrence in upcoming(record, now, limit=HOME_MEETINGS):
                meetings.append(views.Upcoming(f"P{record.number}", record.title, occurrence.at, record.place,
                                               record.link))
        meetings.sort(key=lambda u: u.at)
        coming = sorted((m for m in [*await store.mobilisations.list(room_id),
                                     *await store.mobilisations.relayed_to(room_id)] if m.starts_at >= now),
                        key=lambda m: m.starts_at)[:HOME_MOBILISATIONS]
        mobilisations = []
        for m in coming:
            people = await store.mobilisations.participants(m.id)
            mobilisations.append(views.Upcoming(f"M{m.ref}", m.title, m.starts_at, m.place, m.link,
                                                len(people) + sum(p.guests for p in people)))
        today = now.astimezone(ZoneInfo(room.tz)).date()
        days = [(c["label"], datetime.fromisoformat(c["date"]).date()) for c in countdowns(room.settings)]
        actions, total = await store.page_reads.open_actions(room_id, HOME_ACTIONS)
        themes = {th.key: th.name for th in await store.themes.all(room_id)}
        decisions = await store.page_reads.last_decisions(room_id, HOME_DECISIONS)
        data = views.Home(meetings[:HOME_MEETINGS], mobilisations, [d for d in days if d[1] >= today], actions,
                          total, themes, decisions, now, room.tz)
        return Page(views.home(self._frame(room, "./"), data).encode())

    # --- minutes

    async def minutes_index(self, token: str, page: int = 1) -> Page:
        room = await self.room(token)
        page = _page_number(page)
        meetings, total = await self.store.page_reads.meetings(
            room.link.room_id, offset=(page - 1) * MINUTES_PER_PAGE, limit=MINUTES_PER_PAGE)
        pages = max(1, math.ceil(total / MINUTES_PER_PAGE))
        if page > pages:
            raise NotFound
        return Page(views.minutes_index(self._frame(room, "../"), meetings, room.tz, page, pages).encode())

    async def minutes(self, token: str, number: int) -> Page:
        room = await self.room(token)
        meeting = await self.store.meetings.get(room.link.room_id, number)
        if meeting is None:
            raise NotFound
        details = await self.store.meetings.details(meeting.id)
        if details is None:
            raise NotFound
        live = None if details.actions is not None else await self._draft_actions(meeting)
        minutes = build_minutes(details, live, tz=room.tz)
        return Page(views.minutes_page(self._frame(room, "../"), minutes, self.now()).encode())

    async def _draft_actions(self, meeting: MeetingRecord) -> list[ActionSnapshot]:
        """A meeting still open: the actions created in it so far (the room's other open ones are on the home)."""
        found = await self.store.actions.list(meeting.room_id, statuses=None, meeting_id=meeting.id)
        return [ActionSnapshot(a.number, a.text, a.status, a.owners, a.due_at, a.due_has_time, a.meeting_id,
                               meeting.number, a.topic_id, a.created_at) for a in found]

    # --- weekly digests

    async def _weeks(self, room: Room) -> list[Week]:
        """Every week since the room's pages could say something (the bot's join, or its first meeting), up to
        the current one, newest first."""
        now = self.now()
        first = room.settings.joined_at or await self.store.page_reads.first_meeting_at(room.link.room_id) or now
        current = Week.containing(now, room.tz)
        week = Week.containing(min(first, now), room.tz)
        span = (current.monday - week.monday).days // 7
        if span >= MAX_WEEKS:
            week = Week(current.monday - timedelta(weeks=MAX_WEEKS - 1), room.tz)
            span = MAX_WEEKS - 1
        return [Week(current.monday - timedelta(weeks=i), room.tz) for i in range(span + 1)]

    async def digests_index(self, token: str, page: int = 1) -> Page:
        room = await self.room(token)
        page = _page_number(page)
        weeks = await self._weeks(room)
        pages = max(1, math.ceil(len(weeks) / WEEKS_PER_PAGE))
        if page > pages:
            raise NotFound
        shown = weeks[(page - 1) * WEEKS_PER_PAGE:page * WEEKS_PER_PAGE]
        return Page(views.digests_index(self._frame(room, "../"), [(w.label, w.monday) for w in shown],
                                        page, pages).encode())

    async def digest(self, token: str, label: str) -> Page:
        room = await self.room(token)
        try:
            week = Week.of_label(label, room.tz)
        except ValueError:
            raise NotFound from None
        if week.label != label or week not in await self._weeks(room):
            raise NotFound
        over = week.end <= self.now()
        key = (room.link.room_id, week.label, room.lang, room.tz)
        content = self._digests.get(key) if over else None
        if content is None:
            digest = await build_digest(self.services, room.settings, week, now=min(self.now(), week.end),
                                        hooks=self.digest_hooks)
            content = digest.content.html
            if over:  # a week that is over is archived as first built: later views cost no query
                self._digests[key] = content
                if len(self._digests) > DIGESTS_KEPT:
                    self._digests.popitem(last=False)
        return Page(views.digest_page(self._frame(room, "../"), week.monday, content).encode())

    # --- calendar and feed

    async def calendar(self, token: str) -> Page:
        room = await self.room(token)
        store, room_id = self.store, room.link.room_id
        records = await store.schedules.list(room_id)
        mobilisations = [*await store.mobilisations.list(room_id), *await store.mobilisations.relayed_to(room_id)]
        # DTSTAMP from the records themselves, not the clock: an unchanged calendar is the same file (its ETag
        # holds, and apps polling it get 304s).
        stamps = [room.link.changed_at, *(r.created_at for r in records),
                  *(c.set_at for r in records for c in r.changes), *(m.created_at for m in mobilisations)]
        data = build_ics(records, room_name=room.name, lang=room.lang, now=max(stamps),
                         mobilisations=mobilisations)
        return Page(data, "text/calendar; charset=utf-8")

    async def feed(self, token: str) -> Page:
        room = await self.room(token)
        now, base = self.now(), room_url(self.public_url, room.link.token)
        meetings, _ = await self.store.page_reads.meetings(room.link.room_id, offset=0, limit=FEED_MINUTES, ended=True)
        entries = [feed.Entry(
            id=f"{_tag(room)}:minutes:{m.number}", title=views.meeting_title(m, room.lang, room.tz),
            url=f"{base}minutes/{m.number}", updated=m.ended_at or m.started_at,
            summary=when_text(m.started_at, room.tz, room.lang)) for m in meetings]
        current = Week.containing(now, room.tz)
        for week in [w for w in await self._weeks(room) if w != current][:FEED_DIGESTS]:  # weeks that are over
            start = format_day(week.monday, room.lang, year=False)
            entries.append(feed.Entry(
                id=f"{_tag(room)}:digest:{week.label}", title=layout.plain(room.lang, "web.feed_digest", start=start),
                url=f"{base}digests/{week.label}", updated=week.end, summary=views.week_title(week.monday, room.lang)))
        entries.sort(key=lambda e: e.updated, reverse=True)
        title = layout.plain(room.lang, "web.feed_title", room=room.name)
        updated = entries[0].updated if entries else room.link.changed_at
        return Page(feed.atom(title=title, feed_id=_tag(room), self_url=f"{base}feed.atom", home_url=base,
                              updated=updated, lang=room.lang, entries=entries),
                    "application/atom+xml; charset=utf-8")

    def not_found(self) -> Page:
        return Page(layout.not_found(self.default_language()).encode())

    def error(self) -> Page:
        return Page(layout.error(self.default_language()).encode())


def _page_number(page: int) -> int:
    if not 1 <= page <= MAX_PAGE:
        raise NotFound
    return page


def _tag(room: Room) -> str:
    """The feed's id: stable per room, without the token (a new link keeps the feed's entries the same)."""
    return f"urn:relais:{hashlib.sha256(room.link.room_id.encode()).hexdigest()[:24]}"
