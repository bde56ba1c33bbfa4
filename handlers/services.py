"""What every handler may use besides the message: the store, the clock, the bot-wide defaults."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from handlers.clock import Clock

if TYPE_CHECKING:
    from storage import Store


@dataclass(frozen=True)
class Defaults:
    prefix: str = "!"
    language: str = "fr"
    timezone: str = "Europe/Paris"
    coordinator_power_level: int = 50


@dataclass
class Services:
    store: "Store"
    clock: Clock
    defaults: Defaults
