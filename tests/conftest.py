"""Shared fixtures: one throwaway Synapse per test session, and fresh real users on it."""
from __future__ import annotations

import asyncio
import secrets

import pytest

from bot.devserver import Synapse, SynapseError
from tests.e2e.matrix_user import MatrixUser


@pytest.fixture(scope="session")
def synapse(tmp_path_factory) -> Synapse:
    """Fails (never skips) the tests that need it when Synapse cannot start: a missing server is a broken suite."""
    server = Synapse(tmp_path_factory.mktemp("synapse"))
    try:
        server.start()
    except SynapseError as e:
        error = str(e)
    else:
        error = None
    if error:  # outside the except block, so the report shows the log tail once, not chained twice
        pytest.fail(f"could not start Synapse: {error}", pytrace=False)
    yield server
    server.stop()


@pytest.fixture
async def make_user(synapse, tmp_path):
    """`await make_user("alice", admin=False)` → a started MatrixUser with a unique id like @alice-1a2b3c4d:localhost.
    Its password is on `user.password`. With `encrypting=True` its client encrypts, as Element would (its keys in
    its own store in the test's directory)."""
    users: list[MatrixUser] = []

    async def make(name: str = "user", admin: bool = False, encrypting: bool = False) -> MatrixUser:
        localpart = f"{name.lower()}-{secrets.token_hex(4)}"
        password = secrets.token_urlsafe(12)
        user_id, _token = await asyncio.to_thread(synapse.register, localpart, password, admin)
        store = None
        if encrypting:
            store = tmp_path / f"{localpart}.keys"
            store.mkdir()
        user = await MatrixUser.login(synapse.base_url, user_id, password, store_path=str(store) if store else None)
        user.password = password
        users.append(user)
        await user.start()
        return user

    yield make
    await asyncio.gather(*(u.close() for u in users), return_exceptions=True)
