"""Mobilisations: a march or public action announced, counted (by command and by reaction) and counted down.

Public, for other capabilities: nothing yet."""
from handlers.core.capability import Capability
from handlers.mobilisations import commands, digest, jobs, optout, reactions, texts

CAPABILITY = Capability(
    "mobilisations",
    section="mobilisations",
    commands=(commands.mobilisation, commands.mobilisations, commands.join_command, commands.leave_command),
    extends=(optout.subscribe, optout.unsubscribe),
    jobs=jobs.JOBS,
    start_hooks=(jobs.plan_all,),
    reactions=(reactions.on_reaction,),
    texts=texts.MESSAGES,
    settings=(jobs.MOBILISATION_REMINDERS,),
    digest=digest.digest_section,
)

__all__ = ["CAPABILITY"]
