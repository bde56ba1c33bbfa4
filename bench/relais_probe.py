"""Diagnostics only: run the bot exactly like `python -m bot`; on SIGUSR1 it writes its RSS and the modules it has
loaded to $RELAIS_PROBE_FILE (default relais-probe.txt), to see what a start-up loads beyond the imports. On
SIGUSR2 it starts cProfile on the event loop's thread, and on the next SIGUSR2 writes its stats to
$RELAIS_PROBE_FILE.prof (read them with `python -m pstats`). Set in the environment: RELAIS_PROBE_SQL=1 logs
every SQL statement; RELAIS_PROBE_GC=1 writes the garbage collector's CPU at exit ($RELAIS_PROBE_FILE.gc);
RELAIS_PROBE_MEMORY=1 traces Python's allocations from the start, and SIGUSR1 then also writes the live ones by
file to $RELAIS_PROBE_FILE.memory and the whole snapshot to $RELAIS_PROBE_FILE.N.snapshot (N: 0, 1, … at each
signal; compare two with tracemalloc.Snapshot.load); RELAIS_PROBE_PATH=1 writes at exit where each reply's time
went from the sync that brought its command to its send, step by step, wall clock and the loop thread's CPU
($RELAIS_PROBE_FILE.path; bench/side_by_side.py then has the floor write the same about itself to floor-probe.txt);
RELAIS_PROBE_SENDS=1 writes at exit, for each bench reminder ("perf reminder N"), the wall-clock times of its outbox
row committed, its sending task started, its send started (a slot of `send_concurrency` taken) and the homeserver's
answer ($RELAIS_PROBE_FILE.sends, CSV).

    bench/side_by_side.py --relais-launcher bench/relais_probe.py …   then   kill -USR1 <pid>
"""
import functools
import os
import signal
import sys
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


_dumps = 0  # signals answered: each dump's files are numbered, to compare two


def _dump(*_):
    global _dumps
    names = sorted(sys.modules)
    out = Path(os.environ.get("RELAIS_PROBE_FILE", "relais-probe.txt"))
    out.write_text(f"VmRSS {_rss_mb():.1f} MiB, {len(names)} modules\n" + "\n".join(names) + "\n")
    out.with_suffix(out.suffix + f".maps.{_dumps}").write_text(_mappings())
    if tracemalloc.is_tracing():  # the live Python objects by the file that allocated them, largest first
        snapshot = tracemalloc.take_snapshot()
        snapshot.dump(str(out.with_suffix(out.suffix + f".{_dumps}.snapshot")))  # Snapshot.load(…).compare_to(…)
        stats = snapshot.statistics("filename")
        total = sum(s.size for s in stats)
        out.with_suffix(out.suffix + ".memory").write_text(f"{total / 2**20:.1f} MiB of Python objects\n" + "".join(
            f"{s.size / 1024:8.0f} KiB {s.count:8d} {s.traceback[0].filename}\n" for s in stats[:80]))
    with out.with_suffix(out.suffix + ".sqlite").open("a") as f:  # SQLite's own heap: tracemalloc does not see it
        f.write(f"dump {_dumps}: VmRSS {_rss_mb():.1f} MiB, {_sqlite_memory()}\n")
    if os.environ.get("RELAIS_PROBE_TRIM"):  # how much of it glibc's malloc_trim gives back (written, then done)
        import ctypes
        before = _rss_mb()
        ctypes.CDLL("libc.so.6").malloc_trim(0)
        with out.with_suffix(out.suffix + ".trim").open("a") as f:
            f.write(f"dump {_dumps}: {before:.1f} -> {_rss_mb():.1f} MiB after malloc_trim(0)\n")
    _dumps += 1


@functools.cache
def _sqlite_library():
    """The libsqlite3 Python's sqlite3 is linked to (loaded already: dlopen returns it), looked up once: find_library
    runs ldconfig, not something to do at every signal. None if not found."""
    import ctypes
    import ctypes.util
    try:
        lib = ctypes.CDLL(ctypes.util.find_library("sqlite3") or "libsqlite3.so.0")
    except OSError:
        return None
    lib.sqlite3_memory_used.restype = lib.sqlite3_memory_highwater.restype = ctypes.c_int64
    return lib


def _sqlite_memory() -> str:
    """The memory SQLite holds (its page caches, schemas, statements)."""
    if (lib := _sqlite_library()) is None:
        return "SQLite's memory: library not found"
    return (f"SQLite holds {lib.sqlite3_memory_used() / 2**20:.2f} MiB "
            f"(highest {lib.sqlite3_memory_highwater(0) / 2**20:.2f})")


def _rss_mb() -> float:
    return int(Path("/proc/self/status").read_text().split("VmRSS:")[1].split()[0]) / 1024


def _anonymous(span: str) -> str:
    """An anonymous mapping named by its size: pymalloc's arenas are 1 MiB, a thread's malloc arena is carved
    from 64 MiB, a thread's stack is 8 MiB."""
    start, end = (int(x, 16) for x in span.split("-"))
    size = end - start
    if size == 1 << 20:
        return "[anonymous: pymalloc arena, 1 MiB]"
    if size >= 8 << 20 and size <= (8 << 20) + (64 << 10):
        return "[anonymous: 8 MiB, thread stack]"
    if size <= 64 << 20 and size >= 4 << 20:
        return "[anonymous: 4-64 MiB, malloc thread arena]"
    return "[anonymous: other]"


def _mappings() -> str:
    """Resident memory by what is mapped: each file (a shared library, the interpreter) and the anonymous memory
    (the heaps: Python's objects, malloc's arenas, the threads' stacks), largest first."""
    by_name: dict[str, list[int]] = {}
    name = "?"
    for line in Path("/proc/self/smaps").read_text().splitlines():
        head = line.split()
        if head and "-" in head[0] and not head[0].endswith(":"):
            name = head[5] if len(head) > 5 else _anonymous(head[0])
        elif head[:1] in (["Rss:"], ["Private_Dirty:"]):
            by_name.setdefault(name, [0, 0])[0 if head[0] == "Rss:" else 1] += int(head[1])
    rows = sorted(by_name.items(), key=lambda kv: -kv[1][0])
    return (f"{sum(v[0] for v in by_name.values()) / 1024:.1f} MiB resident (private dirty "
            f"{sum(v[1] for v in by_name.values()) / 1024:.1f})\n"
            + "".join(f"{rss / 1024:8.2f} MiB {dirty / 1024:8.2f} dirty  {n}\n" for n, (rss, dirty) in rows[:40]))


_profile = None


def _toggle_profile(*_):
    """SIGUSR2: start cProfile on the main thread (where the loop runs); again: stop it and write its stats."""
    global _profile
    import cProfile
    if _profile is None:
        _profile = cProfile.Profile()
        _profile.enable()
        return
    _profile.disable()
    _profile.dump_stats(os.environ.get("RELAIS_PROBE_FILE", "relais-probe.txt") + ".prof")
    _profile = None


if os.environ.get("RELAIS_PROBE_MEMORY"):  # SIGUSR1 also writes where the Python objects are (slows everything)
    tracemalloc.start(int(os.environ["RELAIS_PROBE_MEMORY"]))  # the frames kept per allocation: 1, or more
signal.signal(signal.SIGUSR1, _dump)
signal.signal(signal.SIGUSR2, _toggle_profile)
if os.environ.get("RELAIS_PROBE_GC"):  # time spent in the cyclic garbage collector, written at exit
    import atexit
    import gc
    import time

    _gc = {"start": 0.0, "seconds": [0.0, 0.0, 0.0], "runs": [0, 0, 0]}

    def _on_gc(phase, info):
        if phase == "start":
            _gc["start"] = time.thread_time()
        else:
            _gc["seconds"][info["generation"]] += time.thread_time() - _gc["start"]
            _gc["runs"][info["generation"]] += 1

    gc.callbacks.append(_on_gc)
    atexit.register(lambda: Path(os.environ.get("RELAIS_PROBE_FILE", "relais-probe.txt") + ".gc").write_text(
        f"collections per generation {_gc['runs']}, CPU seconds {[round(s, 4) for s in _gc['seconds']]}, "
        f"process CPU {time.process_time():.2f} s\n"))
if os.environ.get("RELAIS_PROBE_PATH"):  # where a reply's time goes, written at exit to $RELAIS_PROBE_FILE.path
    import atexit
    import collections
    import statistics
    import time

    import nio

    import bot.app

    # Steps from a sync's response parsed to a reply's send: wall clock and the loop thread's CPU between marks.
    _marks: list[tuple[str, float, float]] = []
    _steps: collections.defaultdict[str, list[float]] = collections.defaultdict(list)

    def _mark(label: str) -> None:
        _marks.append((label, time.perf_counter(), time.thread_time()))

    def _wrap(cls, name, before=None, after=None, call=None):
        fn = getattr(cls, name)

        @functools.wraps(fn)
        async def wrapper(*a, **k):
            if before:
                _mark(before)
            if call:
                call(*a, **k)
            result = await fn(*a, **k)
            if after:
                _mark(after)
            return result
        setattr(cls, name, wrapper)

    _kind = ["?"]  # the latest command's first two words ("!action liste"; "!action @alice" → "!action"): the
    # bench sends one command at a time, so a send belongs to the latest command

    def _stamped(_self, _room_id, event):  # the homeserver's stamp of a command → the bot has it parsed
        ts = getattr(event, "server_timestamp", None)
        body = getattr(event, "body", "")
        if ts and body.startswith("!"):
            words = body.split()[:2]
            _kind[0] = " ".join(w for w in words if w.isalpha() or w.startswith("!"))
            _steps["command stamped -> handled by the bot"].append(time.time() - ts / 1000)

    def _chain(*_a, **_k):  # at a send: the steps since the latest sync
        synced = max((i for i, m in enumerate(_marks) if m[0] == "nio parsed"), default=None)
        if synced is None:
            return
        chain = [*_marks[synced:], ("room_send", time.perf_counter(), time.thread_time())]
        for (l1, t1, c1), (l2, t2, c2) in zip(chain, chain[1:]):
            _steps[f"{l1} -> {l2}"].append(t2 - t1)
            _steps[f"{l1} -> {l2} (loop CPU)"].append(c2 - c1)
        _steps["TOTAL nio parsed -> room_send"].append(chain[-1][1] - chain[0][1])
        _steps["TOTAL nio parsed -> room_send (loop CPU)"].append(chain[-1][2] - chain[0][2])
        _steps[f"TOTAL nio parsed -> room_send, {_kind[0]}"].append(chain[-1][1] - chain[0][1])
        del _marks[:]

    _wrap(nio.AsyncClient, "sync", after="nio parsed")
    _wrap(bot.app.Relais, "_sync", after="after_sync done")
    _wrap(bot.app.Relais, "_on_event", before="event", call=_stamped)
    _wrap(bot.app.Relais, "_unit", before="unit")
    _wrap(bot.app.Relais, "_queue", before="work done", after="outbox added")
    _deliver_all = bot.app.Relais._deliver_all
    bot.app.Relais._deliver_all = lambda *a, **k: (_mark("committed"), _deliver_all(*a, **k))[1]
    _wrap(bot.app.Relais, "_deliver", before="deliver task")
    _send = nio.AsyncClient.room_send

    async def _room_send(self, *a, **k):
        _chain()
        started = time.perf_counter()
        resp = await _send(self, *a, **k)
        _steps["room_send request -> response"].append(time.perf_counter() - started)
        return resp
    nio.AsyncClient.room_send = _room_send

    def _write_path():
        lines = [f"{k}: n={len(xs)} median {statistics.median(xs) * 1000:.2f} ms, sum {sum(xs) * 1000:.0f} ms"
                 for k, xs in sorted(_steps.items(), key=lambda kv: -sum(kv[1]))]
        Path(os.environ.get("RELAIS_PROBE_FILE", "relais-probe.txt") + ".path").write_text("\n".join(lines) + "\n")

    atexit.register(_write_path)
if os.environ.get("RELAIS_PROBE_SENDS"):  # where a reminder's time goes between its job and the homeserver
    import atexit
    import json
    import re
    import time

    import bot.app
    import bot.sender

    _times: dict[int, dict[str, float]] = {}
    _number = re.compile(r"perf reminder (\d+)")

    def _stamp(effect_json: dict | str, step: str) -> None:
        m = _number.search(effect_json if isinstance(effect_json, str) else json.dumps(effect_json))
        if m:
            _times.setdefault(int(m.group(1)), {})[step] = time.time()

    _deliver_all_s = bot.app.Relais._deliver_all

    def _deliver_all_stamped(self, rows):
        for row in rows:
            _stamp(row.effect, "committed")
        return _deliver_all_s(self, rows)
    bot.app.Relais._deliver_all = _deliver_all_stamped
    _deliver_s = bot.app.Relais._deliver

    async def _deliver_stamped(self, row):
        _stamp(row.effect, "task")
        return await _deliver_s(self, row)
    bot.app.Relais._deliver = _deliver_stamped
    _send_s = bot.sender.Sender._send

    async def _send_stamped(self, room_id, event_type, content, txn=None):
        body = content.get("body", "")
        _stamp(body, "send")
        try:
            return await _send_s(self, room_id, event_type, content, txn)
        finally:
            _stamp(body, "answered")
    bot.sender.Sender._send = _send_stamped

    def _write_sends():
        steps = ("committed", "task", "send", "answered")
        Path(os.environ.get("RELAIS_PROBE_FILE", "relais-probe.txt") + ".sends").write_text(
            "n," + ",".join(steps) + "\n" + "".join(
                f"{n}," + ",".join(f"{t.get(k, 0):.4f}" for k in steps) + "\n" for n, t in sorted(_times.items())))

    atexit.register(_write_sends)
if os.environ.get("RELAIS_PROBE_SQL"):  # every SQL statement in the bot's log, to count them per command
    import logging

    logging.getLogger("sqlalchemy.engine.Engine").setLevel(logging.INFO)

from bot.__main__ import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
