"""A room's address: the capability token (unguessable, 256 bits) and the URLs built from it."""
from __future__ import annotations

import secrets
from datetime import datetime

from storage import Store
from storage.records import PageLink

TOKEN_BYTES = 32  # 256 bits, well above the 128 a capability URL needs


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def room_url(base: str, token: str, path: str = "") -> str:
    """`https://relais.example.org/p/<token>/<path>`."""
    return f"{base.rstrip('/')}/p/{token}/{path}"


def webcal(url: str) -> str:
    """The same address for calendar apps: webcal:// subscribes where https:// would download once."""
    return "webcal://" + url.split("://", 1)[-1]


async def turn_on(store: Store, room_id: str, *, by: str, at: datetime) -> tuple[PageLink, bool]:
    """The room's pages served (with the token they had, or a first one); False when they already were."""
    link = await store.pages.get(room_id)
    if link is not None and link.enabled:
        return link, False
    token = link.token if link is not None else new_token()
    return await store.pages.set(room_id, token=token, enabled=True, by=by, at=at), True


async def replace_token(store: Store, room_id: str, *, by: str, at: datetime) -> PageLink:
    """A new token (the old address finds nothing any more); the pages are served."""
    return await store.pages.set(room_id, token=new_token(), enabled=True, by=by, at=at)
