"""Replies bigger than one Matrix event, against a real Synapse: every part arrives, nothing is silently lost.

`&` is 5 bytes in HTML and an emoji 4 bytes of UTF-8 in each of body and formatted_body: texts that count
few characters can still overflow an event (64 KiB for the whole event on Synapse).
"""
import asyncio
import re
from functools import partial

import pytest

from bot.sender import MAX_CONTENT_BYTES, content_size
from tests.e2e.conftest import ask as ask_within, body, room_with_bot

ask = partial(ask_within, timeout=30)  # long replies, several events each: more time than a ping

pytestmark = pytest.mark.e2e


async def parts_from(user, room, bot, first, wanted, timeout=60.0):
    """The bot's messages from `first` on, once their bodies together satisfy `wanted`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        messages = user.messages(room)
        start = next(i for i, e in enumerate(messages) if e.event_id == first.event_id)
        parts = [e for e in messages[start:] if e.sender == bot.user_id]
        if wanted("\n".join(body(p) for p in parts)):
            return parts
        assert loop.time() < deadline, f"incomplete reply: {len(parts)} parts\n{user.describe(5)}"
        await asyncio.sleep(0.2)


async def test_big_texts_are_refused_cut_visibly_or_split_but_never_lost(make_user, start_bot):
    coord = await make_user("coord")
    bot = await start_bot()
    room = await room_with_bot(coord, bot)

    # Over the cap: refused, with the reason (it used to be recorded, and its reply refused by Synapse).
    refused = await ask(coord, room, bot, "!action " + "&" * 60_000)
    assert body(refused).startswith("Ce texte fait 60\u202f000 caractères ; "
                                    "une action en contient au plus 2\u202f000.")

    # Just under it: recorded, and the member learns its number.
    created = await ask(coord, room, bot, "!action " + "&" * 1_999)
    assert body(created).startswith("Action #1 enregistrée : &&&")

    # A reply line too big for any event (an unknown command, echoed in body and formatted_body) is cut,
    # with a marker (it used to be cut silently).
    unknown = await ask(coord, room, bot, "!" + "a" * 60_000)
    assert body(unknown).startswith("Commande inconnue : `!aaaa")
    assert re.search(r"aaaa… \(tronqué, 60\u202f\d{3} caractères\)$", body(unknown))
    assert content_size(unknown.source["content"]) <= MAX_CONTENT_BYTES

    # 40 actions near the cap in costly characters: their listing comes in pages of one event each, long texts
    # started (`!action voir N` has them whole), the rest one command away.
    sent = [await coord.send(room, f"!action {n} " + "&🌍" * 949) for n in range(2, 42)]
    for event_id in sent:
        await coord.wait_reply(room, event_id, sender=bot.user_id, timeout=60)
    listing = await ask(coord, room, bot, "!action liste")
    assert content_size(listing.source["content"]) <= MAX_CONTENT_BYTES
    assert set(map(int, re.findall(r"#(\d+) ", body(listing)))) == set(range(1, 26))
    assert "Page 1 sur 2 : actions 1 à 25 sur 41." in body(listing)
    assert body(listing).endswith("Page suivante : `!action liste page 2`")
    second = await ask(coord, room, bot, "!action liste page 2")
    assert set(map(int, re.findall(r"#(\d+) ", body(second)))) == set(range(26, 42))

    # An action edited four times: its detail repeats the text in every history line, several events' worth,
    # and every part arrives with whole lines.
    for n in range(4):
        await ask(coord, room, bot, f"!action modifier 2 {n} " + "&🌍" * 949)
    detail = await ask(coord, room, bot, "!action voir 2")
    parts = await parts_from(coord, room, bot, detail, lambda text: text.count("&🌍" * 949) >= 5)
    assert len(parts) > 1
    everything = "\n".join(body(p) for p in parts)
    assert everything.count("&🌍" * 949) >= 5 and "tronqué" not in everything  # whole lines, none cut
