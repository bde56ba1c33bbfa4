"""Texts of !ping and !quand / !when."""
from handlers.dates.texts import EXAMPLES

MESSAGES = {
    "ping.summary": {"fr": "vérifie que Relais répond", "en": "check that Relais answers"},
    "ping.pong": {"fr": "pong", "en": "pong"},
    "when.summary": {
        "fr": "montre comment Relais comprend une date, avant de l'utiliser",
        "en": "show how Relais understands a date, before you use it",
    },
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
}
