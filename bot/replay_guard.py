"""Megolm replay protection in ~10 bytes per message instead of nio's ~480, and none for the bot's own.

nio refuses a Megolm message it has decrypted before under another event id or timestamp: the same ciphertext
(sender key, session, message index) posted again as a new event, a homeserver replaying an old command. It
remembers the last 100,000 messages it decrypted in a cachetools LRUCache of tuples of the event's strings,
~480 bytes each: a bot in busy encrypted rooms grew by ~9 MiB every 10,000 commands, its own replies counted
too (docs/performance.md, rounds 15 and 18).

`ReplayGuard.message_index_ok` does the same check with the same window and replaces nio's on the client's
Olm machine. A sender's Megolm session numbers its messages 0, 1, 2, … (clients start a new session every 100
messages or a week), so each session keeps one array of 64-bit digests of (event id, timestamp), one slot per
message index: 8 bytes a message, where a dict of digests cost ~100 (round 15's version). An index far from the
ones seen (a session joined late, or a sender's odd numbering) goes to a small dict of its session instead, so
no index can make an array large. A replay is refused as nio refuses it (the event stays undecrypted:
bot/pending_keys.py answers once that it could not be read). Two events sharing a digest (~2^-64 a pair) would
be taken for the same event. The bot's own messages are not remembered: it never acts on them. Like nio's, the
memory is the process's: a restart forgets it (the claims by event id still hold).
"""
from __future__ import annotations

from array import array
from collections import OrderedDict
from typing import Any

WINDOW = 100_000  # slots remembered (a message each when indexes are dense), as nio's `_message_index_store_size`
SPAN = 64  # at most this many empty slots added to reach an index; beyond, the index goes to its session's dict


class _Session:
    __slots__ = ("base", "slots", "far")

    def __init__(self, base: int) -> None:
        self.base = base  # the message index of slots[0]
        self.slots = array("q")  # the digest of the event that brought message base + i; 0: not seen
        # message index → event digest, for indexes out of the span; oldest first, dropped in O(1) when trimmed
        self.far: OrderedDict[int, int] | None = None

    def size(self) -> int:
        return len(self.slots) + len(self.far or ())


class ReplayGuard:
    def __init__(self, own_sender_key: str, window: int = WINDOW) -> None:
        self._own = own_sender_key
        self._window = window
        self._sessions: OrderedDict[int, _Session] = OrderedDict()  # least recently used first
        self._size = 0  # slots and far entries held, all sessions together
        self._messages = 0  # of which messages seen

    def message_index_ok(self, message_index: int, event: Any) -> bool:
        """nio's check (`Olm.message_index_ok`): False when this message came before as another event."""
        if event.sender_key == self._own:
            return True
        key = hash((event.sender_key, event.session_id))
        carrier = hash((event.event_id, event.server_timestamp)) or 1  # 0 marks an empty slot
        session = self._sessions.get(key)
        if session is None:
            session = self._sessions[key] = _Session(message_index)
        else:
            self._sessions.move_to_end(key)  # now the most recently used
        seen = self._remember(session, message_index, carrier)
        if seen:
            return seen == carrier
        self._messages += 1
        self._trim()
        return True

    def _remember(self, session: _Session, index: int, carrier: int) -> int:
        """The digest already held for this message, or 0 after holding `carrier` for it."""
        slots, offset = session.slots, index - session.base
        if 0 <= offset < len(slots):
            seen = slots[offset]
            if not seen:
                slots[offset] = carrier
            return seen
        if session.far and index in session.far:
            return session.far[index]
        if len(slots) <= offset <= len(slots) + SPAN:  # next (or nearly): the array grows
            added = offset - len(slots) + 1
            if added > 1:
                slots.extend(array("q", bytes(8 * (added - 1))))
            slots.append(carrier)
        elif -SPAN <= offset < 0 and len(slots):  # a little before the first seen: the array grows at the front
            added = -offset
            session.slots = array("q", [carrier]) + array("q", bytes(8 * (added - 1))) + slots
            session.base = index
        else:
            if session.far is None:
                session.far = OrderedDict()
            session.far[index] = carrier
            added = 1
        self._size += added
        return 0

    def _trim(self) -> None:
        """Forget the oldest messages of the least recently used sessions until the window holds."""
        while self._size > self._window:
            key = next(iter(self._sessions))
            session = self._sessions[key]
            over = self._size - self._window
            if session.far:  # each far entry is one message
                cut = min(over, len(session.far))
                for _ in range(cut):
                    session.far.popitem(last=False)
                self._messages -= cut
            else:
                cut = min(over, len(session.slots))
                self._messages -= cut - session.slots[:cut].tolist().count(0)
                del session.slots[:cut]
                session.base += cut
            self._size -= cut
            if not session.size():
                del self._sessions[key]

    def __len__(self) -> int:
        """The messages remembered."""
        return self._messages


def install(client: Any) -> ReplayGuard | None:
    """Put the guard on the client's Olm machine (loaded by `load_store`); None when encryption is off."""
    olm = getattr(client, "olm", None)
    if olm is None:
        return None
    guard = ReplayGuard(olm.account.identity_keys["curve25519"])
    olm.message_index_ok = guard.message_index_ok  # an instance attribute: nio calls self.message_index_ok
    olm.message_index_store.clear()
    return guard
