"""Diagnostics only: run the bot exactly like `python -m bot`; on SIGUSR1 it writes its RSS and the modules it has
loaded to $RELAIS_PROBE_FILE (default relais-probe.txt), to see what a start-up loads beyond the imports. On
SIGUSR2 it starts cProfile on the event loop's thread, and on the next SIGUSR2 writes its stats to
$RELAIS_PROBE_FILE.prof (read them with `python -m pstats`).

    bench/side_by_side.py --relais-launcher bench/relais_probe.py …   then   kill -USR1 <pid>
"""
import os
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _dump(*_):
    rss = Path("/proc/self/status").read_text().split("VmRSS:")[1].split()[0]
    names = sorted(sys.modules)
    Path(os.environ.get("RELAIS_PROBE_FILE", "relais-probe.txt")).write_text(
        f"VmRSS {int(rss) / 1024:.1f} MiB, {len(names)} modules\n" + "\n".join(names) + "\n")


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


signal.signal(signal.SIGUSR1, _dump)
signal.signal(signal.SIGUSR2, _toggle_profile)
if os.environ.get("RELAIS_PROBE_SQL"):  # every SQL statement in the bot's log, to count them per command
    import logging

    logging.getLogger("sqlalchemy.engine.Engine").setLevel(logging.INFO)

from bot.__main__ import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
