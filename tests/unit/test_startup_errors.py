"""A homeserver that cannot be reached: one line on stderr, no traceback, no database file at first start;
retries with back-off when it was reached before (an outage). Real sockets, real `python -m bot`."""
from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from nio import AsyncClient

from bot import session
from bot.config import parse
from bot.session import PendingState, Unreachable, connect
from storage import open_store
from storage.db import database_exists

ROOT = Path(__file__).resolve().parents[2]


def write_config(directory: Path, homeserver: str) -> Path:
    path = directory / "cfg.toml"
    path.write_text(f'[matrix]\nhomeserver = "{homeserver}"\nuser_id = "@relais:example.org"\n'
                    'password = "wrong"\n', encoding="utf-8")
    return path


def bot_command(directory: Path, homeserver: str) -> dict:
    write_config(directory, homeserver)
    env = {k: v for k, v in os.environ.items() if not k.startswith("RELAIS_")}
    env["PYTHONPATH"] = str(ROOT)
    return dict(args=[sys.executable, "-m", "bot", "--config", "cfg.toml"], cwd=directory, env=env,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def fails_with_one_line(tmp_path: Path, homeserver: str) -> str:
    started = time.monotonic()
    proc = subprocess.run(**bot_command(tmp_path, homeserver), timeout=30)
    assert time.monotonic() - started < 15
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 1, proc.stderr
    assert len(lines) == 1, proc.stderr  # no traceback, no "Unclosed client session"
    assert lines[0].startswith("relais: ")
    assert not list(tmp_path.glob("relais.db*"))
    return lines[0]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class FakeHomeserver(BaseHTTPRequestHandler):
    """Answers /versions like Matrix, refuses every password, and 404s anything else."""
    matrix = True

    def do_GET(self):
        if self.matrix and self.path == "/_matrix/client/versions":
            return self.reply(200, {"versions": ["v1.11"]})
        self.reply(404, None)

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.matrix and self.path.startswith("/_matrix/client/v3/login"):
            return self.reply(403, {"errcode": "M_FORBIDDEN", "error": "Invalid username or password"})
        self.reply(404, None)

    def reply(self, status, body):
        data = b"<html>Not Found</html>" if body is None else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html" if body is None else "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


class NotMatrix(FakeHomeserver):
    matrix = False


@contextmanager
def serving(handler, tls: ssl.SSLContext | None = None):
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    if tls:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def test_connection_refused(tmp_path):
    port = closed_port()
    line = fails_with_one_line(tmp_path, f"http://127.0.0.1:{port}")
    assert line == (f"relais: cannot reach the homeserver http://127.0.0.1:{port}: connection refused"
                    " — is it running, is the URL in [matrix] homeserver right?")


def test_name_that_does_not_resolve(tmp_path):
    line = fails_with_one_line(tmp_path, "https://relais-test.invalid")
    assert "https://relais-test.invalid: the name relais-test.invalid does not resolve" in line


def test_web_server_that_is_not_matrix(tmp_path):
    with serving(NotMatrix) as port:
        line = fails_with_one_line(tmp_path, f"http://127.0.0.1:{port}")
    assert f"http://127.0.0.1:{port} does not answer like a Matrix homeserver (HTTP 404" in line


@contextmanager
def plain_http_listener():
    """Answers any connection with a plain-HTTP error at once, as a web server does to a TLS hello."""
    listener = socket.create_server(("127.0.0.1", 0))

    def serve():
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return  # closed
            with conn:
                conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                conn.settimeout(2)
                try:
                    conn.recv(4096)  # let the client read the answer before the connection goes
                except OSError:
                    pass

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield listener.getsockname()[1]
    finally:
        listener.close()


def test_https_to_a_plain_http_port(tmp_path):
    with plain_http_listener() as port:
        line = fails_with_one_line(tmp_path, f"https://127.0.0.1:{port}")
    assert f"https://127.0.0.1:{port}: TLS handshake failed: " in line and "(certificate?" in line


def test_untrusted_certificate(tmp_path):
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(*self_signed(tmp_path))
    with serving(FakeHomeserver, tls) as port:
        line = fails_with_one_line(tmp_path, f"https://127.0.0.1:{port}")
    assert "its TLS certificate was refused (self-signed certificate)" in line


def test_wrong_password_is_one_line_and_leaves_no_database(tmp_path):
    with serving(FakeHomeserver) as port:
        line = fails_with_one_line(tmp_path, f"http://127.0.0.1:{port}")
    assert line == (f"relais: login as @relais:example.org on http://127.0.0.1:{port} failed: "
                    "Invalid username or password")


async def test_an_outage_is_retried_until_stopped(tmp_path):
    """A stored session means the homeserver was reached before: wait for it, don't exit."""
    store = await open_store(f"sqlite+aiosqlite:///{tmp_path / 'relais.db'}")
    await store.state.set_many({"access_token": "t", "device_id": "D", "user_id": "@relais:example.org",
                                "sync_token": "s1"})
    await store.close()
    proc = subprocess.Popen(**bot_command(tmp_path, f"http://127.0.0.1:{closed_port()}"))
    try:
        first = await asyncio.wait_for(asyncio.to_thread(proc.stderr.readline), 15)
        assert "connection refused" in first and "retrying in 2s" in first
        assert proc.poll() is None
    finally:
        proc.send_signal(signal.SIGTERM)  # how systemd and `docker stop` stop it
        _, rest = proc.communicate(timeout=15)
    assert proc.returncode == 0, rest
    assert "Traceback" not in rest and "Unclosed" not in rest


async def test_retry_backs_off_exponentially_up_to_a_minute():
    client = AsyncClient(f"http://127.0.0.1:{closed_port()}", "@relais:example.org")
    state = PendingState()
    await state.set_many({"sync_token": "s1"})
    delays = []

    async def sleep(seconds):
        delays.append(seconds)
        if len(delays) == 7:
            raise asyncio.CancelledError  # the operator stops it

    try:
        with pytest.raises(asyncio.CancelledError):
            await connect(client, CONFIG, state, sleep=sleep)
    finally:
        await client.close()
    assert delays == [2, 4, 8, 16, 32, 60, 60]


async def test_first_start_does_not_retry():
    client = AsyncClient(f"http://127.0.0.1:{closed_port()}", "@relais:example.org")
    slept = []

    async def sleep(seconds):
        slept.append(seconds)

    try:
        with pytest.raises(Unreachable, match="connection refused"):
            await connect(client, CONFIG, PendingState(), sleep=sleep)
    finally:
        await client.close()
    assert slept == []


async def test_a_silent_server_times_out(monkeypatch):
    monkeypatch.setattr(session, "PROBE_TIMEOUT_S", 0.5)
    with socket.create_server(("127.0.0.1", 0)) as listener:  # accepts, never answers
        client = AsyncClient(f"http://127.0.0.1:{listener.getsockname()[1]}", "@relais:example.org")
        try:
            with pytest.raises(Unreachable, match=r"no answer within 0.5s — is it running, is a firewall"):
                await session.check_homeserver(client)
        finally:
            await client.close()


class DownBehindProxy(FakeHomeserver):
    """/versions answers, but everything else gets the proxy's 502 page: Synapse is restarting."""
    paths: list[str] = []

    def do_GET(self):
        self.paths.append(self.path)
        if self.path == "/_matrix/client/versions":
            return self.reply(200, {"versions": ["v1.11"]})
        self.send_response(502)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_POST = do_GET


async def test_a_502_for_a_stored_session_is_an_outage_not_a_refused_token(caplog):
    state = PendingState()
    await state.set_many({"access_token": "t", "device_id": "D", "user_id": "@relais:example.org"})

    async def sleep(seconds):
        raise asyncio.CancelledError

    with serving(DownBehindProxy) as port:
        client = AsyncClient(f"http://127.0.0.1:{port}", "@relais:example.org")
        try:
            with pytest.raises(asyncio.CancelledError):
                await connect(client, CONFIG, state, sleep=sleep)
        finally:
            await client.close()
    # whoami got a 502: no password login was tried, the stored session is kept for when it is back.
    assert "answered HTTP 502 to whoami — is it up?; retrying in 2s" in caplog.text
    assert not [p for p in DownBehindProxy.paths if "/login" in p]
    assert await state.get("access_token") == "t"


def test_checking_for_the_database_creates_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert not database_exists("sqlite+aiosqlite:///relais.db")
    assert not database_exists(f"sqlite:///{tmp_path / 'sub' / 'x.db'}")
    assert not database_exists("sqlite+aiosqlite://")
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "relais.db").touch()
    assert database_exists("sqlite+aiosqlite:///relais.db")
    assert database_exists("postgresql+asyncpg://u:p@localhost/relais")


CONFIG = parse({"matrix": {"homeserver": "http://127.0.0.1:1", "user_id": "@relais:example.org",
                           "password": "x"}}, "(test)", {})


def self_signed(directory: Path) -> tuple[str, str]:
    """A certificate for 127.0.0.1 signed by nobody the client trusts."""
    from cryptography import x509  # installed with Synapse (the test extra)
    import datetime
    import ipaddress

    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now)
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = directory / "cert.pem", directory / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return str(cert_file), str(key_file)
