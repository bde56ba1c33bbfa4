"""The capabilities Relais runs, in order. Everything that lists commands, sub-commands, job kinds, start-up hooks,
observers, settings or texts reads them through a Registry built from this list; the order is that of `!aide`
within a section, of `!réglages`' settings, and of the sub-commands one capability adds to another's command."""
from handlers import actions, digest, general, meetings, mobilisations, pages, schedule, settings
from handlers.core.help import CORE
from handlers.core.registry import Registry

CAPABILITIES = (
    CORE,  # !aide, and the texts of the router and the date layer
    settings.CAPABILITY,
    meetings.CAPABILITY,
    schedule.CAPABILITY,
    actions.CAPABILITY,
    mobilisations.CAPABILITY,
    digest.CAPABILITY,
    pages.CAPABILITY,  # the room's web pages (!pages), served by bot/web.py
    general.CAPABILITY,
)

registry = Registry(CAPABILITIES)  # what the bot runs
jobs = registry.jobs
