"""Import every capability so its commands register, in the order !aide lists them."""
from handlers import help  # noqa: F401  (registration side effects, in display order)
from handlers import actions, themes  # noqa: F401
from handlers import meetings, meeting_attendance, meeting_content  # noqa: F401
from handlers import subscriptions, calendar, schedule_jobs  # noqa: F401  (scheduled meetings)
from handlers import when, settings, ping  # noqa: F401
from handlers import followup  # noqa: F401  (job kinds)
from handlers.jobs import jobs
from handlers.registry import registry

__all__ = ["jobs", "registry"]
