"""Nobody is pinged by accident, against a real Synapse and its push rules: a member named in a bot message
that does not mention him gets no highlight; a member the bot mentions gets one. The members turn on
notifications for notices (the default rules silence every m.notice), as someone who wants the bot's pings
would. Messages naming nobody leave out the empty `m.mentions` the homeserver would otherwise check, and so do
replies naming nobody but the member they answer, whom they may ping."""
import asyncio

import pytest
from nio import EnablePushRuleError, PushRuleKind

from tests.e2e.conftest import ask, body, room_with_bot

pytestmark = pytest.mark.e2e


async def notify_notices(user) -> None:
    resp = await user.client.enable_pushrule("global", PushRuleKind.override, ".m.rule.suppress_notices", False)
    assert not isinstance(resp, EnablePushRuleError), resp


async def highlighted(user, sender: str) -> set[str]:
    """Events from `sender` that highlighted `user` (the "mentions" list of a client)."""
    path = "/_matrix/client/v3/notifications?only=highlight&limit=100"
    async with await user.client.send("GET", path, headers={"Authorization": f"Bearer {user.client.access_token}"}) \
            as resp:
        assert resp.status == 200, await resp.text()
        found = (await resp.json())["notifications"]
    return {n["event"]["event_id"] for n in found if n["event"]["sender"] == sender}


async def test_a_member_named_by_the_bot_is_not_pinged_and_one_it_mentions_is(make_user, start_bot):
    coord = await make_user("coord")
    nicolas = await make_user("nicolas")
    for user in (coord, nicolas):
        await notify_notices(user)
    bot = await start_bot()
    room = await room_with_bot(coord, bot, nicolas)
    await nicolas.client.set_displayname("Nicolas Martin")
    await coord.wait_event(lambda e: getattr(e, "state_key", None) == nicolas.user_id
                           and e.source["content"].get("displayname") == "Nicolas Martin", room_id=room)

    named = await ask(coord, room, bot, "!action appeler la mairie, le numéro est chez Nicolas Martin")
    assert "Nicolas Martin" in body(named) and "Responsables : personne pour l'instant" in body(named)
    assert named.source["content"]["m.mentions"] == {}  # says "nobody": his name alone pings no one

    pong = await ask(coord, room, bot, "!ping")
    assert "m.mentions" not in pong.source["content"]  # no member's name: nothing to say

    mentioned = await ask(coord, room, bot, "!action @Nicolas relire le tract de la marche")
    assert mentioned.source["content"]["m.mentions"] == {"user_ids": [nicolas.user_id]}

    # A reply naming only the member it answers leaves the key out: it pings her, as Matrix replies do.
    own = await ask(coord, room, bot, "!action @coord préparer le tract pour la marche du 9 mai")
    assert "coord" in body(own) and "m.mentions" not in own.source["content"]
    listed = await ask(coord, room, bot, "!action liste")
    assert "Nicolas" in body(listed) and listed.source["content"]["m.mentions"] == {}  # Nicolas named: not pinged

    for _ in range(50):  # push actions are written as the event is persisted: before it is synced, normally
        if await highlighted(nicolas, bot.user_id) and await highlighted(coord, bot.user_id):
            break
        await asyncio.sleep(0.1)
    assert await highlighted(nicolas, bot.user_id) == {mentioned.event_id}
    assert await highlighted(coord, bot.user_id) == {own.event_id}
