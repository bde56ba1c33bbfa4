"""The tract as a file: a PDF or an image posted as a reply to the announcement (or to a later notice about the
mobilisation) with `!tract` / `!leaflet` in its caption, or followed by `!tract` from the same person in the same
room within TRACT_WINDOW. The file stays on the homeserver: its mxc:// URI, name, type and size are kept, and the
day-before notice posts it again as is (handlers/mobilisations/jobs.py). Only coordinators set it.

A file posted without the command is noted (bot_state, per room and sender, overwritten by the next one) so that
`!tract` just after it finds it; nothing else is kept of files."""
from __future__ import annotations

import json
from datetime import datetime, timedelta

from handlers.core.arguments import Rest
from handlers.core.commands import command
from handlers.core.errors import UserError
from handlers.core.interface import Attachment, Effect, Message, sent_event_key
from handlers.core.router import Invocation
from handlers.core.services import Services
from handlers.mobilisations.common import edits, lookup, parse_key, ref_number
from storage.records import MobilisationRecord

TRACT_WINDOW = timedelta(minutes=5)
TYPES = ("application/pdf", "image/")


def _pending_key(room_id: str, user_id: str) -> str:
    return f"mobilisation-file:{room_id}:{user_id}"


def _fits(attachment: Attachment) -> bool:
    kind = (attachment.mimetype or "").lower()
    return kind == TYPES[0] or kind.startswith(TYPES[1]) or (not kind and attachment.filename.lower().endswith(".pdf"))


async def note_file(msg: Message, services: Services) -> list[Effect]:
    """Observer: a PDF or image posted without `!tract`, kept a few minutes for a `!tract` that follows."""
    if msg.attachment is None or not _fits(msg.attachment):
        return []
    a = msg.attachment
    await services.store.state.set(_pending_key(msg.room_id, msg.sender), json.dumps({
        "url": a.url, "filename": a.filename, "mimetype": a.mimetype, "size": a.size, "reply_to": msg.reply_to,
        "at": msg.time.isoformat()}))
    return []


async def _pending(inv: Invocation) -> tuple[Attachment | None, str | None]:
    """The file this `!tract` is about: its own, else the sender's last one here, if recent."""
    if inv.msg.attachment is not None:
        return inv.msg.attachment, inv.msg.reply_to
    key = _pending_key(inv.msg.room_id, inv.msg.sender)
    raw = await inv.services.store.state.get(key)
    if not raw:
        return None, None
    data = json.loads(raw)
    if inv.msg.time - datetime.fromisoformat(data["at"]) > TRACT_WINDOW:
        return None, None
    await inv.services.store.state.set(key, None)  # used once
    return Attachment(data["url"], data["filename"], data.get("mimetype"), data.get("size")), data.get("reply_to")


async def _replied_mobilisation(inv: Invocation, event_id: str | None) -> MobilisationRecord | None:
    """The mobilisation whose announcement (or notice) the file answers, as this room numbers it."""
    if not event_id:
        return None
    found = parse_key(await inv.services.store.state.get(sent_event_key(event_id)))
    if found is None or found[1] != inv.msg.room_id:
        return None
    record = await inv.services.store.mobilisations.by_id(found[0])
    if record is None or record.is_cancelled:
        return None
    return await lookup(inv, record.number_in(inv.msg.room_id) or record.number)


@command("tract", fr="tract", en="leaflet", aliases=("flyer",),
         args=[Rest("ref", label="mobilisation.arg.ref", optional=True)], line="file")
async def tract_command(inv: Invocation, ref: str) -> None:
    attachment, replied = await _pending(inv)
    if attachment is None:
        raise UserError("mobilisation.tract_no_file")
    inv.require_coordinator()
    if not _fits(attachment):
        raise UserError("mobilisation.tract_bad_type", filename=attachment.filename)
    number = ref_number(ref.split()[0]) if ref.strip() else None
    record = await lookup(inv, number) if number is not None else await _replied_mobilisation(inv, replied)
    if record is None:
        raise UserError("mobilisation.tract_which")
    if record.room_id != inv.msg.room_id:
        raise UserError("mobilisation.origin_only", number=record.ref, room=inv.services.room_name(record.room_id))
    changed = await inv.services.store.mobilisations.update(
        record.id, tract_url=attachment.url, tract_filename=attachment.filename,
        tract_mimetype=attachment.mimetype or "application/pdf", tract_size=attachment.size)
    if changed is None:
        raise UserError("mobilisation.no_such", number=record.ref)
    inv.reply("mobilisation.tract_file_set", number=record.ref, title=record.title or "",
              filename=attachment.filename)
    inv.effects.items.extend(await edits(inv.services, changed))
