"""!réglages / !settings: show the room's settings; coordinators change language and time zone."""
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from handlers.args import pick
from handlers.durations import DurationError, format_duration, parse_offsets
from handlers.i18n import LANGUAGES
from handlers.reminder_settings import override_key, room_offsets
from handlers.registry import registry
from handlers.router import Invocation, UsageError, UserError
from handlers.schedule_jobs import replan_room

SETTINGS = {
    "language": ("langue", "language", "lang"),
    "timezone": ("fuseau", "timezone", "tz", "fuseau-horaire", "zone"),
    "meeting": ("rappels-réunion", "rappels-reunion", "meeting-reminders", "reminders-meeting"),
    "action_due": ("rappels-action", "action-reminders", "reminders-action"),
}
NONE = ("aucun", "aucune", "none", "off")
DEFAULT = ("défaut", "defaut", "default")


@registry.command("settings", fr="réglages", en="settings", aliases=("parametres", "config"))
async def settings(inv: Invocation) -> None:
    if not inv.args:
        _show(inv)
        return
    which = pick(inv.args[0], SETTINGS)
    if which is None:
        raise UsageError("settings.unknown_setting", name=inv.args[0])
    if len(inv.args) < 2 or (which in ("language", "timezone") and len(inv.args) != 2):
        raise UsageError()
    inv.require_coordinator()
    value = inv.args[1]
    if which in ("meeting", "action_due"):
        await _set_reminders(inv, which, " ".join(inv.args[1:]))
        return
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
        meeting=_offsets_text(inv, "meeting"),
        action_due=_offsets_text(inv, "action_due"),
    )


def _offsets_text(inv: Invocation, kind: str):
    offsets = room_offsets(inv.room, inv.services.defaults, kind)
    return ", ".join(format_duration(o) for o in offsets) if offsets else inv.t("settings.no_reminders")


async def _set_reminders(inv: Invocation, kind: str, text: str) -> None:
    words = text.replace(",", " ").split()
    overrides = dict(inv.room.overrides or {})
    if len(words) == 1 and words[0].casefold() in DEFAULT:
        overrides.pop(override_key(kind), None)
    elif len(words) == 1 and words[0].casefold() in NONE:
        overrides[override_key(kind)] = []
    else:
        try:
            offsets = parse_offsets(words)
        except DurationError:
            raise UserError("settings.bad_durations", value=text) from None
        overrides[override_key(kind)] = [format_duration(o) for o in offsets]
    inv.room = await inv.services.store.rooms.update(inv.msg.room_id, overrides=overrides)
    if kind == "meeting":  # the scheduled meetings' next reminders follow the new offsets
        await replan_room(inv.services, inv.room)
    inv.reply("settings.changed", setting=inv.t(f"settings.name.{kind}"), value=_offsets_text(inv, kind))


def _valid_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise UserError("settings.bad_timezone", value=value) from None
    return value
