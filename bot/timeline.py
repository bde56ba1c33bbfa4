"""Every timeline event of a sync, gaps included.

A sync carries at most ~100 timeline events per room; when a room's timeline is `limited`, the events
between the previous sync and this one are only reachable through /messages, from the timeline's
`prev_batch` back to the previous sync token. Skipping that gap silently loses commands in a burst.
"""
from __future__ import annotations

import logging

from nio import AsyncClient, MessageDirection, RoomMemberEvent, RoomMessagesError, SyncResponse

log = logging.getLogger(__name__)

MAX_GAP_PAGES = 50  # 5000 events: beyond that the bot was away too long for commands to still matter


async def room_timelines(client: AsyncClient, response: SyncResponse, since: str | None):
    """Yield (room_id, events in chronological order) for every joined room of the response."""
    for room_id, info in response.rooms.join.items():
        events = list(info.timeline.events)
        if info.timeline.limited and since and info.timeline.prev_batch and not _joins(events, client.user_id):
            gap = await fetch_gap(client, room_id, info.timeline.prev_batch, since)
            known = {e.event_id for e in events}
            events = [e for e in gap if e.event_id not in known] + events
        yield room_id, events


def is_join_of(event, user_id: str) -> bool:
    """`user_id` joining (not a profile change of someone already in)."""
    return (isinstance(event, RoomMemberEvent) and event.state_key == user_id
            and event.membership == "join" and event.prev_membership != "join")


def _joins(events: list, user_id: str) -> bool:
    """The bot joined in this batch: what came before is older than its join and of no interest."""
    return any(is_join_of(e, user_id) for e in events)


async def fetch_gap(client: AsyncClient, room_id: str, prev_batch: str, since: str) -> list:
    """Events from `since` up to `prev_batch`, oldest first."""
    newest_first: list = []
    start = prev_batch
    for _ in range(MAX_GAP_PAGES):
        resp = await client.room_messages(room_id, start=start, end=since,
                                          direction=MessageDirection.back, limit=100)
        if isinstance(resp, RoomMessagesError):
            log.warning("could not fetch the gap in %s: %s", room_id, resp.message)
            break
        newest_first.extend(resp.chunk)
        if not resp.chunk or not resp.end or resp.end == start:
            break
        start = resp.end
    else:
        log.warning("gap in %s longer than %d pages; older events skipped", room_id, MAX_GAP_PAGES)
    log.info("fetched %d events from a limited timeline gap in %s", len(newest_first), room_id)
    return list(reversed(newest_first))
