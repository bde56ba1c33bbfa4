"""The standard capabilities' texts (handlers/capabilities.py), merged: for what speaks outside a command — the bot's
own notices (bot/), the command line — and for tests. A capability reads its own texts through `inv.t` (a command's
registry) or its package's TEXTS."""
from handlers.capabilities import registry
from handlers.core.catalogue import DEFAULT_LANGUAGE, LANGUAGES

CATALOGUE = registry.texts
template = CATALOGUE.template
t = CATALOGUE.t
has = CATALOGUE.has

__all__ = ["CATALOGUE", "DEFAULT_LANGUAGE", "LANGUAGES", "has", "t", "template"]
