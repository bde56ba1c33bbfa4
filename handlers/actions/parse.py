"""The grammar of a new action: `<what> [@owners] [#themes] [pour|avant|d'ici|by|before|due <date>]`.

Owners are the @-tokens at the start or the end of the text (before or after the deadline); an @-mention in the
middle of a sentence ("appeler @annie demain") stays part of the text. #themes count wherever they are;
the ones at the edges are taken out of the text, the ones inside a sentence stay in it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from handlers.dates.dates import ParsedDate, split_deadline
from handlers.dates.words import fold

_EDGE_TOKEN = r'(@"[^"]*"|@\S+|#[\w-]+)'
_LEADING = re.compile(r"^\s*" + _EDGE_TOKEN + r"(?=\s|$)")
_TRAILING = re.compile(r"(?:^|\s)" + _EDGE_TOKEN + r"\s*$")
_THEME = re.compile(r"(?<!\S)#([\w-]+)")


@dataclass(frozen=True)
class Draft:
    text: str
    owner_tokens: tuple[str, ...]
    themes: tuple[tuple[str, str], ...]  # (key, name as typed)
    deadline: ParsedDate | None


def theme_key(name: str) -> str:
    """#Énergie, #energie and énergie are one theme."""
    return fold(name.lstrip("#"))


def parse_new_action(rest: str, *, now: datetime, tz: str, lang: str) -> Draft:
    """Raises handlers.dates.dates.DateError when the deadline is a past date."""
    # Tags and names may also follow the deadline: "… pour demain #énergie".
    after, body = _take_edges(rest, _TRAILING, at_start=False)
    body, deadline = split_deadline(body, now=now, tz=tz, lang=lang)
    leading, body = _take_edges(body, _LEADING, at_start=True)
    trailing, body = _take_edges(body, _TRAILING, at_start=False)
    edge = leading + trailing + after
    owners = tuple(t for t in edge if t.startswith("@"))
    names = [t[1:] for t in edge if t.startswith("#")] + _THEME.findall(body)
    return Draft(body.strip(), owners, themes_of(names), deadline)


def themes_of(names: list[str]) -> tuple[tuple[str, str], ...]:
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(theme_key(name), name.lstrip("#"))
    return tuple(sorted(seen.items()))


def _take_edges(text: str, pattern: re.Pattern, at_start: bool) -> tuple[list[str], str]:
    taken: list[str] = []
    while match := pattern.search(text):
        taken.append(match.group(1))
        text = text[match.end():] if at_start else text[:match.start()]
    return (taken if at_start else taken[::-1]), text
