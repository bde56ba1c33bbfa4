"""SQLAlchemy's asyncio engine without its ORM.

`sqlalchemy/ext/asyncio/__init__.py` imports the package's ORM session next to its engine, and with it the
whole ORM: 6 MiB of the bot's memory (docs/performance.md, goal 2 of issue 14) for a layer Relais never uses
(its repositories run Core statements on connections). `load()`, run by `storage/__init__.py` before any
storage module imports SQLAlchemy's asyncio layer, registers that package without running its `__init__`:
its engine and result names (all Relais uses) come from their own modules, and any other name (`AsyncSession`,
asked for by a test or a library) runs the package's real `__init__` then, ORM included. If the package was
already imported (the ORM is loaded anyway), nothing is done.
"""
from __future__ import annotations

import importlib
import importlib.util
import sys
from types import ModuleType
from typing import Any

PACKAGE = "sqlalchemy.ext.asyncio"
# What the package's __init__ takes from each ORM-free module (SQLAlchemy 2.0's `__all__` of those names).
LIGHT = {
    "engine": ("AsyncConnection", "AsyncEngine", "AsyncTransaction", "async_engine_from_config",
               "create_async_engine", "create_async_pool_from_url"),
    "result": ("AsyncMappingResult", "AsyncResult", "AsyncScalarResult", "AsyncTupleResult"),
}


def load() -> None:
    if PACKAGE in sys.modules:
        return
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or spec.loader is None:  # pragma: no cover - SQLAlchemy is a dependency
        return
    package = importlib.util.module_from_spec(spec)
    whole = False

    def __getattr__(name: str) -> Any:  # noqa: N807 (a module's __getattr__, PEP 562)
        nonlocal whole
        for module, names in LIGHT.items():
            if name in names:
                value = getattr(importlib.import_module(f"{PACKAGE}.{module}"), name)
                setattr(package, name, value)
                return value
        if not name.startswith("_") and importlib.util.find_spec(f"{PACKAGE}.{name}") is not None:
            return importlib.import_module(f"{PACKAGE}.{name}")  # a submodule (`from . import exc`)
        if not whole and not name.startswith("__"):
            whole = True
            spec.loader.exec_module(package)  # type: ignore[union-attr]
            return getattr(package, name)
        raise AttributeError(f"module {PACKAGE!r} has no attribute {name!r}")

    package.__getattr__ = __getattr__  # type: ignore[method-assign]
    sys.modules[PACKAGE] = package
    setattr(_parent(), "asyncio", package)


def _parent() -> ModuleType:
    return importlib.import_module(PACKAGE.rpartition(".")[0])
