"""Texts of the date layer: the errors every date-taking command shares (handlers/dates/date_input.py)."""

from handlers.core.catalogue import Texts, pN_

MESSAGES = Texts(__file__, [
    pN_("date.unparseable",
        "I don't understand the date “{phrase}”. Examples: <code>tomorrow 6pm</code>, <code>next "
        "monday</code>, <code>Wednesday 12 May at 18:00</code>, <code>12/05</code>, <code>end of "
        "May</code>, <code>in 3 days</code>."),
    pN_("date.weekday_mismatch", "{date} is a {weekday}, not a {stated}."),
    pN_("date.too_far", "“{phrase}”: this date is too far ahead, {years} years at most."),
    pN_("date.past",
        "“{phrase}” is already past. Give a date to come, for example <code>tomorrow 6pm</code>, "
        "<code>next monday</code>, <code>Wednesday 12 May at 18:00</code>, <code>12/05</code>, "
        "<code>end of May</code>, <code>in 3 days</code>."),
])
