"""Action items: per-room numbers, owners, themes, deadlines, history; and the room's themes.

    rec = await store.actions.create(room_id, text="Book the hall", created_by=sender, at=now,
                                     owners=(Person("@bob:x", "Bob"), Person(None, "Carol")),
                                     themes=("logistics",))
    rec.number                                   # 1, 2, 3... per room, never reused
    await store.actions.change(room_id, rec.number, actor=sender, at=now, kind="done",
                               status="done", closed_by=sender, closed_at=now)
    await store.actions.history(room_id, rec.number)   # [created, done]

Tables: ``actions`` (one row per action, unique (room_id, number)), ``action_owners`` (ordered by
``position``; ``user_id`` NULL for someone outside Matrix), ``action_themes`` (theme keys),
``action_history`` (one row per recorded change, ``detail`` as JSON text) and ``themes`` (per room:
display name and referent). Numbers come from ``counters`` (see storage/counters.py).
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Column,
    Boolean,
    CheckConstraint,
    ColumnElement,
    ForeignKey,
    Index,
    Integer,
    Select,
    String,
    Text,
    UniqueConstraint,
    and_,
    bindparam,
    delete,
    exists,
    func,
    insert,
    literal_column,
    null,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.base import Base, Repo, UTCDateTime, execute_later, insert_ignore, page_total, read_back, upsert
from storage.counters import BUMP, given, taken
from storage.records import ActionRecord, HistoryEntry, Person, Theme, WeekActions

STATUSES = ("open", "done", "cancelled")
COUNTER_KIND = "action"


# --- models ---------------------------------------------------------------------------------------


class Action(Base):
    __tablename__ = "actions"
    __table_args__ = (
        UniqueConstraint("room_id", "number"),
        CheckConstraint("status IN ('open', 'done', 'cancelled')", name="status"),
        Index("ix_actions_status_due_at", "status", "due_at"),
        # A room's list, in order, without reading other rooms' rows (revision 0012; also the digest's reads).
        Index("ix_actions_room_id_status_number", "room_id", "status", "number"),
        Index("ix_actions_room_id_status_due_at", "room_id", "status", "due_at"),  # a digest's deadlines (0012)
        # A weekly digest's reads (ActionRepo.of_week), revision 0009.
        Index("ix_actions_room_created_at", "room_id", "created_at"),
        Index("ix_actions_room_closed_at", "room_id", "closed_at"),
    )

    id = Column(Integer, primary_key=True)
    room_id = Column(String(255), nullable=False)
    number = Column(Integer, nullable=False)
    text = Column(Text, nullable=False)
    status = Column(String(16), nullable=False)
    due_at = Column(UTCDateTime())
    due_has_time = Column(Boolean, nullable=False)
    created_by = Column(String(255), nullable=False)
    created_at = Column(UTCDateTime(), nullable=False)
    closed_by = Column(String(255))
    closed_at = Column(UTCDateTime())
    # No foreign keys: the meetings tables belong to another revision.
    meeting_id = Column(Integer, index=True)
    topic_id = Column(Integer)
    due_reminded_at = Column(UTCDateTime())
    overdue_notified_at = Column(UTCDateTime())
    # The mobilisation it prepares (revision 0010; no foreign key: another capability's table).
    mobilisation_id = Column(Integer, index=True)


class ActionOwner(Base):
    __tablename__ = "action_owners"

    action_id = Column(
        Integer, ForeignKey("actions.id", ondelete="CASCADE"), primary_key=True
    )
    position = Column(Integer, primary_key=True)
    user_id = Column(String(255), index=True)
    name = Column(Text, nullable=False)


class ActionTheme(Base):
    __tablename__ = "action_themes"

    action_id = Column(
        Integer, ForeignKey("actions.id", ondelete="CASCADE"), primary_key=True
    )
    key = Column(String(255), primary_key=True, index=True)


class ActionHistory(Base):
    __tablename__ = "action_history"

    id = Column(Integer, primary_key=True)
    action_id = Column(
        Integer, ForeignKey("actions.id", ondelete="CASCADE"), index=True, nullable=False
    )
    at = Column(UTCDateTime(), nullable=False)
    actor = Column(String(255), nullable=False)
    kind = Column(String(64), nullable=False)
    detail = Column(Text, nullable=False)


class ThemeRow(Base):
    __tablename__ = "themes"

    room_id = Column(String(255), primary_key=True)
    key = Column(String(255), primary_key=True)
    name = Column(Text, nullable=False)
    referent_user_id = Column(String(255))
    referent_name = Column(Text)


class ActionNotFound(LookupError):
    pass


# --- helpers ------------------------------------------------------------------------------------------

_COLUMNS = {
    "text",
    "status",
    "due_at",
    "due_has_time",
    "closed_by",
    "closed_at",
    "due_reminded_at",
    "overdue_notified_at",
}
_CHANGEABLE = _COLUMNS | {"owners", "themes"}


def _check_status(status: Any) -> None:
    if status not in STATUSES:
        raise ValueError(f"action status must be one of {', '.join(STATUSES)}, not {status!r}")


def _owners(owners: Iterable[Person]) -> tuple[Person, ...]:
    """The owners in the order given, each person once (same user id, or same name for outsiders)."""
    if isinstance(owners, (str, Person)):
        raise TypeError("owners must be an iterable of Person")
    seen: set[tuple[str, str]] = set()
    result = []
    for o in owners:
        if not isinstance(o, Person):
            raise TypeError(f"owners must be Person instances, not {type(o).__name__}")
        ident = ("user", o.user_id) if o.user_id is not None else ("name", o.name)
        if ident not in seen:
            seen.add(ident)
            result.append(o)
    return tuple(result)


def _themes(themes: Iterable[str]) -> tuple[str, ...]:
    if isinstance(themes, str):
        raise TypeError("themes must be an iterable of theme keys, not a string")
    return tuple(sorted(set(themes)))


def _jsonable(name: str, value: Any) -> Any:
    if name == "owners":
        return [{"user_id": o.user_id, "name": o.name} for o in value]
    if name == "themes":
        return list(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return value


def _detail(values: Mapping[str, Any]) -> str:
    detail = {k: _jsonable(k, v) for k, v in values.items()}
    return json.dumps(detail, ensure_ascii=False, sort_keys=True)


# Owners, themes and history lines are written with `execute_later`: nothing reads their result, and on SQLite
# they go to the database with the unit's next statement or its commit instead of a trip each.
async def _write_owners(s: AsyncConnection, action_id: int, owners: tuple[Person, ...]) -> None:
    if owners:
        await execute_later(
            s,
            insert(ActionOwner.__table__),
            [
                {"action_id": action_id, "position": i, "user_id": o.user_id, "name": o.name}
                for i, o in enumerate(owners)
            ],
        )


async def _write_themes(s: AsyncConnection, action_id: int, themes: tuple[str, ...]) -> None:
    if themes:
        await execute_later(s, insert(ActionTheme.__table__), [{"action_id": action_id, "key": k} for k in themes])


async def _write_history(
    s: AsyncConnection, action_id: int, at: datetime, actor: str, kind: str, values: Mapping[str, Any]
) -> None:
    await execute_later(s, _INSERT_HISTORY,
                        {"action_id": action_id, "at": at, "actor": actor, "kind": kind, "detail": _detail(values)})


# The hot inserts are built once and given their values at execution: a statement built with `.values(...)` at
# each call costs SQLAlchemy a new cache key (~0.2 ms of CPU, docs/performance.md).
_INSERT_HISTORY = insert(ActionHistory.__table__)
_OW, _TH = ActionOwner.__table__, ActionTheme.__table__
_OWNERS = select(_OW.c.action_id, _OW.c.user_id, _OW.c.name).order_by(_OW.c.action_id, _OW.c.position)
_THEMES = select(_TH.c.action_id, _TH.c.key).order_by(_TH.c.action_id, _TH.c.key)
# A page's owners and themes in one statement, one trip to the database instead of two: the owners (kind 0, in
# their order), then the themes (kind 1, by key). The kinds are written in the SQL, not bound: PostgreSQL must
# know their type.
_OWNERS_AND_THEMES_OF_IDS = union_all(
    select(_OW.c.action_id, literal_column("0").label("kind"), _OW.c.position.label("pos"),
           _OW.c.user_id.label("value"), _OW.c.name)
    .where(_OW.c.action_id.in_(bindparam("ids", expanding=True))),
    select(_TH.c.action_id, literal_column("1"), literal_column("0"), _TH.c.key, null())
    .where(_TH.c.action_id.in_(bindparam("ids", expanding=True))),
).order_by(literal_column("kind"), _OW.c.action_id, literal_column("pos"), literal_column("value"))
_A = Action.__table__
_RECORD_COLUMNS = (_A.c.id, _A.c.room_id, _A.c.number, _A.c.text, _A.c.status, _A.c.due_at, _A.c.due_has_time,
                   _A.c.created_by, _A.c.created_at, _A.c.closed_by, _A.c.closed_at, _A.c.meeting_id, _A.c.topic_id,
                   _A.c.due_reminded_at, _A.c.overdue_notified_at, _A.c.mobilisation_id)
_RECORD_WIDTH = len(_RECORD_COLUMNS)


@lru_cache(maxsize=None)
def _insert_numbered(in_open_meeting: bool) -> Any:
    """An action's insert that takes its number from the counter bumped just before it (`counters.BUMP`, sent
    with it in one trip on SQLite) and, `in_open_meeting`, its meeting and topic from the room's open meeting
    (at most one: a unique index): the handler's two reads become part of the write (docs/performance.md,
    round 14). Built once per variant, when first used (storage.meetings is imported by then)."""
    values: dict[str, Any] = {"number": taken("counter_room", COUNTER_KIND)}
    if in_open_meeting:
        m = Base.metadata.tables["meetings"]
        open_meeting = select(m.c.id, m.c.current_topic_id).where(
            m.c.room_id == bindparam("meeting_room"), m.c.ended_at.is_(None))
        values |= {"meeting_id": open_meeting.with_only_columns(m.c.id).scalar_subquery(),
                   "topic_id": open_meeting.with_only_columns(m.c.current_topic_id).scalar_subquery()}
    return insert(_A).values(**values).returning(_A.c.id, _A.c.number, _A.c.meeting_id, _A.c.topic_id)


async def _records(s: AsyncConnection, *where: ColumnElement[bool], order: Any = None,
                   limit: int | None = None, offset: int = 0) -> list[ActionRecord]:
    """The actions matching ``where`` (ordered by ``order``, else room and number), with their owners
    and themes: three queries whatever the number of actions. With ``limit``: that slice only, and the
    owners and themes of those rows only."""
    a = Action.__table__
    order = order if order is not None else (a.c.room_id, a.c.number)
    query = select(*_RECORD_COLUMNS).where(*where).order_by(*order)
    if limit is not None:
        query = query.limit(limit).offset(offset)
    rows = (await s.execute(query)).all()
    return await _completed(s, rows, None if limit is not None else where)


async def _completed(s: AsyncConnection, rows: list, where: tuple[ColumnElement[bool], ...] | None) -> list[ActionRecord]:
    """The records of `rows` (`_RECORD_COLUMNS`, then any other columns, ignored) with their owners and themes,
    read by the rows' ids, or with `where` (every match of a query without a limit) as a subquery, not a list as
    long as the result."""
    if not rows:
        return []
    owners: dict[int, list[Person]] = {}
    themes: dict[int, list[str]] = {}
    if where is None:  # a page: its ids given at execution to one statement built once
        for action_id, kind, _pos, value, name in await s.execute(_OWNERS_AND_THEMES_OF_IDS,
                                                                  {"ids": [r[0] for r in rows]}):
            if kind == 0:
                owners.setdefault(action_id, []).append(Person(value, name))
            else:
                themes.setdefault(action_id, []).append(value)
    else:  # every match of a query: `where` as a subquery, not a list as long as the result
        ids = select(_A.c.id).where(*where)
        for action_id, user_id, name in await s.execute(_OWNERS.where(_OW.c.action_id.in_(ids))):
            owners.setdefault(action_id, []).append(Person(user_id, name))
        for action_id, key in await s.execute(_THEMES.where(_TH.c.action_id.in_(ids))):
            themes.setdefault(action_id, []).append(key)
    # By position (the columns in ActionRecord's order, owners and themes aside): a page builds 25 records,
    # and reading 16 attributes by name from each row cost more than its query.
    return [ActionRecord(*r[:5], tuple(owners.get(r[0], ())), tuple(themes.get(r[0], ())), r[5], bool(r[6]),
                         *r[7:_RECORD_WIDTH]) for r in rows]


@lru_cache(maxsize=None)
def _page_statements(bound: frozenset[str]) -> tuple[Select, Select]:
    """`ActionRepo.page`'s page and count statements for one combination of filters, named by the values it
    binds (`bound`: the keys of the parameters `ActionRepo.page` set), built once (building and keying a
    statement at each call cost more than running it); the values are given at execution."""
    owner_ids, owner_names = "owner_ids" in bound, "owner_names" in bound
    where: list[ColumnElement[bool]] = [_A.c.room_id == bindparam("room")]
    if "status" in bound:  # one status, the usual list: an equality, not a list SQLAlchemy renders at each call
        where.append(_A.c.status == bindparam("status"))
    elif "statuses" in bound:
        where.append(_A.c.status.in_(bindparam("statuses", expanding=True)))
    if owner_ids or owner_names:
        ow = ActionOwner.__table__
        match = [ow.c.user_id.in_(bindparam("owner_ids", expanding=True)) if owner_ids else None,
                 and_(ow.c.user_id.is_(None), ow.c.name.in_(bindparam("owner_names", expanding=True)))
                 if owner_names else None]
        where.append(exists().where(ow.c.action_id == _A.c.id, or_(*(m for m in match if m is not None)))
                     .correlate(_A))
    if "theme" in bound:
        th = ActionTheme.__table__
        where.append(exists().where(th.c.action_id == _A.c.id, th.c.key == bindparam("theme")).correlate(_A))
    if "due_before" in bound:
        where.append(_A.c.due_at < bindparam("due_before"))
    count = select(func.count()).select_from(_A).where(*where)
    # The page carries the count of all its matches in each row, a subquery that does not depend on the row (run
    # once by SQLite and PostgreSQL): the page and its total in one trip (docs/performance.md, round 21). The
    # count alone is for a page past the last one, which has no row to carry it.
    total = count.scalar_subquery().correlate(None).label("total")
    page = (select(*_RECORD_COLUMNS, total).where(*where).order_by(_A.c.number)
            .limit(bindparam("limit")).offset(bindparam("offset")))
    return page, count


def _utc(value: datetime | None) -> datetime | None:
    """As UTCDateTime reads it back (storage/base.py); naive values were refused when written."""
    return value.astimezone(UTC) if value is not None else None


async def _record(s: AsyncConnection, action_id: int) -> ActionRecord:
    found = await _records(s, Action.__table__.c.id == action_id)
    return read_back(found[0] if len(found) == 1 else None, f"action {action_id}")


# --- repositories -------------------------------------------------------------------------------------


class ActionRepo(Repo):
    async def create(
        self,
        room_id: str,
        *,
        text: str,
        created_by: str,
        at: datetime,
        owners: Iterable[Person] = (),
        themes: Iterable[str] = (),
        due_at: datetime | None = None,
        due_has_time: bool = False,
        meeting_id: int | None = None,
        topic_id: int | None = None,
        mobilisation_id: int | None = None,
        in_open_meeting: bool = False,
    ) -> ActionRecord:
        """A new open action with the room's next number, and its "created" history entry.

        The number comes from ``counters`` (atomic under concurrency, never reused); everything is
        one transaction. Owners keep the order given (a person given twice is kept once); themes
        are stored as a set and come back sorted. `in_open_meeting`: linked to the room's open meeting and
        its current topic, if one is open (`meeting_id` and `topic_id` are then not given); the record says.
        """
        if in_open_meeting and (meeting_id is not None or topic_id is not None):
            raise ValueError("in_open_meeting links the open meeting: give no meeting_id or topic_id")
        owner_list, theme_list = _owners(owners), _themes(themes)
        async with self._session() as s:
            # The counter's bump goes first (it takes the write lock), with the insert's trip on SQLite.
            await execute_later(s, BUMP, {"room_id": room_id, "kind": COUNTER_KIND})
            values = {"room_id": room_id, "counter_room": room_id, "text": text, "status": "open", "due_at": due_at,
                      "due_has_time": due_has_time, "created_by": created_by, "created_at": at,
                      "mobilisation_id": mobilisation_id}
            values |= ({"meeting_room": room_id} if in_open_meeting
                       else {"meeting_id": meeting_id, "topic_id": topic_id})
            row = read_back((await s.execute(_insert_numbered(in_open_meeting), values)).first(),
                            "the new action's id and number")
            action_id, meeting_id, topic_id = row.id, row.meeting_id, row.topic_id
            number = given(s, room_id, COUNTER_KIND, int(row.number))
            await _write_owners(s, action_id, owner_list)
            await _write_themes(s, action_id, theme_list)
            initial = {
                "text": text,
                "owners": owner_list,
                "themes": theme_list,
                "due_at": due_at,
                "due_has_time": due_has_time,
                "meeting_id": meeting_id,
                "topic_id": topic_id,
                **({"mobilisation_id": mobilisation_id} if mobilisation_id else {}),
            }
            await _write_history(s, action_id, at, created_by, "created", initial)
        # What was just written, as a read would give it back (three statements fewer per `!action`).
        return ActionRecord(id=action_id, room_id=room_id, number=number, text=text, status="open",
                            owners=owner_list, themes=theme_list, due_at=_utc(due_at), due_has_time=due_has_time,
                            created_by=created_by, created_at=_utc(at), closed_by=None, closed_at=None,
                            meeting_id=meeting_id, topic_id=topic_id, due_reminded_at=None,
                            overdue_notified_at=None, mobilisation_id=mobilisation_id)

    async def get(self, room_id: str, number: int) -> ActionRecord | None:
        a = Action.__table__
        async with self._session() as s:
            found = await _records(s, a.c.room_id == room_id, a.c.number == number)
            return found[0] if found else None

    async def list(
        self,
        room_id: str,
        *,
        statuses: tuple[str, ...] | None = ("open",),
        owner: str | None = None,
        theme: str | None = None,
        meeting_id: int | None = None,
    ) -> list[ActionRecord]:
        """The room's actions, ordered by number. ``statuses=None``: any status; ``owner``: a Matrix
        user id among the owners; ``theme``: a theme key; ``meeting_id``: created in that meeting.
        The filters combine (AND)."""
        a = Action.__table__
        where: list[ColumnElement[bool]] = [a.c.room_id == room_id]
        if statuses is not None:
            if isinstance(statuses, str):
                statuses = (statuses,)
            where.append(a.c.status.in_(list(statuses)))
        if owner is not None:
            ow = ActionOwner.__table__
            where.append(exists().where(ow.c.action_id == a.c.id, ow.c.user_id == owner).correlate(a))
        if theme is not None:
            th = ActionTheme.__table__
            where.append(exists().where(th.c.action_id == a.c.id, th.c.key == theme).correlate(a))
        if meeting_id is not None:
            where.append(a.c.meeting_id == meeting_id)
        async with self._session() as s:
            return await _records(s, *where, order=(a.c.number,))

    async def page(
        self,
        room_id: str,
        *,
        limit: int,
        offset: int = 0,
        statuses: tuple[str, ...] | None = ("open",),
        owner_ids: tuple[str, ...] = (),
        owner_names: tuple[str, ...] = (),
        theme: str | None = None,
        due_before: datetime | None = None,
    ) -> tuple[list[ActionRecord], int]:
        """One page of the room's actions by number, and how many match in all (bounded queries on the room's
        index, whatever the room's history; the count comes with the page's rows). ``owner_ids``/``owner_names``:
        an owner among those Matrix users, or among those names of people outside Matrix; ``due_before``: a
        deadline before it."""
        # The filters given decide both the values bound and, by their names, the statements that bind them.
        params: dict[str, Any] = {"room": room_id}
        if statuses is not None:  # () matches none, as `in_` of an empty list does
            params.update({"status": statuses[0]} if len(statuses) == 1 else {"statuses": list(statuses)})
        if owner_ids:
            params["owner_ids"] = list(owner_ids)
        if owner_names:
            params["owner_names"] = list(owner_names)
        if theme is not None:
            params["theme"] = theme
        if due_before is not None:
            params["due_before"] = due_before
        page, count = _page_statements(frozenset(params))
        async with self._session() as s:
            rows = (await s.execute(page, params | {"limit": limit, "offset": offset})).all()
            if rows:  # each row ends with the total, which `_completed` leaves aside
                return await _completed(s, rows, None), rows[0][-1]
            return [], await page_total(s, 0, limit=limit, offset=offset, count=count, params=params)

    async def outsider_names(self, room_id: str) -> list[str]:
        """The names of the room's action owners outside Matrix (no user id), each once."""
        a, ow = Action.__table__, ActionOwner.__table__
        stmt = (select(ow.c.name).join(a, a.c.id == ow.c.action_id)
                .where(a.c.room_id == room_id, ow.c.user_id.is_(None)).distinct())
        async with self._session() as s:
            return list(await s.scalars(stmt))

    async def change(
        self, room_id: str, number: int, *, actor: str, at: datetime, kind: str | None, **changes: Any
    ) -> ActionRecord:
        """Change some of ``text``, ``status``, ``owners``, ``themes`` (both replaced whole),
        ``due_at``, ``due_has_time``, ``closed_by``, ``closed_at``, ``due_reminded_at``,
        ``overdue_notified_at``; returns the action as changed.

        With a ``kind`` ("done", "reopened", "assigned", "edited", ...), a history entry records
        ``actor``, ``at`` and the changed values (owners as ``[{"user_id", "name"}]``, datetimes in
        ISO 8601 UTC); ``kind=None`` records none (bookkeeping). Raises ``TypeError`` for an unknown
        field, ``ValueError`` for an unknown status, ``ActionNotFound`` if the room has no such
        action.
        """
        unknown = set(changes) - _CHANGEABLE
        if unknown:
            raise TypeError(f"cannot change action field(s): {', '.join(sorted(unknown))}")
        if "status" in changes:
            _check_status(changes["status"])
        changes = dict(changes)
        if "owners" in changes:
            changes["owners"] = _owners(changes["owners"])
        if "themes" in changes:
            changes["themes"] = _themes(changes["themes"])
        a = Action.__table__
        columns = {k: v for k, v in changes.items() if k in _COLUMNS}
        async with self._session() as s:
            # Write first, always: the UPDATE locks the row (PostgreSQL) / the database (SQLite), so
            # that concurrent changes of the same action's owners or themes serialise.
            stmt = (
                update(a)
                .where(a.c.room_id == room_id, a.c.number == number)
                .values(**(columns or {"number": a.c.number}))
                .returning(a.c.id)
            )
            action_id = await s.scalar(stmt)
            if action_id is None:
                raise ActionNotFound(f"{room_id} #{number}")
            if "owners" in changes:
                ow = ActionOwner.__table__
                await s.execute(delete(ow).where(ow.c.action_id == action_id))
                await _write_owners(s, action_id, changes["owners"])
            if "themes" in changes:
                th = ActionTheme.__table__
                await s.execute(delete(th).where(th.c.action_id == action_id))
                await _write_themes(s, action_id, changes["themes"])
            if kind is not None:
                await _write_history(s, action_id, at, actor, kind, changes)
            return await _record(s, action_id)

    async def history(self, room_id: str, number: int) -> list[HistoryEntry]:
        """The action's recorded changes, oldest first (the first is "created"); [] if the room
        has no such action."""
        a, h = Action.__table__, ActionHistory.__table__
        stmt = (
            select(h.c.at, h.c.actor, h.c.kind, h.c.detail)
            .join(a, a.c.id == h.c.action_id)
            .where(a.c.room_id == room_id, a.c.number == number)
            .order_by(h.c.id)
        )
        async with self._session() as s:
            return [
                HistoryEntry(r.at, r.actor, r.kind, json.loads(r.detail or "{}"))
                for r in await s.execute(stmt)
            ]

    async def due_between(self, start: datetime, end: datetime) -> list[ActionRecord]:
        """Open actions of every room with ``start <= due_at < end``, by deadline (then room, number)."""
        a = Action.__table__
        async with self._session() as s:
            return await _records(
                s,
                a.c.status == "open",
                a.c.due_at >= start,
                a.c.due_at < end,
                order=(a.c.due_at, a.c.room_id, a.c.number),
            )

    async def due_after(self, room_id: str, after: datetime, *, limit: int,
                        last: ActionRecord | None = None) -> list[ActionRecord]:
        """One page of the room's open actions whose deadline is after ``after``, by deadline: those a change of
        the room's reminder offsets plans again (index on room, status, deadline). The next page starts after
        ``last``, the previous page's last action (no OFFSET: each page reads its own rows only)."""
        a = Action.__table__
        where = [a.c.room_id == room_id, a.c.status == "open", a.c.due_at > after]
        if last is not None:
            where.append(or_(a.c.due_at > last.due_at, and_(a.c.due_at == last.due_at, a.c.id > last.id)))
        async with self._session() as s:
            return await _records(s, *where, order=(a.c.due_at, a.c.id), limit=limit)

    async def of_week(self, room_id: str, start: datetime, end: datetime) -> list[ActionRecord]:
        """The room's open actions and those created or closed in [start, end), by number: what a weekly digest
        reads, in one query (plus owners and themes) whatever the room's history."""
        from sqlalchemy import and_, or_

        a = Action.__table__
        return await self._in_session(a.c.room_id == room_id, or_(
            a.c.status == "open",
            and_(a.c.created_at >= start, a.c.created_at < end),
            and_(a.c.closed_at >= start, a.c.closed_at < end),
        ))

    async def week_view(self, room_id: str, start: datetime, end: datetime, *, now: datetime,
                        soon_until: datetime, limit: int) -> WeekActions:
        """What a weekly digest shows of the room's actions, each list cut at ``limit`` (by number; overdue and
        soon by deadline) and the open actions counted per owner and theme in SQL: a fixed number of queries on
        the room's index, whatever the room's history and open list."""
        a, ow = Action.__table__, ActionOwner.__table__
        room, is_open = a.c.room_id == room_id, a.c.status == "open"
        done_in_week = and_(a.c.status == "done", a.c.closed_at >= start, a.c.closed_at < end)
        lists = {
            "done": ((room, done_in_week), (a.c.number,)),
            "new": ((room, a.c.created_at >= start, a.c.created_at < end,
                     or_(a.c.status != "done", a.c.closed_at.is_(None), a.c.closed_at < start, a.c.closed_at >= end)),
                    (a.c.number,)),
            "overdue": ((room, is_open, a.c.due_at < now), (a.c.due_at, a.c.number)),
            "soon": ((room, is_open, a.c.due_at >= now, a.c.due_at < soon_until), (a.c.due_at, a.c.number)),
        }
        key = func.coalesce(ow.c.user_id, ow.c.name)
        async with self._session() as s:
            ids = {name: list(await s.scalars(select(a.c.id).where(*where).order_by(*order).limit(limit)))
                   for name, (where, order) in lists.items()}
            wanted = {i for found in ids.values() for i in found}
            records = {r.id: r for r in await _records(s, a.c.id.in_(wanted))} if wanted else {}
            owners = [(r.key, r.name, int(r.n)) for r in await s.execute(
                select(key.label("key"), func.max(ow.c.name).label("name"), func.count().label("n"))
                .join(a, a.c.id == ow.c.action_id).where(room, is_open).group_by(key))]
            unassigned = int(await s.scalar(select(func.count()).select_from(a).where(
                room, is_open, ~exists().where(ow.c.action_id == a.c.id).correlate(a))) or 0)
        return WeekActions(*(tuple(records[i] for i in ids[name]) for name in lists), per_owner=tuple(owners),
                           unassigned=unassigned, per_theme=await self.open_counts_by_theme(room_id))

    async def _in_session(self, *where: ColumnElement[bool]) -> list[ActionRecord]:
        async with self._session() as s:
            return await _records(s, *where, order=(Action.__table__.c.number,))

    async def preparing(self, mobilisation_id: int) -> list[ActionRecord]:
        """The open actions that prepare this mobilisation, by room and number (index on mobilisation_id)."""
        a = Action.__table__
        return await self._in_session(a.c.mobilisation_id == mobilisation_id, a.c.status == "open")

    async def open_counts_by_theme(self, room_id: str, keys: list[str] | None = None) -> dict[str, int]:
        """How many open actions each theme key of the room has (themes with none are absent); with ``keys``,
        those themes only (a page of them)."""
        a, th = Action.__table__, ActionTheme.__table__
        stmt = (
            select(th.c.key, func.count())
            .join(a, a.c.id == th.c.action_id)
            .where(a.c.room_id == room_id, a.c.status == "open", *([th.c.key.in_(keys)] if keys is not None else []))
            .group_by(th.c.key)
            .order_by(th.c.key)
        )
        async with self._session() as s:
            return {key: int(n) for key, n in await s.execute(stmt)}


def _to_theme(row: Any) -> Theme:
    return Theme(row.room_id, row.key, row.name, row.referent_user_id, row.referent_name)


class ThemeRepo(Repo):
    async def ensure(self, room_id: str, key: str, name: str) -> Theme:
        """The theme, created with this display name if missing (an existing theme keeps its name)."""
        async with self._session() as s:
            values = {"room_id": room_id, "key": key, "name": name}
            await s.execute(insert_ignore(s, ThemeRow.__table__, values))
            return read_back(await self._get(s, room_id, key), f"theme {key}")

    async def set_referent(
        self, room_id: str, key: str, name: str, *, user_id: str | None, label: str | None
    ) -> Theme:
        """Set (or, with ``None``s, clear) the theme's referent, creating the theme with ``name`` if
        missing; an existing theme keeps its name."""
        values = {
            "room_id": room_id,
            "key": key,
            "name": name,
            "referent_user_id": user_id,
            "referent_name": label,
        }
        async with self._session() as s:
            await s.execute(upsert(s, ThemeRow.__table__, values, ["referent_user_id", "referent_name"]))
            return read_back(await self._get(s, room_id, key), f"theme {key}")

    async def get(self, room_id: str, key: str) -> Theme | None:
        async with self._session() as s:
            return await self._get(s, room_id, key)

    async def names(self, room_id: str, keys: Iterable[str]) -> dict[str, str]:
        """The display names of these themes of the room ("énergie" for the key "energie"), as first written."""
        keys = list(keys)
        if not keys:
            return {}
        t = ThemeRow.__table__
        async with self._session() as s:
            rows = await s.execute(select(t.c.key, t.c.name).where(t.c.room_id == room_id, t.c.key.in_(keys)))
            return {key: name for key, name in rows}

    async def all(self, room_id: str) -> list[Theme]:
        t = ThemeRow.__table__
        async with self._session() as s:
            rows = await s.execute(select(t).where(t.c.room_id == room_id).order_by(t.c.key))
            return [_to_theme(r) for r in rows]

    async def page(self, room_id: str, *, limit: int, offset: int = 0) -> tuple[list[Theme], int]:
        """One page of the room's themes by key, and how many the room has (counted only when needed)."""
        t = ThemeRow.__table__
        async with self._session() as s:
            rows = await s.execute(select(t).where(t.c.room_id == room_id).order_by(t.c.key).limit(limit)
                                   .offset(offset))
            found = [_to_theme(r) for r in rows]
            count = select(func.count()).select_from(t).where(t.c.room_id == room_id)
            return found, await page_total(s, len(found), limit=limit, offset=offset, count=count)

    @staticmethod
    async def _get(s: AsyncConnection, room_id: str, key: str) -> Theme | None:
        t = ThemeRow.__table__
        row = (await s.execute(select(t).where(t.c.room_id == room_id, t.c.key == key))).first()
        return _to_theme(row) if row is not None else None


__all__ = [
    "STATUSES",
    "Action",
    "ActionHistory",
    "ActionNotFound",
    "ActionOwner",
    "ActionRepo",
    "ActionTheme",
    "ThemeRepo",
    "ThemeRow",
]
