"""The mobilisations' section of the weekly digest (Capability.digest, handlers/core/digest.py): the coming ones,
announced here or relayed here, with the days left and the head count."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from handlers.core.digest import Section, Week
from handlers.core.services import Services
from handlers.core.text import bullet_list
from handlers.core.words import when_text
from handlers.mobilisations.common import count_text, head_count
from handlers.mobilisations.links import actions_text, open_actions
from handlers.mobilisations.texts import TEXTS
from storage.records import RoomSettings

SHOWN = 5  # the next ones; `!mobilisations` lists them all


async def digest_section(room: RoomSettings, week: Week, services: Services, now: datetime) -> Section | None:
    store = services.store.mobilisations
    coming = [r for r in (*await store.list(room.room_id), *await store.relayed_to(room.room_id))
              if r.starts_at >= now]
    if not coming:
        return None
    lang, tz = room.language, room.timezone
    today = now.astimezone(ZoneInfo(tz)).date()
    lines = []
    for record in sorted(coming, key=lambda r: r.starts_at)[:SHOWN]:
        t = lambda key, **values: TEXTS.t(lang, key, **values)  # noqa: E731
        days = (record.starts_at.astimezone(ZoneInfo(tz)).date() - today).days
        line = t("mobilisation.digest.line", number=record.shown_number or record.number,
                 title=record.title or "", when=when_text(record.starts_at, tz, lang), days=days,
                 count=count_text(t, await head_count(services, record)))
        actions = await open_actions(services, record)
        if actions:  # what is still to prepare, and by whom
            line += t("mobilisation.to_prepare_inline", items=actions_text(t, actions, room.room_id, tz, lang))
        lines.append(line)
    return Section(TEXTS.t(lang, "mobilisation.digest.title", items=bullet_list(lines)))
