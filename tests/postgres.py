"""A throwaway PostgreSQL cluster for the tests.

``postgres_url`` (session-scoped fixture) starts one cluster per test session in a temporary
directory, creates the database ``relais_test`` and yields its ``postgresql+asyncpg://`` URL; the
cluster is stopped and deleted at the end of the session. That database is shared by the whole
session (empty it before use, as tests/unit/test_storage.py does); ``await
create_database(postgres_url)`` makes another, empty database on the same cluster (~0.4 s).

Binaries are looked up in ``$RELAIS_PG_BINDIR``, ``pg_config --bindir``, ``/usr/lib/postgresql/*/bin``
(Debian's ``apt-get install postgresql``), then ``initdb`` on the PATH. When none is found the tests
are skipped, unless ``RELAIS_REQUIRE_POSTGRES=1`` (CI sets it), which makes them fail instead. If
the binaries exist but the server does not start, the tests fail with the server's log.

initdb refuses to run as root: as root, the cluster runs as the ``postgres`` user (or ``nobody``),
which owns the temporary directory.

To use the fixture from a test module or a conftest: ``from tests.postgres import postgres_url``.
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import stat
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REQUIRE_ENV = "RELAIS_REQUIRE_POSTGRES"
BINDIR_ENV = "RELAIS_PG_BINDIR"
DATABASE = "relais_test"
SUPERUSER = "postgres"
_NEEDED = ("initdb", "pg_ctl", "postgres", "createdb")
_START_ATTEMPTS = 3  # a free port may be taken between picking it and binding it


class PostgresUnavailable(Exception):
    """No PostgreSQL server binaries on this machine."""


class PostgresStartError(Exception):
    """The binaries are there but the cluster could not be set up; the message holds the logs."""


def _has_binaries(d: str | Path) -> bool:
    return all(os.access(Path(d) / name, os.X_OK) for name in _NEEDED)


def _version_key(path: str) -> tuple[int, ...]:
    version = Path(path).parent.name  # /usr/lib/postgresql/<version>/bin
    return tuple(int(p) for p in version.split(".") if p.isdigit())


def find_bindir() -> Path | None:
    """The directory holding initdb, pg_ctl, postgres and createdb, or None."""
    candidates: list[str] = []
    if os.environ.get(BINDIR_ENV):
        candidates.append(os.environ[BINDIR_ENV])
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            out = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, timeout=10, check=True
            )
            candidates.append(out.stdout.strip())
        except (OSError, subprocess.SubprocessError):
            pass
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version_key, reverse=True)
    initdb = shutil.which("initdb")
    if initdb:  # may be a symlink (e.g. /usr/local/bin/initdb -> /usr/lib/postgresql/15/bin/initdb)
        candidates += [str(Path(initdb).parent), str(Path(initdb).resolve().parent)]
    for d in candidates:
        if d and _has_binaries(d):
            return Path(d)
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run_as() -> pwd.struct_passwd | None:
    """The unprivileged account to run the server as when we are root; None when we are not."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise PostgresStartError("running as root and neither a 'postgres' nor a 'nobody' user exists")


def _traversable_by_all(path: str) -> bool:
    p = Path(path).resolve()
    return all(os.stat(d).st_mode & stat.S_IXOTH for d in [p, *p.parents])


@dataclass
class PostgresCluster:
    bindir: Path
    base: Path  # the temporary directory: data/, the socket, the log
    port: int = 0
    user: pwd.struct_passwd | None = None
    startup_seconds: float = 0.0
    _running: bool = field(default=False, repr=False)

    @property
    def datadir(self) -> Path:
        return self.base / "data"

    @property
    def logfile(self) -> Path:
        return self.base / "server.log"

    def url(self, database: str = DATABASE) -> str:
        return f"postgresql+asyncpg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str, log_to: Path | None = None) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env.update(LC_ALL="C", LANG="C", HOME=str(self.base))
        kwargs: dict = {}
        if self.user is not None:
            kwargs.update(user=self.user.pw_uid, group=self.user.pw_gid, extra_groups=[])
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if log_to is not None:  # pg_ctl start: never hand a pipe to the daemon it forks
            with open(log_to, "a") as out:
                return subprocess.run(
                    cmd, cwd=self.base, env=env, stdin=subprocess.DEVNULL, stdout=out,
                    stderr=subprocess.STDOUT, text=True, timeout=120, **kwargs,
                )
        return subprocess.run(
            cmd, cwd=self.base, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
            timeout=120, **kwargs,
        )

    def _check(self, what: str, result: subprocess.CompletedProcess[str]) -> None:
        if result.returncode != 0:
            raise PostgresStartError(
                f"{what} failed (exit {result.returncode}):\n{result.stdout or ''}{result.stderr or ''}"
                f"{self._log_tail()}"
            )

    def _log_tail(self) -> str:
        try:
            text = self.logfile.read_text(errors="replace")
        except OSError:
            return ""
        return "\n--- server log ---\n" + "\n".join(text.splitlines()[-60:])

    @classmethod
    def start(cls, bindir: Path | None = None) -> PostgresCluster:
        bindir = bindir or find_bindir()
        if bindir is None:
            raise PostgresUnavailable(
                "PostgreSQL server binaries (initdb, pg_ctl, postgres, createdb) not found in "
                f"${BINDIR_ENV}, `pg_config --bindir`, /usr/lib/postgresql/*/bin or on PATH "
                "(Debian/Ubuntu: apt-get install postgresql)"
            )
        user = _run_as()
        tmp = tempfile.gettempdir()
        if user is not None and not _traversable_by_all(tmp):
            tmp = "/tmp"
        cluster = cls(bindir=bindir, base=Path(tempfile.mkdtemp(prefix="relais-pg-", dir=tmp)), user=user)
        began = time.perf_counter()
        try:
            cluster._setup()
        except BaseException:
            cluster.stop()
            raise
        cluster.startup_seconds = time.perf_counter() - began
        return cluster

    def _setup(self) -> None:
        if self.user is not None:
            os.chown(self.base, self.user.pw_uid, self.user.pw_gid)
        self._check(
            "initdb",
            self._run(
                "initdb", "-D", str(self.datadir), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8",
                "--locale=C", "--no-sync",
            ),
        )
        for attempt in range(_START_ATTEMPTS):
            self.port = _free_port()
            with open(self.datadir / "postgresql.conf", "a") as conf:
                conf.write(
                    "\n# relais tests\n"
                    "listen_addresses = '127.0.0.1'\n"
                    f"port = {self.port}\n"
                    f"unix_socket_directories = '{self.base}'\n"
                    "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
                    "shared_buffers = 32MB\nmax_connections = 100\n"
                )
            result = self._run(
                "pg_ctl", "start", "-w", "-t", "60", "-D", str(self.datadir), "-l", str(self.logfile),
                log_to=self.base / "pg_ctl.log",
            )
            if result.returncode == 0:
                self._running = True
                break
            if attempt + 1 == _START_ATTEMPTS or "could not bind" not in self._log_tail():
                pg_ctl_log = (self.base / "pg_ctl.log").read_text(errors="replace")
                raise PostgresStartError(
                    f"pg_ctl start failed (exit {result.returncode}):\n{pg_ctl_log}{self._log_tail()}"
                )
        self._check(
            "createdb",
            self._run(
                "createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", SUPERUSER, "-E", "UTF8",
                "--lc-collate=C", "--lc-ctype=C", "-T", "template0", DATABASE,
            ),
        )

    def stop(self) -> None:
        """Stop the server (if it runs) and delete the temporary directory."""
        try:
            if self._running:
                result = self._run("pg_ctl", "stop", "-D", str(self.datadir), "-m", "fast", "-w", "-t", "30")
                if result.returncode != 0:
                    self._run("pg_ctl", "stop", "-D", str(self.datadir), "-m", "immediate", "-w")
                self._running = False
        finally:
            shutil.rmtree(self.base, ignore_errors=True)


def _postgres_required() -> bool:
    return os.environ.get(REQUIRE_ENV, "").strip().lower() in ("1", "true", "yes")


def start_cluster_or_skip() -> PostgresCluster:
    """Start a cluster; pytest.skip when PostgreSQL is not installed (pytest.fail if required),
    pytest.fail with the logs when it is installed but does not start."""
    # pytest.skip/fail outside the except blocks, so the report shows the log once, not chained.
    try:
        return PostgresCluster.start()
    except PostgresUnavailable as e:
        unavailable: str | None = str(e)
        failure = None
    except PostgresStartError as e:
        unavailable, failure = None, str(e)
    if unavailable is not None:
        if _postgres_required():
            pytest.fail(f"{unavailable}; {REQUIRE_ENV}=1 requires the PostgreSQL tests", pytrace=False)
        pytest.skip(unavailable)
    pytest.fail(f"throwaway PostgreSQL cluster did not start: {failure}", pytrace=False)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """URL (postgresql+asyncpg://) of an empty database on a throwaway cluster, one per session."""
    cluster = start_cluster_or_skip()
    try:
        yield cluster.url()
    finally:
        cluster.stop()


async def create_database(url: str, name: str | None = None) -> str:
    """Create an empty database (UTF8, C collation) on the cluster of ``url``; returns its URL."""
    import asyncpg
    from sqlalchemy.engine import make_url

    u = make_url(url)
    name = name or f"t_{uuid.uuid4().hex[:16]}"
    conn = await asyncpg.connect(
        host=u.host, port=u.port, user=u.username, password=u.password, database=u.database
    )
    try:
        await conn.execute(
            f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING \'UTF8\' '
            "LC_COLLATE 'C' LC_CTYPE 'C'"
        )
    finally:
        await conn.close()
    return u.set(database=name).render_as_string(hide_password=False)


async def drop_database(url: str) -> None:
    """Drop the database named by ``url`` (connecting to the cluster's ``postgres`` database)."""
    import asyncpg
    from sqlalchemy.engine import make_url

    u = make_url(url)
    conn = await asyncpg.connect(
        host=u.host, port=u.port, user=u.username, password=u.password, database="postgres"
    )
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{u.database}" WITH (FORCE)')
    finally:
        await conn.close()
