"""Action items: per-room numbers, owners, themes, deadlines, history. (Being written.)"""
from storage.base import Repo


class ActionRepo(Repo):
    pass


class ThemeRepo(Repo):
    pass
