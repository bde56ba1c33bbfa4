"""Import every capability so its commands register, in the order !aide lists them."""
from handlers import help, ping, settings, when  # noqa: F401  (registration side effects)
from handlers.registry import registry

__all__ = ["registry"]
