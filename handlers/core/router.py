"""Dispatch: the prefix, French and English names, the room's settings, usage replies and errors.

The router finds the command in its registry (handlers/core/registry.py), loads the room's settings, runs the
command's form (handlers/core/commands.py) and turns errors into replies in the room's language.
"""
from __future__ import annotations

import difflib
import logging
import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from handlers.core.args import split_command
from handlers.core.commands import Command, Form
from handlers.core.errors import UsageError, UserError
from handlers.core.interface import Effect, Effects, Message, React, Reaction, Reply
from handlers.core.ratelimit import RateLimiter
from handlers.core.registry import Registry
from handlers.core.services import Services
from handlers.core.text import Rendered, code, join
from handlers.core.usage import form_line, usage
from handlers.core.words import when_text
from storage.db import storage_failure
from storage.events import already_handled

if TYPE_CHECKING:
    from storage.records import RoomSettings

log = logging.getLogger(__name__)


# Invisible characters that change nothing a reader sees but would break a command name or hide text:
# soft hyphen, Mongolian vowel separator, zero-width space, word joiner and invisible operators, byte-order
# mark, and the bidirectional embeddings, overrides and isolates (which can show text in another order).
# Zero-width joiners (emoji sequences) and left-to-right/right-to-left marks (scripts) are kept.
MAX_SUGGESTIONS = 4  # `!liste`: the sub-commands of that name shown, of every command that has one
MAX_SUGGESTED_WORDS = 8  # of the words typed after an unknown name, carried into the suggested line
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


@dataclass
class Invocation:
    """One command being handled: the message, the command, the room, what the handler may use (the services, and
    the registry: texts, other commands), and the effects to perform. Arguments come to the handler parsed."""

    msg: Message
    command: Command
    room: "RoomSettings"
    services: Services
    registry: Registry
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
        return self.registry.texts.t(self.lang, key, **values)

    def when(self, at: datetime, has_time: bool = True) -> str:
        """A date (and time) in the room's language and zone."""
        return when_text(at, self.room.timezone, self.lang, has_time)

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
        return usage(command or self.command, self.registry.texts, self.lang, self.prefix)

    def usage_of(self, form: Form | None) -> Rendered:
        """A sub-command's own usage line; the whole command's for its own form (it lists the sub-commands)."""
        if form is None or not form.names:
            return self.usage()
        return form_line(self.command, form, self.registry.texts, self.lang, self.prefix)


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
        texts = self.registry.texts
        limited = self._rate_limited(msg, lang)
        if limited is not None:
            return limited
        if msg.conflicting_text is not None or parsed is None:
            # What runs must be what everyone reads: the HTML and the plain text of this message differ.
            return [Reply(texts.t(lang, "error.text_mismatch"))]
        name, rest = parsed
        command = self.registry.find(name)
        if command is None:
            return [Reply(self._unknown(lang, name, rest))]
        inv = Invocation(msg, command, room, self.services, self.registry)
        try:
            await command.run(inv, command.expand(name, rest))
        except UsageError as exc:
            parts = []
            if exc.problem_key:
                parts.append(inv.t(exc.problem_key, **exc.values))
            parts.append(inv.t("error.usage", usage=inv.usage_of(exc.form)))
            return [Reply(join(parts))]
        except UserError as exc:
            return [Reply(inv.t(exc.key, **exc.values))]
        except Exception as exc:  # a bug must not leave the user in silence, nor show them a traceback
            if already_handled(exc):  # by an earlier run after all: the unit of work rolls back (bot/app.py)
                raise
            if storage_failure(exc):  # the database failed, not the command: nothing was recorded
                log.warning("command %s on event %s: database failure: %s", name, msg.event_id, exc)
                return [Reply(inv.t("error.storage_unavailable"))]
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
        return [Reply(self.registry.texts.t(lang, "error.rate_limited", count=limit.count,
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

    async def reaction(self, reaction: Reaction) -> list[Effect]:
        """Let capabilities see a reaction (or its withdrawal), once per event id whatever re-reads the timeline.
        Their failures are logged, never shown."""
        if not await self.services.store.events.claim(reaction.event_id, reaction.room_id, self.services.clock.now()):
            return []
        effects: list[Effect] = []
        for handler in self.registry.reactions:
            try:
                effects.extend(await handler(reaction, self.services))
            except Exception as exc:
                if storage_failure(exc):  # the unit of work rolls back; the reaction is not claimed
                    raise
                log.exception("reaction handler %s failed on event %s", handler.__name__, reaction.event_id)
        return effects

    def _unknown(self, lang: str, name: str, rest: str) -> Rendered:
        p = self.services.defaults.prefix
        texts = self.registry.texts
        owners = self.registry.subs_named(name)  # the name of a sub-command: `!langue en` → `!réglages langue en`
        if len(owners) == 1:
            command, form = owners[0]
            line = " ".join([f"{p}{command.name(lang)}", form.name(lang), *rest.split()[:MAX_SUGGESTED_WORDS]])
            return texts.t(lang, "error.unknown_suggest", cmd=p + name, suggestion=line, p=p)
        if owners:
            lines = [f"{p}{command.name(lang)} {form.name(lang)}" for command, form in owners[:MAX_SUGGESTIONS]]
            choices = join([code(line) for line in lines], " · ", " · ")
            return texts.t(lang, "error.unknown_suggest_any", cmd=p + name, suggestions=choices, p=p)
        nearest = self.registry.nearest(name)
        if nearest:
            return texts.t(lang, "error.unknown_suggest", cmd=p + name, suggestion=p + nearest.name(lang), p=p)
        return texts.t(lang, "error.unknown", cmd=p + name, p=p)

