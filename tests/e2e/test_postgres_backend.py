"""The whole bot on PostgreSQL (the path for larger deployments): commands, actions, a restart."""
import pytest

from tests.e2e.conftest import body, room_with_bot
from tests.postgres import create_database, drop_database, postgres_url  # noqa: F401 (fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]


@pytest.fixture
async def pg_storage(postgres_url):  # noqa: F811
    url = await create_database(postgres_url)
    yield url
    await drop_database(url)


async def test_bot_on_postgresql_keeps_actions_across_a_restart(make_user, start_bot, pg_storage):
    alice = await make_user("alice")
    bot = await start_bot(storage_url=pg_storage)
    room = await room_with_bot(alice, bot)
    created = await alice.wait_reply(room, await alice.send(room, "!action écrire le tract pour vendredi"),
                                     sender=bot.user_id)
    assert body(created).startswith("Action #1 enregistrée : écrire le tract")
    await bot.restart()
    listed = await alice.wait_reply(room, await alice.send(room, "!action liste"), sender=bot.user_id)
    assert "#1 écrire le tract" in body(listed)
    replies_to_create = [e for e in alice.messages(room) if e.sender == bot.user_id and "enregistrée" in body(e)]
    assert len(replies_to_create) == 1  # not replayed after the restart
