"""Web pages of a room, for members off Matrix: `!pages on|off|nouveau-lien` (coordinators) and what the pages
show — the home (next meetings and mobilisations, open actions, last decisions), the minutes, the weekly digests,
the calendar (.ics, webcal://) and an Atom feed. bot/web.py serves them over HTTP; here they are bytes.

Public, for the bot layer: `turn_on` (the demo turns its room's pages on), `room_url`; and in `site.py`, imported
by bot/web.py only when `[web]` serves the pages (the renderers are not loaded otherwise): `Site` (a room's pages
by token), `Page`, `NotFound`."""
from handlers.core.capability import Capability
from handlers.pages import commands, texts
from handlers.pages.links import room_url, turn_on

CAPABILITY = Capability(
    "pages",
    section="pages",
    commands=(commands.pages,),
    texts=texts.MESSAGES,
)

__all__ = ["CAPABILITY", "room_url", "turn_on"]
