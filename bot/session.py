"""Reach the homeserver and log in once, then reuse the same access token and device on every start.

Every failure to reach the homeserver becomes one `Unreachable` line naming the URL and what to check.
At first start that ends the program (most likely a wrong URL); once the bot has reached the homeserver
before (a session is stored), it is an outage: `connect` retries with back-off.
"""
from __future__ import annotations

import asyncio
import logging
import re
import socket
from pathlib import Path
from collections.abc import Awaitable, Callable, Mapping
from urllib.parse import urlsplit

from aiohttp import ClientConnectorCertificateError, ClientConnectorError, ClientError, ClientSSLError
from nio import AsyncClient, ErrorResponse, LoginError, WhoamiError

from bot import crypto, logfilter, replay_guard
from bot.config import Config

log = logging.getLogger(__name__)

PROBE_TIMEOUT_S = 10  # a first start against a black-holed address fails within this
MAX_RETRY_WAIT_S = 60
SEE_URL = "is the URL in [matrix] homeserver right?"


class LoginFailed(Exception):
    """The homeserver refused the credentials (one line for the operator)."""


class Unreachable(Exception):
    """The homeserver cannot be reached, or does not answer like one (one line for the operator)."""


class PendingState:
    """Stands in for the database until the login succeeded, so a failed first start creates no file."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    async def get(self, key: str) -> str | None:
        return self.values.get(key)

    async def set_many(self, values: Mapping[str, str | None]) -> None:
        self.values.update({k: v for k, v in values.items() if v is not None})


async def connect(client: AsyncClient, config: Config, state,
                  sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
    """Check the homeserver, then log in; retry while it is unreachable only if it was reached before.
    The crypto store (bot/crypto.py) is opened once logged in: a failed first start leaves no file."""
    store, client.store_path = client.store_path, ""  # nio would open it inside login / restore_login
    try:
        await _connect(client, config, state, sleep)
    finally:
        client.store_path = store
    if store:
        crypto.prepare_store(Path(store))
        client.load_store()  # the same device's keys: members see no new device after a restart
        crypto.check_loaded(client)
        replay_guard.install(client)  # nio's replay check, in ~2 % of the memory
        crypto.private_files(Path(store))


async def _connect(client: AsyncClient, config: Config, state, sleep: Callable[[float], Awaitable[None]]) -> None:
    reached_before = bool(await state.get("sync_token") or await state.get("access_token"))
    failures = 0
    while True:
        try:
            await check_homeserver(client)
            await log_in(client, config, state)
            return
        except (ClientError, asyncio.TimeoutError) as exc:  # nio gave up between the check and the login
            error = Unreachable(describe(exc, client.homeserver, client.config.request_timeout))
        except Unreachable as exc:
            error = exc
        if not reached_before:
            raise error
        failures += 1
        delay = min(MAX_RETRY_WAIT_S, 2 ** failures)
        log.warning("%s; retrying in %ds", error, delay)
        await sleep(delay)


async def check_homeserver(client: AsyncClient) -> None:
    """GET /_matrix/client/versions (no auth, every homeserver answers it): tells a wrong URL, a stopped
    server, a TLS problem and a web server that is not Matrix apart, quickly and without nio's retries."""
    url = client.homeserver
    try:
        resp = await client.send("GET", "/_matrix/client/versions", timeout=PROBE_TIMEOUT_S)
        async with resp:
            status = resp.status
            try:
                body = await resp.json(content_type=None)
            except ValueError:
                body = None
    except (ClientError, asyncio.TimeoutError) as exc:
        raise Unreachable(describe(exc, url, PROBE_TIMEOUT_S)) from None
    if status != 200 or not isinstance(body, dict) or not isinstance(body.get("versions"), list):
        raise Unreachable(f"the homeserver {url} does not answer like a Matrix homeserver (HTTP {status} for "
                          f"/_matrix/client/versions) — {SEE_URL} (the client-server API's base URL)")


def describe(exc: BaseException, url: str, timeout_s: float) -> str:
    """One line: what was tried (the URL), what went wrong, what to check."""
    head = f"cannot reach the homeserver {url}"
    host = urlsplit(url).hostname
    if isinstance(exc, ClientConnectorCertificateError):
        why = getattr(exc.certificate_error, "verify_message", None) or exc.certificate_error
        return f"{head}: its TLS certificate was refused ({why}) — is the certificate valid for {host}?"
    if isinstance(exc, ClientSSLError):
        return f"{head}: TLS handshake failed: {_ssl_reason(exc)} (certificate? does it serve https on that port?)"
    if isinstance(getattr(exc, "os_error", None), socket.gaierror):  # ClientConnectorDNSError in aiohttp ≥ 3.10
        return f"{head}: the name {host} does not resolve — {SEE_URL}"
    if isinstance(exc, ClientConnectorError) and isinstance(exc.os_error, ConnectionRefusedError):
        return f"{head}: connection refused — is it running, {SEE_URL}"
    if isinstance(exc, asyncio.TimeoutError):  # aiohttp's timeouts are TimeoutErrors too
        return f"{head}: no answer within {timeout_s:g}s — is it running, is a firewall in the way?"
    reason = getattr(exc, "os_error", None) or exc
    return f"{head}: {getattr(reason, 'strerror', None) or reason} — is it running, {SEE_URL}"


def _ssl_reason(exc: ClientSSLError) -> str:
    text = str(getattr(exc, "os_error", None) or exc)
    match = re.search(r"\[SSL: \w+\] (.+?) \(_ssl", text)
    return match.group(1) if match else text


def _unavailable(resp: ErrorResponse, url: str, what: str) -> Unreachable | None:
    """A 5xx or a non-Matrix error body (a proxy in front of a stopped server) is an outage, not a refusal."""
    status = getattr(getattr(resp, "transport_response", None), "status", None)
    if (status or 0) >= 500 or not str(resp.status_code or "").startswith("M_"):
        return Unreachable(f"the homeserver {url} answered HTTP {status} to {what} — is it up?")
    return None


async def log_in(client: AsyncClient, config: Config, state) -> None:
    """Restore the stored session, or log in with the configured credentials and store the session."""
    m = config.matrix
    if m.access_token:
        await _use_token(client, m.homeserver, m.access_token, device_id=await state.get("device_id"))
        return
    token, device_id, user_id = (
        await state.get("access_token"), await state.get("device_id"), await state.get("user_id")
    )
    if token and device_id and user_id == m.user_id:
        logfilter.remember(token)  # hidden in logs whatever its shape
        client.restore_login(user_id, device_id, token)
        whoami = await client.whoami()
        if not isinstance(whoami, WhoamiError):
            log.info("restored session for %s, device %s", user_id, device_id)
            return
        if error := _unavailable(whoami, m.homeserver, "whoami"):
            raise error
        log.warning("stored access token refused (%s); logging in again", whoami.message)
        client.access_token = ""
    client.user = m.user_id
    if device_id:  # log in again on the same device rather than creating a new one
        client.device_id = device_id
    resp = await client.login(password=m.password, device_name=m.device_name)
    if isinstance(resp, LoginError):
        if error := _unavailable(resp, m.homeserver, "the login"):
            raise error
        raise LoginFailed(f"login as {m.user_id} on {m.homeserver} failed: {resp.message}")
    logfilter.remember(resp.access_token)
    await state.set_many({"access_token": resp.access_token, "device_id": resp.device_id, "user_id": resp.user_id})
    log.info("logged in as %s, device %s", resp.user_id, resp.device_id)


async def _use_token(client: AsyncClient, url: str, token: str, device_id: str | None) -> None:
    client.access_token = token
    whoami = await client.whoami()
    if isinstance(whoami, WhoamiError):
        if error := _unavailable(whoami, url, "whoami"):
            raise error
        raise LoginFailed(f"the configured access_token was refused by {url}: {whoami.message}")
    client.restore_login(whoami.user_id, whoami.device_id or device_id or "", token)
