"""Texts about dates: !quand / !when, and the errors every date-taking command shares."""

EXAMPLES = {
    "fr": "<code>demain 18h</code>, <code>lundi prochain</code>, <code>mercredi 12 mai à 18h</code>, "
    "<code>12/05</code>, <code>fin mai</code>, <code>dans 3 jours</code>",
    "en": "<code>tomorrow 6pm</code>, <code>next monday</code>, <code>Wednesday 12 May at 18:00</code>, "
    "<code>12/05</code>, <code>end of May</code>, <code>in 3 days</code>",
}

MESSAGES = {
    "when.summary": {
        "fr": "montre comment Relais comprend une date, avant de l'utiliser",
        "en": "show how Relais understands a date, before you use it",
    },
    "when.usage": {"fr": "<code>{cmd} &lt;date&gt;</code>", "en": "<code>{cmd} &lt;date&gt;</code>"},
    "when.details": {
        "fr": "Exemples : " + EXAMPLES["fr"] + ". Les dates numériques se lisent jour/mois. "
        "Un jour de semaine seul désigne le prochain (jamais aujourd'hui). Un jour de semaine écrit avec une "
        "date doit être le sien : <code>samedi 9 mai</code> est refusé si le 9 mai est un dimanche. "
        "Au plus 10 ans à l'avance.",
        "en": "Examples: " + EXAMPLES["en"] + ". Numeric dates are day/month. "
        "A weekday alone means the next one (never today). A weekday written with a date must be that "
        "date's: <code>Saturday 9 May</code> is refused if 9 May is a Sunday. At most 10 years ahead.",
    },
    "when.understood": {
        "fr": "« {phrase} » : <b>{when}</b> ({tz})",
        "en": "“{phrase}”: <b>{when}</b> ({tz})",
    },
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
    # The bounds of a series (handlers/recurrence.py MAX_COUNT, dates.py MAX_YEARS_AHEAD), said by
    # !réunion prévoir like the other RecurrenceError codes ("schedule.<code>").
    "schedule.bad_count": {
        "fr": "« {phrase} » : une série a de 1 à 1000 dates, la dernière au plus 10 ans à l'avance. "
        "Écrivez par exemple <code>10 fois</code>, ou une date de fin (<code>jusqu'au 30 juin</code>).",
        "en": "“{phrase}”: a series has 1 to 1000 dates, the last one at most 10 years ahead. "
        "Write for example <code>10 times</code>, or an end date (<code>until June 30</code>).",
    },
    "date.past": {
        "fr": "« {phrase} » est déjà passé. Donnez une date à venir, par exemple " + EXAMPLES["fr"] + ".",
        "en": "“{phrase}” is already past. Give a date to come, for example " + EXAMPLES["en"] + ".",
    },
}
