"""Commands as declarations, in the spirit of maubot's `@command.subcommand` / `@command.argument`:

    @command("action", fr="action", en="action", aliases=("tâche",), args=[Rest("what", label="action.arg.what")],
             line="create")
    async def action(inv, what): ...                      # `!action <quoi>`: the command's own form

    @action.sub("fait", "done", "terminé", args=[Number("action", lookup=get_action)], more_ok=True)
    async def done(inv, record): ...                      # `!action fait 12`

A form (the command's own, or a sub-command) runs: the coordinator check, then `needs` (e.g. the open meeting,
given to the handler first), then its arguments (handlers/core/arguments.py), then the handler. Its usage line and
its `!aide` line are generated from the declaration (handlers/core/usage.py); the `!aide` line's description is
the catalogue text `<command key>.sub.<form key>`.

A capability may add sub-commands to another's command by key (`extend("meeting")`), and a command may compute
sub-commands from the registry (`dynamic`: `!réglages` has one per declared setting). The registry assembles them
into a copy; the declarations themselves never change once their module is imported.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

from handlers.core.arguments import Arg, Line
from handlers.core.errors import UsageError
from handlers.dates.words import fold

if TYPE_CHECKING:
    from handlers.core.registry import Registry
    from handlers.core.router import Invocation

Handler = Callable[..., Awaitable[None]]  # (inv, *needed, *arguments)
Need = Callable[["Invocation"], Awaitable[Any]]
LONGEST_SUB_NAME = 3  # words: "à venir"


def name_prefixes(words: Sequence[str]) -> list[str]:
    """The line's first word, first two words…, folded: what `Form.words_of_name` compares, computed once per
    line rather than once per sub-command."""
    return [fold(" ".join(words[:count])) for count in range(1, len(words) + 1)]


@dataclass(frozen=True)
class Form:
    """One way to use a command: its name after the command (none for the command's own form), its arguments,
    and what runs them."""

    handler: Handler
    names: tuple[str, ...] = ()  # French, English, then other accepted spellings
    key: str | None = None  # its `!aide` line: `<command key>.sub.<key>`
    args: tuple[Arg, ...] = ()
    needs: Need | None = None  # e.g. the open meeting: found before the arguments are read, given to the handler first
    coordinators: bool = False  # for coordinators only: checked before anything else
    more_ok: bool = False  # words after its arguments are ignored rather than refused

    def name(self, lang: str) -> str:
        return self.names[0] if lang == "fr" else self.names[1]

    @cached_property
    def folded_names(self) -> frozenset[str]:
        return frozenset(fold(n) for n in self.names)

    def words_of_name(self, prefixes: Sequence[str]) -> int:
        """How many of the line's first words name this form (0: they do not); `prefixes` from `name_prefixes`."""
        matched = 0
        for count, prefix in enumerate(prefixes, 1):
            if prefix in self.folded_names:
                matched = count
        return matched

    async def run(self, inv: "Invocation", line: Line) -> None:
        if self.coordinators:
            inv.require_coordinator()
        needed = [await self.needs(inv)] if self.needs is not None else []
        # Errors come in reading order: the arguments before a malformed one are checked first
        # (`!action assigner -1 …` is about the number); words left over belong to the last argument.
        taken, malformed = [], None
        for arg in self.args:
            try:
                got, line = arg.take(line)
            except UsageError as exc:
                malformed = exc
                break
            taken.append(got)
        if malformed is None and not line.empty and not self.more_ok:
            malformed, taken = UsageError(), taken[:-1]
        values = [await arg.value(inv, got) for arg, got in zip(self.args, taken)]
        if malformed is not None:
            malformed.form = self  # the reply shows this form's usage, not every form of the command
            raise malformed
        await self.handler(inv, *needed, *values)


def _sub_decorator(add: Callable[[Form], None]):
    def sub(fr: str, en: str, *aliases: str, key: str | None = None, args: Iterable[Arg] = (),
            needs: Need | None = None, coordinators: bool = False, more_ok: bool = False):
        def decorate(handler: Handler) -> Handler:
            add(Form(handler, (fr, en, *aliases), key or en, tuple(args), needs, coordinators, more_ok))
            return handler

        return decorate

    return sub


@dataclass
class Command:
    key: str  # catalogue prefix: "<key>.summary", "<key>.details", "<key>.sub.<form>"
    names: dict[str, str]  # display name per language
    aliases: tuple[str, ...]
    root: Form  # the command's own form: `!réunion` alone, `!action <quoi>`
    subs: list[Form] = field(default_factory=list)
    unknown: str | None = None  # said before the usage when the first word names no sub-command
    dynamic: Callable[["Registry"], Iterable[Form]] | None = None
    # Other names that mean a sub-command: `!actions mes` is `!action liste mes` (as `!réunions` lists meetings).
    shortcuts: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.sub = _sub_decorator(self.subs.append)
        self.shortcuts = {fold(name): sub for name, sub in self.shortcuts.items()}

    def name(self, lang: str) -> str:
        return self.names.get(lang) or self.names["fr"]

    def all_names(self) -> set[str]:
        return {fold(n) for n in (*self.names.values(), *self.aliases, *self.shortcuts)}

    def expand(self, name: str, text: str) -> str:
        """The line after a shortcut's name with its sub-command put first, unless the line names one itself
        (`!actions voir 3` is `!action voir 3`)."""
        sub = self.shortcuts.get(fold(name)) if self.shortcuts else None
        if sub is None:  # nearly every command: no second reading of the line
            return text
        prefixes = name_prefixes(Line(text).words(LONGEST_SUB_NAME))
        if any(form.words_of_name(prefixes) for form in self.subs):
            return text
        return f"{sub} {text}".strip()

    def assembled(self, registry: "Registry", added: Iterable[Form]) -> Command:
        """A copy with the sub-commands other capabilities add and those computed from the registry."""
        subs = [*self.subs, *(self.dynamic(registry) if self.dynamic else ()), *added]
        seen: dict[str, Form] = {}
        for sub in subs:
            for name in map(fold, sub.names):
                if seen.get(name, sub) is not sub:
                    raise RuntimeError(f"!{self.key}: sub-command name {name!r} declared twice")
                seen[name] = sub
        return replace(self, subs=subs, dynamic=None)

    def choose(self, text: str) -> tuple[Form, Line]:
        """The form a command line asks for, and the line after its name."""
        line = Line(text)
        sub, count = self._named_sub(line)
        if sub is not None:
            if self._passes_over(sub, line.skip(count)):
                return self.root, line  # "!action annuler la réservation": a new action, not `annuler`
            return sub, line.skip(count)
        if not line.empty and not (self.root.args or self.root.more_ok) and self.subs:
            word = line.words(1)[0]
            raise UsageError(self.unknown, name=word) if self.unknown else UsageError()
        return self.root, line

    def passed_over(self, text: str) -> str | None:
        """The words of `text` naming a sub-command that `choose` passed over for the command's own form, because
        no number followed it ("!action fait abc", "!action voir le maire"); None if it named none."""
        line = Line(text)
        sub, count = self._named_sub(line)
        return " ".join(line.words(count)) if sub is not None and self._passes_over(sub, line.skip(count)) else None

    def _named_sub(self, line: Line) -> tuple[Form | None, int]:
        prefixes = name_prefixes(line.words(LONGEST_SUB_NAME))
        for sub in self.subs:
            if count := sub.words_of_name(prefixes):
                return sub, count
        return None, 0

    def _passes_over(self, sub: Form, after: Line) -> bool:
        gate = sub.args[0] if sub.args and sub.args[0].gate else None
        return bool(gate and not after.empty and not gate.fits(after.words(1)[0]) and self.root.args)

    async def run(self, inv: "Invocation", text: str) -> None:
        form, line = self.choose(text)
        await form.run(inv, line)


def command(key: str, *, fr: str, en: str, aliases: Iterable[str] = (), args: Iterable[Arg] = (),
            needs: Need | None = None, coordinators: bool = False, more_ok: bool = False, line: str | None = None,
            unknown: str | None = None, dynamic: Callable[["Registry"], Iterable[Form]] | None = None,
            shortcuts: dict[str, str] | None = None):
    """Declare a command; the decorated function is its own form (`line`: the key of its `!aide` line)."""
    def decorate(handler: Handler) -> Command:
        root = Form(handler, (), line, tuple(args), needs, coordinators, more_ok)
        return Command(key, {"fr": fr, "en": en}, tuple(aliases), root, unknown=unknown, dynamic=dynamic,
                       shortcuts=dict(shortcuts or {}))

    return decorate


@dataclass
class Extension:
    """Sub-commands a capability adds to another capability's command (`extend("meeting")`)."""

    key: str
    subs: list[Form] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.sub = _sub_decorator(self.subs.append)


def extend(key: str) -> Extension:
    return Extension(key)
