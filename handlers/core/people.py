"""People named in commands: `@bertrand`, `@bertrand:server`, a mention pill, `@Bertrand`, `@"Nicolas D"`.

One resolver for every capability (actions, meetings), so a name means the same thing everywhere. A
`Person` (storage/records.py) is who is named; a `Member` (handlers/core/interface.py) is someone in the room.

How a token is read (first rule that matches wins)
 1. `@"Name"` (quoted): a member whose display name is exactly that (case and accents ignored),
    otherwise someone outside Matrix, named as written (a quoted user id is that user, rule 2; an
    outsider's name may not hold '@' nor look like a Matrix id: "people.outsider_like_id").
 2. A full user id `@local:server` (what a mention pill becomes): that member; a well-formed id of
    someone not in the room is still accepted (they may have left, or not joined yet). Where being named
    can bring direct messages (an action's owners), such a person is kept as a name only: `not_in_room`.
 3. `@word`: the member whose localpart is exactly `word`; else the member whose display name is
    exactly `word`; else the one member whose localpart, display name, or a word of the display
    name starts with `word`. Case and accents never matter.
 Several members at the level that matched -> UserError("people.ambiguous"), listing them.
 Nobody -> UserError("people.unknown"), which says how to name someone outside Matrix.

"Members" are the room's joined members (bot/convert.py leaves out people only invited). Relais sends
direct messages about a room to its current members only: see Services.reachable and bot/dm_guard.py.
"""
from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence

from handlers.core.errors import UserError
from handlers.core.interface import Member, Message, looks_like_id
from handlers.core.text import Rendered, raw
from handlers.dates.words import fold
from storage.records import Person

# Trailing punctuation people type after a name ("@bertrand," / "@bertrand:" as clients complete it).
_TRAILING = ",;:.!?)»"
_USER_ID = re.compile(r"^@[^\s:]+:[A-Za-z0-9.\-\[\]]+(?::\d+)?$")
_LEADING_PERSON = re.compile(r'^\s*(@"[^"]*"|@\S+)(?=\s|$)')
_NOTE_PUNCTUATION = " \t\n:;,-–—"


def is_person_token(token: str) -> bool:
    """Does this token name a person (starts with '@')?"""
    return len(token) > 1 and token.startswith("@")


def person_of(member: Member) -> Person:
    return Person(member.user_id, member.label)


def sender(msg: Message) -> Person:
    """Who sent the message, as a person (their label, or their localpart when the chat layer does not know them)."""
    return Person(msg.sender, msg.label_of(msg.sender))


def split_people(text: str) -> tuple[list[str], str]:
    """The people named at the start of a text, and what follows (less the punctuation after names):
    '@annie @"Nico D" : malade' -> (['@annie', '@"Nico D"'], 'malade')."""
    tokens = []
    while match := _LEADING_PERSON.match(text):
        tokens.append(match.group(1))
        text = text[match.end():]
    return tokens, text.strip(_NOTE_PUNCTUATION)


def resolve(token: str, members: Sequence[Member]) -> Person:
    """The person a token names, among the room's members. See the module docstring for the rules."""
    if not is_person_token(token):
        raise UserError("people.unknown", name=token)
    body = token[1:]
    if body.startswith('"'):
        name = body.strip('"').strip()
        if not name:
            raise UserError("people.unknown", name=token)
        if _USER_ID.match(name):  # `@"@bertrand:server"` is that user, never an outsider who looks like them
            return resolve(name, members)
        exact = [m for m in members if m.display_name and _norm(m.display_name) == _norm(name)]
        if len(exact) == 1:
            return person_of(exact[0])
        if len(exact) > 1:
            raise UserError("people.ambiguous", name=name, candidates=candidates(exact))
        if looks_like_id(name):  # "Alice (@alice:server)" written as plain text would pass for a member
            raise UserError("people.outsider_like_id", name=name)
        return Person(None, " ".join(name.split()))

    word = body.rstrip(_TRAILING)
    if not word:
        raise UserError("people.unknown", name=token)
    user_id = "@" + word
    by_id = [m for m in members if m.user_id == user_id]
    if by_id:
        return person_of(by_id[0])
    if ":" in word:
        folded_id = fold(user_id)
        by_id = [m for m in members if fold(m.user_id) == folded_id]
        if by_id:
            return person_of(by_id[0])
        if _USER_ID.match(user_id):
            return Person(user_id, word.split(":", 1)[0])
        raise UserError("people.unknown", name=token)

    key = fold(word)
    for level in (
        [m for m in members if fold(m.localpart) == key],
        [m for m in members if m.display_name and fold(m.display_name) == key],
        [m for m in members if _prefix_match(m, key)],
    ):
        if len(level) == 1:
            return person_of(level[0])
        if len(level) > 1:
            raise UserError("people.ambiguous", name="@" + word, candidates=candidates(level))
    raise UserError("people.unknown", name="@" + word)


def resolve_all(tokens: Iterable[str], members: Sequence[Member]) -> list[Person]:
    """Resolve several tokens, dropping repeats (same member, or same outsider name), keeping order."""
    people: list[Person] = []
    for token in tokens:
        person = resolve(token, members)
        if not any(same_person(person, p) for p in people):
            people.append(person)
    return people


def not_in_room(person: Person, members: Sequence[Member]) -> Person | None:
    """For a person named by the id of someone who is not a member of the room: the same person as a name
    only (their id as the name, like `@"Outsider"`), never to be messaged. None for members and outsiders.

    Anyone may type any id: recording it as a Matrix user would let a command make Relais open a direct
    chat with a stranger and send them the room's text (spam, harassment, leak)."""
    if person.user_id is None or any(m.user_id == person.user_id for m in members):
        return None
    return Person(None, person.user_id)


def same_person(a: Person, b: Person) -> bool:
    if a.user_id and b.user_id:
        return a.user_id == b.user_id
    if a.user_id or b.user_id:  # an id kept as a name (`not_in_room`) still names that user
        member, named = (a, b) if a.user_id else (b, a)
        return named.name == member.user_id
    return fold(a.name) == fold(b.name)


def person_key(person: Person) -> str:
    """A stable identity for storage: the user id, or the folded name of someone outside Matrix."""
    return person.user_id or "~" + fold(person.name)


def candidates(members: Iterable[Member]) -> str:
    """'Bertrand Dupont (@bertrand:pacte.example), Bertrand M (@bm:pacte.example)'."""
    return ", ".join(
        f"{m.display_name} ({m.user_id})" if m.display_name else m.user_id
        for m in sorted(members, key=lambda m: m.user_id)
    )


def mention(person: Person) -> Rendered:
    """HTML: a matrix.to pill for a member, the plain name for someone outside Matrix. Plain: the name."""
    if person.user_id is None:
        return raw(person.name)
    href = html.escape(f"https://matrix.to/#/{person.user_id}", quote=True)
    return Rendered(person.name, f'<a href="{href}">{html.escape(person.name, quote=False)}</a>')


def mention_list(people: Iterable[Person], sep: str = ", ") -> Rendered:
    items = [mention(p) for p in people]
    return Rendered(sep.join(i.plain for i in items), sep.join(i.html for i in items))


def _norm(name: str) -> str:
    return " ".join(fold(name).split())


def _prefix_match(member: Member, key: str) -> bool:
    if fold(member.localpart).startswith(key):
        return True
    if member.display_name:
        name = fold(member.display_name)
        return name.startswith(key) or any(w.startswith(key) for w in name.split())
    return False

