"""Relais as an operator runs it, for the end-to-end tests that need its own process: `python -m bot run` in a
working directory, stopped with SIGTERM as systemd and `docker stop` do. Its environment: bench.common's
child_env (the caller's RELAIS_ settings left out, the checkout importable)."""
from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
from pathlib import Path


class BotProcess:
    """`python -m bot run` in `workdir` (its config.toml there); each start logs to bot-<N>.log beside it."""

    def __init__(self, workdir: Path, env: dict[str, str]) -> None:
        self.workdir, self.env = workdir, env
        self.proc: subprocess.Popen | None = None
        self.starts = 0

    def start(self) -> None:
        self.starts += 1
        with (self.workdir / f"bot-{self.starts}.log").open("w") as log:
            self.proc = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=self.workdir, env=self.env,
                                         stdout=log, stderr=subprocess.STDOUT)

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    async def stop(self) -> str:
        """SIGTERM: its exit status must be 0. Returns its log."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        returncode = await asyncio.to_thread(self.proc.wait, 30)
        output = (self.workdir / f"bot-{self.starts}.log").read_text()
        assert returncode == 0, output
        return output
