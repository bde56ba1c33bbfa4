"""The README's first command with nothing configured: a throwaway Synapse, the bot, and a terminal chat."""
import subprocess
import sys

import pytest

pytestmark = pytest.mark.e2e


def test_demo_chat_answers_typed_commands_and_cleans_up(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "bot"],  # no config.toml in this folder: the demo
        input="!ping\n!aide\n!action @vous écrire le tract pour vendredi\n",
        capture_output=True, text=True, timeout=180, cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    assert "relais: pong" in out
    assert "relais: Commandes de Relais" in out
    assert "relais: Action #1 enregistrée : écrire le tract" in out
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []  # nothing left behind: it all lived in a temporary folder
