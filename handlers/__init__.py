"""Command logic: a command, the store and the clock in, effects out. No Matrix types here.

core/ is what every capability uses, dates/ the date grammar; each other package is one capability, declared by
the `CAPABILITY` of its `__init__.py` and listed in capabilities.py."""
