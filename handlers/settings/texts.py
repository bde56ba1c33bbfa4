"""Texts of !réglages / !settings. A capability's own setting brings its texts (settings.name.<key>,
settings.sub.<key>, settings.show.<key>)."""

MESSAGES = {
    "settings.summary": {
        "fr": "affiche ou change les réglages du salon (langue, fuseau horaire)",
        "en": "show or change the room's settings (language, time zone)",
    },
    "settings.details": {
        "fr": "Sans argument : affiche les réglages. Les changer est réservé aux coordinateurs. Les durées "
        "s'écrivent <code>24h</code>, <code>90m</code>, <code>2d</code> (plusieurs : <code>24h 1h</code>) ; "
        "<code>aucun</code> supprime les rappels, <code>défaut</code> revient à la configuration.",
        "en": "With no argument: shows the settings. Changing them is for coordinators. Durations are written "
        "<code>24h</code>, <code>90m</code>, <code>2d</code> (several: <code>24h 1h</code>); "
        "<code>none</code> turns reminders off, <code>default</code> goes back to the configuration.",
    },
    # The description of each line of `!aide réglages` (the usage before it comes from the declaration).
    "settings.sub.show": {"fr": "affiche les réglages du salon", "en": "show the room's settings"},
    "settings.sub.language": {"fr": "la langue des réponses", "en": "the language of the replies"},
    "settings.sub.timezone": {
        "fr": "le fuseau horaire des dates (nom IANA, ex. <code>Europe/Paris</code>)",
        "en": "the time zone of dates (IANA name, e.g. <code>Europe/Paris</code>)",
    },
    "settings.arg.language": {"fr": "fr|en", "en": "fr|en"},
    "settings.arg.zone": {"fr": "&lt;zone&gt;", "en": "&lt;zone&gt;"},
    "settings.arg.zone_overview": {
        "fr": "&lt;zone IANA, ex. Europe/Paris&gt;", "en": "&lt;IANA zone, e.g. Europe/Paris&gt;",
    },
    # {others}: a `settings.show.<key>` line for each capability's own setting.
    "settings.show": {
        "fr": "<b>Réglages du salon</b><br>Langue : <code>{language}</code><br>Fuseau horaire : <code>{timezone}</code>"
        "<br>Coordinateurs : niveau de pouvoir ≥ {level}{others}",
        "en": "<b>Room settings</b><br>Language: <code>{language}</code><br>Time zone: <code>{timezone}</code>"
        "<br>Coordinators: power level ≥ {level}{others}",
    },
    "settings.name.language": {"fr": "Langue", "en": "language"},
    "settings.name.timezone": {"fr": "Fuseau horaire", "en": "time zone"},
    "settings.changed": {
        "fr": "{setting} du salon : <code>{value}</code>.",
        "en": "Room {setting}: <code>{value}</code>.",
    },
    "settings.unknown_setting": {
        "fr": "Réglage inconnu : <code>{name}</code>.",
        "en": "Unknown setting: <code>{name}</code>.",
    },
    "settings.bad_language": {
        "fr": "Langue non prise en charge : <code>{value}</code>. Choix possibles : {choices}.",
        "en": "Unsupported language: <code>{value}</code>. Choices: {choices}.",
    },
    "settings.bad_timezone": {
        "fr": "Fuseau horaire inconnu : <code>{value}</code>. Écrivez un nom IANA, par exemple "
        "<code>Europe/Paris</code> ou <code>America/Montreal</code>.",
        "en": "Unknown time zone: <code>{value}</code>. Write an IANA name, for example "
        "<code>Europe/Paris</code> or <code>America/Montreal</code>.",
    },
}
