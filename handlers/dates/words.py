"""Matching words as people type them: one fold, and the regex of a word table. Every parser uses these
(command and sub-command names, people, themes, dates, recurrences), so a word means the same everywhere."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

# Typographic apostrophes and the accents people type for one: "aujourd’hui" is "aujourd'hui".
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "´": "'", "`": "'"})
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Case- and accent-insensitive form, so `!reglages` finds `!réglages` and "Août" is "aout"."""
    if text.isascii():  # most words: nothing to decompose
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold_phrase(text: str) -> str:
    """fold, with straight apostrophes: the spelling of the date and recurrence tables ("d'ici", "jusqu'au")."""
    return fold(text.translate(_APOSTROPHES))


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of a table's (folded) words, longest first so that "apres-midi" wins over "midi" and
    "mid" over "mi"; a space in a word matches any run of spaces."""
    ordered = sorted(set(words), key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(part) for part in word.split()) for word in ordered)


def number(word: str, table: Mapping[str, int]) -> int:
    """A number matched by `(?:\\d{1,3}|<alternation of table>)`: at most three digits (any script's: `\\d`, which
    int() reads), or one of the table's words ("deux", "two")."""
    return int(word) if re.fullmatch(r"\d{1,3}", word) else table[_SPACES.sub(" ", word)]
