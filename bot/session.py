"""Log in once, then reuse the same access token and device on every start (no new device per restart)."""
from __future__ import annotations

import logging

from nio import AsyncClient, LoginError, WhoamiError

from bot.config import Config

log = logging.getLogger(__name__)


class LoginFailed(Exception):
    pass


async def log_in(client: AsyncClient, config: Config, state) -> None:
    """Restore the stored session, or log in with the configured credentials and store the session."""
    m = config.matrix
    if m.access_token:
        await _use_token(client, m.user_id, m.access_token, device_id=await state.get("device_id"))
        return
    token, device_id, user_id = (
        await state.get("access_token"), await state.get("device_id"), await state.get("user_id")
    )
    if token and device_id and user_id == m.user_id:
        client.restore_login(user_id, device_id, token)
        whoami = await client.whoami()
        if not isinstance(whoami, WhoamiError):
            log.info("restored session for %s, device %s", user_id, device_id)
            return
        log.warning("stored access token refused (%s); logging in again", whoami.message)
        client.access_token = ""
    client.user = m.user_id
    if device_id:  # log in again on the same device rather than creating a new one
        client.device_id = device_id
    resp = await client.login(password=m.password, device_name=m.device_name)
    if isinstance(resp, LoginError):
        raise LoginFailed(f"login as {m.user_id} on {m.homeserver} failed: {resp.message}")
    await state.set_many({"access_token": resp.access_token, "device_id": resp.device_id, "user_id": resp.user_id})
    log.info("logged in as %s, device %s", resp.user_id, resp.device_id)


async def _use_token(client: AsyncClient, user_id: str, token: str, device_id: str | None) -> None:
    client.access_token = token
    whoami = await client.whoami()
    if isinstance(whoami, WhoamiError):
        raise LoginFailed(f"the configured access_token was refused: {whoami.message}")
    client.restore_login(whoami.user_id, whoami.device_id or device_id or "", token)
