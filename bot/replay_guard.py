"""Megolm replay protection in ~100 bytes per message instead of nio's ~480, and none for the bot's own.

nio refuses a Megolm message it has decrypted before under another event id or timestamp: the same ciphertext
(sender key, session, message index) posted again as a new event, a homeserver replaying an old command. It
remembers the last 100,000 messages it decrypted in a cachetools LRUCache of tuples of the event's strings,
~480 bytes each: a bot in busy encrypted rooms grew by ~9 MiB every 10,000 commands, its own replies counted
too (docs/performance.md, round 15).

`ReplayGuard.message_index_ok` does the same check with the same window and replaces nio's on the client's
Olm machine: per message one 64-bit digest of (sender key, session, index) mapped to one of (event id,
timestamp), in a dict trimmed oldest first. A replay is refused as nio refuses it (the event stays
undecrypted: bot/pending_keys.py answers once that it could not be read). Two different messages sharing a
digest (~2^-64 a pair) would be taken for a replay. The bot's own messages are not remembered: it never acts
on them. Like nio's, the memory is the process's: a restart forgets it (the claims by event id still hold).
"""
from __future__ import annotations

from typing import Any

WINDOW = 100_000  # messages remembered, as nio's `_message_index_store_size`


class ReplayGuard:
    def __init__(self, own_sender_key: str, window: int = WINDOW) -> None:
        self._own = own_sender_key
        self._window = window
        self._seen: dict[int, int] = {}  # digest of the message → digest of the event that brought it

    def message_index_ok(self, message_index: int, event: Any) -> bool:
        """nio's check (`Olm.message_index_ok`): False when this message came before as another event."""
        if event.sender_key == self._own:
            return True
        message = hash((event.sender_key, event.session_id, message_index))
        carrier = hash((event.event_id, event.server_timestamp))
        seen = self._seen.get(message)
        if seen is None:
            if len(self._seen) >= self._window:
                del self._seen[next(iter(self._seen))]  # the oldest: dicts keep insertion order
            self._seen[message] = carrier
            return True
        return seen == carrier

    def __len__(self) -> int:
        return len(self._seen)


def install(client: Any) -> ReplayGuard | None:
    """Put the guard on the client's Olm machine (loaded by `load_store`); None when encryption is off."""
    olm = getattr(client, "olm", None)
    if olm is None:
        return None
    guard = ReplayGuard(olm.account.identity_keys["curve25519"])
    olm.message_index_ok = guard.message_index_ok  # an instance attribute: nio calls self.message_index_ok
    olm.message_index_store.clear()
    return guard
