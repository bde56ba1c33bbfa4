"""No secret in the logs, at any level: access tokens, passwords, `Authorization` headers, SQL values.

Installed as the log record factory rather than as a handler filter: every record of every logger is
cleaned as it is made, so handlers added later (the demo's terminal, pytest's caplog) see only clean text.

What is hidden (replaced by ``***``):
- the values given to ``remember()`` (the configured password and access token, the stored token);
- Matrix tokens by their shape: ``syt_…`` (Synapse), ``mat_…``/``mct_…`` (MAS) and their refresh forms;
- ``Bearer …``, ``access_token=…`` in URLs, and the value of an ``access_token``/``refresh_token``/
  ``password``/``token`` key in JSON or a Python repr;
- the values that SQLAlchemy (rows) and aiosqlite (every call, with its parameters) echo at DEBUG: the
  bot_state table holds the access token. SQLAlchemy's parameters are hidden by the engine itself
  (storage/db.py); statements stay in the logs.
"""
from __future__ import annotations

import logging
import re

MASK = "***"
_MIN_SECRET_LEN = 4  # shorter values would mask ordinary words

_KEY = r"access_token|refresh_token|password|token"
_PATTERNS = [
    # {"access_token": "…"} (JSON) or {'password': '…'} (repr): keep the key, hide the value.
    (re.compile(rf"""((["'])(?:{_KEY})\2\s*:\s*)(["'])(?:\\.|(?!\3).)*\3"""), rf"\1\3{MASK}\3"),
    # ?access_token=… in a URL, password=… in a form
    (re.compile(rf"\b((?:{_KEY})=)[^&\s'\",;]+"), rf"\1{MASK}"),
    (re.compile(r"\b(Bearer\s+)[^\s'\",;]+", re.I), rf"\1{MASK}"),
    (re.compile(r"\b(?:syt|syr|mat|mar|mct|mcr)_[\w\-]+"), MASK),
]
# Loggers whose DEBUG records carry database values: their text stays, their values go.
_VALUE_ECHOES = ("sqlalchemy.engine", "aiosqlite")

_secrets: set[str] = set()
_previous_factory = None


def remember(*values: str | None) -> None:
    """Values to hide wherever they appear (e.g. the configured password, the access token in use)."""
    _secrets.update(v for v in values if v and len(v) >= _MIN_SECRET_LEN)


def redact(text: str) -> str:
    for secret in sorted(_secrets, key=len, reverse=True):  # longest first: one may contain another
        text = text.replace(secret, MASK)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def clean(record: logging.LogRecord) -> None:
    """Replace the record's message (and formatted traceback) by its redacted text."""
    if record.levelno <= logging.DEBUG and record.name.startswith(_VALUE_ECHOES) and record.args:
        record.args = _masked(record.args)
        return
    try:
        message = record.getMessage()
    except Exception:  # a broken format string: let the handler report it as usual
        return
    cleaned = redact(message)
    if cleaned != message:
        record.msg, record.args = cleaned, ()
    if record.exc_info and not record.exc_text:  # formatters reuse exc_text when it is set
        record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
    if record.stack_info:
        record.stack_info = redact(record.stack_info)


def _masked(args):
    if isinstance(args, dict):
        return {key: MASK for key in args}
    return tuple(MASK for _ in args)


def install() -> None:
    """Clean every log record from now on (idempotent)."""
    global _previous_factory
    if _previous_factory is not None:
        return
    _previous_factory = previous = logging.getLogRecordFactory()

    def factory(*args, **kwargs) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        clean(record)
        return record

    logging.setLogRecordFactory(factory)


def uninstall() -> None:
    """Back to the previous factory (tests)."""
    global _previous_factory
    if _previous_factory is not None:
        logging.setLogRecordFactory(_previous_factory)
        _previous_factory = None
    _secrets.clear()
