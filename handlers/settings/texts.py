"""Texts of !réglages / !settings. A capability's own setting brings its texts (settings.name.<key>,
settings.sub.<key>, settings.show.<key>)."""

from handlers.core.catalogue import Texts, pN_

MESSAGES = Texts(__file__, [
    pN_("settings.summary", "show or change the room's settings (language, time zone)"),
    pN_("settings.details",
        "With no argument: shows the settings. Changing them is for coordinators. Durations are "
        "written <code>24h</code>, <code>90m</code>, <code>2d</code> (several: <code>24h "
        "1h</code>); <code>none</code> turns reminders off, <code>default</code> goes back to "
        "the configuration."),
    # The description of each line of `!aide réglages` (the usage before it comes from the declaration).
    pN_("settings.sub.show", "show the room's settings"),
    pN_("settings.sub.language", "the language of the replies"),
    pN_("settings.sub.timezone", "the time zone of dates (IANA name, e.g. <code>Europe/Paris</code>)"),
    pN_("settings.arg.language", "fr|en"),
    pN_("settings.arg.zone", "&lt;zone&gt;"),
    pN_("settings.arg.zone_overview", "&lt;IANA zone, e.g. Europe/Paris&gt;"),
    # {others}: a `settings.show.<key>` line for each capability's own setting.
    pN_("settings.show",
        "<b>Room settings</b><br>Language: <code>{language}</code><br>Time zone: "
        "<code>{timezone}</code><br>Coordinators: power level ≥ {level}{others}"),
    pN_("settings.name.language", "language"),
    pN_("settings.name.timezone", "time zone"),
    pN_("settings.changed", "Room {setting}: <code>{value}</code>."),
    pN_("settings.unknown_setting", "Unknown setting: <code>{name}</code>."),
    pN_("settings.bad_language", "Unsupported language: <code>{value}</code>. Choices: {choices}."),
    pN_("settings.bad_timezone",
        "Unknown time zone: <code>{value}</code>. Write an IANA name, for example "
        "<code>Europe/Paris</code> or <code>America/Montreal</code>."),
])
