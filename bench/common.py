"""What the benchmarks share: a throwaway Synapse and work directory per run, Relais launched as its own process the
way an operator runs it, members' clients and their syncing, /proc readings and percentiles.

bench/burst.py, bench/side_by_side.py, bench/faults.py and bench/scale.py build on this; each keeps its own
measures, output and command line.
"""
from __future__ import annotations

import asyncio
import importlib.metadata
import math
import os
import platform
import secrets
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from nio import (  # noqa: E402
    AsyncClient,
    AsyncClientConfig,
    ErrorResponse,
    MessageDirection,
    RoomMessagesError,
    SyncError,
)

from bot.devserver import Synapse  # noqa: E402

CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE_LIMIT = 100  # events per /messages page (Synapse's cap is higher, a sync's is ~100)
MAX_SCAN_PAGES = 500  # 50 000 events: far more than a run sends
MEMBER_FILTER = {
    "presence": {"not_types": ["*"]},
    "account_data": {"not_types": ["*"]},
    "room": {
        "timeline": {"limit": 100},
        "state": {"lazy_load_members": True},
        "ephemeral": {"not_types": ["*"]},
        "account_data": {"not_types": ["*"]},
    },
}


class BenchError(RuntimeError):
    pass


# ---- figures ---------------------------------------------------------------------------------------------------


def pct(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100); NaN for no values."""
    if not values:
        return math.nan
    s = sorted(values)
    return s[max(0, math.ceil(p / 100 * len(s)) - 1)]


def median(values: list[float]) -> float:
    if not values:
        return math.nan
    s = sorted(values)
    mid = len(s) // 2
    return s[mid] if len(s) % 2 else (s[mid - 1] + s[mid]) / 2


@dataclass
class ProcSample:
    rss_mb: float
    hwm_mb: float
    cpu_s: float


def proc_sample(pid: int) -> ProcSample | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    kb = {}
    for line in status.splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            kb[key] = int(value.split()[0])
    after_comm = stat[stat.rindex(")") + 2:].split()  # fields 3.. of proc(5); utime is 14, stime 15
    cpu = (int(after_comm[11]) + int(after_comm[12])) / CLK_TCK
    return ProcSample(kb.get("VmRSS", 0) / 1024, kb.get("VmHWM", 0) / 1024, cpu)


def machine_info() -> dict[str, str]:
    def version(dist: str) -> str:
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            return "?"

    mem_kb = 0
    cpu_model = platform.processor() or "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    commit = "?"
    try:  # read-only: --no-optional-locks keeps `git status` from refreshing the index
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "--no-optional-locks", "-C", str(ROOT), "status", "--porcelain",
                                "--untracked-files=no"], capture_output=True, text=True, timeout=10).stdout.strip()
        commit = (head or "?") + (" + uncommitted changes" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        pass
    return {
        "nproc": str(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()),
        "cpu": cpu_model,
        "ram": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "python": platform.python_version(),
        "synapse": version("matrix-synapse"),
        "nio": version("matrix-nio"),
        "sqlalchemy": version("SQLAlchemy"),
        "relais": commit,
        "os": platform.platform(terse=True),
    }


# ---- processes -------------------------------------------------------------------------------------------------


def child_signals() -> None:
    # A benchmark started in the background inherits an ignored SIGINT; the bot must still stop on it.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def stop_on_signals() -> None:
    """Ctrl-C and `kill` both end the run through its clean-up, which stops Synapse and the bots."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _interrupt)


def child_env(**settings: str) -> dict[str, str]:
    """This environment without RELAIS_ / FLOOR_ settings (a run sets its own), the checkout on PYTHONPATH."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RELAIS_", "FLOOR_"))}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env | settings


def bytecode_for(optimize: int, debug_ranges: bool, *dirs: Path) -> tuple[str, dict[str, str]]:
    """Compile the bytecode the bots run (as the Dockerfile does at build time) and return a note on it and the
    settings the bots' environment needs to run it: the `-O` level (`-OO` for 2) and, unless `debug_ranges`,
    without PEP 657's column positions (`-X no_debug_ranges`, as the image compiles it: round 12). Without compiled
    bytecode, Python compiles every module it imports at each start, in memory, and writes nothing where
    PYTHONDONTWRITEBYTECODE is set or the directory is read-only: the figures would be a first start's.

    The bytecode goes to a cache of the bench's own (PYTHONPYCACHEPREFIX, one per variant): Python decides whether
    a .pyc is current from its source alone, so bytecode compiled with column positions in the checkout's
    __pycache__ would otherwise be taken as it is. The interpreter's own library is included; a directory it
    cannot write to is reported, not fatal."""
    cache = (Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "relais-bench"
             / f"pycache-O{optimize}{'' if debug_ranges else '-no-debug-ranges'}")
    settings = {"PYTHONPYCACHEPREFIX": str(cache)}
    flags = ["-" + "O" * optimize] if optimize else []
    if optimize:
        settings["PYTHONOPTIMIZE"] = str(optimize)
    if not debug_ranges:
        flags += ["-X", "no_debug_ranges"]
        settings["PYTHONNODEBUGRANGES"] = "1"
    paths = sorted({sysconfig.get_paths()[k] for k in ("stdlib", "purelib", "platlib")} | {str(d) for d in dirs})
    done = subprocess.run([sys.executable, *flags, "-m", "compileall", "-q", "-j", "0", *paths],
                          capture_output=True, text=True, timeout=900, env=os.environ | settings)
    failed = [line for line in done.stdout.splitlines() if line.startswith(("***", "Can't"))]
    note = f" ({len(failed)} files could not be compiled or written)" if failed else ""
    ranges = "with" if debug_ranges else "without"
    return (f"PYTHONOPTIMIZE={optimize}, bytecode {ranges} column positions, compiled in {cache}{note}",
            settings)


def relais_env(password: str, log_level: str, **settings: str) -> dict[str, str]:
    return child_env(RELAIS_MATRIX_PASSWORD=password, RELAIS_LOG_LEVEL=log_level, **settings)


def relais_command(config: Path, launcher: Path | None = None) -> list[str]:
    """`python -m bot --config … run`, or a diagnostics launcher run with the same arguments."""
    return [sys.executable, *([str(launcher)] if launcher else ["-m", "bot"]), "--config", str(config), "run"]


def write_relais_config(path: Path, homeserver: str, user_id: str, device_name: str, storage_url: str,
                        language: str = "fr", extra: str = "") -> Path:
    path.write_text(
        f'[matrix]\nhomeserver = "{homeserver}"\nuser_id = "{user_id}"\ndevice_name = "{device_name}"\n'
        "# the password is in RELAIS_MATRIX_PASSWORD\n\n"
        '[bot]\nrate_limit = "off"  # the benchmarks send bursts on purpose\n'
        f'language = "{language}"\ntimezone = "Europe/Paris"\n\n'
        f'[storage]\nurl = "{storage_url}"\n' + extra,
        encoding="utf-8",
    )
    return path


def spawn(cmd: list[str], workdir: Path, env: dict[str, str], log_file) -> subprocess.Popen:
    return subprocess.Popen(
        cmd, cwd=workdir, env=env, stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT,
        start_new_session=True,  # Ctrl-C reaches the benchmark, which then stops the bot in order
        preexec_fn=child_signals,
    )


def stop_process(proc: subprocess.Popen | None, name: str) -> None:
    """SIGINT (the bot stops cleanly on Ctrl-C), then SIGTERM, then SIGKILL."""
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGCONT)  # in case it was interrupted while paused
    for sig, wait in ((signal.SIGINT, 10), (signal.SIGTERM, 5), (signal.SIGKILL, 10)):
        proc.send_signal(sig)
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            print(f"{name} (pid {proc.pid}) did not stop on {sig.name}", flush=True)


async def wait_for_log(path: Path, needle: str, timeout: float, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise BenchError(f"the bot exited with code {proc.returncode} during start-up")
        try:
            if needle in path.read_text(errors="replace"):
                return
        except FileNotFoundError:
            pass
        await asyncio.sleep(0.1)
    raise BenchError(f"the bot did not log {needle!r} within {timeout:g} s")


# ---- a run: its work directory, Synapse and processes ----------------------------------------------------------


class Sandbox:
    """One run's throwaway world: a temporary directory, a Synapse in it and the processes launched there.
    `finish` stops them all and removes the directory unless `keep` (--keep, a failure, a problem); `kept` names
    what is worth reading in it."""

    def __init__(self, prefix: str, keep: bool, kept: str = "") -> None:
        self.workdir = Path(tempfile.mkdtemp(prefix=prefix))
        self.synapse = Synapse(self.workdir / "synapse")
        self.keep, self.kept = keep, kept
        self._procs: list[tuple[subprocess.Popen, str]] = []
        self._logs: list = []

    def start_synapse(self, timeout: float = 90, note: str = "") -> None:
        print(f"workdir {self.workdir}; {note}starting Synapse …", flush=True)
        self.synapse.start(timeout=timeout)

    def launch(self, cmd: list[str], env: dict[str, str], log: Path, name: str) -> subprocess.Popen:
        """A process of the run (stopped by `finish` as `name`), its output appended to `log`."""
        out = open(log, "ab")
        self._logs.append(out)
        proc = spawn(cmd, self.workdir, env, out)
        self._procs.append((proc, name))
        return proc

    def finish(self) -> None:
        for proc, name in self._procs:
            stop_process(proc, name)
        for f in self._logs:
            f.close()
        self.synapse.stop()
        if self.keep:
            print(f"kept {self.workdir}" + (f" ({self.kept})" if self.kept else ""), flush=True)
        else:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def run(self, body: Callable[[], list[str]], *, interrupted: str = "interrupted; stopping everything",
            failures: tuple[type[BaseException], ...] = (BenchError,), describe: Callable = str,
            on_failure: Callable[[], None] | None = None, keep_on_crash: bool = False) -> int:
        """Runs `body()`, which returns the problems it found, then `finish()` whatever happened. The exit code:
        0, or 1 with problems, 130 on Ctrl-C, 2 on a set-up failure; the directory is kept, for its logs, on a
        problem or a failure."""
        code = 2
        try:
            problems = body()
            self.keep = self.keep or bool(problems)
            code = 1 if problems else 0
        except KeyboardInterrupt:
            print(f"\n{interrupted}", flush=True)
            code = 130
        except failures as exc:
            self.keep = True
            print(f"\nbench failed: {describe(exc)}", flush=True)
            if on_failure:
                on_failure()
            code = 2
        except Exception:
            self.keep = self.keep or keep_on_crash
            raise
        finally:
            self.finish()
        return code


def register_bot(synapse: Synapse, name: str) -> tuple[str, str]:
    """The bot's account: (user id, password); it logs in itself."""
    password = secrets.token_urlsafe(16)
    user_id, _ = synapse.register(name, password)
    return user_id, password


def register_members(synapse: Synapse, names: list[str]) -> list[tuple[str, str]]:
    """Members' accounts: (user id, access token) each."""
    return [synapse.register(name, secrets.token_urlsafe(12)) for name in names]


async def cancel(task: asyncio.Task | None) -> None:
    """Cancels a background task and waits until it has ended."""
    if task:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


# ---- members' clients ------------------------------------------------------------------------------------------


def make_client(base_url: str, user_id: str, token: str) -> AsyncClient:
    config = AsyncClientConfig(encryption_enabled=False, store_sync_tokens=False,
                               max_limit_exceeded=0, max_timeouts=2, request_timeout=60)
    client = AsyncClient(base_url, user_id, config=config)
    # A device id, even unused: with end-to-end support installed nio loads its (unused) key store on restore.
    client.restore_login(user_id, "BENCH", token)
    return client


def member_clients(synapse: Synapse, members: list[tuple[str, str]]) -> list[AsyncClient]:
    return [make_client(synapse.base_url, uid, token) for uid, token in members]


async def create_room(clients: list[AsyncClient], name: str, bot_id: str) -> str:
    """clients[0] creates the room and invites the bot and the other clients, who join; returns the room id."""
    resp = await clients[0].room_create(name=name, invite=[bot_id, *(c.user_id for c in clients[1:])])
    if isinstance(resp, ErrorResponse):
        raise BenchError(f"room_create failed: {resp.message}")
    joins = await asyncio.gather(*(c.join(resp.room_id) for c in clients[1:]))
    for c, joined in zip(clients[1:], joins):
        if isinstance(joined, ErrorResponse):
            raise BenchError(f"{c.user_id} could not join: {joined.message}")
    return resp.room_id


def in_reply_to(src: dict) -> str | None:
    rel = src.get("content", {}).get("m.relates_to")
    if isinstance(rel, dict):
        return (rel.get("m.in_reply_to") or {}).get("event_id")
    return None


async def scan(client: AsyncClient, room_id: str, start: str, end: str | None) -> list[dict]:
    """Room events from `start` back to `end` (newest first), as sources."""
    out: list[dict] = []
    token = start
    for _ in range(MAX_SCAN_PAGES):
        resp = await client.room_messages(room_id, start=token, end=end, direction=MessageDirection.back,
                                          limit=PAGE_LIMIT)
        if isinstance(resp, RoomMessagesError):
            raise BenchError(f"/messages failed in {room_id}: {resp.message}")
        out.extend(e.source for e in resp.chunk)
        if not resp.chunk or not resp.end or resp.end == token:
            break
        token = resp.end
    return out


class SyncLoop:
    """A member's client syncing in the background (long poll): `start` takes a first sync, then `_once` runs in a
    task until `close`. Each sync hands every event of the rooms `_wants` to `_take`, fetching the gap of a
    `limited` timeline like the bot does, so that even a burst's events are all seen."""

    def __init__(self, client: AsyncClient) -> None:
        self.client = client
        self.token: str | None = None
        self.gap_fetches = 0
        self.sync_errors = 0
        self._tick = asyncio.Event()  # set, then replaced, after each sync
        self._task: asyncio.Task | None = None

    async def start(self) -> None:
        await self._once(0)
        self._task = asyncio.create_task(self._loop(), name=f"{type(self).__name__}-sync")

    async def close(self) -> None:
        await cancel(self._task)

    async def _loop(self) -> None:
        while True:
            await self._once(1000)

    def _wants(self, room_id: str) -> bool:
        return True

    def _take(self, room_id: str, src: dict, now: float) -> None:
        raise NotImplementedError

    async def _once(self, timeout_ms: int) -> None:
        since = self.token
        resp = await self.client.sync(timeout=timeout_ms, since=since, sync_filter=MEMBER_FILTER)
        if isinstance(resp, SyncError):
            self.sync_errors += 1
            await asyncio.sleep(0.5)
            return
        now = time.monotonic()
        for room_id, info in resp.rooms.join.items():
            if not self._wants(room_id):
                continue
            sources = [e.source for e in info.timeline.events]
            if info.timeline.limited and since and info.timeline.prev_batch:
                self.gap_fetches += 1
                gap = await scan(self.client, room_id, info.timeline.prev_batch, since)
                sources = list(reversed(gap)) + sources
            for src in sources:
                self._take(room_id, src, now)
        self.token = resp.next_batch
        self._synced()

    def _synced(self) -> None:
        self._tick.set()
        self._tick = asyncio.Event()
