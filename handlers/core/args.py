"""The words of a command line: tokens and quoted strings, the command's name, and numbers (`12`, `#12`, `P3`).
handlers/core/arguments.py reads typed arguments from them."""
from __future__ import annotations

import re
import unicodedata

from handlers.dates.words import fold

# Straight and typographic double quotes group words; apostrophes never do ("d'ici", "aujourd'hui").
_QUOTES = {'"': '"', "«": "»", "“": "”"}
_TOKEN = re.compile(r'@"[^"]*"|"[^"]*"|«[^»]*»|“[^”]*”|\S+')


def tokenize(text: str) -> list[str]:
    """Words; quoted strings are one token without their quotes, except `@"Name"` which is kept whole
    (a person named without a Matrix account)."""
    return [_unquote(raw) for raw in _TOKEN.findall(text)]


def next_token(text: str) -> tuple[str, str] | None:
    """The first token of `text` (as tokenize reads it) and the raw text after it; None when there is none."""
    match = _TOKEN.search(text)
    return None if match is None else (_unquote(match.group()), text[match.end():])


def _unquote(raw: str) -> str:
    if raw[0] in _QUOTES and raw.endswith(_QUOTES[raw[0]]) and len(raw) >= 2:
        return raw[1:-1].strip()
    return raw


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


def pick(word: str | None, choices: dict[str, tuple[str, ...]]) -> str | None:
    """Which sub-command a word names: choices maps a key to its accepted words (both languages)."""
    if word is None:
        return None
    folded = fold(word)
    for key, words in choices.items():
        if folded in {fold(w) for w in words}:
            return key
    return None


# --- numbers --------------------------------------------------------------------------------------------

# Actions, held meetings and scheduled meetings are numbered 1, 2, 3… per room and stored as 32-bit signed
# integers: no number beyond this one exists, and the database could not even be asked about it.
MAX_NUMBER = 2_147_483_647
# `#12`, `n°12`, `no12`, `no. 12` (`nº` is `no` once NFKC-normalised by the router); `P12` is a scheduled
# meeting's. Only what follows decides whether the word is a number. The one way numbers are read.
_NUMBER_PREFIX = re.compile(r"(?:#|n\s*°|no\.?|p)?\s*", re.I)
_SIGNS = "+-\u2212\u2012\u2013\u2014"  # plus, hyphen-minus, minus sign, dashes
_NUMBER_MARKS = ".,'’_\u00a0\u202f\u2009"  # decimal and thousands separators: "1.5", "1,000", "1 000"
_NUMBER_END = ".,;:!?)"  # a sentence's punctuation after the number: "!action fait 12."
_ASCII_DIGITS = re.compile(r"[0-9]+")


class NumberError(ValueError):
    """A word that looks like a number but names none: 0, negative, decimal, too big, other digits."""

    def __init__(self, word: str) -> None:
        super().__init__(f"not a number: {word!r}")
        self.word = word


def _number_parts(word: str) -> tuple[str, str]:
    """(prefix, body): "#12." → ("#", "12"), "P3" → ("P", "3"), "-1" → ("", "-1")."""
    prefix = _NUMBER_PREFIX.match(word)
    return word[:prefix.end()].strip(), word[prefix.end():].rstrip(_NUMBER_END)


def looks_like_number(word: str) -> bool:
    """Is this word meant as a number, well-formed or not? `12`, `#12`, `n°12`, `P12`, but also `-1`,
    `1.5`, `99999999999999999999`, `²`, `١٢`: after a sub-command such a word is a number to check (and
    refuse with a reply), never the start of a text. `2e`, `12h`, `#énergie` are not numbers."""
    _, body = _number_parts(word)
    body = body.lstrip(_SIGNS)
    return (any(c.isnumeric() for c in body)
            and all(c.isnumeric() or c in _NUMBER_MARKS for c in body))


def parse_number(word: str, *, scheduled: bool = False) -> int:
    """The number a word names, 1 ≤ n ≤ MAX_NUMBER, in ASCII digits: `12`, `#12`, `n°12`, `no12`; with
    scheduled=True `12` and `P12` only (`#12` is an action). Anything else raises NumberError (never another
    exception)."""
    prefix, body = _number_parts(word)
    is_p = prefix.casefold() == "p"
    if (is_p and not scheduled) or (scheduled and prefix and not is_p):
        raise NumberError(word)
    if not _ASCII_DIGITS.fullmatch(body):  # not str.isdigit(): "²" and "١٢" are digits to it
        raise NumberError(word)
    digits = body.lstrip("0")
    if not digits or len(digits) > len(str(MAX_NUMBER)) or int(digits) > MAX_NUMBER:
        raise NumberError(word)
    return int(digits)


def numbering(word: str) -> str:
    """Which numbering a number-looking word is written in: "P" (`P3`, a scheduled meeting), "#" (`#3`, `n°3`:
    an action's or a held meeting's), or "" (a bare `3`, whatever the command numbers)."""
    prefix, _ = _number_parts(word)
    if not prefix:
        return ""
    return "P" if prefix.casefold() == "p" else "#"
