"""The README's deployment examples agree with what they deploy: the systemd unit, the Dockerfile, the
variables bot/config.py reads, the login endpoint's body. (The image itself is not built here: no
container engine. The e2e test test_first_contact.py runs the account and token commands for real.)"""
from __future__ import annotations

import configparser
import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import load

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")
UNIT_PATH = ROOT / "deploy" / "relais.service"


def section() -> str:
    start = README.index("## Running it for real\n")
    return README[start:README.index("\n## ", start + 1)]


def shell_blocks() -> list[str]:
    return re.findall(r"```sh\n(.*?)```", section(), re.S)


def commands() -> list[list[str]]:
    """Every command of the section's shell blocks, as argv (continuation lines joined, comments dropped)."""
    out = []
    for block in shell_blocks():
        for line in block.replace("\\\n", " ").splitlines():
            for part in re.split(r"\s&&\s", line):
                argv = shlex.split(part, comments=True)
                out.append(argv[1:] if argv[:1] == ["sudo"] else argv)
    return [argv for argv in out if argv]


def command(name: str, *words: str) -> list[str]:
    found = [c for c in commands() if c[0] == name and all(w in c for w in words)]
    assert found, f"no `{name} {' '.join(words)}` in the README's deployment section"
    return found[0]


def unit() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read(UNIT_PATH, encoding="utf-8")
    return parser


def config_env_names() -> set[str]:
    sources = (ROOT / "bot" / "config.py").read_text() + (ROOT / "bot" / "__main__.py").read_text()
    return set(re.findall(r"""(?:env|environ)\.get\("(RELAIS_\w+)\"""", sources))


def docker_user() -> tuple[str, str]:
    match = re.search(r"useradd\b.*--uid (\d+) (\w+)", DOCKERFILE)
    assert match, "the Dockerfile creates its user with useradd --uid"
    assert re.search(rf"^USER {match.group(2)}$", DOCKERFILE, re.M)
    return match.group(1), match.group(2)


def test_shell_examples_are_valid_shell():
    for block in shell_blocks():
        subprocess.run(["bash", "-n"], input=block, text=True, check=True)


def test_systemd_unit_matches_the_readme_and_the_dockerfile_user():
    service = unit()["Service"]
    _, user = docker_user()
    assert service["User"] == service["Group"] == user  # the same account name in both deployments
    useradd = command("useradd", "--system")
    assert useradd[-1] == user
    exec_start = shlex.split(service["ExecStart"])
    assert f"`{' '.join(exec_start)}`" in section()
    venv = Path(exec_start[0]).parents[1]
    assert command("python3", "-m", "venv")[-1] == str(venv)
    config_path = exec_start[exec_start.index("--config") + 1]
    assert command("install", config_path)[-2] == "config.toml"
    assert service["EnvironmentFile"] == command("install", "deploy/relais.env.example")[-1]
    # The default SQLite URL is relative: the database lands in the working directory systemd creates.
    assert service["WorkingDirectory"] == f"/var/lib/{service['StateDirectory']}"
    assert useradd[useradd.index("--home-dir") + 1] == service["WorkingDirectory"]
    assert load(ROOT / "config.example.toml", env={"RELAIS_MATRIX_PASSWORD": "x"}).storage_url == \
        "sqlite+aiosqlite:///relais.db"
    assert service["RestartPreventExitStatus"] == "2"  # bot/__main__.py's exit code for a config error


def test_systemd_unit_verifies(tmp_path):
    """systemd's own checker, where installed; it needs ExecStart to exist, so it points at this venv."""
    # .ci/run installs systemd when it is missing, so this check always runs there.
    assert shutil.which("systemd-analyze"), "systemd-analyze is not installed (apt-get install systemd)"
    relais = Path(sys.executable).parent / "relais"
    assert relais.exists(), "run the tests through scripts/test, which installs the relais command"
    exec_start = shlex.split(unit()["Service"]["ExecStart"])[0]
    copy = tmp_path / "relais.service"
    copy.write_text(UNIT_PATH.read_text().replace(exec_start, str(relais)), encoding="utf-8")
    result = subprocess.run(["systemd-analyze", "verify", str(copy)], capture_output=True, text=True)
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr


def test_env_file_example_names_what_config_reads():
    names = re.findall(r"^#?\s*(RELAIS_\w+)=", (ROOT / "deploy" / "relais.env.example").read_text(), re.M)
    assert names and set(names) <= config_env_names()


def test_docker_example_matches_the_dockerfile():
    uid, _ = docker_user()
    run = command("docker", "run")
    for i, word in enumerate(run):
        if word == "-e":
            assert run[i + 1] in config_env_names(), run[i + 1]  # only names config.py reads
            assert "=" not in run[i + 1]  # the secret comes from the shell, not the command line
    assert run[run.index("--restart") + 1] == "unless-stopped"
    host_dir, data = run[run.index("-v") + 1].split(":")
    assert re.search(rf'^VOLUME \["{data}"\]$', DOCKERFILE, re.M)
    assert re.search(rf"^WORKDIR {data}$", DOCKERFILE, re.M)  # the relative SQLite URL lands in the volume
    assert re.search(rf"^ENV RELAIS_CONFIG={data}/config.toml$", DOCKERFILE, re.M)
    owned = [c for c in commands() if c[0] == "install" and host_dir in " ".join(c)]
    assert len(owned) == 2 and all(c[c.index("-o") + 1] == c[c.index("-g") + 1] == uid for c in owned)
    assert f"uid {uid}" in section()


def test_example_config_loads_with_the_secret_from_the_environment():
    for name in ("RELAIS_MATRIX_ACCESS_TOKEN", "RELAIS_MATRIX_PASSWORD"):
        config = load(ROOT / "config.example.toml", env={name: "secret"})
        assert "secret" in (config.matrix.access_token, config.matrix.password)


def login_example() -> tuple[str, dict]:
    curl = command("curl")
    url = next(w for w in curl if w.startswith("https://"))
    return url, json.loads(curl[curl.index("-d") + 1])


def test_access_token_example_is_a_password_login():
    url, body = login_example()
    assert url.endswith("/_matrix/client/v3/login")
    assert body["type"] == "m.login.password"
    assert body["identifier"] == {"type": "m.id.user", "user": "relais"}
    assert set(body) == {"type", "identifier", "password", "initial_device_display_name"}


def test_dockerfile_runs_optimized_with_its_bytecode_compiled():
    """PYTHONOPTIMIZE=2 (docs/performance.md, round 10) only pays with bytecode of that level, and bytecode without
    column positions (round 12) only once compiled so: the slim image has none and its user cannot write any, so the
    build compiles it, for the interpreter's library and site-packages."""
    assert re.search(r"^ENV PYTHONOPTIMIZE=2$", DOCKERFILE, re.M)
    assert re.search(r"^ENV PYTHONNODEBUGRANGES=1$", DOCKERFILE, re.M)  # what is compiled at run time, likewise
    build = DOCKERFILE[:DOCKERFILE.index("ENV PYTHONOPTIMIZE=2")]
    compile_step = re.search(r"python -X no_debug_ranges -OO -m compileall .*sysconfig.*\"stdlib\"", build)
    assert compile_step and build.index("pip install") < compile_step.start()
    assert DOCKERFILE.index("ENV PYTHONOPTIMIZE=2") < DOCKERFILE.index("\nUSER ")
