"""A capability declares everything it brings, in one object (its package's `__init__.py`): the registry
(handlers/core/registry.py) reads these, never module-level state."""
from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

from handlers.core.catalogue import Messages
from handlers.core.commands import Command, Extension
from handlers.core.digest import DigestHook
from handlers.core.interface import Effect, Message, Reaction
from handlers.core.jobs import JobHandler, StartHook
from handlers.core.services import Services
from handlers.core.settings import Setting

# Sees every message that is not a command (e.g. who speaks during a meeting); returns effects.
Observer = Callable[[Message, Services], Awaitable[list[Effect]]]
# Sees every reaction to a message, and every withdrawal of one (Reaction.removed); returns effects.
ReactionHandler = Callable[[Reaction, Services], Awaitable[list[Effect]]]


@dataclass(frozen=True)
class Capability:
    name: str
    section: str = "general"  # where !aide lists its commands (title: the text `help.section.<section>`)
    commands: tuple[Command, ...] = ()
    extends: tuple[Extension, ...] = ()  # sub-commands it adds to other capabilities' commands
    jobs: Mapping[str, JobHandler] = field(default_factory=dict)  # job kind -> handler
    start_hooks: tuple[StartHook, ...] = ()  # run once the scheduler has started
    observers: tuple[Observer, ...] = ()
    reactions: tuple[ReactionHandler, ...] = ()
    texts: Messages = field(default_factory=dict)  # its texts.py MESSAGES (a Texts; or the older {key: {"fr": …, "en": …}})
    settings: tuple[Setting, ...] = ()  # changed with !réglages
    digest: DigestHook | None = None  # its section of the weekly digest (handlers/core/digest.py)
