"""!thème / !theme and !thèmes / !themes: a room's themes (#énergie …) and their referents."""
from handlers.actions.parse import theme_key
from handlers.core import paging
from handlers.core.arguments import Keyword, Number, People, Word
from handlers.core.commands import command
from handlers.core.errors import UsageError, UserError
from handlers.core.people import mention
from handlers.core.router import Invocation
from handlers.core.text import bullet_list, join
from storage.records import Person, Theme

REFERENT = ("référent", "referent", "référente", "referente", "ref")


@command("theme", fr="thème", en="theme", args=[
    Word("name", label="theme.arg.name"),
    Keyword("referent", label="theme.arg.referent", words=REFERENT, optional=True, bare=True,
            then=People("referent", label="arg.person", least=1, most=1)),
])
async def theme(inv: Invocation, name: str, referent: list[Person] | None) -> None:
    name = name.lstrip("#")
    if not name:
        raise UsageError()
    key = theme_key(name)
    store = inv.services.store
    if referent is None:
        found = await store.themes.ensure(inv.msg.room_id, key, name)
        counts = await store.actions.open_counts_by_theme(inv.msg.room_id, keys=[key])
        inv.reply("theme.show", name=found.name, referent=_referent(inv, found), count=counts.get(key, 0))
        return
    person = referent[0]
    await store.themes.ensure(inv.msg.room_id, key, name)
    updated = await store.themes.set_referent(inv.msg.room_id, key, name, user_id=person.user_id, label=person.name)
    inv.reply("theme.referent_set", name=updated.name, referent=mention(person))


PAGE_SIZE = 30  # themes per message: one event whatever the room's history


@command("themes", fr="thèmes", en="themes", args=[
    Keyword("page", label="themes.arg.page", words=("page", "p"), optional=True,
            then=Number("page", invalid="themes.bad_page", sample="2")),
])
async def themes(inv: Invocation, page: int | None) -> None:
    page = page or 1
    store = inv.services.store
    found, total = await store.themes.page(inv.msg.room_id, limit=PAGE_SIZE, offset=paging.offset(page, PAGE_SIZE))
    if not total:
        inv.reply("themes.empty")
        return
    if not found:
        pages = paging.page_count(total, PAGE_SIZE)
        raise UserError("themes.beyond" if pages > 1 else "themes.beyond_one", page=page, pages=pages,
                        command=_page_command(inv, pages))
    counts = await store.actions.open_counts_by_theme(inv.msg.room_id, keys=[t.key for t in found])
    lines = [inv.t("theme.show", name=t.name, referent=_referent(inv, t), count=counts.get(t.key, 0)) for t in found]
    reply = inv.t("themes.list", items=bullet_list(lines))
    footer = paging.footer(inv, ("themes.page", "themes.next"), page=page, size=PAGE_SIZE, shown=len(found), total=total,
                           command=lambda n: _page_command(inv, n))
    inv.reply_rendered(join([reply, footer]) if footer else reply)


def _page_command(inv: Invocation, page: int) -> str:
    return f"{inv.prefix}{inv.command.name(inv.lang)} page {page}"


def _referent(inv: Invocation, found: Theme):
    if not found.referent_name:
        return inv.t("theme.no_referent")
    return mention(Person(found.referent_user_id, found.referent_name))
