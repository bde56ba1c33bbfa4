"""A toy capability: everything a capability brings, in one folder and nowhere else — a command with a sub-command
taking a typed argument, a job kind, and its texts in both languages. test_toy.py runs it next to the standard ones."""
from handlers.core.capability import Capability
from tests.unit.toy_capability import commands, texts

CAPABILITY = Capability(
    "toy",
    section="toy",  # a section of its own in !aide, titled by its text `help.section.toy`
    commands=(commands.toy,),
    jobs={commands.RING: commands.ring},
    texts=texts.MESSAGES,
)
