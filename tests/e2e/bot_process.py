"""Relais as an operator runs it, for the end-to-end tests that need its own process: `python -m bot run` in a
working directory, stopped with SIGTERM as systemd and `docker stop` do."""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def bot_env(**settings: str) -> dict[str, str]:
    """This environment without any RELAIS_ setting of the caller's, Relais' checkout importable, plus `settings`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RELAIS_")}
    return env | {"PYTHONPATH": str(ROOT)} | settings


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
