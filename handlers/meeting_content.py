"""What a meeting records: !sujet / !topic, !info, !décision / !decision, !idée / !idea,
!lien / !link, and !annuler / !undo (removes the last item its author added).

Each recorded item is acknowledged with a ✅ reaction, not a reply, to keep the room readable.
(`!action` during a meeting is handlers/actions.py: it links the action to the meeting and topic.)
"""
from __future__ import annotations

import re

from handlers.meeting_common import open_meeting, sender
from handlers.registry import registry
from handlers.router import Invocation, UsageError, UserError
from handlers.text import too_long
from storage.meetings import ItemRecord

SECTION = "meetings"  # where !aide lists these commands

_URL = re.compile(r"^<?((?:https?://|www\.)[^\s<>]+?)>?[.,;]?$", re.I)


async def _add(inv: Invocation, kind: str, text: str, url: str | None = None, meeting=None) -> None:
    m = meeting or await open_meeting(inv)
    if not text:
        raise UsageError("meeting.empty_text")
    if values := too_long(text, inv.lang) or too_long(url or "", inv.lang):  # see MAX_TEXT_CHARS
        raise UserError("meeting.item_too_long", **values)
    item = await inv.services.store.meetings.add_item(m.id, kind=kind, text=text, url=url, author=sender(inv),
                                                      at=inv.msg.time)
    if item is None:  # ended between the two statements
        raise UserError("meeting.none_open")
    inv.react()


@registry.command("topic", fr="sujet", en="topic", aliases=("point",))
async def topic(inv: Invocation) -> None:
    await _add(inv, "topic", inv.rest)


@registry.command("info", fr="info", en="info", aliases=("information",))
async def info(inv: Invocation) -> None:
    await _add(inv, "info", inv.rest)


@registry.command("decision", fr="décision", en="decision", aliases=("agreed", "accepted", "adopté"))
async def decision(inv: Invocation) -> None:
    await _add(inv, "decision", inv.rest)


@registry.command("idea", fr="idée", en="idea")
async def idea(inv: Invocation) -> None:
    await _add(inv, "idea", inv.rest)


@registry.command("link", fr="lien", en="link", aliases=("url",))
async def link(inv: Invocation) -> None:
    """`!lien <url> [texte]` — the address may also come last: `!lien le tract https://…`."""
    m = await open_meeting(inv)
    words = inv.rest.split()
    for i, word in enumerate(words):
        match = _URL.match(word)
        if match:
            url = match.group(1)
            if url.lower().startswith("www."):
                url = "https://" + url
            text = " ".join(words[:i] + words[i + 1:]).strip(" :-–—")
            await _add(inv, "link", text or url, url, meeting=m)
            return
    raise UsageError("meeting.link_needs_url")


@registry.command("undo", fr="annuler", en="undo", aliases=("oups",))
async def undo(inv: Invocation) -> None:
    if inv.args:
        raise UsageError()
    m = await open_meeting(inv)
    store = inv.services.store
    item = await store.meetings.last_item_by(m.id, inv.msg.sender)
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
