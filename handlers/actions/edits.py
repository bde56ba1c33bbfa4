"""Edits (`m.replace`) and redactions of commands: what they do. No Matrix types here (bot/app.py reads the
events); tested with the real router in tests/unit/test_edits.py.

The rule:
- Editing an `!action …` message that created an action, within EDIT_WINDOW of it, edits that action's
  text: it runs `!action modifier N <new text>` as the editor (same permission checks), and the reply
  shows the updated action. Only the text changes: owners and deadline have their own commands (the reply
  says so when the edited message names other owners or another deadline).
- Redacting such a message within EDIT_WINDOW cancels the action: it runs `!action annuler N` as the
  redactor, who must be allowed to cancel it.
- Any other edit or redaction of a command (or one after EDIT_WINDOW), and an edit that turns a chat
  message into a command, gets one short notice per command: it is not applied, use the command.
- An edit of a chat message that is still not a command, and a redaction of a chat message, are ignored.
Handled commands are recorded with their sender, time and created action (storage/events.py); the
notice is sent once per command (a marker claim), each edit or redaction is claimed by its own id.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from handlers.actions.parse import Draft, parse_new_action
from handlers.mobilisations import take_mobilisation
from handlers.core.args import split_command
from handlers.core.commands import Command
from handlers.core.errors import UsageError, UserError
from handlers.core.interface import Effect, Message, Reply
from handlers.core.people import person_key, resolve_all
from handlers.core.router import Router, clean_text
from handlers.core.text import join
from handlers.dates.dates import DateError
from storage.actions import COUNTER_KIND as ACTION_NUMBERS
from storage.events import CommandRecord

EDIT_WINDOW = timedelta(minutes=10)


class Edits:
    def __init__(self, router: Router) -> None:
        self.router = router
        self.services = router.services

    @property
    def _prefix(self) -> str:
        return self.services.defaults.prefix

    async def command(self, msg: Message) -> list[Effect] | None:
        """Handle a command once (None: this event was already handled), recording who sent it when and
        the action it created, for a later edit or redaction of it."""
        store = self.services.store
        # One unit of work (the bot's, joined, or its own): it tells which action number the command took,
        # with no read of the counter before and after.
        async with store.atomic():
            if not await store.events.claim(msg.event_id, msg.room_id, self.services.clock.now(),
                                            sender=msg.sender, sent_at=msg.time):
                return None
            effects = await self.router.handle(msg)
            created = await store.events.number_given(msg.room_id, ACTION_NUMBERS)
            if created is not None:
                await store.events.set_action(msg.event_id, created)
            return effects

    async def edited(self, original_id: str, edit: Message) -> list[Effect]:
        """`edit`: the edit event, its text the new one (m.new_content). Effects reply to the original."""
        original = await self.services.store.events.command(original_id)
        if original is None and not self.router.is_command(edit.text, edit.conflicting_text):
            return []  # a chat message, edited: none of our business
        if original is not None and original.sender != edit.sender:
            return []  # only its author may edit a message (clients show no one else's edit either)
        if not await self._claim(edit):
            return []
        if original is None:
            return await self._notice_once(original_id, edit, "edit.not_applied")
        if self._acts_on_action(original, edit):
            draft = await self._action_draft(edit)
            if draft is not None:
                effects = await self._run(edit, f"action modifier {original.action_number} {draft.text}")
                return await self._say_what_stays(edit, original.action_number, draft, effects)
        if original.action_number is not None:
            return await self._notice_once(original_id, edit, "edit.action_late", original.action_number)
        return await self._notice_once(original_id, edit, "edit.not_applied")

    async def redacted(self, original_id: str, redaction: Message) -> list[Effect]:
        """`redaction`: who redacted the message, when; its text is not used."""
        original = await self.services.store.events.command(original_id)
        if original is None or not await self._claim(redaction):
            return []
        if self._acts_on_action(original, redaction):
            return await self._run(redaction, f"action annuler {original.action_number}")
        if original.action_number is not None:
            return await self._notice_once(original_id, redaction, "redaction.action_late", original.action_number)
        return await self._notice_once(original_id, redaction, "redaction.not_applied")

    async def _claim(self, event: Message) -> bool:
        """An edit or a redaction is acted on once, whatever re-reads the timeline."""
        return await self.services.store.events.claim(event.event_id, event.room_id, self.services.clock.now())

    def _acts_on_action(self, original: CommandRecord, event: Message) -> bool:
        return original.action_number is not None and event.time - original.sent_at <= EDIT_WINDOW

    async def _action_draft(self, edit: Message) -> Draft | None:
        """The edited `!action`, read as `!action <text>` would read it (owners, themes at the edges and the
        deadline taken out of its text); None when the new text is not an `!action` creation."""
        parsed = split_command(clean_text(edit.text).strip(), clean_text(self._prefix))
        command = self.router.registry.find(parsed[0]) if parsed else None
        if command is None or command.key != "action" or not _creates(command, parsed[1]):
            return None
        room = await self._room(edit.room_id)
        text, _ = take_mobilisation(parsed[1])  # the link to a mobilisation is not changed by an edit
        try:
            draft = parse_new_action(text, now=self.services.clock.now(), tz=room.timezone,
                                     lang=room.language)
        except DateError:  # the text stays whole; the deadline is not changed by an edit anyway
            return Draft(parsed[1], (), (), None)
        return draft if draft.text else None

    async def _say_what_stays(self, edit: Message, number: int, draft: Draft, effects: list[Effect]) -> list[Effect]:
        """An edit changes the action's text only. If the edited message names other owners or another deadline
        than the action has, the reply says they were kept and which commands change them, rather than let
        the author believe the edit did."""
        action = await self.services.store.actions.get(edit.room_id, number)
        if action is None or not effects or not isinstance(effects[0], Reply):
            return effects
        try:
            named = {person_key(p) for p in resolve_all(draft.owner_tokens, edit.members)}
        except UserError:  # an owner the room cannot tell: not the action's owners either
            named = {None}
        due = (draft.deadline.when, draft.deadline.has_time) if draft.deadline else (None, False)
        if named == {person_key(p) for p in action.owners} and due == (action.due_at, action.due_has_time):
            return effects
        room = await self._room(edit.room_id)
        note = self.router.registry.texts.t(room.language, "edit.owners_due_kept", p=self._prefix, number=number)
        first = effects[0]
        return [replace(first, content=join([first.content, note])), *effects[1:]]

    async def _run(self, event: Message, command: str) -> list[Effect]:
        """The command, run through the router as the editor or redactor (so with their permissions)."""
        return await self.router.handle(replace(event, text=f"{self._prefix}{command}"))

    async def _notice_once(self, original_id: str, event: Message, key: str,
                           number: int | None = None) -> list[Effect]:
        marker = f"{original_id}#{key.split('.')[0]}-notice"  # one notice per command, however many edits
        if not await self.services.store.events.claim(marker, event.room_id, self.services.clock.now()):
            return []
        room = await self._room(event.room_id)
        return [Reply(self.router.registry.texts.t(room.language, key, p=self._prefix, number=number))]

    async def _room(self, room_id: str):
        d = self.services.defaults
        return await self.services.store.rooms.ensure(room_id, language=d.language, timezone=d.timezone)


def _creates(command: Command, rest: str) -> bool:
    """Would `!action <rest>` create an action (rather than list, show, close… existing ones)?"""
    if not rest.strip():
        return False
    try:
        form, _ = command.choose(rest)
    except UsageError:
        return False
    return form is command.root

