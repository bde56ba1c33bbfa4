"""E-mail: the `Email` effect (handlers/core/interface.py) sent through SMTP with aiosmtplib, with the `[email]`
configuration. A message is multipart/alternative (plain text, then HTML) with Date, Message-ID, From, To and
Subject headers. A refused or unreachable server is tried again with back-off; when every try failed, the room's
coordinators are told (a notice in the room) and the bot goes on: a mail failure never stops it."""
from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from handlers.core.interface import Email

log = logging.getLogger(__name__)

RETRY_DELAYS = (5.0, 30.0, 120.0)  # seconds between tries
TIMEOUT = 30.0
SECURITIES = ("starttls", "tls", "none")


@dataclass(frozen=True)
class EmailConfig:
    host: str
    sender: str  # the From address
    port: int | None = None  # default: 465 for tls, 587 for starttls, 25 for none
    security: str = "starttls"
    user: str | None = None
    password: str | None = None

    @property
    def effective_port(self) -> int:
        return self.port or {"tls": 465, "starttls": 587}.get(self.security, 25)

    def __repr__(self) -> str:  # the password never reaches a log line
        return f"EmailConfig(host={self.host!r}, port={self.effective_port}, security={self.security!r})"


def message(email: Email, sender: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = email.to
    msg["Subject"] = email.subject
    msg["Date"] = formatdate(localtime=False, usegmt=True)
    msg["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    msg["Auto-Submitted"] = "auto-generated"
    msg["Content-Language"] = email.lang
    msg.set_content(email.content.plain)
    page = (f'<!DOCTYPE html>\n<html lang="{html.escape(email.lang)}"><head><meta charset="utf-8">'
            f"<title>{html.escape(email.subject)}</title></head><body>{email.content.html}</body></html>\n")
    msg.add_alternative(page, subtype="html")
    return msg


class Mailer:
    def __init__(self, config: EmailConfig, delays: Sequence[float] = RETRY_DELAYS) -> None:
        self.config = config
        self.delays = tuple(delays)

    async def send_once(self, email: Email) -> None:
        import aiosmtplib  # here, not at the top: only a configuration with [email] loads it (~10 MiB)

        c = self.config
        await aiosmtplib.send(
            message(email, c.sender), hostname=c.host, port=c.effective_port, username=c.user, password=c.password,
            use_tls=c.security == "tls", start_tls=True if c.security == "starttls" else False, timeout=TIMEOUT)

    async def deliver(self, email: Email, report: Callable[[str], Awaitable[None]]) -> bool:
        """Send, trying again after each delay; after the last failure, `report(reason)` (to the coordinators).
        Never raises but for cancellation."""
        import aiosmtplib

        reason = ""
        for attempt, delay in enumerate((0.0, *self.delays)):
            if delay:
                await asyncio.sleep(delay)
            try:
                await self.send_once(email)
                log.info("digest e-mailed to %s for %s", email.to, email.room_id)
                return True
            except asyncio.CancelledError:
                raise
            except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
                reason = _reason(exc)
                log.warning("e-mail to %s failed (try %d of %d): %s", email.to, attempt + 1, len(self.delays) + 1,
                            reason)
        try:
            await report(reason)
        except Exception as exc:  # telling failed too: the log has it
            log.warning("could not report the e-mail failure in %s: %s", email.room_id, exc)
        return False


def _reason(exc: Exception) -> str:
    import aiosmtplib

    if isinstance(exc, aiosmtplib.SMTPResponseException):
        return f"{exc.code} {exc.message}".strip()
    if isinstance(exc, aiosmtplib.SMTPConnectError | ConnectionError | OSError):
        return f"server unreachable ({exc})"
    return str(exc) or type(exc).__name__
