"""An optimized start (PYTHONOPTIMIZE=2, as the Docker image runs Relais) says so when it finds no bytecode for its
level, and which command compiles it; and nothing in Relais depends on an `assert` (they are gone at that level)."""
from __future__ import annotations

import ast
import compileall
import importlib
import logging
import sys
from pathlib import Path

import pytest

from bot.bytecode import missing_bytecode, warn_if_missing

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def probe_module(tmp_path, monkeypatch):
    """A package `relais_probe_pkg` in tmp_path, imported: its folder is what a warning should name."""
    package = tmp_path / "relais_probe_pkg"
    package.mkdir()
    (package / "__init__.py").write_text('"""A docstring."""\nVALUE = 1\n')
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(sys, "dont_write_bytecode", True)  # as PYTHONDONTWRITEBYTECODE, or a read-only folder
    importlib.import_module("relais_probe_pkg")
    yield package
    sys.modules.pop("relais_probe_pkg", None)


def test_missing_bytecode_names_the_folder_to_compile_until_it_is_compiled(probe_module):
    assert missing_bytecode(2, ("relais_probe_pkg",)) == [probe_module.parent]
    compileall.compile_dir(probe_module, optimize=1, quiet=1)  # another level does not count
    assert missing_bytecode(2, ("relais_probe_pkg",)) == [probe_module.parent]
    compileall.compile_dir(probe_module, optimize=2, quiet=1)
    assert missing_bytecode(2, ("relais_probe_pkg",)) == []


def test_an_optimized_start_without_bytecode_logs_the_command(probe_module, caplog):
    with caplog.at_level(logging.WARNING, logger="bot.bytecode"):
        assert warn_if_missing(2, ("relais_probe_pkg", "not_loaded_here")) == [probe_module.parent]
    [record] = caplog.records
    assert f"-OO -m compileall -q {probe_module.parent}" in record.getMessage()


def test_an_unoptimized_start_checks_nothing(probe_module, caplog):
    with caplog.at_level(logging.WARNING, logger="bot.bytecode"):
        assert warn_if_missing(0, ("relais_probe_pkg",)) == []
    assert not caplog.records


def test_no_assert_in_what_runs():
    """The image runs with asserts off: an invariant Relais relies on is checked with a raise."""
    found = [f"{path.relative_to(ROOT)}:{node.lineno}"
             for folder in ("bot", "handlers", "storage") for path in sorted((ROOT / folder).rglob("*.py"))
             for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if isinstance(node, ast.Assert)]
    assert found == []
