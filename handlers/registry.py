"""The one command registry. Handler modules register on import; handlers/commands.py imports them all."""
from handlers.router import Registry

registry = Registry()
