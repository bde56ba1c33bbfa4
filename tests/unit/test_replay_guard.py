"""The Megolm replay check that replaces nio's: a message seen again as the same event passes, the same message
brought by another event is refused, the bot's own messages are not remembered, and the window is bounded."""
from types import SimpleNamespace

from nio import AsyncClient, AsyncClientConfig

from bot.replay_guard import ReplayGuard, install

OWN = "own-curve25519-key"


def event(event_id: str, session: str = "s1", sender_key: str = "alice-key", ts: int = 1000):
    return SimpleNamespace(event_id=event_id, server_timestamp=ts, session_id=session, sender_key=sender_key)


def test_a_message_read_again_as_the_same_event_passes_and_as_another_event_is_refused():
    guard = ReplayGuard(OWN)
    assert guard.message_index_ok(0, event("$a"))
    assert guard.message_index_ok(0, event("$a"))  # the same event again (a gap read twice, a sync repeated)
    assert not guard.message_index_ok(0, event("$replayed"))  # the same ciphertext as a new event
    assert not guard.message_index_ok(0, event("$a", ts=2000))  # … or with another timestamp
    # Other indexes, sessions and senders are other messages.
    assert guard.message_index_ok(1, event("$b"))
    assert guard.message_index_ok(0, event("$c", session="s2"))
    assert guard.message_index_ok(0, event("$d", sender_key="bob-key"))


def test_the_bots_own_messages_are_not_remembered():
    guard = ReplayGuard(OWN)
    for n in range(50):
        assert guard.message_index_ok(n, event(f"$own{n}", sender_key=OWN))
    assert len(guard) == 0


def test_the_window_keeps_the_newest_messages_only():
    guard = ReplayGuard(OWN, window=100)
    for n in range(250):
        assert guard.message_index_ok(n, event(f"$e{n}"))
    assert len(guard) == 100
    assert not guard.message_index_ok(249, event("$replayed"))  # recent: still refused
    assert guard.message_index_ok(0, event("$long-gone"))  # beyond the window, as with nio's


def test_install_replaces_nios_check_on_the_olm_machine(tmp_path):
    client = AsyncClient("http://127.0.0.1:1", "@relais:x", device_id="DEV", store_path=str(tmp_path),
                         config=AsyncClientConfig(store_sync_tokens=False))
    client.user_id, client.access_token = "@relais:x", "token"
    client.load_store()
    guard = install(client)
    assert guard is not None
    own = client.olm.account.identity_keys["curve25519"]
    assert client.olm.message_index_ok(3, event("$x")) and not client.olm.message_index_ok(3, event("$y"))
    assert client.olm.message_index_ok(3, event("$z", sender_key=own))
    assert len(guard) == 1 and len(client.olm.message_index_store) == 0  # nio's own cache stays empty


def test_install_without_encryption_does_nothing():
    client = AsyncClient("http://127.0.0.1:1", "@relais:x")
    assert install(client) is None
