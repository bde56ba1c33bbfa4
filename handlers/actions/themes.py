"""!thème / !theme and !thèmes / !themes: a room's themes (#énergie …) and their referents."""
from handlers.actions.parse import theme_key
from handlers.core.arguments import Keyword, People, Word
from handlers.core.commands import command
from handlers.core.errors import UsageError
from handlers.core.people import mention
from handlers.core.router import Invocation
from handlers.core.text import bullet_list
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
        counts = await store.actions.open_counts_by_theme(inv.msg.room_id)
        inv.reply("theme.show", name=found.name, referent=_referent(inv, found), count=counts.get(key, 0))
        return
    person = referent[0]
    await store.themes.ensure(inv.msg.room_id, key, name)
    updated = await store.themes.set_referent(inv.msg.room_id, key, name, user_id=person.user_id, label=person.name)
    inv.reply("theme.referent_set", name=updated.name, referent=mention(person))


@command("themes", fr="thèmes", en="themes", more_ok=True)
async def themes(inv: Invocation) -> None:
    store = inv.services.store
    found = await store.themes.all(inv.msg.room_id)
    if not found:
        inv.reply("themes.empty")
        return
    counts = await store.actions.open_counts_by_theme(inv.msg.room_id)
    lines = [inv.t("theme.show", name=t.name, referent=_referent(inv, t), count=counts.get(t.key, 0)) for t in found]
    inv.reply("themes.list", items=bullet_list(lines))


def _referent(inv: Invocation, found: Theme):
    if not found.referent_name:
        return inv.t("theme.no_referent")
    return mention(Person(found.referent_user_id, found.referent_name))
