"""Whether a bot message that mentions nobody must say so with an empty `m.mentions`.

With an `m.mentions` key, clients and homeservers skip the legacy push rules that ping a member whose display
name or user name is in the body, or everyone on "@room" (Matrix spec 1.7, intentional mentions). Without it,
those rules apply. So the empty key is only needed when one of them could match; elsewhere it is left out,
because Synapse checks the key against a JSON schema at every send: measured at ~6 ms of the homeserver's CPU
per event (`docs/performance.md`, round 11), more than the rest of a notice's `PUT /send`.

The test is wider than the rules (a substring, case-folded, where they match whole words; any name with a glob
character, which they read as a pattern), so a message that could ping somebody always carries the key.

A reply may ping the member it answers (`addressee`): Matrix replies notify the replied-to sender ("it may be
desirable to include the sender of the replied to event", spec 1.7, mentioning the replied-to user), so a reply
naming only its addressee leaves the key out too: the answer to an action one gives oneself, or to a list of one's
own actions. Anybody else named keeps it.
"""
from __future__ import annotations

from nio import MatrixRoom

GLOB = frozenset("*?[")


def may_ping(body: str, room: MatrixRoom | None, own_id: str, addressee: str | None = None) -> bool:
    """Could a legacy mention rule match `body` for a member (joined or invited) of `room` other than
    `addressee` (the sender of the message a reply answers)? True for a room the client has not synced (a new
    DM): its members are unknown."""
    if room is None:
        return True
    text = body.casefold()
    if "@room" in text:
        return True
    for user in room.users.values():  # the invited too (nio keeps them there as well)
        if user.user_id in (own_id, addressee):
            continue
        localpart = user.user_id[1:].partition(":")[0]
        for name in (user.display_name, localpart):
            name = (name or "").strip()
            if name and (name.casefold() in text or not GLOB.isdisjoint(name)):
                return True
    return False
