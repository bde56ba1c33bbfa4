"""!pages on|off|nouveau-lien (English new-link), coordinators: the room's web pages and their address.
Alone, `!pages` shows the address. In a large room the address goes to the coordinator by direct message: a
capability URL is read by whoever sees it."""
from __future__ import annotations

from handlers.core.commands import command
from handlers.core.interface import DirectMessage
from handlers.core.router import Invocation
from handlers.core.text import Rendered
from handlers.pages.links import replace_token, room_url, turn_on, webcal
from storage.records import PageLink

LARGE_ROOM = 20  # members; above this the address is sent by direct message


def _server(inv: Invocation) -> str | None:
    if not inv.services.web_url:
        inv.reply("pages.no_server")
        return None
    return inv.services.web_url


def _give_address(inv: Invocation, base: str, link: PageLink, before: Rendered | None = None) -> None:
    url = room_url(base, link.token)
    address = inv.t("pages.address", url=url, webcal=webcal(room_url(base, link.token, "calendar.ics")),
                    feed=room_url(base, link.token, "feed.atom"))
    if len(inv.msg.members) <= LARGE_ROOM:
        inv.reply_rendered(before + Rendered(" ", " ") + address if before else address)
        return
    about = inv.t("pages.dm_about", room=inv.services.room_name(inv.msg.room_id))
    inv.effects.add(DirectMessage(inv.msg.sender, about + Rendered("\n", "<br>") + address))
    sent = inv.t("pages.sent_by_dm")
    inv.reply_rendered(before + Rendered(" ", " ") + sent if before else sent)


@command("pages", fr="pages", en="pages", aliases=("page", "web", "site"), line="show", coordinators=True)
async def pages(inv: Invocation) -> None:
    if (base := _server(inv)) is None:
        return
    link = await inv.services.store.pages.get(inv.msg.room_id)
    if link is None or not link.enabled:
        inv.reply("pages.is_off")
        return
    _give_address(inv, base, link)


@pages.sub("on", "on", "oui", "activer", "marche", coordinators=True)
async def on(inv: Invocation) -> None:
    if (base := _server(inv)) is None:
        return
    link, changed = await turn_on(inv.services.store, inv.msg.room_id, by=inv.msg.sender,
                                  at=inv.services.clock.now())
    _give_address(inv, base, link, inv.t("pages.turned_on" if changed else "pages.already_on"))


@pages.sub("off", "off", "non", "désactiver", "desactiver", "arrêt", "stop", coordinators=True)
async def off(inv: Invocation) -> None:
    if await inv.services.store.pages.turn_off(inv.msg.room_id, by=inv.msg.sender, at=inv.services.clock.now()):
        inv.reply("pages.turned_off")
    else:
        inv.reply("pages.already_off")


@pages.sub("nouveau-lien", "new-link", "nouveau lien", "new link", "nouvelle-adresse", "revoquer", "révoquer",
           "revoke", coordinators=True)
async def new_link(inv: Invocation) -> None:
    if (base := _server(inv)) is None:
        return
    link = await replace_token(inv.services.store, inv.msg.room_id, by=inv.msg.sender, at=inv.services.clock.now())
    _give_address(inv, base, link, inv.t("pages.new_link"))
