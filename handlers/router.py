"""Command registry and dispatch: prefix, French and English names, usage replies, errors.

Handler modules declare their commands with `@registry.command(...)`; the router finds the command,
loads the room's settings, runs the handler and turns errors into replies in the room's language.
"""
from __future__ import annotations

import difflib
import logging
import re
import unicodedata
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Awaitable, Callable
from zoneinfo import ZoneInfo

from handlers import i18n
from handlers.args import fold, split_command, tokenize
from handlers.interface import Effect, Effects, Message, React, Reply
from handlers.ratelimit import RateLimiter
from handlers.services import Services
from handlers.text import Rendered, join

if TYPE_CHECKING:
    from storage import RoomSettings

log = logging.getLogger(__name__)

Handler = Callable[["Invocation"], Awaitable[None]]
# Sees every message that is not a command (e.g. who speaks during a meeting); returns effects.
Observer = Callable[[Message, Services], Awaitable[list[Effect]]]


# Invisible characters that change nothing a reader sees but would break a command name or hide text:
# soft hyphen, Mongolian vowel separator, zero-width space, word joiner and invisible operators, byte-order
# mark, and the bidirectional embeddings, overrides and isolates (which can show text in another order).
# Zero-width joiners (emoji sequences) and left-to-right/right-to-left marks (scripts) are kept.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b\u2060-\u2064\ufeff\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile("\r\n?|[\x85\u2028\u2029]")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # C0 and C1 controls but newline and tab


def clean_text(text: str) -> str:
    """A message's text as it is parsed and stored: one place for every command.

    Line breaks become newlines, invisible and control characters (but newline and tab) are removed, and
    the text is NFKC-normalised, so that `!réglages` typed with a decomposed accent (e + U+0301), `！réglages`
    (full-width), and a command name with a zero-width space or a byte-order mark in it are the command
    typed plainly. NFKC also turns compatibility forms into plain ones in stored text ("m²" → "m2", "…" → "...").
    """
    text = _LINE_BREAKS.sub("\n", text)
    text = _CONTROL.sub("", _INVISIBLE.sub("", text))
    return unicodedata.normalize("NFKC", text)


class UserError(Exception):
    """A problem with what the user asked; shown to them as the catalogue text `key`."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


class UsageError(Exception):
    """The arguments do not fit the command; the router replies with its usage line."""

    def __init__(self, problem_key: str | None = None, **values: object) -> None:
        super().__init__(problem_key or "usage")
        self.problem_key = problem_key
        self.values = values


@dataclass(frozen=True)
class Command:
    key: str  # catalogue prefix: "<key>.summary", "<key>.usage"
    names: dict[str, str]  # display name per language
    aliases: tuple[str, ...]
    handler: Handler

    def name(self, lang: str) -> str:
        return self.names.get(lang) or self.names["fr"]

    def all_names(self) -> set[str]:
        return {fold(n) for n in (*self.names.values(), *self.aliases)}


class Registry:
    def __init__(self) -> None:
        self.commands: list[Command] = []
        self.observers: list[Observer] = []
        self._by_name: dict[str, Command] = {}

    def command(self, key: str, *, fr: str, en: str, aliases: tuple[str, ...] = ()) -> Callable[[Handler], Handler]:
        def decorate(handler: Handler) -> Handler:
            cmd = Command(key, {"fr": fr, "en": en}, aliases, handler)
            for name in cmd.all_names():
                if name in self._by_name:
                    raise RuntimeError(f"command name {name!r} registered twice")
                self._by_name[name] = cmd
            self.commands.append(cmd)
            return handler

        return decorate

    def observer(self, fn: Observer) -> Observer:
        self.observers.append(fn)
        return fn

    def find(self, name: str) -> Command | None:
        return self._by_name.get(fold(name))

    def nearest(self, name: str) -> Command | None:
        close = difflib.get_close_matches(fold(name), list(self._by_name), n=1, cutoff=0.6)
        return self._by_name[close[0]] if close else None


@dataclass
class Invocation:
    """One command being handled: the message, its parsed arguments, the room, and the effects to perform."""

    msg: Message
    command: Command
    args: list[str]
    rest: str
    room: "RoomSettings"
    services: Services
    effects: Effects = field(default_factory=Effects)

    @property
    def lang(self) -> str:
        return self.room.language

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.room.timezone)

    @property
    def prefix(self) -> str:
        return self.services.defaults.prefix

    def t(self, key: str, **values: object) -> Rendered:
        values.setdefault("p", self.prefix)
        return i18n.t(self.lang, key, **values)

    def reply(self, key: str, **values: object) -> None:
        self.effects.add(Reply(self.t(key, **values)))

    def reply_rendered(self, content: Rendered, mentions: tuple[str, ...] = ()) -> None:
        self.effects.add(Reply(content, mentions))

    def react(self, key: str = "✅") -> None:
        self.effects.add(React(key))

    def is_coordinator(self, user_id: str | None = None) -> bool:
        return self.msg.power_level(user_id) >= self.services.defaults.coordinator_power_level

    def require_coordinator(self) -> None:
        if not self.is_coordinator():
            raise UserError(
                "error.coordinators_only",
                level=self.services.defaults.coordinator_power_level,
                yours=self.msg.power_level(),
            )

    def usage(self, command: Command | None = None) -> Rendered:
        cmd = command or self.command
        return self.t(f"{cmd.key}.usage", cmd=self.prefix + cmd.name(self.lang))


class Router:
    def __init__(self, registry: Registry, services: Services) -> None:
        self.registry = registry
        self.services = services
        self.limiter = RateLimiter(services.defaults.rate_limit)

    @property
    def _prefix(self) -> str:
        return clean_text(self.services.defaults.prefix)

    def _parse(self, text: str | None) -> tuple[str, str] | None:
        return None if text is None else split_command(clean_text(text).strip(), self._prefix)

    def is_command(self, text: str, *others: str | None) -> bool:
        """Is the text a command? With others (e.g. a message's conflicting text): is any of them one?"""
        return any(self._parse(t) is not None for t in (text, *others))

    async def handle(self, msg: Message) -> list[Effect]:
        """Effects to perform for this message; empty when it is not a command."""
        msg = replace(msg, text=clean_text(msg.text).strip())
        parsed = self._parse(msg.text)
        if parsed is None and self._parse(msg.conflicting_text) is None:
            return []
        defaults = self.services.defaults
        room = await self.services.store.rooms.ensure(
            msg.room_id, language=defaults.language, timezone=defaults.timezone
        )
        lang = room.language
        limited = self._rate_limited(msg, lang)
        if limited is not None:
            return limited
        if msg.conflicting_text is not None or parsed is None:
            # What runs must be what everyone reads: the HTML and the plain text of this message differ.
            return [Reply(i18n.t(lang, "error.text_mismatch"))]
        name, rest = parsed
        command = self.registry.find(name)
        if command is None:
            return [Reply(self._unknown(lang, name))]
        inv = Invocation(msg, command, tokenize(rest), rest, room, self.services)
        try:
            await command.handler(inv)
        except UsageError as exc:
            parts = []
            if exc.problem_key:
                parts.append(inv.t(exc.problem_key, **exc.values))
            parts.append(inv.t("error.usage", usage=inv.usage()))
            return [Reply(join(parts))]
        except UserError as exc:
            return [Reply(inv.t(exc.key, **exc.values))]
        except Exception:  # a bug must not leave the user in silence, nor show them a traceback
            log.exception("command %s failed on event %s", name, msg.event_id)
            return [Reply(inv.t("error.internal"))]
        return inv.effects.items

    def _rate_limited(self, msg: Message, lang: str) -> list[Effect] | None:
        """None when the command may run; else what to say (one notice, then nothing) while the sender waits.
        Coordinators are never limited."""
        limit = self.services.defaults.rate_limit
        if limit is None or msg.power_level() >= self.services.defaults.coordinator_power_level:
            return None
        verdict = self.limiter.check(msg.room_id, msg.sender, min(msg.time, self.services.clock.now()))
        if verdict.allowed:
            return None
        if not verdict.notify:
            return []
        log.info("rate limit: %s in %s waits %d s", msg.sender, msg.room_id, verdict.wait_seconds)
        return [Reply(i18n.t(lang, "error.rate_limited", count=limit.count,
                             window=int(limit.window.total_seconds()), wait=verdict.wait_seconds))]

    async def observe(self, msg: Message) -> list[Effect]:
        """Let observers see a message that is not a command. Their failures are logged, never shown."""
        msg = replace(msg, text=clean_text(msg.text).strip())
        effects: list[Effect] = []
        for observer in self.registry.observers:
            try:
                effects.extend(await observer(msg, self.services))
            except Exception:
                log.exception("observer %s failed on event %s", observer.__name__, msg.event_id)
        return effects

    def _unknown(self, lang: str, name: str) -> Rendered:
        p = self.services.defaults.prefix
        nearest = self.registry.nearest(name)
        if nearest:
            return i18n.t(lang, "error.unknown_suggest", cmd=p + name, suggestion=p + nearest.name(lang), p=p)
        return i18n.t(lang, "error.unknown", cmd=p + name, p=p)

