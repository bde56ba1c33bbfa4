"""bot/nio_validation.py: nio's responses and events are checked by compiled schemas with the same outcome as
nio's own jsonschema checks: the same documents accepted and refused, the same defaults written into them.

Differential fuzzing: documents generated from each of nio's schemas (mostly well-formed, some keys missing,
some values of the wrong type or format) go through both checks."""
from __future__ import annotations

import copy
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema.exceptions import SchemaError, ValidationError
from nio import SyncResponse
from nio.schemas import Schemas
from nio.schemas import validate_json as nio_validate_json

from bot import nio_validation

ROOT = Path(__file__).resolve().parents[2]

SCHEMAS = sorted(name for name in vars(Schemas) if isinstance(getattr(Schemas, name), dict)
                 and nio_validation._compile(getattr(Schemas, name)) is not None)
STRINGS = ["@alice:localhost", "@bob", "alice", "!room:localhost", "!room", "https://example.org", "ftp://x",
           "m.room.message", "m.room.encrypted", "x", "", "ed25519:DEVICE", "signed_curve25519:AAAA",
           "curve25519:KEY", "$event", "join", "invite", "leave", "m.megolm.v1.aes-sha2", "aGVsbG8="]
KEYS = ["!room:localhost", "@alice:localhost", "DEVICE", "ed25519:DEVICE", "signed_curve25519:AAAA", "m.room.message",
        "$event", "x", "curve25519:KEY"]
WRONG = [None, 1, 1.5, True, "x", [], {}]


def _document(schema: dict, rnd, depth: int = 0):
    """A document for `schema`: valid in most parts, with now and then a key left out or a wrong value."""
    if depth > 6 or rnd.random() < 0.05:
        return rnd.choice(WRONG)
    if "enum" in schema and rnd.random() < 0.9:
        return rnd.choice(schema["enum"])
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = rnd.choice(kind)
    if kind == "object" or (kind is None and ("properties" in schema or "patternProperties" in schema)):
        out = {}
        required = set(schema.get("required", ()))
        for key, sub in schema.get("properties", {}).items():
            if rnd.random() < (0.95 if key in required else 0.6):
                out[key] = _document(sub, rnd, depth + 1)
        for _ in range(rnd.randint(0, 2)):
            patterns = list(schema.get("patternProperties", {}).values())
            if patterns:
                out[rnd.choice(KEYS)] = _document(rnd.choice(patterns), rnd, depth + 1)
        if rnd.random() < 0.2:
            out["extra"] = rnd.choice(STRINGS)
        return out
    if kind == "array":
        items = schema.get("items", {})
        return [_document(items, rnd, depth + 1) for _ in range(rnd.randint(0, 3))]
    if kind == "string":
        return rnd.choice(STRINGS)
    if kind == "integer":
        return rnd.choice([0, 5, -1, 1.0, True, 10**12])
    if kind == "number":
        return rnd.choice([0, 1.5, 3, True])
    if kind == "boolean":
        return rnd.choice([True, False, 0])
    if kind == "null":
        return rnd.choice([None, None, 0])
    return rnd.choice(WRONG + STRINGS)


def _outcome(check, schema: dict, document):
    document = copy.deepcopy(document)
    try:
        check(document, schema)
    except (ValidationError, SchemaError):
        return "refused", None
    return "accepted", document


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(SCHEMAS), rnd=st.randoms(use_true_random=False))
def test_each_schema_accepts_refuses_and_fills_in_as_nio_does(name, rnd):
    schema = getattr(Schemas, name)
    for _ in range(20):
        document = _document(schema, rnd)
        expected, filled = _outcome(nio_validate_json, schema, document)
        got, ours = _outcome(nio_validation.validate_json, schema, document)
        assert got == expected, (name, document)
        if expected == "accepted":
            assert ours == filled, (name, document)


def test_a_default_is_written_as_nio_writes_it_before_a_later_required_and_with_its_own_defaults():
    """Two ways nio's validator differs from a plain Draft 4 check, found by the fuzzing above."""
    sync = {"next_batch": "s2"}  # a sync with nothing new: Synapse leaves `rooms` out
    nio_validation.validate_json(sync, Schemas.sync)
    assert sync["rooms"] == {"invite": {}, "join": {}, "leave": {}}
    guest = {"type": "m.room.guest_access", "sender": "@a:localhost", "state_key": "", "content": {}}
    nio_validation.validate_json(guest, Schemas.room_guest_access)  # `guest_access` required, with a default
    assert guest["content"] == {"guest_access": "forbidden"}


def _either(check, schema: dict, document) -> str:
    try:
        check(copy.deepcopy(document), schema)
    except Exception as exc:  # noqa: BLE001 — the outcome, whatever it is, must be the same for both
        return type(exc).__name__
    return "accepted"


def test_nearly_every_schema_is_compiled_and_one_that_is_not_keeps_nios_own_check():
    assert len(SCHEMAS) >= 90
    # nio's delete_devices schema has `required` among its properties, which jsonschema stumbles on when a flow
    # has a `required` key; fastjsonschema refuses to compile it, so nio's own check stays, stumble included.
    assert "delete_devices" not in SCHEMAS
    for document, outcome in [({"session": "s", "flows": [{"stages": ["m.login.password"]}], "params": {}}, "accepted"),
                              ({"flows": [{"required": ["x"]}]}, "AttributeError"),
                              ({"session": 1}, "ValidationError")]:
        assert _either(nio_validate_json, Schemas.delete_devices, document) == outcome
        assert _either(nio_validation.validate_json, Schemas.delete_devices, document) == outcome


def test_a_sync_response_is_parsed_the_same_and_a_malformed_one_still_refused():
    nio_validation.install()
    event = {"type": "m.room.message", "sender": "@alice:localhost", "event_id": "$e", "origin_server_ts": 1,
             "content": {"msgtype": "m.text", "body": "!ping"}}
    body = {"next_batch": "s2", "rooms": {"join": {"!r:localhost": {"timeline": {"events": [event],
                                                                             "prev_batch": "s1"}}}}}
    parsed = SyncResponse.from_dict(copy.deepcopy(body))
    assert isinstance(parsed, SyncResponse)
    timeline = parsed.rooms.join["!r:localhost"].timeline
    assert [e.body for e in timeline.events] == ["!ping"] and timeline.limited is False  # a default nio writes
    refused = SyncResponse.from_dict({"rooms": body["rooms"]})  # no next_batch
    assert not isinstance(refused, SyncResponse)


def test_the_bot_installs_it_in_nio_for_every_check_nio_makes():
    """In a fresh interpreter: importing the bot is enough, before any response is parsed."""
    script = textwrap.dedent("""
        import bot.app, nio.crypto.olm_machine, nio.events.misc, nio.responses
        from bot import nio_validation
        print(all(m.validate_json is nio_validation.validate_json
                  for m in (nio.responses, nio.events.misc, nio.crypto.olm_machine)))
    """)
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["True"]
