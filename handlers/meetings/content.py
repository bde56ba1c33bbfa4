"""What a meeting records: !sujet / !topic, !info, !décision / !decision, !idée / !idea,
!lien / !link, and !annuler / !undo (removes the last item its author added).

Each recorded item is acknowledged with a ✅ reaction, not a reply, to keep the room readable.
(`!action` during a meeting is handlers/actions: it links the action to the meeting and topic.)
"""
from __future__ import annotations

import re

from handlers.core.arguments import Rest
from handlers.core.commands import command
from handlers.core.errors import UsageError, UserError
from handlers.core.people import sender
from handlers.core.router import Invocation
from handlers.core.text import too_long
from handlers.meetings.common import open_meeting
from storage.records import ItemRecord, MeetingRecord

_URL = re.compile(r"^<?((?:https?://|www\.)[^\s<>]+?)>?[.,;]?$", re.I)
TEXT = Rest("text", missing="meeting.empty_text")


async def _add(inv: Invocation, m: MeetingRecord, kind: str, text: str, url: str | None = None) -> None:
    if values := too_long(text, inv.lang) or too_long(url or "", inv.lang):  # see MAX_TEXT_CHARS
        raise UserError("meeting.item_too_long", **values)
    item = await inv.services.store.meetings.add_item(m.id, kind=kind, text=text, url=url, author=sender(inv.msg),
                                                      at=inv.msg.time)
    if item is None:  # ended between the two statements
        raise UserError("meeting.none_open")
    inv.react()


@command("topic", fr="sujet", en="topic", aliases=("point",), needs=open_meeting,
         args=[Rest("text", label="meeting.arg.topic", missing="meeting.empty_text")])
async def topic(inv: Invocation, m: MeetingRecord, text: str) -> None:
    await _add(inv, m, "topic", text)


@command("info", fr="info", en="info", aliases=("information",), needs=open_meeting, args=[TEXT])
async def info(inv: Invocation, m: MeetingRecord, text: str) -> None:
    await _add(inv, m, "info", text)


@command("decision", fr="décision", en="decision", aliases=("agreed", "accepted", "adopté"), needs=open_meeting,
         args=[TEXT])
async def decision(inv: Invocation, m: MeetingRecord, text: str) -> None:
    await _add(inv, m, "decision", text)


@command("idea", fr="idée", en="idea", needs=open_meeting, args=[TEXT])
async def idea(inv: Invocation, m: MeetingRecord, text: str) -> None:
    await _add(inv, m, "idea", text)


@command("link", fr="lien", en="link", aliases=("url",), needs=open_meeting,
         args=[Rest("link", label="meeting.arg.link", missing="meeting.link_needs_url")])
async def link(inv: Invocation, m: MeetingRecord, text: str) -> None:
    """`!lien <url> [texte]` — the address may also come last: `!lien le tract https://…`."""
    words = text.split()
    for i, word in enumerate(words):
        match = _URL.match(word)
        if match:
            url = match.group(1)
            if url.lower().startswith("www."):
                url = "https://" + url
            described = " ".join(words[:i] + words[i + 1:]).strip(" :-–—")
            await _add(inv, m, "link", described or url, url)
            return
    raise UsageError("meeting.link_needs_url")


@command("undo", fr="annuler", en="undo", aliases=("oups",))
async def undo(inv: Invocation) -> None:
    m = await open_meeting(inv)
    store = inv.services.store
    item = await store.meetings.last_item_by(m.id, inv.msg.sender)
    # An action is not an item of the meeting: if the sender's last addition is one, removing the item before
    # it would remove the wrong thing. Say how to cancel the action instead.
    mine = [a for a in await store.actions.list(inv.msg.room_id, meeting_id=m.id) if a.created_by == inv.msg.sender]
    action = max(mine, key=lambda a: (a.created_at, a.number), default=None)
    if action is not None and (item is None or action.created_at >= item.created_at):
        raise UserError("meeting.undo_is_action", number=action.number, text=action.text)
    if item is None:
        raise UserError("meeting.nothing_to_undo")
    if item.kind == "topic":
        inside = [i for i in await store.meetings.items(m.id) if i.topic_id == item.id]
        actions = [a for a in await store.actions.list(inv.msg.room_id, statuses=None, meeting_id=m.id)
                   if a.topic_id == item.id]
        if inside or actions:
            raise UserError("meeting.undo_topic_not_empty", title=item.text, count=len(inside) + len(actions))
    await store.meetings.delete_item(item.id)
    inv.reply("meeting.undone", what=_describe(inv, item))


def _describe(inv: Invocation, item: ItemRecord):
    if item.kind == "topic":
        return inv.t("meeting.undone.topic", text=item.text)
    if item.kind == "link":
        return inv.t("minutes.item.link", link=item.url if item.text == item.url else f"{item.text} — {item.url}")
    return inv.t(f"minutes.item.{item.kind}", text=item.text)
