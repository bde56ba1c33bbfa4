"""Room settings a capability declares (Capability.settings): `!réglages <name> <value>` changes one (handlers/settings
lists them all, in the order of the capabilities). Texts, in the declaring capability: `settings.name.<key>` (its name
in the confirmation), `settings.sub.<key>` (its line in `!aide réglages`), `settings.show.<key>` (its line in
`!réglages`, for a capability's own setting)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from handlers.core.arguments import Arg
from handlers.core.text import Rendered

if TYPE_CHECKING:
    from handlers.core.router import Invocation


@dataclass(frozen=True)
class Setting:
    key: str
    names: tuple[str, ...]  # the French name, the English name, other accepted spellings
    value: Arg  # how its value is written after the name

    def shown(self, inv: "Invocation") -> Rendered | str:
        """The room's value, as `!réglages` and the confirmation show it."""
        raise NotImplementedError

    async def apply(self, inv: "Invocation", value: Any) -> None:
        """Store the new value (coordinators only: the caller checked); update `inv.room` with the result."""
        raise NotImplementedError
