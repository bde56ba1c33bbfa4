"""Mobilisations: a march or public action announced, counted (by command and by reaction) and counted down, with
what prepares it (linked actions and meetings) and its tract (a link, or a file posted with `!tract`).

Public, for other capabilities: `take_mobilisation` (the "pour la mobilisation 1" / "for M1" of a text),
`mobilisation_to_prepare` (that mobilisation, or a reply saying it does not exist) and `prepares_note` (the line
of a confirmation): `!action … pour M1` and `!réunion prévoir … pour la mobilisation 1` use them."""
from handlers.core.capability import Capability
from handlers.mobilisations import commands, digest, jobs, optout, reactions, texts, tract_file
from handlers.mobilisations.links import mobilisation_to_prepare, prepares_note, take_mobilisation

CAPABILITY = Capability(
    "mobilisations",
    section="mobilisations",
    commands=(commands.mobilisation, commands.mobilisations, commands.join_command, commands.leave_command,
              tract_file.tract_command),
    extends=(optout.subscribe, optout.unsubscribe),
    jobs=jobs.JOBS,
    start_hooks=(jobs.plan_all,),
    observers=(tract_file.note_file,),
    reactions=(reactions.on_reaction,),
    texts=texts.MESSAGES,
    settings=(jobs.MOBILISATION_REMINDERS,),
    digest=digest.digest_section,
)

__all__ = ["CAPABILITY", "mobilisation_to_prepare", "prepares_note", "take_mobilisation"]
