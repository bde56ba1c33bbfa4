"""The end-to-end harness itself, against the real Synapse: if these fail, no e2e result means anything."""
from __future__ import annotations

import time
from urllib.parse import quote

import pytest

from bot.devserver import SynapseError
from tests.e2e.matrix_user import MatrixUser

pytestmark = pytest.mark.e2e


async def test_invite_join_and_exchange_messages(make_user):
    alice, bob = await make_user("alice"), await make_user("bob")
    room = await alice.create_room(invite=[bob.user_id], name="harness")

    assert await bob.wait_invite(room) == room
    await bob.join(room)
    await alice.wait_joined(room, bob.user_id)

    sent = await alice.send(room, "hello bob", formatted_body="<b>hello</b> bob", mentions=[bob.user_id])
    got = await bob.wait_for(lambda e: e.source["content"].get("body") == "hello bob", room_id=room)
    content = got.source["content"]
    assert got.event_id == sent and got.sender == alice.user_id
    assert content["msgtype"] == "m.text"
    assert content["formatted_body"] == "<b>hello</b> bob"
    assert content["m.mentions"] == {"user_ids": [bob.user_id]}

    # Notices are messages too; replies and reactions are matched on their relation.
    answer = await bob.send(room, "hi alice", reply_to=sent, msgtype="m.notice")
    reply = await alice.wait_reply(room, sent, sender=bob.user_id)
    assert reply.event_id == answer and reply.source["content"]["msgtype"] == "m.notice"
    await alice.react(room, answer, "👍")
    reaction = await bob.wait_reaction(room, answer, key="👍", sender=alice.user_id)
    assert reaction.source["content"]["m.relates_to"]["event_id"] == answer

    assert [m.source["content"]["body"] for m in bob.messages(room)] == ["hello bob", "hi alice"]
    assert [m.event_id for m in alice.messages(room)] == [sent, answer]


async def test_wait_times_out_with_what_was_received(make_user):
    alice = await make_user("alice")
    room = await alice.create_room()
    await alice.send(room, "something else")
    await alice.wait_for(lambda e: e.source["content"]["body"] == "something else")

    start = time.monotonic()
    with pytest.raises(AssertionError) as failure:
        await alice.wait_for(lambda e: e.source["content"]["body"] == "never sent", timeout=0.5)
    assert time.monotonic() - start < 3
    assert "'something else'" in str(failure.value)


async def test_leave_and_power_levels(make_user):
    alice, bob = await make_user("alice"), await make_user("bob")
    room = await alice.create_room(public=True, power_levels={bob.user_id: 50})
    await bob.join(room)  # public: no invite needed
    await alice.wait_joined(room, bob.user_id)
    create = next(e for e in alice.events(room) if e.source["type"] == "m.room.create")
    power = next(e for e in alice.events(room) if e.source["type"] == "m.room.power_levels")
    # Room version 12: the creator's power comes from m.room.create, not from the power levels.
    assert create.source["content"]["room_version"] == "12"
    assert power.source["content"]["users"] == {bob.user_id: 50}

    old = await alice.create_room(power_levels={bob.user_id: 50}, room_version="11")
    await alice.wait_event(lambda e: e.source["type"] == "m.room.power_levels", room_id=old)
    power = next(e for e in alice.events(old) if e.source["type"] == "m.room.power_levels")
    assert power.source["content"]["users"] == {alice.user_id: 100, bob.user_id: 50}

    await bob.leave(room)
    await alice.wait_event(
        lambda e: e.source["type"] == "m.room.member" and e.source["state_key"] == bob.user_id
        and e.source["content"]["membership"] == "leave",
        room_id=room,
    )
    assert alice.membership(room, bob.user_id) == "leave"


async def test_admin_registration(synapse, make_user):
    admin = await make_user("admin", admin=True)
    plain = await make_user("plain")
    is_admin = f"/_synapse/admin/v1/users/{quote(admin.user_id)}/admin"
    resp = await admin.client.send("GET", is_admin, headers={"Authorization": f"Bearer {admin.client.access_token}"})
    assert resp.status == 200, await resp.text()
    assert (await resp.json()) == {"admin": True}
    resp = await plain.client.send("GET", is_admin, headers={"Authorization": f"Bearer {plain.client.access_token}"})
    assert resp.status == 403, await resp.text()

    # A token from the registration works as is; a second registration of the same name is refused.
    user_id, token = synapse.register(f"tok-{admin.user_id[7:15]}", "pw")
    by_token = await MatrixUser.from_token(synapse.base_url, token)
    try:
        assert by_token.user_id == user_id
    finally:
        await by_token.close()
    with pytest.raises(SynapseError) as taken:
        synapse.register(user_id[1:].split(":")[0], "pw")
    assert taken.value.errcode == "M_USER_IN_USE"


async def test_many_messages_are_fast_and_complete(make_user):
    """Rate limits are off: 40 messages would take ~30 s under Synapse's defaults."""
    alice, bob = await make_user("alice"), await make_user("bob")
    room = await alice.create_room(invite=[bob.user_id])
    await bob.join(room)
    start = time.monotonic()
    for i in range(40):
        await alice.send(room, f"msg {i}")
    await bob.wait_for(lambda e: e.source["content"]["body"] == "msg 39", timeout=10)
    assert time.monotonic() - start < 10
    assert [m.source["content"]["body"] for m in bob.messages(room)] == [f"msg {i}" for i in range(40)]
