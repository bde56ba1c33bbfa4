"""Meetings: attendance, topics, items, minutes. (Being written.)"""
from storage.base import Repo


class MeetingRepo(Repo):
    pass
