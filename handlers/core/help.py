"""!aide / !help: every command with a one-line description, grouped by the section its capability declares, or one
command's usage with a line for each of its forms (handlers/core/usage.py) and its details.

`CORE` declares this command and the texts the router and the date layer say: every registry lists it first.
"""
from __future__ import annotations

from handlers.core.arguments import Word
from handlers.core.capability import Capability
from handlers.core.commands import Command, command
from handlers.core.errors import UserError
from handlers.core.router import Invocation
from handlers.core.text import Rendered, bullet_list, join
from handlers.core.texts import MESSAGES
from handlers.core.usage import form_line, form_lines
from handlers.dates.texts import MESSAGES as DATE_MESSAGES

# Sections listed first, in this order; a capability's other section comes after them.
SECTIONS = ("actions", "meetings", "general")


@command("help", fr="aide", en="help", aliases=("?",), more_ok=True,
         args=[Word("command", label="help.arg.command", optional=True)])
async def help_(inv: Invocation, wanted: str | None) -> None:
    registry = inv.registry
    if wanted is not None:
        wanted = wanted.lstrip(inv.prefix)
        cmd = registry.find(wanted)
        if cmd is None and (owners := registry.subs_named(wanted)):  # `!aide fait`: the lines of `!action fait`
            inv.reply_rendered(join([form_line(c, f, registry.texts, inv.lang, inv.prefix) for c, f in owners]))
            return
        if cmd is None and (nearest := registry.nearest(wanted)) is not None:  # `!aide acton`
            raise UserError("error.unknown_suggest", cmd=inv.prefix + wanted,
                            suggestion=f"{inv.prefix}{inv.command.name(inv.lang)} {nearest.name(inv.lang)}")
        if cmd is None:
            raise UserError("help.no_such_command", cmd=inv.prefix + wanted)
        inv.reply_rendered(one_command(inv, cmd))
        return
    sections = [*SECTIONS, *(s for s in registry.sections() if s not in SECTIONS)]
    groups: dict[str, list[Rendered]] = {name: [] for name in sections}
    for cmd in registry.commands:
        groups[registry.section_of(cmd)].append(
            inv.t("help.line", cmd=inv.prefix + cmd.name(inv.lang), summary=inv.t(f"{cmd.key}.summary"))
        )
    parts = [inv.t("help.section", title=inv.t(f"help.section.{name}"), commands=bullet_list(lines))
             for name, lines in groups.items() if lines]
    inv.reply("help.all", sections=join(parts, "", ""))


def one_command(inv: Invocation, cmd: Command) -> Rendered:
    """Usage and summary, a line per described form, then the details."""
    content = inv.t("help.one", usage=inv.usage(cmd), summary=inv.t(f"{cmd.key}.summary"))
    lines = form_lines(cmd, inv.registry.texts, inv.lang, inv.prefix)
    if lines:
        content += bullet_list(lines)
    if inv.registry.texts.has(f"{cmd.key}.details"):
        content += (Rendered("", "") if lines else Rendered("\n", "<br>")) + inv.t(f"{cmd.key}.details")
    return content


CORE = Capability("core", section="general", commands=(help_,), texts=(MESSAGES, DATE_MESSAGES))
