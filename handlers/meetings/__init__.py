"""Meetings as they happen: opening and closing one, the chair, attendance, topics and items, the minutes
(posted at the end, rendered again on demand), and who spoke."""
from handlers.core.capability import Capability
from handlers.meetings import attendance, commands, content, texts
from handlers.meetings.minutes import Minutes, build as build_minutes

CAPABILITY = Capability(
    "meetings",
    section="meetings",
    commands=(commands.meeting, commands.chair, commands.meetings, commands.minutes,
              attendance.present, attendance.excused, attendance.late, attendance.absent, attendance.scribe,
              content.topic, content.info, content.decision, content.idea, content.link, content.undo),
    observers=(commands.note_speaker,),
    texts=texts.MESSAGES,
)

__all__ = ["CAPABILITY", "Minutes", "build_minutes"]  # the minutes' structure: for the web pages
