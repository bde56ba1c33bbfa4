"""Reminder offsets, a room setting of more than one capability (before a meeting, before an action's deadline):
the configuration's, unless the room chose its own with `!réglages <name> 24h 1h | aucun | défaut`."""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from handlers.core.arguments import Rest
from handlers.core.errors import UserError
from handlers.core.services import Defaults, Services
from handlers.core.settings import Setting
from handlers.dates.durations import DurationError, format_duration, parse_offsets
from storage.records import RoomSettings

if TYPE_CHECKING:
    from handlers.core.router import Invocation

NONE = ("aucun", "aucune", "none", "off")
DEFAULT = ("défaut", "defaut", "default")
DURATIONS = Rest("durations", label="arg.durations")


@dataclass(frozen=True)
class Reminders(Setting):
    value: Rest = DURATIONS
    default: Callable[[Defaults], tuple[timedelta, ...]] = lambda defaults: ()
    # What to re-plan once the room chose other offsets (e.g. the scheduled meetings' next reminders).
    changed: Callable[[Services, RoomSettings], Awaitable[None]] | None = None

    @property
    def override_key(self) -> str:
        return f"reminders.{self.key}"

    def offsets(self, room: RoomSettings | None, defaults: Defaults) -> tuple[timedelta, ...]:
        """The room's reminders, longest first."""
        chosen = (room.overrides or {}).get(self.override_key) if room is not None else None
        return self.default(defaults) if chosen is None else parse_offsets(chosen)

    def shown(self, inv: "Invocation"):
        offsets = self.offsets(inv.room, inv.services.defaults)
        return ", ".join(format_duration(o) for o in offsets) if offsets else inv.t("settings.no_reminders")

    async def apply(self, inv: "Invocation", value: str) -> None:
        words = value.replace(",", " ").split()
        overrides = dict(inv.room.overrides or {})
        if len(words) == 1 and words[0].casefold() in DEFAULT:
            overrides.pop(self.override_key, None)
        elif len(words) == 1 and words[0].casefold() in NONE:
            overrides[self.override_key] = []
        else:
            try:
                offsets = parse_offsets(words)
            except DurationError:
                raise UserError("settings.bad_durations", value=value) from None
            overrides[self.override_key] = [format_duration(o) for o in offsets]
        inv.room = await inv.services.store.rooms.update(inv.msg.room_id, overrides=overrides)
        if self.changed is not None:
            await self.changed(inv.services, inv.room)
