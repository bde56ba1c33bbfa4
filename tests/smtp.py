"""A real local SMTP server (aiosmtpd) for the tests: `running(handler)` serves on a free port of 127.0.0.1, and the
``smtp`` fixture yields ``(controller, inbox)``, the inbox keeping every message it accepts.

To use the fixture from a test module: ``from tests.smtp import smtp``."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from aiosmtpd.controller import Controller

from bot.devserver import free_port


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []  # (MAIL FROM, RCPT TO, the message as sent)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append((envelope.mail_from, envelope.rcpt_tos, envelope.content))
        return "250 OK"


@contextmanager
def running(handler) -> Iterator[Controller]:
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller
    finally:
        controller.stop()


@pytest.fixture
def smtp() -> Iterator[tuple[Controller, Inbox]]:
    inbox = Inbox()
    with running(inbox) as controller:
        yield controller, inbox
