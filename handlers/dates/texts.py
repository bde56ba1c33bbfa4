"""Texts of the date layer: the errors every date-taking command shares (handlers/dates/date_input.py)."""

EXAMPLES = {
    "fr": "<code>demain 18h</code>, <code>lundi prochain</code>, <code>mercredi 12 mai à 18h</code>, "
    "<code>12/05</code>, <code>fin mai</code>, <code>dans 3 jours</code>",
    "en": "<code>tomorrow 6pm</code>, <code>next monday</code>, <code>Wednesday 12 May at 18:00</code>, "
    "<code>12/05</code>, <code>end of May</code>, <code>in 3 days</code>",
}

MESSAGES = {
    "date.unparseable": {
        "fr": "Je ne comprends pas la date « {phrase} ». Exemples : " + EXAMPLES["fr"] + ".",
        "en": "I don't understand the date “{phrase}”. Examples: " + EXAMPLES["en"] + ".",
    },
    "date.weekday_mismatch": {
        "fr": "Le {date} est un {weekday}, pas un {stated}.",
        "en": "{date} is a {weekday}, not a {stated}.",
    },
    "date.too_far": {
        "fr": "« {phrase} » : cette date est trop lointaine, au plus {years} ans à l'avance.",
        "en": "“{phrase}”: this date is too far ahead, {years} years at most.",
    },
    "date.past": {
        "fr": "« {phrase} » est déjà passé. Donnez une date à venir, par exemple " + EXAMPLES["fr"] + ".",
        "en": "“{phrase}” is already past. Give a date to come, for example " + EXAMPLES["en"] + ".",
    },
}
