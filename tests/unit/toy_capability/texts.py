"""The toy's texts."""
from handlers.core.catalogue import Catalogue, Texts, pN_

MESSAGES = Texts(__file__, [
    pN_("help.section.toy", "Toys"),
    pN_("toy.summary", "a toy for the tests"),
    pN_("toy.sub.hello", "say hello"),
    pN_("toy.sub.ring", "ring the room in N minutes"),
    pN_("toy.hello", "hello"),
    pN_("toy.planned", "It will ring in {minutes} min."),
    pN_("toy.bad_minutes", "“{value}” is not a valid number of minutes: write for example <code>{example}</code>."),
    pN_("toy.ring", "Ring!"),
])

TEXTS = Catalogue(MESSAGES)
