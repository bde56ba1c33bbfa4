"""Encrypted events whose room key has not arrived yet: kept (in the database, storage/pending.py), tried
again when a key arrives and every `retry_every`, handled as soon as they decrypt; after `wait` the sender is
told once that their message could not be read. Never dropped silently, never answered twice: an event
handled is removed, an event told about stays marked told (it is neither kept nor told again).

The decryption, the handling and the telling are given by bot/app.py, so this runs without Matrix in tests.
"""
from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from handlers.core.clock import Clock
from storage.pending import Pending, PendingRepo

log = logging.getLogger(__name__)

BATCH = 200  # events tried per round, oldest first
RETRY_EVERY = timedelta(seconds=30)

Decrypt = Callable[[Pending], Any]  # the decrypted event, or None while its key is missing
Handle = Callable[[str, Any], Awaitable[None]]  # (room id, decrypted event)
Tell = Callable[[Pending], Awaitable[None]]  # tell the sender (marks the row told in the same unit)


class PendingKeys:
    def __init__(self, repo: PendingRepo, clock: Clock, *, wait: timedelta, decrypt: Decrypt, handle: Handle,
                 tell: Tell, retry_every: timedelta = RETRY_EVERY) -> None:
        # A short wait (tests, impatient operators) is checked often enough to be kept.
        self.repo, self.clock, self.wait, self.retry_every = repo, clock, wait, min(retry_every, wait / 4)
        self.decrypt, self.handle, self.tell = decrypt, handle, tell
        self._last: datetime | None = None

    async def keep(self, event_id: str, room_id: str, sender: str, source: dict[str, Any]) -> bool:
        """Keep an event that could not be decrypted; False if it was kept (or told about) before."""
        kept = await self.repo.add(event_id, room_id, sender, source, self.clock.now())
        if kept:
            log.info("event %s in %s cannot be decrypted yet; kept until its key arrives", event_id, room_id)
        return kept

    async def retry(self, *, key_arrived: bool = False) -> int:
        """Try the waiting events again: at once when a key arrived, else at most every `retry_every`.
        Returns how many were handled."""
        now = self.clock.now()
        if not key_arrived and self._last is not None and now - self._last < self.retry_every:
            return 0
        self._last = now
        handled = 0
        for pending in await self.repo.oldest(BATCH):
            event = self.decrypt(pending)
            if event is not None:
                await self.handle(pending.room_id, event)  # claims stop a second answer if this runs twice
                await self.repo.remove(pending.event_id)
                handled += 1
            elif now - pending.received_at >= self.wait:
                log.info("no key for %s in %s after %s: telling %s", pending.event_id, pending.room_id,
                         self.wait, pending.sender)
                await self.tell(pending)
        return handled
