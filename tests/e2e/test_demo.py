"""The README's first command with nothing configured: a throwaway Synapse, the bot, and a terminal chat.

Each test runs `python -m bot` for real (it starts its own Synapse: a failure to start is a failed test)."""
import os
import subprocess
import sys
import threading
import time

import pytest

pytestmark = pytest.mark.e2e

START_TIMEOUT = 120  # Synapse + bot start-up on a busy two-core machine


def test_demo_chat_answers_typed_commands_and_cleans_up(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "bot"],  # no config.toml in this folder: the demo
        input="!ping\n!aide\n!action @vous écrire le tract pour vendredi\n!réunion début\n!présent\n",
        capture_output=True, text=True, timeout=180, cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    assert "relais: pong" in out
    assert "relais: Commandes de Relais" in out
    assert "relais: Action #1 enregistrée : écrire le tract" in out
    # Piped input waits for its answers before leaving, and a ✅ reaction is one.
    assert "  ✅ relais" in out
    # The HTML is rendered for the terminal: no tags, entities or Markdown backticks.
    assert "<b>" not in out and "&lt;" not in out and "`" not in out
    assert "!aide <commande>" in out
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []  # nothing left behind: it all lived in a temporary folder


class Demo:
    """`python -m bot` with stdout and stderr merged, so their order can be checked, read as it comes."""

    def __init__(self, cwd, stdin=subprocess.PIPE) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot"], cwd=cwd, stdin=stdin, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, bufsize=1,
        )
        self.output = ""
        self._changed = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            with self._changed:
                self.output += line
                self._changed.notify_all()

    def wait_for(self, text: str, timeout: float = 30) -> None:
        with self._changed:
            if not self._changed.wait_for(lambda: text in self.output or self.proc.poll() is not None, timeout):
                pytest.fail(f"no {text!r} within {timeout:g}s; output so far:\n{self.output[-3000:]}")
        assert text in self.output, f"the demo exited ({self.proc.returncode}) before {text!r}:\n{self.output}"

    def type(self, line: str) -> None:
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def exit_time(self, timeout: float = 30) -> float:
        start = time.monotonic()
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            pytest.fail(f"the demo was still running {timeout:g}s later; output:\n{self.output[-3000:]}")
        return time.monotonic() - start

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture
def demo(tmp_path):
    started: list[Demo] = []

    def start(**kwargs) -> Demo:
        started.append(Demo(tmp_path, **kwargs))
        return started[-1]

    yield start
    for d in started:
        d.kill()


def test_commands_acknowledged_by_a_reaction_show_it_and_quit_is_immediate(demo, tmp_path):
    d = demo()
    d.wait_for("Bonjour ! Je suis Relais", timeout=START_TIMEOUT)
    # The banner tells who you are before the bot's greeting scrolls it away.
    assert d.output.index("* Homeserver: ") < d.output.index("Bonjour ! Je suis Relais")
    d.type("!réunion début Point hebdo")
    d.wait_for("relais: Réunion n°1 « Point hebdo » ouverte")
    d.type("!présent")
    d.wait_for("  ✅ relais")  # before the fix: nothing at all, the bot looked deaf
    d.type("/quit")
    elapsed = d.exit_time()
    assert d.proc.returncode == 0, d.output[-3000:]
    assert elapsed < 5, f"/quit took {elapsed:.1f}s"  # before the fix: ~20 s of silence
    assert "* Arrêt du serveur de démonstration…" in d.output
    assert "Traceback" not in d.output
    assert list(tmp_path.iterdir()) == []


def test_ctrl_d_at_the_keyboard_leaves_at_once_even_with_an_answer_pending(demo, tmp_path):
    master, slave = os.openpty()  # stdin is a terminal: someone at the keyboard
    try:
        d = demo(stdin=slave)
        d.wait_for("Bonjour ! Je suis Relais", timeout=START_TIMEOUT)
        os.write(master, "!réunion début\n".encode())
        d.wait_for("relais: Réunion n°1 ouverte")
        os.write(master, "!sujet Budget\n".encode())
        os.write(master, b"\x04")  # Ctrl-D right away: its ✅ is not waited for (before the fix: ~20 s)
        elapsed = d.exit_time()
    finally:
        os.close(master)
        os.close(slave)
    assert d.proc.returncode == 0, d.output[-3000:]
    assert elapsed < 3, f"Ctrl-D took {elapsed:.1f}s"
    assert "* Arrêt du serveur de démonstration…" in d.output
    assert "Traceback" not in d.output
    assert list(tmp_path.iterdir()) == []


def test_restart_keeps_the_room_s_actions_and_answers_nothing_twice(demo, tmp_path):
    """`/restart` stops the bot and starts a new one on the same database, as a deployment's restart would:
    what was recorded is still there, commands typed before are not handled again, and it still answers."""
    d = demo()
    d.wait_for("Bonjour ! Je suis Relais", timeout=START_TIMEOUT)
    d.type("!action @vous écrire le tract pour vendredi")
    d.wait_for("relais: Action #1 enregistrée : écrire le tract")
    d.type("/restart")
    d.wait_for("* Bot redémarré (même base de données).", timeout=60)
    d.type("!action liste")
    d.wait_for("• #1 écrire le tract")
    d.type("!action fait 7")  # wrong input after the restart still gets its reply in French
    d.wait_for("relais: Il n'y a pas d'action #7 dans ce salon.")
    d.type("/quit")
    d.exit_time()
    assert d.proc.returncode == 0, d.output[-3000:]
    assert d.output.count("Action #1 enregistrée") == 1, d.output[-3000:]  # not replayed by the new bot
    assert d.output.count("Bonjour ! Je suis Relais") == 1  # the room is not greeted again
    assert "Traceback" not in d.output
    assert list(tmp_path.iterdir()) == []
