"""Argument parsing in one place: tokens, quoted strings, sub-commands."""
from __future__ import annotations

import re
import unicodedata

# Straight and typographic double quotes group words; apostrophes never do ("d'ici", "aujourd'hui").
_QUOTES = {'"': '"', "«": "»", "“": "”"}
_TOKEN = re.compile(r'@"[^"]*"|"[^"]*"|«[^»]*»|“[^”]*”|\S+')


def tokenize(text: str) -> list[str]:
    """Words; quoted strings are one token without their quotes, except `@"Name"` which is kept whole
    (a person named without a Matrix account)."""
    tokens = []
    for raw in _TOKEN.findall(text):
        if raw[0] in _QUOTES and raw.endswith(_QUOTES[raw[0]]) and len(raw) >= 2:
            tokens.append(raw[1:-1].strip())
        else:
            tokens.append(raw)
    return tokens


def split_command(text: str, prefix: str) -> tuple[str, str] | None:
    """'!aide action' -> ('aide', 'action'); None when the text is not a command."""
    if not text.startswith(prefix):
        return None
    body = text[len(prefix):]
    # Invisible format characters (zero-width joiners...) never belong to a command name.
    name_end = re.match(r"\S*", body).end()
    body = "".join(c for c in body[:name_end] if unicodedata.category(c) != "Cf") + body[name_end:]
    match = re.match(r"([^\W\d_][\w-]*)(?:\s+(.*))?$", body, re.S)
    if not match:
        return None
    return match.group(1).casefold(), (match.group(2) or "").strip()


def fold(word: str) -> str:
    """Case- and accent-insensitive form, so `!reglages` finds `!réglages`."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def pick(word: str | None, choices: dict[str, tuple[str, ...]]) -> str | None:
    """Which sub-command a word names: choices maps a key to its accepted words (both languages)."""
    if word is None:
        return None
    folded = fold(word)
    for key, words in choices.items():
        if folded in {fold(w) for w in words}:
            return key
    return None
