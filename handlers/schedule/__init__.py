"""Scheduled meetings: planning one-off and recurring meetings (sub-commands of !réunion and !réunions), their
reminders, subscriptions to them, and the room's calendar file.

Public, for other capabilities: `starting_now` (which scheduled meeting `!réunion début` takes up), `upcoming` (a
schedule's occurrences in a span, for the weekly digest), `build_ics` (the calendar file, for the web pages)."""
from handlers.core.capability import Capability
from handlers.schedule import calendar, commands, jobs, subscriptions, texts
from handlers.schedule.calendar import build_ics
from handlers.schedule.common import upcoming
from handlers.schedule.starting import starting_now

CAPABILITY = Capability(
    "schedule",
    section="meetings",
    commands=(subscriptions.subscribe, subscriptions.unsubscribe, calendar.calendar),
    extends=(commands.meeting, commands.meetings),
    jobs=jobs.JOBS,
    start_hooks=(jobs.plan_all,),
    texts=texts.MESSAGES,
    settings=(jobs.MEETING_REMINDERS,),
)

__all__ = ["CAPABILITY", "build_ics", "starting_now", "upcoming"]
