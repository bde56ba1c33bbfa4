"""Whether an optimized interpreter (PYTHONOPTIMIZE=2, as the Docker image runs Relais) found bytecode compiled for
its level. Without it Python compiles every module again at each start, in memory: slower, and more memory than
not optimizing at all (docs/performance.md, round 10). pip writes the bytecode of level 0 only."""
from __future__ import annotations

import importlib.util
import logging
import os
import sys
import sysconfig
from pathlib import Path

log = logging.getLogger(__name__)

# One module each from the interpreter's library, the dependencies and Relais: where one lacks bytecode, its
# neighbours do too.
PROBES = ("asyncio", "sqlalchemy", "bot")


def missing_bytecode(optimize: int, modules: tuple[str, ...] = PROBES) -> list[Path]:
    """The folders to compile: those of `modules` (loaded ones) whose bytecode for level `optimize` is missing."""
    folders: list[Path] = []
    for name in modules:
        spec = getattr(sys.modules.get(name), "__spec__", None)
        origin = getattr(spec, "origin", None)
        if not origin or not origin.endswith(".py"):
            continue
        cached = importlib.util.cache_from_source(origin, optimization=optimize or "")
        if not os.path.exists(cached):
            package = Path(origin).parent if spec.submodule_search_locations else Path(origin)
            folders.append(package.parent)
    return list(dict.fromkeys(folders))


def warn_if_missing(optimize: int | None = None, modules: tuple[str, ...] = PROBES) -> list[Path]:
    """Log, once at start-up, the command that compiles what is missing. Returns the folders it names."""
    optimize = sys.flags.optimize if optimize is None else optimize
    if not optimize:
        return []
    folders = missing_bytecode(optimize, modules)
    if folders:
        stdlib = Path(sysconfig.get_paths()["stdlib"])
        named = sorted({stdlib if stdlib in f.parents or f == stdlib else f for f in folders})
        log.warning("Python runs with -O%d (PYTHONOPTIMIZE) but finds no bytecode compiled for it: every start "
                    "compiles the modules again, in memory. Compile it once: %s -%s -m compileall -q %s",
                    optimize, sys.executable, "O" * optimize, " ".join(str(f) for f in named))
    return folders
