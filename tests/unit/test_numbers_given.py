"""A unit of work knows which action number it took (what an edit of the command acts on later,
handlers/actions/edits.py), without reading the counter; a rolled-back unit's number is given again."""
from __future__ import annotations

from storage import Store
from storage.actions import COUNTER_KIND
from tests.unit.test_storage import BACKENDS, T0, parametrize_backends, postgres_url, store  # noqa: F401

ROOM, OTHER = "!one:x", "!two:x"


@parametrize_backends(BACKENDS)
async def test_a_unit_knows_the_number_it_took(store: Store) -> None:
    await store.actions.create(ROOM, text="first", created_by="@a:x", at=T0)
    async with store.atomic():
        assert await store.events.number_given(ROOM, COUNTER_KIND) is None  # none taken yet in this unit
        created = await store.actions.create(ROOM, text="second", created_by="@a:x", at=T0)
        await store.actions.create(OTHER, text="elsewhere", created_by="@a:x", at=T0)
        assert await store.events.number_given(ROOM, COUNTER_KIND) == created.number == 2
        assert await store.events.number_given(OTHER, COUNTER_KIND) == 1
    async with store.atomic():  # a new unit has taken nothing
        assert await store.events.number_given(ROOM, COUNTER_KIND) is None
    assert await store.events.number_given(ROOM, COUNTER_KIND) is None  # outside a unit: never


@parametrize_backends(BACKENDS)
async def test_a_rolled_back_unit_takes_the_same_number_again(store: Store) -> None:
    try:
        async with store.atomic():
            await store.actions.create(ROOM, text="lost", created_by="@a:x", at=T0)
            raise RuntimeError("the command failed")
    except RuntimeError:
        pass
    async with store.atomic():
        await store.actions.create(ROOM, text="kept", created_by="@a:x", at=T0)
        assert await store.events.number_given(ROOM, COUNTER_KIND) == 1
