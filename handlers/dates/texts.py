"""Texts of the date layer: the errors every date-taking command shares (handlers/dates/date_input.py)."""

from handlers.core.catalogue import Texts, pN_

MESSAGES = Texts(__file__, [
    pN_("date.unparseable",
        "I don't understand the date “{phrase}”. Examples: <code>tomorrow 6pm</code>, <code>next "
        "monday</code>, <code>Wednesday 12 May at 18:00</code>, <code>12/05</code>, <code>end of "
        "May</code>, <code>in 3 days</code>."),
    pN_("date.weekday_mismatch", "{date} is a {weekday}, not a {stated}."),
    pN_("date.no_such_day",
        "There is no {month} {day}. Give a day that exists, for example <code>{month} {last}</code> or <code>end "
        "of {month}</code>."),
    pN_("date.no_such_day_in_year",
        "There is no {month} {day} in {year}. Give a day that exists, for example <code>{month} {last}, "
        "{year}</code> or <code>end of {month} {year}</code>."),
    pN_("date.no_such_time",
        "“{phrase}”: {clock} is not a time of day, the hours go from 0:00 to 23:59. For example <code>6pm</code> "
        "or <code>18:30</code>; for midnight, <code>11:59pm</code> or <code>0:00</code> the next day."),
    pN_("date.too_far", "“{phrase}”: this date is too far ahead, {years} years at most."),
    pN_("date.past",
        "“{phrase}” is already past. Give a date to come, for example <code>tomorrow 6pm</code>, "
        "<code>next monday</code>, <code>Wednesday 12 May at 18:00</code>, <code>12/05</code>, "
        "<code>end of May</code>, <code>in 3 days</code>."),
])
