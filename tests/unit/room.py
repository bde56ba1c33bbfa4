"""The unit tests' room as they set it up: the people in it (ids, display names, power levels) and how they join, a
date in its zone (Paris), and the text of the one reply a command gets. One cast, so that a name means the same
person in every test file."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from tests.unit.conftest import Chat

PARIS = ZoneInfo("Europe/Paris")

ANNIE = "@annie:pacte.example"
ANNE = "@anne:pacte.example"
BERTRAND = "@bertrand:pacte.example"
CLAIRE = "@claire:pacte.example"
COORD = "@coord:pacte.example"
MICHEL = "@michel:pacte.example"
ZOE = "@zoe:pacte.example"
BOT = "@relais:pacte.example"

PEOPLE = {  # user id → (display name, power level)
    ANNIE: ("Annie Martin", 0),
    ANNE: ("Anne Leroy", 0),
    BERTRAND: ("Bertrand Dupont", 0),
    CLAIRE: ("Claire", 100),  # the meeting tests' coordinator, who also chairs
    COORD: ("Coordinatrice", 50),
    MICHEL: ("Michel", 0),
    ZOE: ("Zoé", 0),
    BOT: ("Relais", 100),
}


def join(chat: Chat, *user_ids: str) -> Chat:
    """`user_ids` join the room in this order (the order members are listed in every message)."""
    for user_id in user_ids:
        name, power = PEOPLE[user_id]
        chat.join(user_id, name, power)
    return chat


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


async def text(chat: Chat, command: str, sender: str = ANNIE) -> str:
    return (await chat.reply(command, sender=sender)).content.plain
