"""The pending-key queue (bot/pending_keys.py) with a fake clock and a stand-in for decryption: an encrypted
event whose key is missing is kept, handled once its key arrives, and its sender told once after the wait."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.config import ConfigError, parse
from bot.crypto import store_path
from bot.pending_keys import PendingKeys

ROOM = "!salon:pacte.example"
WAIT = timedelta(minutes=10)


class Harness:
    """Keys that have 'arrived' (session ids), what was handled and who was told."""

    def __init__(self, store, clock) -> None:
        self.store, self.clock = store, clock
        self.keys: set[str] = set()
        self.handled: list[str] = []
        self.told: list[str] = []

    def queue(self) -> PendingKeys:  # a new one is what the bot makes at each start
        return PendingKeys(self.store.pending, self.clock, wait=WAIT, decrypt=self.decrypt, handle=self.handle,
                           tell=self.tell)

    def decrypt(self, pending):
        session = pending.source["content"]["session_id"]
        return f"decrypted {pending.event_id}" if session in self.keys else None

    async def handle(self, room_id: str, event) -> None:
        self.handled.append(event)

    async def tell(self, pending) -> None:
        if await self.store.pending.mark_told(pending.event_id):
            self.told.append(pending.event_id)


def encrypted(event_id: str, session: str) -> dict:
    return {"type": "m.room.encrypted", "event_id": event_id, "sender": "@ana:pacte.example",
            "content": {"algorithm": "m.megolm.v1.aes-sha2", "session_id": session, "ciphertext": "…"}}


@pytest.fixture
def harness(store, clock) -> Harness:
    return Harness(store, clock)


async def keep(queue: PendingKeys, event_id: str, session: str = "s1") -> bool:
    return await queue.keep(event_id, ROOM, "@ana:pacte.example", encrypted(event_id, session))


async def test_an_event_is_handled_once_its_key_arrives(harness):
    queue = harness.queue()
    assert await keep(queue, "$cmd")
    assert await queue.retry(key_arrived=True) == 0 and harness.handled == []
    harness.keys.add("s1")
    assert await queue.retry(key_arrived=True) == 1
    assert harness.handled == ["decrypted $cmd"]
    assert await queue.retry(key_arrived=True) == 0  # handled once, gone from the queue
    assert harness.handled == ["decrypted $cmd"] and harness.told == []


async def test_without_a_key_event_it_is_retried_now_and_then(harness, clock):
    queue = harness.queue()
    await keep(queue, "$cmd")
    await queue.retry()
    harness.keys.add("s1")  # a key nio took in without an m.room_key the bot noticed
    await queue.retry()  # too soon after the last try
    assert harness.handled == []
    clock.advance(timedelta(seconds=30))
    await queue.retry()
    assert harness.handled == ["decrypted $cmd"]


async def test_after_the_wait_the_sender_is_told_once(harness, clock):
    queue = harness.queue()
    await keep(queue, "$old")
    clock.advance(timedelta(minutes=5))
    await keep(queue, "$new", session="s2")
    clock.advance(timedelta(minutes=5) - timedelta(seconds=1))
    await queue.retry(key_arrived=True)
    assert harness.told == []  # not quite 10 minutes
    clock.advance(timedelta(seconds=1))
    await queue.retry(key_arrived=True)
    assert harness.told == ["$old"]
    clock.advance(timedelta(minutes=10))
    await queue.retry(key_arrived=True)
    assert harness.told == ["$old", "$new"]
    # A key arriving after the sender was told does not get the message answered a second time.
    harness.keys.update({"s1", "s2"})
    await queue.retry(key_arrived=True)
    assert harness.handled == [] and harness.told == ["$old", "$new"]
    assert not await keep(queue, "$old")  # nor kept again when the event is read again


async def test_the_queue_survives_a_restart(harness, clock):
    await keep(harness.queue(), "$cmd")
    await keep(harness.queue(), "$cmd")  # read again after the restart: kept once
    harness.keys.add("s1")
    restarted = harness.queue()
    assert await restarted.retry() == 1
    assert harness.handled == ["decrypted $cmd"]


async def test_a_short_wait_is_checked_often_enough(harness, clock):
    queue = PendingKeys(harness.store.pending, clock, wait=timedelta(seconds=8), decrypt=harness.decrypt,
                        handle=harness.handle, tell=harness.tell)
    await keep(queue, "$cmd")
    await queue.retry()
    clock.advance(timedelta(seconds=8))
    await queue.retry()  # a 30-second retry period would tell only 22 s late
    assert harness.told == ["$cmd"]


def config(**encryption) -> dict:
    return {"matrix": {"homeserver": "https://m.example.org", "user_id": "@relais:example.org", "password": "x"},
            "storage": {"url": "sqlite+aiosqlite:////srv/relais/relais.db"}, "encryption": encryption}


def test_encryption_settings_and_where_the_keys_live():
    default = parse(config(), "config.toml", {})
    assert default.encryption.enabled and default.encryption.trust == "all" and default.encryption.direct_messages
    assert default.encryption.key_wait == timedelta(minutes=10)
    assert store_path(default) == Path("/srv/relais/relais.db.crypto")  # beside the database: back up both
    chosen = parse(config(store="/var/lib/relais/keys", trust="tofu", key_wait="2m"), "config.toml", {})
    assert store_path(chosen) == Path("/var/lib/relais/keys") and chosen.encryption.key_wait == timedelta(minutes=2)
    postgres = parse({**config(), "storage": {"url": "postgresql+asyncpg://r:s@db/relais"}}, "config.toml", {})
    assert store_path(postgres) == Path("relais-crypto")
    assert store_path(parse(config(enabled=False), "config.toml", {})) is None


@pytest.mark.parametrize("encryption, error", [
    ({"trust": "nobody"}, "[encryption] trust must be one of all, tofu, verified, got 'nobody'"),
    ({"enabled": "yes"}, "[encryption] enabled must be true or false, got 'yes'"),
    ({"key_wait": "soon"}, "[encryption] key_wait must be a duration like \"10m\", got 'soon'"),
])
def test_bad_encryption_settings_are_named(encryption, error):
    with pytest.raises(ConfigError) as raised:
        parse(config(**encryption), "config.toml", {})
    assert str(raised.value) == f"config.toml: {error}"


async def test_the_crypto_store_is_owner_only(tmp_path):
    from bot.crypto import prepare_store, private_files

    directory = tmp_path / "relais.db.crypto"
    prepare_store(directory)
    (directory / "relais_DEVICE.db").write_text("keys")
    private_files(directory)
    assert directory.stat().st_mode & 0o777 == 0o700
    assert (directory / "relais_DEVICE.db").stat().st_mode & 0o777 == 0o600


class FakeOlm:
    def __init__(self) -> None:
        self.verified: set[str] = set()
        self.blacklisted: set[str] = set()

    def is_device_verified(self, device) -> bool:
        return device.id in self.verified

    def is_device_blacklisted(self, device) -> bool:
        return device.id in self.blacklisted


class FakeClient:
    """The parts of nio's client bot/crypto.apply_trust uses: members' devices and their trust."""

    user_id, device_id = "@relais:example.org", "RELAIS"

    def __init__(self, devices: dict[str, list[str]]) -> None:
        from nio.crypto import OlmDevice

        self.olm = FakeOlm()
        self.device_store = {user: {d: OlmDevice(user, d, {"ed25519": "e", "curve25519": "c"}) for d in ids}
                             for user, ids in devices.items()}

    def verify_device(self, device) -> None:
        self.olm.verified.add(device.id)

    def blacklist_device(self, device) -> None:
        self.olm.blacklisted.add(device.id)

    def unblacklist_device(self, device) -> None:
        self.olm.blacklisted.discard(device.id)


@pytest.mark.parametrize("trust, verified, blacklisted", [
    ("all", set(), set()),  # sends ignore unverified devices: every device gets the keys, nothing recorded
    ("tofu", {"PHONE", "LAPTOP"}, set()),  # each device trusted when first seen
    ("verified", {"LAPTOP"}, {"PHONE"}),  # only devices already verified; the new one gets nothing
])
def test_trust_settings(trust, verified, blacklisted):
    from bot.crypto import apply_trust, ignore_unverified

    client = FakeClient({"@ana:example.org": ["PHONE", "LAPTOP"], "@relais:example.org": ["RELAIS"]})
    if trust == "verified":
        client.olm.verified.add("LAPTOP")  # verified earlier (e.g. recorded under "tofu")
    apply_trust(client, trust)
    assert client.olm.verified == verified and client.olm.blacklisted == blacklisted
    assert ignore_unverified(trust) is (trust == "all")


def test_leaving_verified_gives_the_keys_again_to_the_devices_it_left_out():
    from bot.crypto import apply_trust

    client = FakeClient({"@ana:example.org": ["PHONE"]})
    apply_trust(client, "verified")
    assert client.olm.blacklisted == {"PHONE"}
    apply_trust(client, "all")
    assert client.olm.blacklisted == set()
