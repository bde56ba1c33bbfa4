"""Room settings: !réglages / !settings, the room's language and time zone, and every capability's own settings."""
from handlers.core.capability import Capability
from handlers.settings import commands, texts

CAPABILITY = Capability("settings", section="general", commands=(commands.settings,), texts=texts.MESSAGES,
                        settings=commands.OWN)
