"""The access token stays secret: an owner-only database, and no secret in the logs at any level."""
import logging
import os
import re
import stat

import pytest

from bot import logfilter
from storage import open_store

TOKEN = "syt_cmVsYWlz_SecretSecretSecret_1a2b3c"
OTHER_TOKEN = "QvX9kLm2Zr8TnWp4Hy6J"  # another homeserver's token: no recognisable shape


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def umask_022():
    """The usual umask, under which files are created 0644 unless asked otherwise."""
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.fixture
def redacting():
    """The log redaction, installed as the app installs it (bot/__main__.py), removed afterwards."""
    logfilter.install()
    yield
    logfilter.uninstall()


async def test_the_database_and_its_companion_files_are_owner_only(tmp_path, umask_022):
    db = tmp_path / "data" / "relais.db"
    store = await open_store(f"sqlite+aiosqlite:///{db}")
    try:
        await store.state.set_many({"access_token": TOKEN})
        assert (db.parent / "relais.db-wal").exists()  # WAL mode: the token may sit there too
        for name in ("relais.db", "relais.db-wal", "relais.db-shm"):
            assert mode(db.parent / name) == 0o600, name
        assert mode(db.parent) == 0o700  # a directory Relais created
    finally:
        await store.close()


async def test_an_existing_database_is_made_owner_only_but_not_its_shared_directory(tmp_path, umask_022):
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    db = shared / "relais.db"
    store = await open_store(f"sqlite+aiosqlite:///{db}")
    await store.close()
    for name in ("relais.db", "relais.db-wal", "relais.db-shm"):  # as an older Relais left them
        if (shared / name).exists():
            os.chmod(shared / name, 0o644)
    store = await open_store(f"sqlite+aiosqlite:///{db}")
    try:
        for name in ("relais.db", "relais.db-wal", "relais.db-shm"):
            if (shared / name).exists():
                assert mode(shared / name) == 0o600, name
        assert mode(shared) == 0o755
    finally:
        await store.close()


@pytest.mark.parametrize("token", [TOKEN, OTHER_TOKEN])
async def test_saving_and_reading_the_session_logs_no_secret_at_debug_level(tmp_path, caplog, redacting, token):
    caplog.set_level(logging.DEBUG)  # aiosqlite logs every call with its parameters
    caplog.set_level(logging.DEBUG, logger="sqlalchemy.engine")  # statements, parameters and rows
    store = await open_store(f"sqlite+aiosqlite:///{tmp_path / 'relais.db'}")
    try:
        await store.state.set_many({"access_token": token, "device_id": "RELAISDEV", "user_id": "@relais:x"})
        assert await store.state.get("access_token") == token
    finally:
        await store.close()
    assert re.search(r'INSERT INTO "?bot_state"?', caplog.text)  # the statements are logged...
    assert token not in caplog.text  # ...their values never
    assert all(token not in str(r.args) and token not in str(r.msg) for r in caplog.records)


def test_tokens_passwords_and_headers_are_masked_in_any_log(caplog, redacting):
    caplog.set_level(logging.DEBUG)
    logfilter.remember("correct horse battery", OTHER_TOKEN)
    log = logging.getLogger("relais.test")
    log.debug("Validating response schema: %s", {"access_token": TOKEN, "device_id": "D"})
    log.debug('{"type": "m.login.password", "password": "correct horse battery", "user": "relais"}')
    log.info("GET /_matrix/media/v3/download/x?access_token=%s&allow_remote=true", OTHER_TOKEN)
    log.warning("headers: {'Authorization': 'Bearer %s'}", OTHER_TOKEN)
    log.info("token in use: %s", OTHER_TOKEN)
    try:
        raise RuntimeError(f"login failed for password=hunter2-long and {TOKEN}")
    except RuntimeError:
        log.exception("boom")
    text = caplog.text
    for secret in (TOKEN, OTHER_TOKEN, "correct horse battery", "hunter2-long"):
        assert secret not in text, secret
    assert "'access_token': '***'" in text and '"password": "***"' in text
    assert "access_token=***&allow_remote=true" in text and "Bearer ***" in text
    assert "'device_id': 'D'" in text


def test_ordinary_messages_are_left_alone(redacting):
    text = "sync_token=s72_1 next_batch; Commande inconnue : !ping; 3 tokens left; password reset"
    assert logfilter.redact(text) == text


def test_the_command_line_installs_the_redaction_for_every_logger(capsys):
    from bot.__main__ import main

    try:
        assert main(["parse-date", "demain 18h", "--now", "2021-04-27T20:00"]) == 0
        record = logging.getLogger("nio.api").makeRecord("nio.api", logging.INFO, __file__, 1,
                                                         "headers %s", ({"Authorization": "Bearer abcdefgh"},), None)
        assert record.getMessage() == "headers {'Authorization': 'Bearer ***'}"
    finally:
        logfilter.uninstall()
