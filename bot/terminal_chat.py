"""A minimal Matrix client in the terminal, for the demo: you type, it sends; it prints what others say."""
from __future__ import annotations

import asyncio
import sys

from nio import AsyncClient, LoginError, RoomMessage, RoomCreateError


class TerminalChat:
    def __init__(self, client: AsyncClient, room_id: str, bot_id: str) -> None:
        self.client, self.room_id, self.bot_id = client, room_id, bot_id
        self._sync: asyncio.Task | None = None
        self._awaiting: set[str] = set()  # our messages not answered yet

    @classmethod
    async def open(cls, homeserver: str, user_id: str, password: str, bot_id: str) -> "TerminalChat":
        client = AsyncClient(homeserver, user_id)
        login = await client.login(password=password, device_name="relais-demo-terminal")
        if isinstance(login, LoginError):
            raise RuntimeError(f"demo user could not log in: {login.message}")
        await client.sync(timeout=0)
        created = await client.room_create(name="Relais — démo", invite=[bot_id])
        if isinstance(created, RoomCreateError):
            raise RuntimeError(f"could not create the demo room: {created.message}")
        chat = cls(client, created.room_id, bot_id)
        client.add_event_callback(chat._print, RoomMessage)
        chat._sync = asyncio.create_task(client.sync_forever(timeout=5_000))
        await chat._wait_for_bot()
        return chat

    async def _wait_for_bot(self, timeout: float = 30) -> None:
        for _ in range(int(timeout * 10)):
            room = self.client.rooms.get(self.room_id)
            if room and self.bot_id in room.users and self.bot_id not in room.invited_users:
                return
            await asyncio.sleep(0.1)
        raise RuntimeError("the bot did not join the demo room")

    async def _print(self, room, event) -> None:
        if room.room_id == self.room_id and event.sender != self.client.user_id:
            reply_to = event.source.get("content", {}).get("m.relates_to", {}).get("m.in_reply_to", {})
            self._awaiting.discard(reply_to.get("event_id"))
            name = room.user_name(event.sender) or event.sender
            body = "\n    ".join(event.source.get("content", {}).get("body", "").splitlines())
            print(f"{name}: {body}", flush=True)

    async def run(self) -> None:
        """Send each line typed; stop at end of input or /quit. Piped input waits for replies before exiting."""
        while True:
            line = await asyncio.to_thread(sys.stdin.readline)
            if not line or line.strip() in ("/quit", "/exit"):
                break
            if line.strip():
                sent = await self.client.room_send(
                    self.room_id, "m.room.message", {"msgtype": "m.text", "body": line.strip()}
                )
                if line.startswith("!") and getattr(sent, "event_id", None):
                    self._awaiting.add(sent.event_id)
        # With piped input, wait for the answers before leaving (at most 20 s).
        for _ in range(200):
            if not self._awaiting:
                break
            await asyncio.sleep(0.1)

    async def close(self) -> None:
        if self._sync:
            self._sync.cancel()
            await asyncio.gather(self._sync, return_exceptions=True)
        await self.client.close()
