"""A registry: what some capabilities declare, assembled — commands (with the sub-commands capabilities add to each
other's), observers, job kinds and start-up hooks, settings and texts. Built from a list of capabilities
(handlers/capabilities.py holds the one the bot runs); a test builds its own, with a capability of its own."""
from __future__ import annotations

import difflib
from collections.abc import Iterable

from handlers.core.capability import Capability
from handlers.core.catalogue import Catalogue
from handlers.core.commands import Command, Form
from handlers.core.jobs import JobRegistry
from handlers.dates.words import fold


class Registry:
    def __init__(self, capabilities: Iterable[Capability]) -> None:
        self.capabilities = tuple(capabilities)
        names = [c.name for c in self.capabilities]
        if len(set(names)) != len(names):
            raise RuntimeError(f"a capability is listed twice: {names}")
        self.texts = Catalogue(*(c.texts for c in self.capabilities))
        self.settings = tuple(s for c in self.capabilities for s in c.settings)
        self.observers = tuple(o for c in self.capabilities for o in c.observers)
        self.reactions = tuple(r for c in self.capabilities for r in c.reactions)
        self.jobs = JobRegistry(self.capabilities, owner=self)
        self.digest_sections = tuple(c.digest for c in self.capabilities if c.digest is not None)
        self.commands: list[Command] = []
        self._sections: dict[str, str] = {}  # command key -> section
        self._by_name: dict[str, Command] = {}
        added = self._extensions()
        for capability in self.capabilities:
            for declared in capability.commands:
                cmd = declared.assembled(self, added.pop(declared.key, ()))
                for name in cmd.all_names():
                    if name in self._by_name:
                        raise RuntimeError(f"command name {name!r} declared twice")
                    self._by_name[name] = cmd
                self.commands.append(cmd)
                self._sections[cmd.key] = capability.section
        if added:
            raise RuntimeError(f"sub-commands added to commands no capability declares: {sorted(added)}")

    def _extensions(self) -> dict[str, list[Form]]:
        added: dict[str, list[Form]] = {}
        for capability in self.capabilities:
            for extension in capability.extends:
                added.setdefault(extension.key, []).extend(extension.subs)
        return added

    def find(self, name: str) -> Command | None:
        return self._by_name.get(fold(name))

    def subs_named(self, name: str) -> list[tuple[Command, Form]]:
        """The sub-commands called `name`, in the commands' order: someone who types `!langue en` or `!liste`
        meant one of them (`!réglages langue en`, `!action liste`)."""
        return [(c, f) for c in self.commands for f in c.subs if f.words_of_name([fold(name)])]

    def nearest(self, name: str) -> Command | None:
        close = difflib.get_close_matches(fold(name), list(self._by_name), n=1, cutoff=0.6)
        return self._by_name[close[0]] if close else None

    def section_of(self, command: Command) -> str:
        return self._sections[command.key]

    def sections(self) -> list[str]:
        """The sections of its capabilities, in the order they first appear."""
        return list(dict.fromkeys(c.section for c in self.capabilities if c.commands))
