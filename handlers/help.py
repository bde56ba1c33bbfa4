"""!aide / !help: every command with a one-line description, grouped by capability, or one command's usage,
with a line for each of its sub-commands (catalogue keys `<command key>.sub.<name>`) and its details.

A handler module puts its commands in a section of the list with a module constant `SECTION = "…"`
("actions", "meetings"; anything else falls under "general").
"""
import sys

from handlers import i18n
from handlers.registry import registry
from handlers.router import Invocation, UserError
from handlers.text import Rendered, bullet_list, join

SECTIONS = ("actions", "meetings", "general")


@registry.command("help", fr="aide", en="help", aliases=("?",))
async def help_(inv: Invocation) -> None:
    if inv.args:
        wanted = inv.args[0].lstrip(inv.prefix)
        cmd = registry.find(wanted)
        if cmd is None:
            raise UserError("help.no_such_command", cmd=inv.prefix + wanted)
        inv.reply_rendered(one_command(inv, cmd))
        return
    groups: dict[str, list] = {name: [] for name in SECTIONS}
    for cmd in registry.commands:
        groups[section_of(cmd)].append(
            inv.t("help.line", cmd=inv.prefix + cmd.name(inv.lang), summary=inv.t(f"{cmd.key}.summary"))
        )
    parts = [inv.t("help.section", title=inv.t(f"help.section.{name}"), commands=bullet_list(lines))
             for name, lines in groups.items() if lines]
    inv.reply("help.all", sections=join(parts, "", ""))


def one_command(inv: Invocation, cmd) -> Rendered:
    """Usage and summary, a line per sub-command (the catalogue's `<key>.sub.*` texts, in their order),
    then the details."""
    content = inv.t("help.one", usage=inv.usage(cmd), summary=inv.t(f"{cmd.key}.summary"))
    name = inv.prefix + cmd.name(inv.lang)
    subs = [inv.t(key, cmd=name) for key in sub_keys(cmd.key)]
    if subs:
        content += bullet_list(subs)
    if i18n.has(f"{cmd.key}.details"):
        content += (Rendered("", "") if subs else Rendered("\n", "<br>")) + inv.t(f"{cmd.key}.details")
    return content


def sub_keys(key: str) -> list[str]:
    prefix = f"{key}.sub."
    return [k for k in i18n.CATALOGUE if k.startswith(prefix)]


def section_of(cmd) -> str:
    section = getattr(sys.modules.get(cmd.handler.__module__), "SECTION", "general")
    return section if section in SECTIONS else "general"
