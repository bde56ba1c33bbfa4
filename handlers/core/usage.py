"""Usage lines, generated from a command's declaration (handlers/core/commands.py) in the room's language:

- a command without sub-commands: `!quand <date>`;
- one whose own form takes arguments lists each form, and forms with the same arguments share one:
  `!action <quoi> …` · `!action liste [mes|…]` · `!action voir|fait|rouvrir|annuler N` · …
- one whose own form takes none (it shows something) has its sub-commands as options, with their overview
  labels: `!réunion [début [titre] | fin | prévoir <date et heure> <titre> | …]`.

`!aide <commande>` adds a line per form that has a description (`<command key>.sub.<form key>`).
"""
from __future__ import annotations

from handlers.core.catalogue import Catalogue
from handlers.core.commands import Command, Form
from handlers.core.text import Rendered, render


def _arguments(form: Form, texts: Catalogue, lang: str, overview: bool = False) -> str:
    return " ".join(arg.usage(texts, lang, overview=overview) for arg in form.args)


def form_usage(form: Form, texts: Catalogue, lang: str, overview: bool = False) -> str:
    """`fait N`, `début [titre]`: a form as typed after the command (a template fragment)."""
    return " ".join(part for part in (form.name(lang) if form.names else "",
                                      _arguments(form, texts, lang, overview)) if part)


def _code(after: str) -> str:
    return f"<code>{{cmd}}{' ' + after if after else ''}</code>"


def usage_template(command: Command, texts: Catalogue, lang: str) -> str:
    root = _arguments(command.root, texts, lang)
    if not command.subs:
        return _code(root)
    if not command.root.args:
        options = " | ".join(form_usage(sub, texts, lang, overview=True) for sub in command.subs)
        return _code(f"[{options}]")
    shared: dict[str, list[str]] = {}  # the arguments of sub-commands -> their names, in order
    for sub in command.subs:
        shared.setdefault(_arguments(sub, texts, lang), []).append(sub.name(lang))
    parts = [_code(root)] + [_code(" ".join(p for p in ("|".join(names), arguments) if p))
                             for arguments, names in shared.items()]
    return " · ".join(parts)


def usage(command: Command, texts: Catalogue, lang: str, prefix: str) -> Rendered:
    return render(usage_template(command, texts, lang), cmd=prefix + command.name(lang))


def form_lines(command: Command, texts: Catalogue, lang: str, prefix: str) -> list[Rendered]:
    """A line per described form: its usage and what it does."""
    return [line for form in (command.root, *command.subs)
            if (line := form_line(command, form, texts, lang, prefix, described_only=True)) is not None]


def form_line(command: Command, form: Form, texts: Catalogue, lang: str, prefix: str,
              described_only: bool = False) -> Rendered | None:
    """`!action échéance N <date>|aucune` — change ou retire l'échéance: one form's usage, and what it does when
    that is described."""
    name = prefix + command.name(lang)
    key = f"{command.key}.sub.{form.key}"
    described = form.key is not None and texts.has(key)
    if described_only and not described:
        return None
    after = form_usage(form, texts, lang)
    line_usage = render(f"{{cmd}}{' ' + after if after else ''}", cmd=name)
    if not described:
        return render("<code>{usage}</code>", usage=line_usage)
    return texts.t(lang, "help.sub", usage=line_usage, description=texts.t(lang, key, cmd=name, p=prefix))
