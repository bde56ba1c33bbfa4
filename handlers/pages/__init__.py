"""Web pages of a room, for members off Matrix: `!pages on|off|nouveau-lien` (coordinators) and what the pages
show — the home (next meetings and mobilisations, open actions, last decisions), the minutes, the weekly digests,
the calendar (.ics, webcal://) and an Atom feed. bot/web.py serves them over HTTP; here they are bytes.

Public, for the bot layer: `Site` (a room's pages by token), `Page`, `NotFound`, `turn_on` (the demo turns its
room's pages on), `room_url`."""
from handlers.core.capability import Capability
from handlers.pages import commands, texts
from handlers.pages.links import room_url, turn_on
from handlers.pages.site import NotFound, Page, Site

CAPABILITY = Capability(
    "pages",
    section="pages",
    commands=(commands.pages,),
    texts=texts.MESSAGES,
)

__all__ = ["CAPABILITY", "NotFound", "Page", "Site", "room_url", "turn_on"]
