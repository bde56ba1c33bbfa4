"""!réglages / !settings: show the room's settings; coordinators change language and time zone."""
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from handlers.args import pick
from handlers.i18n import LANGUAGES
from handlers.registry import registry
from handlers.router import Invocation, UsageError, UserError

SETTINGS = {
    "language": ("langue", "language", "lang"),
    "timezone": ("fuseau", "timezone", "tz", "fuseau-horaire", "zone"),
}


@registry.command("settings", fr="réglages", en="settings", aliases=("parametres", "config"))
async def settings(inv: Invocation) -> None:
    if not inv.args:
        _show(inv)
        return
    which = pick(inv.args[0], SETTINGS)
    if which is None:
        raise UsageError("settings.unknown_setting", name=inv.args[0])
    if len(inv.args) != 2:
        raise UsageError()
    inv.require_coordinator()
    value = inv.args[1]
    if which == "language":
        value = value.lower()
        if value not in LANGUAGES:
            raise UserError("settings.bad_language", value=value, choices=" | ".join(LANGUAGES))
        inv.room = await inv.services.store.rooms.update(inv.msg.room_id, language=value)
    else:
        value = _valid_zone(value)
        inv.room = await inv.services.store.rooms.update(inv.msg.room_id, timezone=value)
    # The confirmation is in the room's (possibly new) language.
    inv.reply("settings.changed", setting=inv.t(f"settings.name.{which}"), value=value)


def _show(inv: Invocation) -> None:
    inv.reply(
        "settings.show",
        language=inv.room.language,
        timezone=inv.room.timezone,
        level=inv.services.defaults.coordinator_power_level,
    )


def _valid_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise UserError("settings.bad_timezone", value=value) from None
    return value
