"""!thème / !theme and !thèmes / !themes: a room's themes (#énergie …) and their referents."""
from handlers.action_parse import theme_key
from handlers.args import pick
from handlers.people import Person, mention, resolve
from handlers.registry import registry
from handlers.router import Invocation, UsageError
from handlers.text import bullet_list

SECTION = "actions"  # where !aide lists these commands

REFERENT = {"referent": ("référent", "referent", "référente", "referente", "ref")}


@registry.command("theme", fr="thème", en="theme")
async def theme(inv: Invocation) -> None:
    if not inv.args:
        raise UsageError()
    name = inv.args[0].lstrip("#")
    if not name:
        raise UsageError()
    key = theme_key(name)
    store = inv.services.store
    if len(inv.args) == 1:
        found = await store.themes.ensure(inv.msg.room_id, key, name)
        counts = await store.actions.open_counts_by_theme(inv.msg.room_id)
        inv.reply("theme.show", name=found.name, referent=_referent(inv, found), count=counts.get(key, 0))
        return
    if len(inv.args) != 3 or pick(inv.args[1], REFERENT) is None:
        raise UsageError()
    person = resolve(inv.args[2], inv.msg.members)
    await store.themes.ensure(inv.msg.room_id, key, name)
    updated = await store.themes.set_referent(inv.msg.room_id, key, name, user_id=person.user_id, label=person.name)
    inv.reply("theme.referent_set", name=updated.name, referent=mention(person))


@registry.command("themes", fr="thèmes", en="themes")
async def themes(inv: Invocation) -> None:
    store = inv.services.store
    found = await store.themes.all(inv.msg.room_id)
    if not found:
        inv.reply("themes.empty")
        return
    counts = await store.actions.open_counts_by_theme(inv.msg.room_id)
    lines = [inv.t("theme.show", name=t.name, referent=_referent(inv, t), count=counts.get(t.key, 0)) for t in found]
    inv.reply("themes.list", items=bullet_list(lines))


def _referent(inv: Invocation, found):
    if not found.referent_name:
        return inv.t("theme.no_referent")
    return mention(Person(found.referent_user_id, found.referent_name))
