"""Texts of scheduled meetings (!réunion prévoir|liste|annuler|déplacer), their reminders, !abonner /
!désabonner, and !agenda."""

from handlers.core.catalogue import Catalogue, Texts, npN_, pN_
from handlers.core.texts import MESSAGES as CORE_MESSAGES

MESSAGES = Texts(__file__, [
    # --- help
    pN_("schedule.help",
        "<b>Scheduling a meeting</b> (coordinators): <code>{p}meeting schedule &lt;date and "
        "time&gt; &lt;title&gt; [at &lt;place&gt;] [link]</code>. The date is found inside the "
        "text, the rest is the title; the place follows the last “at” (or “à”, “chez”, "
        "“location:”); a link (video call) may go anywhere. Quote the title if it contains “at” "
        "itself: <code>\"Look at the budget\" tuesday 6pm at the hall</code>.<br><b>Recurring "
        "meetings</b>: <code>every monday</code>, <code>every monday and thursday</code>, "
        "<code>every other monday</code>, <code>every 2 weeks</code>, <code>every 2 weeks on "
        "tuesday</code>, <code>every day</code>, <code>every month</code>, <code>every first "
        "tuesday of the month</code>, <code>every last friday of the month</code>, <code>on the "
        "15th of every month</code> — with a time (<code>at 6pm</code>), and if needed an end "
        "(<code>until June 30</code> or <code>10 times</code>) and a start (<code>from May "
        "3</code>). The time stays the same in summer and winter time.<br><b>First date</b>: a "
        "weekday named alone is never today — <code>monday 6pm</code>, <code>every monday at "
        "6pm</code> or <code>every other monday</code> typed on a Monday starts next Monday "
        "(<code>every monday and thursday</code> may start on this week's Thursday). A rule that "
        "names a date, or no weekday (<code>every day</code>, <code>on the 15th of every "
        "month</code>, <code>every first tuesday of the month</code>), starts on its first date "
        "still to come, today included: <code>every day at 6pm</code> typed at 10am starts today "
        "at 6pm; <code>from May 3</code> starts on 3 May, included. A weekday written with a "
        "date must be that date's: <code>Saturday 9 May</code> is refused if 9 May is a "
        "Sunday.<br>Examples: <code>{p}meeting schedule Wednesday 12 May at 6pm Review the "
        "proposals at the town hall</code>, <code>{p}meeting schedule every monday at 6pm Weekly "
        "check-in</code>.<br>Reminders before each meeting (<code>{p}settings "
        "meeting-reminders</code>, 24 h and 1 h by default): in the room, and by direct message "
        "to coordinators and to subscribed people (<code>{p}subscribe</code>). A reminder missed "
        "while Relais was stopped is sent when it starts again, marked “late”, unless the "
        "meeting has already begun. <code>{p}meeting list</code> shows the next dates and their "
        "numbers (P1, P2…); <code>{p}meeting cancel P&lt;N&gt;</code> cancels the meeting (every "
        "date of a series), <code>{p}meeting cancel P&lt;N&gt; &lt;date&gt;</code> one date "
        "only; <code>{p}meeting move P&lt;N&gt; &lt;date&gt;</code> moves a one-off meeting, or "
        "the next date of a series (a day without a time keeps the planned time). Schedule, "
        "cancel, move: coordinators. <code>{p}meeting start</code> within two hours of a "
        "scheduled meeting takes it up (its title if none is given). <code>{p}calendar</code> "
        "exports them all."),
    # The description of the scheduling lines of `!aide réunion` (sub-commands this capability adds to !réunion).
    pN_("meeting.sub.schedule",
        "schedule a meeting, one-off or recurring (<code>every monday at 6pm</code>), with "
        "reminders in the room and by direct message (coordinators); alone, explains how to "
        "write dates, places and recurrences"),
    pN_("meeting.sub.list",
        "the scheduled meetings (P1, P2…) and their next dates (also <code>{p}meetings "
        "upcoming</code>)"),
    pN_("meeting.sub.cancel", "cancel scheduled meeting P&lt;N&gt;, every date, or only the date given (coordinators)"),
    pN_("meeting.sub.move",
        "move a scheduled meeting, or the next date of a series; a day without a time keeps the "
        "planned time (coordinators)"),
    pN_("schedule.arg.text", "&lt;date and time&gt; &lt;title&gt; [at &lt;place&gt;]"),
    pN_("schedule.arg.text_overview", "&lt;date and time&gt; &lt;title&gt;"),
    pN_("schedule.arg.day", "date"),
    # --- the room's reminders before a meeting (a setting: handlers/schedule/jobs.py)
    pN_("settings.name.meeting", "reminders before meetings"),
    pN_("settings.sub.meeting", "the reminders before each scheduled meeting"),
    pN_("settings.show.meeting", "<br>Reminders before meetings: {value}"),
    # The bounds of a series (handlers/dates/recurrence.py MAX_COUNT, dates.py MAX_YEARS_AHEAD), said by
    # !réunion prévoir like the other RecurrenceError codes ("schedule.<code>").
    pN_("schedule.bad_count",
        "“{phrase}”: a series has 1 to 1000 dates, the last one at most 10 years ahead. Write "
        "for example <code>10 times</code>, or an end date (<code>until June 30</code>)."),
    # --- !réunion prévoir
    pN_("schedule.created", "<b>Scheduled meeting P{number}</b>{title}"),
    pN_("schedule.duplicate",
        "Scheduled meeting P{number}{title} is already planned for that date: nothing is added "
        "(<code>{p}meeting list</code>)."),
    pN_("schedule.title_part", ": “{title}”"),
    pN_("schedule.when_once", "When: {when} ({tz})"),
    pN_("schedule.when_series", "When: {rule}, starting {first} ({tz})"),
    pN_("schedule.next_dates", "Next dates: {dates}"),
    pN_("schedule.place", "Place: {place}"),
    pN_("schedule.link", "Link: {link}"),
    pN_("schedule.reminders",
        "Reminders: {offsets} before, in the room and by direct message to coordinators and "
        "subscribers (<code>{p}subscribe</code>)."),
    pN_("schedule.reminders_skipped", " Too late this time for the one {offsets} before."),
    pN_("schedule.reminders_none",
        "No reminders: this room has none (<code>{p}settings meeting-reminders 24h 1h</code> to "
        "get some)."),
    pN_("schedule.no_date",
        "I can't find a date in “{text}”. Examples: <code>{p}meeting schedule Wednesday 12 May "
        "at 6pm Review the proposals at the town hall</code>, <code>{p}meeting schedule every "
        "monday at 6pm Weekly check-in</code>."),
    pN_("schedule.needs_time", "“{phrase}”: at what time? Add the time, for example <code>{phrase} at 6pm</code>."),
    pN_("schedule.count_and_until",
        "“{phrase}”: give either an end date (<code>until …</code>) or a number of times "
        "(<code>10 times</code>), not both."),
    pN_("schedule.no_occurrence", "No date to come matches “{phrase}” (is the end before the start?)."),
    pN_("schedule.not_understood",
        "I don't understand the repetition “{phrase}”: nothing is scheduled. Write for example <code>every monday "
        "at 6pm</code>, <code>every other tuesday at 6pm</code>, <code>every first thursday of the month at "
        "6pm</code> (<code>{p}meeting schedule</code> alone explains it all)."),
    # --- recurrence in words
    pN_("recurrence.daily", "every day"),
    pN_("recurrence.daily_n", "every {n} days"),
    pN_("recurrence.weekly", "every {days}"),
    pN_("recurrence.weekly_2", "every other {days}"),
    pN_("recurrence.weekly_n", "every {n} weeks on {days}"),
    pN_("recurrence.monthly_nth", "on the {nth} {day} of the month"),
    pN_("recurrence.monthly_day", "on the {day} of every month"),
    pN_("recurrence.every_n_months", "{rule}, every {n} months"),
    pN_("recurrence.at", "{rule} at {time}"),
    pN_("recurrence.until", "{rule}, until {day}"),
    pN_("recurrence.count", "{rule}, {n} times"),
    pN_("recurrence.nth.1", "first"),
    pN_("recurrence.nth.2", "second"),
    pN_("recurrence.nth.3", "third"),
    pN_("recurrence.nth.4", "fourth"),
    pN_("recurrence.nth.5", "fifth"),
    pN_("recurrence.nth.-1", "last"),
    pN_("recurrence.nth.-2", "second-to-last"),
    # --- !réunion liste / !réunions à venir
    pN_("schedule.list",
        "<b>Upcoming meetings</b>{items}<code>{p}meeting cancel P&lt;N&gt; [date]</code>, "
        "<code>{p}meeting move P&lt;N&gt; &lt;date&gt;</code>; <code>{p}calendar</code> to "
        "import them into a calendar."),
    pN_("schedule.line", "P{number}{title} — {when}{moved}{details}"),
    pN_("schedule.line_series", " — {rule}"),
    pN_("schedule.line_then", " (then {dates})"),
    pN_("schedule.line_place", " — {place}"),
    pN_("schedule.moved_mark", " <i>(moved)</i>"),
    pN_("schedule.list_none",
        "No meeting is scheduled in this room. A coordinator can schedule one, for example "
        "<code>{p}meeting schedule Wednesday 12 May at 6pm Review the proposals</code>."),
    # --- !réunion annuler / déplacer
    pN_("schedule.no_such",
        "There is no scheduled meeting P{number} in this room. <code>{p}meeting list</code> "
        "shows them."),
    pN_("schedule.cancelled", "Scheduled meeting P{number}{title} cancelled."),
    pN_("schedule.series_cancelled",
        "Scheduled meeting P{number}{title} cancelled, every date ({rule}). For one date only: "
        "<code>{p}meeting cancel P{number} &lt;date&gt;</code>."),
    pN_("schedule.occurrence_cancelled", "Scheduled meeting P{number}{title} of {when} is cancelled. {next}"),
    pN_("schedule.next_one", "The next one: {when}."),
    pN_("schedule.no_next", "No date is left to come."),
    pN_("schedule.not_that_day", "Scheduled meeting P{number}{title} does not take place on {day}. {next}"),
    pN_("schedule.nothing_to_come", "Scheduled meeting P{number}{title} has no date left to come."),
    pN_("schedule.moved", "Scheduled meeting P{number}{title} moved: {old} → <b>{new}</b>."),
    pN_("schedule.moved_series",
        "Scheduled meeting P{number}{title}: the date of {old} moves to <b>{new}</b>; the "
        "following ones do not change."),
    # --- reminders
    pN_("schedule.remind", "<b>Reminder</b>: meeting P{number}{title} on {when}{soon}.{details}"),
    pN_("schedule.remind_dm", "<b>Reminder</b>: meeting P{number}{title} in {room} on {when}{soon}.{details}"),
    # The time actually left when the reminder goes out (later than planned if Relais was stopped).
    pN_("schedule.soon", " (in {delay})"),
    pN_("schedule.now", " (starting now)"),
    pN_("schedule.started_ago", " (started {delay} ago)"),
    pN_("schedule.remind_place", "<br>Place: {place}"),
    pN_("schedule.remind_link", "<br>Link: {link}"),
    pN_("schedule.remind_moved", " <i>(date changed)</i>"),
    pN_("schedule.remind_subscriber",
        "<br><i>You subscribed to this room's reminders: <code>{p}unsubscribe</code> in the room "
        "to stop them.</i>"),
    # --- !réunion début of a scheduled meeting
    pN_("schedule.started_from", "This is scheduled meeting P{number}{title} of {when}."),
    # --- !abonner / !désabonner
    pN_("subscribe.summary", "get the reminders of this room's scheduled meetings by direct message"),
    pN_("subscribe.details",
        "Relais writes to you privately (one direct chat with you, reused) before each meeting "
        "scheduled in this room. Coordinators get them anyway. <code>{p}unsubscribe</code> to "
        "stop."),
    pN_("subscribe.done",
        "Done: you will get the reminders of this room's scheduled meetings by direct message. "
        "<code>{p}unsubscribe</code> to stop."),
    pN_("subscribe.already",
        "You are already subscribed to this room's reminders. <code>{p}unsubscribe</code> to "
        "stop."),
    pN_("unsubscribe.summary", "stop getting this room's reminders by direct message"),
    pN_("unsubscribe.done", "Done: no more reminders from this room by direct message."),
    pN_("unsubscribe.not_subscribed", "You were not subscribed to this room's reminders."),
    pN_("subscribe.coordinator_note", " As a coordinator of this room, you get the reminders anyway."),
    # --- !agenda
    pN_("calendar.summary", "post the room's scheduled meetings as a calendar file (.ics)"),
    pN_("calendar.details",
        "The file imports into any calendar (Thunderbird, Google, Apple, Outlook…): recurring "
        "meetings are series there, with their cancelled or moved dates. Each meeting lasts 2 h "
        "there (an indication). Command line: <code>python -m bot calendar export --room "
        "&lt;room&gt; &gt; agenda.ics</code>."),
    npN_("calendar.caption",
        "Room calendar: {count} scheduled meeting. Import the file <code>{filename}</code> into "
        "your calendar.",
        "Room calendar: {count} scheduled meetings. Import the file <code>{filename}</code> into "
        "your calendar."),
    pN_("calendar.none",
        "No meeting is scheduled in this room: the calendar would be empty. <code>{p}meeting "
        "schedule</code> schedules one."),
    pN_("calendar.name", "Meetings — {room}"),
    pN_("calendar.untitled", "Meeting"),
    pN_("calendar.description", "Scheduled meeting P{number} in {room} (Relais)."),
])

# What scheduled meetings say outside a command (reminders, the calendar file), and the shared texts they use.
TEXTS = Catalogue(CORE_MESSAGES, MESSAGES)
