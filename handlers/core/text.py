"""Text that exists twice: plain `body` and HTML `formatted_body`.

Catalogue templates are written once, with a tiny HTML subset (<b>, <i>, <code>, <br>, <ul>/<li>).
User-provided values are escaped in the HTML rendering and kept raw in the plain one.
"""
from __future__ import annotations

import html
import re
import string
from dataclasses import dataclass
from functools import lru_cache


# Longest text of an action or a meeting entry, in characters. Even in the costliest characters (an emoji is
# 4 bytes in `body` and 4 in `formatted_body`, `&` 1 + 5) this stays far below what one Matrix event holds
# (bot/sender.py), so the reply naming it is never cut; and the parsers never see a huge text.
MAX_TEXT_CHARS = 2_000


@dataclass(frozen=True)
class Rendered:
    plain: str
    html: str

    def __add__(self, other: "Rendered") -> "Rendered":
        return Rendered(self.plain + other.plain, self.html + other.html)


def count(n: int, lang: str) -> str:
    """A number as the language writes it: 60 000 in French (a narrow no-break space), 60,000 in English."""
    grouped = f"{n:,}"
    return grouped.replace(",", "\u202f") if lang == "fr" else grouped


def too_long(text: str, lang: str) -> dict[str, str] | None:
    """The values of a "too long" refusal ({length}, {max}) when `text` is over MAX_TEXT_CHARS, else None."""
    if len(text) <= MAX_TEXT_CHARS:
        return None
    return {"length": count(len(text), lang), "max": count(MAX_TEXT_CHARS, lang)}


def raw(text: str) -> Rendered:
    """User or data text, shown as-is in plain and escaped in HTML."""
    return Rendered(text, html.escape(text, quote=False))


def code(text: str) -> Rendered:
    """A command line shown as code: between backticks in plain (as templates' <code> are), escaped inside <code>
    in HTML."""
    return Rendered(f"`{text}`", f"<code>{html.escape(text, quote=False)}</code>")


def join(parts: list[Rendered], plain_sep: str = "\n", html_sep: str = "<br>") -> Rendered:
    return Rendered(plain_sep.join(p.plain for p in parts), html_sep.join(p.html for p in parts))


def bullet_list(items: list[Rendered]) -> Rendered:
    if not items:
        return Rendered("", "")
    return Rendered(
        "".join(f"\n• {i.plain}" for i in items) + "\n",
        "<ul>" + "".join(f"<li>{i.html}</li>" for i in items) + "</ul>",
    )


_TAG_PLAIN = [
    (re.compile(r"<br\s*/?>"), "\n"),
    (re.compile(r"<li>"), "\n• "),
    (re.compile(r"</?(?:ul|ol)>"), ""),
    (re.compile(r"</?code>"), "`"),
    (re.compile(r"</?(?:b|strong)>"), ""),
    (re.compile(r"</?(?:i|em)>"), ""),
    (re.compile(r"</?(?:p|li|h\d)>"), ""),
]


@lru_cache(maxsize=2048)  # templates come from the catalogues: a bounded set, each converted once
def template_to_plain(template: str) -> str:
    out = template
    for pattern, repl in _TAG_PLAIN:
        out = pattern.sub(repl, out)
    return html.unescape(out)


_TAG_MARKDOWN = [
    (re.compile(r"<br\s*/?>"), "  \n"),  # a Markdown hard line break
    (re.compile(r"<li>"), "\n- "),
    (re.compile(r"</?(?:ul|ol|li|p)>"), ""),
    (re.compile(r"</?code>"), "`"),
    (re.compile(r"</?(?:b|strong)>"), "**"),
    (re.compile(r"</?(?:i|em)>"), "_"),
]


def template_to_markdown(template: str) -> str:
    """Our small HTML subset as Markdown (minutes and digests exported as .md)."""
    out = template
    for pattern, repl in _TAG_MARKDOWN:
        out = pattern.sub(repl, out)
    return html.unescape(out)


def render(template: str, **values: object) -> Rendered:
    """Fill a catalogue template. Values may be Rendered (inserted as-is) or anything else (escaped). Only the
    values the template names are converted: callers pass some to every template (the command prefix), and a
    list of 25 actions renders ~50 templates (docs/performance.md, round 21)."""
    plain_template, names = _prepared(template)
    plain_vals: dict[str, str] = {}
    html_vals: dict[str, str] = {}
    for name in names:
        value = values[name]  # a missing value is a programming error: KeyError, as format_map raises
        if isinstance(value, Rendered):
            plain_vals[name], html_vals[name] = value.plain, value.html
        else:
            plain_vals[name] = text = str(value)
            html_vals[name] = html.escape(text, quote=False)
    return Rendered(
        _safe_format(plain_template, plain_vals),
        _safe_format(template, html_vals),
    )


_FIELDS = string.Formatter()


@lru_cache(maxsize=2048)  # a bounded set of templates, each parsed once
def _prepared(template: str) -> tuple[str, tuple[str, ...]]:
    """A template's plain twin and the names of the values either one uses ("{when.day}" uses `when`)."""
    plain = template_to_plain(template)
    fields = [f for t in (template, plain) for _, f, _, _ in _FIELDS.parse(t) if f]
    return plain, tuple(dict.fromkeys(re.match(r"[^.\[]*", f).group() for f in fields))


def _safe_format(template: str, values: dict[str, str]) -> str:
    # Only named fields; a missing value is a programming error and raises KeyError. format_map is
    # string.Formatter's parsing in C: a list of 25 actions renders ~50 templates (docs/performance.md).
    return template.format_map(values)
