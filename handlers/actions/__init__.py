"""Actions — who does what, by when: !action and its sub-commands, themes, the follow-up of deadlines (reminders,
the overdue mention, the coordinators' digest), and what editing or deleting an `!action` message does."""
from handlers.actions import commands, followup, texts, themes
from handlers.actions.edits import Edits
from handlers.core.capability import Capability

CAPABILITY = Capability(
    "actions",
    section="actions",
    commands=(commands.action, themes.theme, themes.themes),
    jobs=followup.JOBS,
    texts=texts.MESSAGES,
    settings=(followup.ACTION_REMINDERS,),
)

__all__ = ["CAPABILITY", "Edits"]
