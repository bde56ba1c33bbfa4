"""`!action liste` in pages: a long list is cut into pages with counts and the command for the next one, in French
and English; a page past the end or a bad page number gets a clear reply."""
import re
from datetime import timedelta

import pytest

from handlers.actions.commands import PAGE_SIZE
from storage.records import Person
from tests.unit.conftest import NOW, ROOM
from tests.unit.room import ANNIE, BERTRAND, COORD, join, text


@pytest.fixture
def room(chat):
    return join(chat, ANNIE, BERTRAND, COORD)


async def seed(store, count, *, owner=None, due=None):
    for i in range(count):
        await store.actions.create(ROOM, text=f"tâche {i + 1}", created_by=ANNIE, at=NOW,
                                   owners=(owner,) if owner else (), due_at=due)


def numbers(out):
    return [int(n) for n in re.findall(r"#(\d+)", out)]


async def test_a_long_list_shows_its_first_page_with_counts_and_how_to_see_the_next(room, store):
    await seed(store, PAGE_SIZE * 2 + 3)
    out = await text(room, "!action liste")
    assert numbers(out) == list(range(1, PAGE_SIZE + 1))
    assert f"Page 1 sur 3 : actions 1 à {PAGE_SIZE} sur {PAGE_SIZE * 2 + 3}." in out
    assert out.endswith("Page suivante : `!action liste page 2`")
    second = await text(room, "!action liste page 2")
    assert numbers(second) == list(range(PAGE_SIZE + 1, 2 * PAGE_SIZE + 1))
    last = await text(room, "!action liste page 3")
    assert numbers(last) == [2 * PAGE_SIZE + 1, 2 * PAGE_SIZE + 2, 2 * PAGE_SIZE + 3]
    assert "Page 3 sur 3" in last and "Page suivante" not in last


async def test_a_short_list_has_no_page_line(room, store):
    await seed(store, 3)
    out = await text(room, "!action liste")
    assert numbers(out) == [1, 2, 3] and "Page" not in out


async def test_pages_in_english_keep_the_filters(room, store):
    await room.say("!settings language en", sender=COORD)
    await seed(store, PAGE_SIZE + 1, owner=Person(BERTRAND, "Bertrand Dupont"))
    await seed(store, 2)  # unassigned: not Bertrand's
    out = await text(room, "!action list mine", sender=BERTRAND)
    assert f"Page 1 of 2: actions 1 to {PAGE_SIZE} of {PAGE_SIZE + 1}." in out
    assert out.endswith("Next page: `!action list mine page 2`")
    second = await text(room, "!action list mine page 2", sender=BERTRAND)
    assert numbers(second) == [PAGE_SIZE + 1]


async def test_a_page_past_the_end_says_how_many_there_are(room, store):
    await seed(store, PAGE_SIZE + 1)
    assert await text(room, "!action liste page 9") == (
        f"Il n'y a pas de page 9 : cette liste a 2 pages ({PAGE_SIZE + 1} actions). "
        "La dernière : `!action liste page 2`")
    await room.say("!settings language en", sender=COORD)
    assert await text(room, "!action list page 9") == (
        f"There is no page 9: this list has 2 pages ({PAGE_SIZE + 1} actions). The last one: `!action list page 2`")


async def test_a_bad_page_number_is_explained(room, store):
    await seed(store, 2)
    assert await text(room, "!action liste page deux") == (
        "« deux » n'est pas un numéro de page. Écrivez le numéro après `page`, par exemple `!action liste page 2`.")
    await room.say("!settings language en", sender=COORD)
    assert (await text(room, "!action list page 0")).startswith("“0” is not a page number.")


async def test_overdue_and_outsider_filters_are_paged_in_the_database(room, store):
    await seed(store, 3, due=NOW - timedelta(days=1))
    await seed(store, 2, due=NOW + timedelta(days=1))
    await seed(store, 2, owner=Person(None, "Nicolas Desquinabo"))
    assert numbers(await text(room, "!action liste retard")) == [1, 2, 3]
    assert numbers(await text(room, '!action liste @"nicolas desquinabo"')) == [6, 7]


async def test_a_long_text_is_cut_in_the_list_not_in_the_detail(room, store):
    await store.actions.create(ROOM, text="x" * 1500, created_by=ANNIE, at=NOW)
    out = await text(room, "!action liste")
    assert "x" * 299 + "…" in out and "x" * 301 not in out
    assert "x" * 1500 in await text(room, "!action voir 1")


async def test_a_page_of_costly_texts_fits_one_event(room, store):
    from bot.sender import MAX_CONTENT_BYTES, content_size, notice_content

    for _ in range(PAGE_SIZE + 1):
        await store.actions.create(ROOM, text="&🌍" * 949, created_by=ANNIE, at=NOW,
                                   owners=(Person(ANNIE, "Annie Martin"), Person(BERTRAND, "Bertrand Dupont")))
    reply = await room.reply("!action liste", sender=ANNIE)
    assert sorted(set(numbers(reply.content.plain))) == list(range(1, PAGE_SIZE + 1))  # under each owner
    assert content_size(notice_content(reply.content, reply_to="$x", mentions=reply.mentions)) <= MAX_CONTENT_BYTES


async def test_a_page_past_a_one_page_list_says_it_fits_on_one_page_with_the_right_plural(room, store):
    await seed(store, 1)
    out = await text(room, "!action liste page 3")
    assert "Il n'y a pas de page 3 : toute la liste, 1 action, tient en une page" in out
    await seed(store, 2)
    assert "toute la liste, 3 actions, tient en une page" in await text(room, "!action liste page 2")
    await room.say("!settings language en", sender=COORD)
    assert "the whole list, 3 actions, fits on one page" in await text(room, "!action list page 2")
