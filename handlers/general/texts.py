"""Texts of !ping and !quand / !when."""

from handlers.core.catalogue import Texts, pN_

MESSAGES = Texts(__file__, [
    pN_("ping.summary", "check that Relais answers"),
    pN_("ping.pong", "pong"),
    pN_("when.summary", "show how Relais understands a date, before you use it"),
    pN_("when.details",
        "Examples: <code>tomorrow 6pm</code>, <code>next monday</code>, <code>Wednesday 12 May "
        "at 18:00</code>, <code>12/05</code>, <code>end of May</code>, <code>in 3 days</code>. "
        "Numeric dates are day/month. A weekday alone means the next one (never today). A "
        "weekday written with a date must be that date's: <code>Saturday 9 May</code> is refused "
        "if 9 May is a Sunday. At most 10 years ahead."),
    pN_("when.understood", "“{phrase}”: <b>{when}</b> ({tz})"),
])
