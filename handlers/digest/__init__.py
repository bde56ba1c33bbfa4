"""The weekly digest: where the room stands each week — in the room, by direct message and on its mailing list —
and the countdowns to long-range dates. Its own sections are the actions and the meetings (read from storage);
other capabilities add theirs by declaring `Capability.digest` (handlers/core/digest.py).

Public, for the bot layer: `build` (the digest of a room and week, for `python -m bot digest`), `email_failed`
(the notice telling coordinators an e-mail could not be sent); `countdowns` (a room's, for the web pages)."""
from handlers.core.capability import Capability
from handlers.core.text import Rendered
from handlers.digest import commands, jobs, texts
from handlers.digest.content import Digest, build
from handlers.digest.settings import MAILING_LIST_SETTING, countdowns


def email_failed(lang: str, address: str, error: str) -> Rendered:
    return texts.TEXTS.t(lang, "digest.email_failed", address=address, error=error)


CAPABILITY = Capability(
    "digest",
    section="digest",
    commands=(commands.digest, commands.countdown),
    extends=(commands.subscribe, commands.unsubscribe),
    jobs=jobs.JOBS,
    start_hooks=(jobs.plan_all,),
    texts=texts.MESSAGES,
    settings=(MAILING_LIST_SETTING,),
)

__all__ = ["CAPABILITY", "Digest", "build", "countdowns", "email_failed"]
