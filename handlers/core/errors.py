"""The two ways a command refuses what it was given; the router turns them into replies."""
from __future__ import annotations


class UserError(Exception):
    """A problem with what the user asked; shown to them as the catalogue text `key`."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


class UsageError(Exception):
    """The arguments do not fit the command; the router replies with its usage line (after the text
    `problem_key`, when given)."""

    def __init__(self, problem_key: str | None = None, **values: object) -> None:
        super().__init__(problem_key or "usage")
        self.problem_key = problem_key
        self.values = values
        self.form = None  # the sub-command whose arguments did not fit (set by handlers/core/commands.py)
