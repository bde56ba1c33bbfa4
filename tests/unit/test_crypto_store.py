"""The crypto store keeps the rooms known to be encrypted across a restart, even though Relais skips nio's
save of an empty set after every sync (bot/crypto.py `skip_empty_room_saves`)."""
from nio import AsyncClient, AsyncClientConfig

from bot import crypto


def _client(path) -> AsyncClient:
    client = AsyncClient("http://localhost", "@bot:localhost", device_id="RELAISDEV", store_path=str(path),
                         config=AsyncClientConfig(encryption_enabled=True, store_sync_tokens=False))
    client.user_id, client.access_token = "@bot:localhost", "token"
    client.load_store()
    crypto.check_loaded(client)
    return client


def test_encrypted_rooms_survive_a_restart_with_empty_saves_skipped(tmp_path):
    first = _client(tmp_path)
    first.store.save_encrypted_rooms({"!secret:localhost"})
    first.store.save_encrypted_rooms(set())  # what nio does after every sync where no room turned encrypted
    crypto.check_loaded(first)  # wrapping twice changes nothing
    first.store.save_encrypted_rooms(set())

    again = _client(tmp_path)
    assert again.encrypted_rooms == {"!secret:localhost"}
