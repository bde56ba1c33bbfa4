"""A minimal Matrix client in the terminal, for the demo: you type, it sends; it prints what others say
(their messages, and their reactions to yours: Relais acknowledges many commands with a ✅ only)."""
from __future__ import annotations

import asyncio
import os
import sys
import threading
from typing import Awaitable, Callable

from nio import AsyncClient, LoginError, ReactionEvent, RoomCreateError, RoomMessage

from bot.terminal_render import message_text

# With piped input, how long to wait for the answers to the last commands before leaving.
PIPED_ANSWER_WAIT = 10.0


class TerminalChat:
    def __init__(self, client: AsyncClient, room_id: str, bot_id: str, ansi: bool | None = None) -> None:
        self.client, self.room_id, self.bot_id = client, room_id, bot_id
        self.ansi = (sys.stdout.isatty() and "NO_COLOR" not in os.environ) if ansi is None else ansi
        self._sync: asyncio.Task | None = None
        self._awaiting: set[str] = set()  # our commands not answered yet
        # Answers seen, by the event they answer: one may arrive before room_send has returned its event id.
        self._answered: set[str] = set()

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
        client.add_event_callback(chat._on_message, RoomMessage)
        client.add_event_callback(chat._on_reaction, ReactionEvent)
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

    # -- what others say ---------------------------------------------------------------------------------------

    def _from_other(self, room, event) -> bool:
        return room.room_id == self.room_id and event.sender != self.client.user_id

    def _answer(self, event_id: str | None) -> None:
        if event_id:
            self._answered.add(event_id)
            self._awaiting.discard(event_id)

    async def _on_message(self, room, event: RoomMessage) -> None:
        if not self._from_other(room, event):
            return
        content = event.source.get("content", {})
        self._answer(content.get("m.relates_to", {}).get("m.in_reply_to", {}).get("event_id"))
        name = room.user_name(event.sender) or event.sender
        first, *rest = message_text(content, self.ansi).split("\n")
        # Later lines are indented under the name; blank ones stay empty (no trailing spaces).
        print(f"{name}: {first}" + "".join(f"\n    {line}" if line else "\n" for line in rest), flush=True)

    async def _on_reaction(self, room, event: ReactionEvent) -> None:
        # Only you post in the demo room besides the bot, so what others react to is yours.
        if not self._from_other(room, event):
            return
        self._answer(event.reacts_to)
        print(f"  {event.key} {room.user_name(event.sender) or event.sender}", flush=True)

    # -- what you type -----------------------------------------------------------------------------------------

    async def run(self, restart: Callable[[], Awaitable[None]] | None = None) -> None:
        """Send each line typed; stop at end of input or /quit; `/restart` calls `restart` (the demo stops the
        bot and starts it again on the same database). Piped input waits (a bounded time) for the answers to
        its commands before leaving; someone at the keyboard leaves at once."""
        lines = _stdin_lines()
        while True:
            line = await lines.get()
            text = line.strip() if line is not None else "/quit"
            if text in ("/quit", "/exit"):
                break
            if text == "/restart" and restart is not None:
                await restart()
            elif text:
                await self._send(text)
        if not sys.stdin.isatty():
            await self._wait_answers(PIPED_ANSWER_WAIT)

    async def _send(self, text: str) -> None:
        sent = await self.client.room_send(self.room_id, "m.room.message", {"msgtype": "m.text", "body": text})
        event_id = getattr(sent, "event_id", None)
        if text.startswith("!") and event_id and event_id not in self._answered:
            self._awaiting.add(event_id)

    async def _wait_answers(self, timeout: float) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self._awaiting and loop.time() < deadline:
            await asyncio.sleep(0.05)

    async def close(self) -> None:
        if self._sync:
            self._sync.cancel()  # drops the long-poll at once
            await asyncio.gather(self._sync, return_exceptions=True)
        await self.client.close()


def _stdin_lines() -> asyncio.Queue[str | None]:
    """Lines of stdin, read by a daemon thread: unlike asyncio.to_thread, a read still blocked at exit
    (Ctrl-C) does not hold up the interpreter. None marks the end of input."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[str | None] = asyncio.Queue()

    def read() -> None:
        for line in iter(sys.stdin.readline, ""):
            if not _put(line):
                return
        _put(None)

    def _put(item: str | None) -> bool:
        try:
            loop.call_soon_threadsafe(queue.put_nowait, item)
        except RuntimeError:  # the loop is closed: the demo is over
            return False
        return True

    threading.Thread(target=read, name="relais-demo-stdin", daemon=True).start()
    return queue
