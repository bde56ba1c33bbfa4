"""End-to-end encryption: where the keys live, what nio needs after each sync, whom room keys go to.

nio does the cryptography (Olm/Megolm through vodozemac): it decrypts timeline events while reading a sync
or /messages, and encrypts `room_send` in an encrypted room. Without `sync_forever`, keeping the device's
keys current is the caller's job: `after_sync` does what `sync_forever` would (upload one-time keys, query
members' device lists, claim keys for new Olm sessions, send queued to-device messages).

The crypto store (nio's SQLite file `<user>_<device>.db`) holds the device's identity keys and every room
key it received: lost, the bot can no longer read old messages and members' clients see its device's keys
change. It lives beside the database (or at `[encryption] store`), owner-only, and is backed up with it.
"""
from __future__ import annotations

import logging
from pathlib import Path

from nio import AsyncClient, ErrorResponse, ForwardedRoomKeyEvent, RoomKeyEvent, SyncResponse
from nio.crypto import ENCRYPTION_ENABLED
from nio.exceptions import LocalProtocolError
from sqlalchemy.engine import make_url

from bot.config import Config

log = logging.getLogger(__name__)

DEFAULT_STORE = "relais-crypto"  # beside where Relais runs, when the database is not a file


class EncryptionUnavailable(Exception):
    """Encryption is on in the configuration but nio cannot do it (one line for the operator)."""


def store_path(config: Config) -> Path | None:
    """The crypto store's directory; None when encryption is off. Default: beside the SQLite file
    (`relais.db` → `relais.db.crypto/`), else `relais-crypto/` in the working directory."""
    e = config.encryption
    if not e.enabled:
        return None
    if e.store:
        return Path(e.store).expanduser()
    url = make_url(config.storage_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        database = Path(url.database)
        return database.with_name(database.name + ".crypto")
    return Path(DEFAULT_STORE)


def check_available() -> None:
    if not ENCRYPTION_ENABLED:
        raise EncryptionUnavailable("[encryption] enabled = true but matrix-nio's e2e extra is missing: "
                                    "pip install 'matrix-nio[e2e]' (or set enabled = false)")


def prepare_store(path: Path) -> None:
    """The directory, owner-only (0700), created if missing. nio creates its files 0644: the directory's mode
    keeps others out, and `private_files` narrows the files once nio made them."""
    check_available()
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.stat().st_mode & 0o077:
        path.chmod(0o700)


def private_files(path: Path) -> None:
    for file in path.iterdir():
        try:
            if file.is_file() and file.stat().st_mode & 0o077:
                file.chmod(0o600)
        except OSError as exc:
            log.warning("could not make %s readable by its owner only: %s", file, exc)


def check_loaded(client: AsyncClient) -> None:
    """nio silently runs without encryption when its store did not load: refuse to start that way."""
    if client.olm is None:
        raise EncryptionUnavailable(f"the crypto store in {client.store_path} did not load: encryption is off")
    skip_empty_room_saves(client)


def skip_empty_room_saves(client: AsyncClient) -> None:
    """nio saves the rooms that turned encrypted after every sync, even when none did: a peewee transaction
    and a SELECT of the account each time, ~18 % of the bot's CPU per command (py-spy, docs/performance.md).
    An empty set writes nothing anyway, so it is skipped; a room that turns encrypted is saved as before."""
    store = client.store
    if store is None or getattr(store, "_relais_skips_empty", False):
        return
    save = store.save_encrypted_rooms

    def save_encrypted_rooms(rooms) -> None:
        if rooms:
            save(rooms)

    store.save_encrypted_rooms = save_encrypted_rooms
    store._relais_skips_empty = True


async def after_sync(client: AsyncClient, trust: str = "all") -> None:
    """What `sync_forever` does after each sync: keys up, device lists queried, Olm sessions, to-device."""
    if client.olm is None:
        return
    try:  # a send may have done one of these meanwhile (nio then says there is nothing to do)
        if client.should_upload_keys:
            _warn(await client.keys_upload(), "uploading the device's keys")
        if client.should_query_keys:
            _warn(await client.keys_query(), "querying members' devices")
            apply_trust(client, trust)
        if client.should_claim_keys:
            _warn(await client.keys_claim(client.get_users_for_key_claiming()), "claiming one-time keys")
    except LocalProtocolError as exc:
        log.debug("key maintenance: %s", exc)
    await client.send_to_device_messages()


def apply_trust(client: AsyncClient, trust: str) -> None:
    """`tofu`: a device seen for the first time is trusted (verified in the store); nio keeps the keys it
    first saw for a device id. `verified`: devices not verified are blacklisted (they get no room key) until
    verified. `all`: sends ignore unverified devices. Relais blacklists only under `verified`, so under the
    others a blacklisted device was blacklisted by it then: switching back gives it the keys again."""
    if client.olm is None:
        return
    for devices in client.device_store.values():
        for device in devices.values():
            if device.deleted or (device.user_id == client.user_id and device.id == client.device_id):
                continue
            if trust != "verified" and client.olm.is_device_blacklisted(device):
                client.unblacklist_device(device)
            if client.olm.is_device_verified(device) or client.olm.is_device_blacklisted(device):
                continue
            if trust == "tofu":
                client.verify_device(device)
            elif trust == "verified":
                client.blacklist_device(device)


def ignore_unverified(trust: str) -> bool:
    """Whether a send goes on past unverified devices (they still get the key): only with trust = "all"."""
    return trust == "all"


def keys_arrived(resp: SyncResponse) -> bool:
    return any(isinstance(e, (RoomKeyEvent, ForwardedRoomKeyEvent)) for e in resp.to_device_events)


def _warn(resp, what: str) -> None:
    if isinstance(resp, ErrorResponse):
        log.warning("%s failed: %s", what, resp.message)
