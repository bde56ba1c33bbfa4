"""!réglages / !settings: show the room's settings; coordinators change them. The room's language and time zone
are declared here; a capability declares its own settings (Capability.settings, e.g. its reminders), and each
becomes a sub-command: `!réglages <name> <value>`."""
from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from handlers.core.arguments import Word
from handlers.core.catalogue import LANGUAGES
from handlers.core.commands import Form, command
from handlers.core.errors import UserError
from handlers.core.registry import Registry
from handlers.core.router import Invocation
from handlers.core.settings import Setting
from handlers.core.text import join


@dataclass(frozen=True)
class Language(Setting):
    def shown(self, inv: Invocation) -> str:
        return inv.room.language

    async def apply(self, inv: Invocation, value: str) -> None:
        value = value.lower()
        if value not in LANGUAGES:
            raise UserError("settings.bad_language", value=value, choices=" | ".join(LANGUAGES))
        inv.room = await inv.services.store.rooms.update(inv.msg.room_id, language=value)


@dataclass(frozen=True)
class TimeZone(Setting):
    def shown(self, inv: Invocation) -> str:
        return inv.room.timezone

    async def apply(self, inv: Invocation, value: str) -> None:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a file name
            raise UserError("settings.bad_timezone", value=value) from None
        inv.room = await inv.services.store.rooms.update(inv.msg.room_id, timezone=value)


LANGUAGE = Language("language", ("langue", "language", "lang"), Word("value", label="settings.arg.language"))
TIMEZONE = TimeZone("timezone", ("fuseau", "timezone", "tz", "fuseau-horaire", "zone"),
                    Word("value", label="settings.arg.zone", overview="settings.arg.zone_overview"))
OWN = (LANGUAGE, TIMEZONE)


def setting_forms(registry: Registry) -> list[Form]:
    """A sub-command per setting of the registry's capabilities, in their order."""
    return [Form(partial(change, setting), setting.names, setting.key, (setting.value,))
            for setting in registry.settings]


@command("settings", fr="réglages", en="settings", aliases=("parametres", "config"), line="show",
         unknown="settings.unknown_setting", dynamic=setting_forms)
async def settings(inv: Invocation) -> None:
    others = [inv.t(f"settings.show.{s.key}", value=s.shown(inv)) for s in inv.registry.settings if s not in OWN]
    inv.reply("settings.show", language=inv.room.language, timezone=inv.room.timezone,
              level=inv.services.defaults.coordinator_power_level, others=join(others, "", ""))


async def change(setting: Setting, inv: Invocation, value: object) -> None:
    inv.require_coordinator()
    await setting.apply(inv, value)
    # The confirmation is in the room's (possibly new) language.
    inv.reply("settings.changed", setting=inv.t(f"settings.name.{setting.key}"), value=setting.shown(inv))
