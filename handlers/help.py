"""!aide / !help: every command with a one-line description, grouped by capability, or one command's usage.

A handler module puts its commands in a section of the list with a module constant `SECTION = "…"`
("actions", "meetings"; anything else falls under "general").
"""
import sys

from handlers import i18n
from handlers.registry import registry
from handlers.router import Invocation, UserError
from handlers.text import bullet_list, join

SECTIONS = ("actions", "meetings", "general")


@registry.command("help", fr="aide", en="help", aliases=("?",))
async def help_(inv: Invocation) -> None:
    if inv.args:
        wanted = inv.args[0].lstrip(inv.prefix)
        cmd = registry.find(wanted)
        if cmd is None:
            raise UserError("help.no_such_command", cmd=inv.prefix + wanted)
        inv.reply(
            "help.one",
            usage=inv.usage(cmd),
            summary=inv.t(f"{cmd.key}.summary"),
            details=inv.t(f"{cmd.key}.details") if i18n.has(f"{cmd.key}.details") else "",
        )
        return
    groups: dict[str, list] = {name: [] for name in SECTIONS}
    for cmd in registry.commands:
        groups[section_of(cmd)].append(
            inv.t("help.line", cmd=inv.prefix + cmd.name(inv.lang), summary=inv.t(f"{cmd.key}.summary"))
        )
    parts = [inv.t("help.section", title=inv.t(f"help.section.{name}"), commands=bullet_list(lines))
             for name, lines in groups.items() if lines]
    inv.reply("help.all", sections=join(parts, "", ""))


def section_of(cmd) -> str:
    section = getattr(sys.modules.get(cmd.handler.__module__), "SECTION", "general")
    return section if section in SECTIONS else "general"
