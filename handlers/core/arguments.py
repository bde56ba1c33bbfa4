"""Typed arguments of commands and sub-commands, declared once (handlers/core/commands.py) and read in two steps:

1. `take`: the shape of the line — which words each argument gets. A missing argument, a word where a number is
   expected, words left over: the command's usage (UsageError). Nothing is looked up yet.
2. `value`: what the words mean — a number in range, an action that exists, a member, a date to come. A bad value
   gets its own reply (UserError: "« -1 » n'est pas un numéro d'action valable…", "Il n'y a pas d'action #999…",
   "Je ne comprends pas la date « … »").

Each argument has a label in usage lines: a catalogue key (`arg.number` "N", `arg.people` "@personne…"), bracketed
when the argument is optional.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from handlers.core.args import NumberError, looks_like_number, next_token, numbering, parse_number, tokenize
from handlers.core.catalogue import Catalogue
from handlers.core.errors import UsageError, UserError
from handlers.core.people import resolve_all, sender, split_people
from handlers.dates.date_input import read_date
from handlers.dates.words import fold

if TYPE_CHECKING:
    from handlers.core.router import Invocation


@dataclass(frozen=True)
class Line:
    """What is left of a command line: its raw text (quotes and spacing kept, for dates and texts), and the
    words read before (for examples in error replies: `!action fait 12`)."""

    text: str
    read: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.text.strip()

    def words(self, count: int) -> list[str]:
        """The next `count` words (or fewer), not taken."""
        found, text = [], self.text
        while len(found) < count and (token := next_token(text)) is not None:
            found.append(token[0])
            text = token[1]
        return found

    def take(self) -> tuple[str, Line]:
        token = next_token(self.text)
        if token is None:
            raise UsageError()
        return token[0], Line(token[1], (*self.read, token[0]))

    def skip(self, count: int) -> Line:
        line = self
        for _ in range(count):
            line = line.take()[1]
        return line


ABSENT = object()  # what `take` gives an optional argument the line does not have


@dataclass(frozen=True, kw_only=True)
class Arg:
    name: str = field(kw_only=False)
    label: str = "arg.text"  # catalogue key of its label in usage lines
    overview: str | None = None  # another label for the command's one-line usage, where it differs
    optional: bool = False
    brackets: bool | None = None  # shown in [ ] (default: when optional)
    gate: bool = False  # a first word that does not fit means the form does not apply (Number)

    def fits(self, word: str) -> bool:
        return True

    def take(self, line: Line) -> tuple[Any, Line]:
        """Its words, by shape only; UsageError when the line does not have them."""
        raise NotImplementedError

    def take_fitting(self, line: Line) -> tuple[Any, Line]:
        """One word that `fits` (UsageError otherwise); ABSENT when optional and the line is empty."""
        if line.empty and self.optional:
            return ABSENT, line
        word, rest = line.take()
        if not self.fits(word):
            raise UsageError()
        return word, rest

    async def value(self, inv: "Invocation", taken: Any) -> Any:
        """What the words mean; UserError for a bad value."""
        return taken

    def usage(self, texts: Catalogue, lang: str, *, overview: bool = False) -> str:
        text = texts.template(lang, (overview and self.overview) or self.label)
        bracketed = self.optional if self.brackets is None else self.brackets
        return f"[{text}]" if bracketed else text


def _rest(line: Line) -> tuple[str, Line]:
    return line.text.strip(), Line("", line.read)


@dataclass(frozen=True, kw_only=True)
class Rest(Arg):
    """The rest of the line as typed. Missing and required: the usage, after the text `missing` if given."""

    missing: str | None = None

    def take(self, line: Line) -> tuple[Any, Line]:
        text, rest = _rest(line)
        if not text and not self.optional:
            raise UsageError(self.missing)
        return text, rest


@dataclass(frozen=True, kw_only=True)
class Words(Arg):
    """The rest of the line as words (quoted strings are one word)."""

    def take(self, line: Line) -> tuple[Any, Line]:
        text, rest = _rest(line)
        if not text and not self.optional:
            raise UsageError()
        return tokenize(text), rest


@dataclass(frozen=True, kw_only=True)
class Word(Arg):
    """One word (a quoted string is one word)."""

    def take(self, line: Line) -> tuple[Any, Line]:
        if line.empty and self.optional:
            return None, line
        return line.take()


@dataclass(frozen=True, kw_only=True)
class Keyword(Arg):
    """A word among `words`, then the argument `then` (`référent @personne`); gives `then`'s value."""

    words: tuple[str, ...] = ()
    then: Arg | None = None
    bare: bool = False  # `then` may come without the word: `!thème énergie @annie`

    def fits(self, word: str) -> bool:
        return fold(word) in {fold(w) for w in self.words}

    def take(self, line: Line) -> tuple[Any, Line]:
        if self.bare and not line.empty and not self.fits(line.words(1)[0]):
            return self.then.take(line)
        word, rest = self.take_fitting(line)
        return (ABSENT, rest) if word is ABSENT else self.then.take(rest)

    async def value(self, inv: "Invocation", taken: Any) -> Any:
        return None if taken is ABSENT else await self.then.value(inv, taken)


@dataclass(frozen=True, kw_only=True)
class Number(Arg):
    """`12`, `#12`, `n°12`: 1 to MAX_NUMBER (handlers/core/args.py). A word that does not look like a number does
    not fit (a sub-command whose first argument it is does not apply: `!action annuler la salle` is a new action);
    one that looks like a number but is none (`-1`, `1.5`) is refused with the text `invalid` and an example.
    `lookup(inv, n)` turns the number into what it numbers, or refuses it ("Il n'y a pas d'action #999")."""

    label: str = "arg.number"
    gate: bool = True
    invalid: str = "number.bad_action"
    sample: str = "12"
    scheduled: bool = False  # a scheduled meeting's number: `P3` or `3`
    lookup: Callable[["Invocation", int], Awaitable[Any]] | None = None
    # Said instead, for a number written in another numbering (`#3` where a P-number is expected).
    screen: Callable[["Invocation", str], Awaitable[None]] | None = None

    def fits(self, word: str) -> bool:
        return looks_like_number(word)

    def take(self, line: Line) -> tuple[Any, Line]:
        word, rest = self.take_fitting(line)
        return (word if word is ABSENT else (word, line.read)), rest

    async def value(self, inv: "Invocation", taken: Any) -> Any:
        if taken is ABSENT:
            return None
        word, before = taken
        if self.screen is not None:
            await self.screen(inv, word)
        try:
            number = parse_number(word, scheduled=self.scheduled)
        except NumberError:
            example = " ".join((inv.prefix + inv.command.name(inv.lang), *before, self.sample))
            raise UserError(self.invalid, value=word, example=example) from None
        return number if self.lookup is None else await self.lookup(inv, number)


AND_WORDS = ("et", "and", "&", ",")


@dataclass(frozen=True, kw_only=True)
class Numbers(Number):
    """One number or several: `2 3`, `2, 3`, `2,3`, `#2 et #3`. The value is their list, in the order written,
    each once; each is checked as Number checks it (a bad one refuses the whole line). Words after the last
    number are left on the line. With a `lookup`, each number is looked up."""

    label: str = "arg.numbers"

    def take(self, line: Line) -> tuple[Any, Line]:
        word, rest = self.take_fitting(line)
        if word is ABSENT:
            return ABSENT, rest
        words, before = [word], line.read
        while not rest.empty:
            upcoming = rest.words(2)
            if fold(upcoming[0]) in AND_WORDS and len(upcoming) == 2 and looks_like_number(upcoming[1]):
                rest = rest.skip(1)
            elif not looks_like_number(upcoming[0]):
                break
            word, rest = rest.take()
            words.append(word)
        return ([part for w in words for part in _parts(w)], before), rest

    async def value(self, inv: "Invocation", taken: Any) -> Any:
        if taken is ABSENT:
            return []
        words, before = taken
        found: list[Any] = []
        for word in words:
            value = await super().value(inv, (word, before))
            if value not in found:
                found.append(value)
        return found


def _parts(word: str) -> list[str]:
    """`2,3` → `2`, `3` (a list, not a thousands separator: no room has action 2,003); `2,` → `2`."""
    parts = [p for p in word.split(",") if p]
    return parts if len(parts) > 1 and all(p.strip("#").isdigit() for p in parts) else [word.rstrip(",")]


async def _not_a_p_number(inv: "Invocation", word: str) -> None:
    if numbering(word) == "#":  # `#3`, `n°3`: an action's or a held meeting's number
        raise UserError("schedule.not_a_schedule", ref=word)


def ScheduleRef(name: str, **options: Any) -> Number:  # noqa: N802  (an argument type, like the classes)
    """A scheduled meeting's number, `P3` (or a bare `3`). `#3` and `n°3` name an action or a held meeting: refused
    with a reply saying how scheduled meetings are written, rather than acting on P3."""
    options = {"label": "arg.schedule", "invalid": "number.bad_schedule", "sample": "P3", "scheduled": True,
               "screen": _not_a_p_number, **options}
    return Number(name, **options)


@dataclass(frozen=True, kw_only=True)
class People(Arg):
    """The people named at the start of the rest (a pill, `@localpart`, `@Name`, `@"Outside Person"`), resolved
    among the room's members (handlers/core/people.py). What follows them, less `:` `,` and dashes, is for the
    next argument (a reason, a note). With `or_sender`, naming nobody means the sender."""

    label: str = "arg.people"
    least: int = 0
    most: int | None = None
    or_sender: bool = False
    missing: str | None = None  # the text before the usage when fewer than `least` are named

    def take(self, line: Line) -> tuple[Any, Line]:
        tokens, rest = split_people(line.text)
        if len(tokens) < self.least:
            raise UsageError(self.missing)
        if self.most is not None and len(tokens) > self.most:
            raise UsageError()
        return tokens, Line(rest, (*line.read, *tokens))

    async def value(self, inv: "Invocation", taken: Any) -> Any:
        if taken:
            return resolve_all(taken, inv.msg.members)
        return [sender(inv.msg)] if self.or_sender else []


@dataclass(frozen=True, kw_only=True)
class Date(Arg):
    """A date phrase, the rest of the line, read in the room's zone and language (handlers/dates); a ParsedDate.
    `deadline`: a day without a time is the end of that day. `none`: words that mean "no date" (value None)."""

    label: str = "arg.date"
    deadline: bool = False
    none: tuple[str, ...] = ()

    def take(self, line: Line) -> tuple[Any, Line]:
        phrase, rest = _rest(line)
        if not phrase and not self.optional:
            raise UsageError()
        return phrase, rest

    async def value(self, inv: "Invocation", taken: Any) -> Any:
        if not taken or taken.casefold() in self.none:
            return None
        return read_date(inv, taken, deadline=self.deadline)
