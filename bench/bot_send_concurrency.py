"""Experiments only: run the bot exactly like `python -m bot`, but with another number of concurrent sends.

    .venv/bin/python bench/burst.py --bot-launcher bench/bot_send_concurrency.py   # with BENCH_SEND_CONCURRENCY=30

`Relais(send_concurrency=…)` (default 10) caps how many replies the bot has in flight; `python -m bot` does not
expose it, so this wrapper changes the constructor's default and hands over to the real command line.
"""
import os
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import bot.app  # noqa: E402
from bot.__main__ import main  # noqa: E402

_init = bot.app.Relais.__init__


def _patched(self, *args, **kwargs):
    kwargs.setdefault("send_concurrency", int(os.environ.get("BENCH_SEND_CONCURRENCY", "30")))
    _init(self, *args, **kwargs)


bot.app.Relais.__init__ = _patched
# bench/side_by_side.py signals a diagnostics launcher (SIGUSR1: bench/relais_probe.py's dump); not one of this one's.
signal.signal(signal.SIGUSR1, signal.SIG_IGN)

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
