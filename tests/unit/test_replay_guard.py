"""The Megolm replay check that replaces nio's: a message seen again as the same event passes, the same message
brought by another event is refused, the bot's own messages are not remembered, and the window is bounded."""
import tracemalloc
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st
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


def test_indexes_seen_out_of_order_late_or_far_apart_are_each_one_message():
    guard = ReplayGuard(OWN)
    # A session joined late (first index 57), a message before it, one far beyond, one at the top of the range.
    for n in (57, 58, 55, 10_000, 2**32 - 1, 120):
        assert guard.message_index_ok(n, event(f"$m{n}"))
    for n in (57, 58, 55, 10_000, 2**32 - 1, 120):
        assert guard.message_index_ok(n, event(f"$m{n}"))  # the same events again pass
        assert not guard.message_index_ok(n, event(f"$replay{n}"))  # as other events, refused
    assert guard.message_index_ok(56, event("$m56"))  # the gap left between 55 and 57 is not a message seen
    assert len(guard) == 7


def test_the_oldest_messages_of_the_least_recently_used_sessions_are_forgotten_first():
    guard = ReplayGuard(OWN, window=300)
    for n in range(50):  # a session in use all along, first seen before the one that goes idle
        assert guard.message_index_ok(n, event(f"$a{n}", session="a"))
    for n in range(100):
        assert guard.message_index_ok(n, event(f"$idle{n}", session="idle"))
    for n in range(150):  # then it and another one, 250 messages: 100 more than the window holds
        if n < 100:
            assert guard.message_index_ok(50 + n, event(f"$a{50 + n}", session="a"))
        assert guard.message_index_ok(n, event(f"$b{n}", session="b"))
    assert len(guard) == 300
    assert not guard.message_index_ok(10, event("$replay", session="a"))  # its oldest: still held
    assert not guard.message_index_ok(149, event("$replay", session="b"))
    assert guard.message_index_ok(99, event("$gone", session="idle"))  # the idle session went first


def test_no_index_makes_the_memory_grow_beyond_the_window():
    """A member's client chooses its indexes: spaced widely, they must not cost an array each gap long."""
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        guard = ReplayGuard(OWN, window=2_000)
        for n in range(5_000):
            guard.message_index_ok(n * 1_000_003 % 2**32, event(f"$s{n}", session=f"s{n % 7}"))
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert len(guard) == 2_000
    assert held < 2_000 * 200, held  # ~100 bytes an entry in the sessions' dicts, far from 8 bytes × gaps


def test_dense_sessions_cost_about_ten_bytes_a_message():
    """The usual case: senders number each session's messages 0, 1, 2 … (a new session every 100)."""
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        guard = ReplayGuard(OWN)
        for s in range(50):
            for n in range(100):
                guard.message_index_ok(n, event(f"${s}.{n}", session=f"session-{s}", sender_key=f"key-{s % 5}"))
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert len(guard) == 5_000
    assert held < 5_000 * 20, held  # round 15's dict of digests held ~100 bytes a message, nio's ~480


messages = st.lists(st.tuples(st.sampled_from(["k1", "k2"]), st.sampled_from(["s1", "s2", "s3"]),
                              st.one_of(st.integers(0, 150), st.integers(0, 2**32 - 1)),
                              st.sampled_from(["$e1", "$e2", "$e3"]), st.sampled_from([1, 2])), max_size=300)


@settings(max_examples=200, deadline=None)
@given(messages)
def test_within_the_window_it_answers_as_nios_check(sequence):
    """nio's rule, kept whole while nothing is forgotten: a (sender key, session, index) first seen passes and
    is remembered with its event; seen again it passes only as the same event id and timestamp."""
    guard, reference = ReplayGuard(OWN, window=10**9), {}
    for sender_key, session, index, event_id, ts in sequence:
        expected = reference.setdefault((sender_key, session, index), (event_id, ts)) == (event_id, ts)
        assert guard.message_index_ok(index, event(event_id, session, sender_key, ts)) == expected
    assert len(guard) == len(reference)


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
