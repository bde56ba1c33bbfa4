"""matrix-nio's response and event checks, compiled once.

nio checks every response and every event against its JSON schemas (`nio.schemas.Schemas`) with jsonschema,
which interprets the schema anew at each call: ~0.4 ms for a one-event sync, about a tenth of the bot's CPU per
command (docs/performance.md, round 13). fastjsonschema turns each schema into Python code once; the same sync
is then checked in ~20 µs.

Same rules as nio's: Draft 4 (so `const`, a later keyword, is ignored), the defaults nio's validator writes
into the response filled in the same way, nio's two format checks (`user_id`, `http_url`; `room_id` is not
checked by nio either), and a failure raised as jsonschema's ValidationError, which nio turns into its
error responses. A schema fastjsonschema cannot compile keeps nio's own check.
"""
from __future__ import annotations

import copy
import ctypes
import ctypes.util
import logging

import fastjsonschema
import nio.crypto.olm_machine
import nio.events.misc
import nio.responses
import nio.schemas
from jsonschema.exceptions import ValidationError

log = logging.getLogger(__name__)

_DRAFT_4 = "http://json-schema.org/draft-04/schema#"
_NIO_MODULES = (nio.responses, nio.events.misc, nio.crypto.olm_machine)
_original = nio.schemas.validate_json
_compiled: dict[int, tuple[dict, object]] = {}  # id(schema) → (schema, its check); the schema is kept, so is its id


def _format(check):
    def accepts(value: str) -> bool:
        try:
            return bool(check(value))
        except ValueError:
            return False
    return accepts


_FORMATS = {
    "user_id": _format(nio.schemas.check_user_id),
    "http_url": _format(nio.schemas.check_http_url),
    "room_id": lambda value: True,  # named in nio's schemas, not checked by nio
}


def _malloc_trim():
    """glibc's malloc_trim, or nothing elsewhere."""
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return lambda pad: 0


_trim = _malloc_trim()


def _as_nio_applies_it(node) -> None:
    """The schema `node` rewritten so that fastjsonschema does what nio's validator does with it. nio's validator writes
    each missing default when it meets `properties`, in the schema's own order of keywords, then goes on into
    it: so a key with a default is not missing for a `required` that comes after `properties`, and the default
    gets the defaults of its own keys (a sync without `rooms` gets `{"invite": {}, "join": {}, "leave": {}}`).
    fastjsonschema checks `required` first and writes a default as it is. Walks schemas only: `properties`
    may name a key "default"."""
    if not isinstance(node, dict):
        return
    keywords = list(node)
    if "required" in node and "properties" in node and keywords.index("properties") < keywords.index("required"):
        node["required"] = [k for k in node["required"] if "default" not in (node["properties"].get(k) or {})]
    for key in ("properties", "patternProperties"):
        for sub in (node.get(key) or {}).values():
            _as_nio_applies_it(sub)
    for key in ("items", "additionalProperties", "not"):
        subs = node.get(key)
        for sub in subs if isinstance(subs, list) else [subs]:
            _as_nio_applies_it(sub)
    if "default" in node:
        value = copy.deepcopy(node["default"])
        try:
            for _ in nio.schemas.Validator(node, format_checker=nio.schemas.Checker).iter_errors(value):
                pass
        except Exception:  # noqa: BLE001 — a default nio itself could not go into stays as written
            return
        node["default"] = value


def _compile(schema: dict):
    try:
        schema = {**copy.deepcopy(schema), "$schema": _DRAFT_4}
        _as_nio_applies_it(schema)
        check = fastjsonschema.compile(schema, formats=_FORMATS, use_default=True)
    except Exception as exc:  # noqa: BLE001 — any schema it cannot handle keeps nio's own check
        log.debug("nio schema kept on jsonschema (%s)", exc)
        return None
    finally:
        # Compiling the generated code takes ~2.3 MiB of the C heap for the sync schema, which glibc keeps
        # once freed unless told: the bot's RSS would carry it for good. Each schema is compiled once.
        _trim(0)
    return check


def validate_json(instance, schema) -> None:
    entry = _compiled.get(id(schema))
    if entry is None or entry[0] is not schema:
        entry = _compiled[id(schema)] = (schema, _compile(schema))
    check = entry[1]
    if check is None:
        return _original(instance, schema)
    try:
        check(instance)
    except fastjsonschema.JsonSchemaValueException as exc:
        raise ValidationError(exc.message) from None


def install() -> None:
    """Every later check nio makes, in this process, goes through `validate_json` above."""
    for module in _NIO_MODULES:
        module.validate_json = validate_json
