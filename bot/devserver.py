"""A throwaway Synapse on 127.0.0.1, for the end-to-end tests and the no-config demo.

Stdlib only (Synapse itself comes from the `demo`/`test` extras). The config is tuned for speed on a small
machine and is NOT fit for production: cheap bcrypt, rate limits effectively off, registration by shared secret.
"""
from __future__ import annotations

import atexit
import hashlib
import hmac
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

_LOG_TAIL_LINES = 40

# Every rate limiter a test or the demo can hit. Defaults (e.g. rc_message 0.2/s, burst 10) make nio silently
# sleep on 429s, which turns a test suite slow instead of red.
_UNLIMITED = {"per_second": 100_000, "burst_count": 100_000}
_RATE_LIMITS = {
    "rc_message": _UNLIMITED,
    "rc_registration": _UNLIMITED,
    "rc_registration_token_validity": _UNLIMITED,
    "rc_login": {"address": _UNLIMITED, "account": _UNLIMITED, "failed_attempts": _UNLIMITED},
    "rc_admin_redaction": _UNLIMITED,
    "rc_joins": {"local": _UNLIMITED, "remote": _UNLIMITED},
    "rc_joins_per_room": _UNLIMITED,
    "rc_3pid_validation": _UNLIMITED,
    "rc_invites": {"per_room": _UNLIMITED, "per_user": _UNLIMITED, "per_issuer": _UNLIMITED},
    "rc_third_party_invite": _UNLIMITED,
    "rc_room_creation": _UNLIMITED,
    "rc_presence": {"per_user": _UNLIMITED},
    "rc_media_create": _UNLIMITED,
    "rc_delayed_event_mgmt": _UNLIMITED,
    "rc_reports": _UNLIMITED,
    "rc_user_directory": _UNLIMITED,
    "rc_profile": _UNLIMITED,
    "rc_key_requests": _UNLIMITED,
}


class SynapseError(RuntimeError):
    """Synapse failed to start or refused a request. `errcode` is the Matrix errcode when there is one."""

    def __init__(self, message: str, errcode: str | None = None):
        super().__init__(message)
        self.errcode = errcode


def free_port() -> int:
    """A port free on 127.0.0.1 right now (racy by nature, fine for a test server)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Synapse:
    def __init__(self, workdir: Path, port: int | None = None, server_name: str = "localhost"):
        self.workdir = Path(workdir).resolve()
        self.port = port or free_port()
        self.server_name = server_name
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.shared_secret = secrets.token_hex(16)
        self.log_path = self.workdir / "homeserver.log"
        # Output from before logging is configured (config errors, import errors) only goes here.
        self.console_path = self.workdir / "console.log"
        self._proc: subprocess.Popen | None = None
        self._console = None

    @property
    def pid(self) -> int | None:
        """The running homeserver's process id (the benchmarks read its CPU time), None when stopped."""
        return self._proc.pid if self._proc is not None else None

    # -- lifecycle ---------------------------------------------------------------------------------------------

    def start(self, timeout: float = 90) -> None:
        if self._proc is not None:
            raise SynapseError("Synapse already started")
        self.workdir.mkdir(parents=True, exist_ok=True)
        config_path = self._write_config()
        self._console = open(self.console_path, "ab")
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "synapse.app.homeserver", "-c", str(config_path)],
            cwd=self.workdir,
            stdin=subprocess.DEVNULL,
            stdout=self._console,
            stderr=subprocess.STDOUT,
            # Own session: a Ctrl-C in the demo terminal reaches the bot only, which then stops Synapse in order.
            start_new_session=True,
        )
        atexit.register(self.stop)
        deadline = time.monotonic() + timeout
        while True:
            if self._proc.poll() is not None:
                code = self._proc.returncode
                self.stop()
                raise SynapseError(f"Synapse exited with code {code} during start-up\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.base_url}/_matrix/client/versions", timeout=2) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise SynapseError(f"Synapse did not answer on {self.base_url} within {timeout:g}s\n{self.log_tail()}")
            time.sleep(0.05)

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            atexit.unregister(self.stop)
        if self._console is not None:
            self._console.close()
            self._console = None

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def __enter__(self) -> "Synapse":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def log_tail(self, lines: int = _LOG_TAIL_LINES) -> str:
        parts = []
        for path in (self.console_path, self.log_path):
            try:
                text = path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
            except FileNotFoundError:
                continue
            if text:
                parts.append(f"--- last lines of {path} ---\n" + "\n".join(text))
        return "\n".join(parts) or f"(no Synapse output in {self.workdir})"

    # -- users -------------------------------------------------------------------------------------------------

    def register(self, localpart: str, password: str, admin: bool = False) -> tuple[str, str]:
        """Create a user through the shared-secret admin API; returns (user_id, access_token)."""
        url = f"{self.base_url}/_synapse/admin/v1/register"
        nonce = self._request("GET", url)["nonce"]
        signed = "\x00".join((nonce, localpart, password, "admin" if admin else "notadmin")).encode()
        mac = hmac.new(self.shared_secret.encode(), signed, hashlib.sha1).hexdigest()
        body = {"nonce": nonce, "username": localpart, "password": password, "admin": admin, "mac": mac}
        resp = self._request("POST", url, body)
        return resp["user_id"], resp["access_token"]

    def _request(self, method: str, url: str, body: dict | None = None) -> dict:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return json.loads(r.read())
        except urllib.error.HTTPError as e:
            raw = e.read().decode(errors="replace")
            try:
                errcode = json.loads(raw).get("errcode")
            except ValueError:
                errcode = None
            raise SynapseError(f"{method} {url} → HTTP {e.code}: {raw}", errcode=errcode) from None
        except (urllib.error.URLError, OSError) as e:
            raise SynapseError(f"{method} {url} failed: {e}\n{self.log_tail()}") from None

    # -- config ------------------------------------------------------------------------------------------------

    def _write_config(self) -> Path:
        w = self.workdir
        log_config = {
            "version": 1,
            "disable_existing_loggers": False,
            "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
            "handlers": {
                "file": {"class": "logging.FileHandler", "filename": str(self.log_path), "formatter": "plain"}
            },
            "root": {"level": "WARNING", "handlers": ["file"]},
            # Clients closing mid long-poll log a WARNING per request; keep the tail for real problems.
            "loggers": {"synapse.http.server": {"level": "ERROR"}},
        }
        if os.environ.get("RELAIS_SYNAPSE_ACCESS_LOG"):  # diagnostics: every request, for counting them
            log_config["loggers"]["synapse.access"] = {"level": "INFO"}
        config = {
            "server_name": self.server_name,
            "report_stats": False,
            "pid_file": str(w / "homeserver.pid"),
            "signing_key_path": str(w / "signing.key"),  # Synapse generates it when missing
            "media_store_path": str(w / "media"),
            "log_config": str(w / "log_config.yaml"),
            "listeners": [{
                "port": self.port,
                "bind_addresses": ["127.0.0.1"],
                "type": "http",
                "tls": False,
                "x_forwarded": False,
                "resources": [{"names": ["client"], "compress": False}],  # the admin API is served here too
            }],
            "database": {"name": "sqlite3", "args": {"database": str(w / "homeserver.db")}},
            "enable_registration": False,
            "registration_shared_secret": self.shared_secret,
            "trusted_key_servers": [],
            "suppress_key_server_warning": True,
            "bcrypt_rounds": 4,  # ~25 ms per login/registration instead of ~300 ms; test-only
            "presence": {"enabled": False},
            "enable_metrics": False,
            "url_preview_enabled": False,
            **_RATE_LIMITS,
        }
        # JSON is valid YAML, so no YAML writer is needed.
        (w / "log_config.yaml").write_text(json.dumps(log_config, indent=2), encoding="utf-8")
        path = w / "homeserver.yaml"
        path.write_text(json.dumps(config, indent=2), encoding="utf-8")
        return path
