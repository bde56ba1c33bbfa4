"""The toy's texts."""
from handlers.core.catalogue import Catalogue

MESSAGES = {
    "help.section.toy": {"fr": "Jouets", "en": "Toys"},
    "toy.summary": {"fr": "un jouet pour les tests", "en": "a toy for the tests"},
    "toy.sub.hello": {"fr": "dit bonjour", "en": "say hello"},
    "toy.sub.ring": {"fr": "fait sonner le salon dans N minutes", "en": "ring the room in N minutes"},
    "toy.hello": {"fr": "coucou", "en": "hello"},
    "toy.planned": {"fr": "Ça sonnera dans {minutes} min.", "en": "It will ring in {minutes} min."},
    "toy.bad_minutes": {
        "fr": "« {value} » n'est pas un nombre de minutes valable : écrivez par exemple <code>{example}</code>.",
        "en": "“{value}” is not a valid number of minutes: write for example <code>{example}</code>.",
    },
    "toy.ring": {"fr": "Dring !", "en": "Ring!"},
}

TEXTS = Catalogue(MESSAGES)
