"""General commands: !quand / !when (how a date is read) and !ping (a health check)."""
from handlers.core.capability import Capability
from handlers.general import ping, texts, when

CAPABILITY = Capability("general", section="general", commands=(when.when, ping.ping), texts=texts.MESSAGES)
