"""!aide / !help: every command with a one-line description, or the details of one command."""
from handlers import i18n
from handlers.registry import registry
from handlers.router import Invocation, UserError
from handlers.text import bullet_list


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
    lines = [
        inv.t("help.line", cmd=inv.prefix + cmd.name(inv.lang), summary=inv.t(f"{cmd.key}.summary"))
        for cmd in registry.commands
    ]
    inv.reply("help.all", commands=bullet_list(lines))

