"""The README's "Running it for real", run for real: the account command, the access-token curl, the
example config with the token in the environment, `python -m bot run` in a fresh directory."""
from __future__ import annotations

import asyncio
import json
import secrets
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest

from bench.common import child_env
from tests.e2e.bot_process import BotProcess
from tests.e2e.conftest import body, room_with_bot
from tests.e2e.matrix_user import MatrixUser
from tests.unit.test_deploy_examples import ROOT, command, login_example

pytestmark = pytest.mark.e2e


def register_as_readme(synapse, localpart: str, password_file: Path) -> None:
    argv = command("register_new_matrix_user")
    argv[argv.index("-c") + 1] = str(synapse.workdir / "homeserver.yaml")
    argv[argv.index("-u") + 1] = localpart
    argv[-1] = synapse.base_url
    argv[0] = str(Path(sys.executable).parent / argv[0])
    # The README's command asks for the password; a test gives it from a file.
    subprocess.run([*argv, "--password-file", str(password_file)], check=True, capture_output=True, timeout=60)


def token_as_readme(synapse, localpart: str, password: str) -> dict:
    url, login = login_example()
    url = url.replace("https://matrix.example.org", synapse.base_url)
    login["identifier"]["user"], login["password"] = localpart, password
    if shutil.which("curl"):
        argv = command("curl")
        argv[argv.index(next(w for w in argv if w.startswith("https://")))] = url
        argv[argv.index("-d") + 1] = json.dumps(login)
        return json.loads(subprocess.run(argv, check=True, capture_output=True, timeout=30).stdout)
    request = urllib.request.Request(url, json.dumps(login).encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as resp:
        return json.load(resp)


async def test_readme_deployment_steps_give_a_working_bot(synapse, make_user, tmp_path):
    localpart, password = f"relais-{secrets.token_hex(4)}", secrets.token_urlsafe(12)
    (tmp_path / "pw").write_text(password)
    await asyncio.to_thread(register_as_readme, synapse, localpart, tmp_path / "pw")
    login = await asyncio.to_thread(token_as_readme, synapse, localpart, password)
    user_id = f"@{localpart}:{synapse.server_name}"
    assert login["user_id"] == user_id

    devices_before = await devices(synapse, login["access_token"])

    workdir = tmp_path / "relais"
    workdir.mkdir()
    example = (ROOT / "config.example.toml").read_text(encoding="utf-8")
    (workdir / "config.toml").write_text(
        example.replace("https://matrix.example.org", synapse.base_url).replace("@relais:example.org", user_id),
        encoding="utf-8")
    bot = BotProcess(workdir, child_env(RELAIS_MATRIX_ACCESS_TOKEN=login["access_token"]))
    bot.start()
    try:
        alice = await make_user("alice")
        room = await room_with_bot(alice, SimpleNamespace(user_id=user_id))
        reply = await alice.wait_reply(room, await alice.send(room, "!ping"), sender=user_id)
        assert body(reply) == "pong"
    finally:
        output = await bot.stop()  # SIGTERM, exit status 0
    assert "Traceback" not in output and "Unclosed" not in output
    assert (workdir / "relais.db").exists()  # in the working directory, as the README says

    # The bot kept the device the README's login created.
    assert await devices(synapse, login["access_token"]) == devices_before
    assert login["device_id"] in devices_before


async def devices(synapse, token: str) -> list[str]:
    bot = await MatrixUser.from_token(synapse.base_url, token)
    try:
        return sorted(d.id for d in (await bot.client.devices()).devices)
    finally:
        await bot.close()
