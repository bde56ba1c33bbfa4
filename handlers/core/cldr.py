"""Babel's CLDR data, cut to the part Relais formats with.

Babel loads a locale's whole CLDR data at the first date it formats: for British English the root, `en`, `en_001`
and `en_GB`, each merged and kept, with the global table of likely subtags — 4.9 MiB that stay for the life of the
process, for the names of days and months, a few date patterns, the list pattern and "{0} days". Relais ships that
part (`cldr_subset.json`, 25 KiB, written by `python -m handlers.core.cldr`) and hands it to Babel's cache at the
first text formatted, before Babel loads anything: formatting goes through Babel's own code, with the same data.

If a Babel release reads a key the subset lacks, that locale's full data is loaded then (logged once): a text is
never lost for memory's sake. `tests/unit/test_cldr_subset.py` checks the file against the installed Babel and
every format Relais uses against Babel's own data.
"""
from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any

from babel import localedata
from babel.dates import DateTimePattern, parse_pattern
from babel.localedata import Alias
from babel.plural import PluralRule

log = logging.getLogger(__name__)

SUBSET_FILE = Path(__file__).with_name("cldr_subset.json")
# What babel.dates' format_date / format_time / get_month_names / format_timedelta and babel.lists' format_list
# read from a locale, whole; of the units (unit_patterns: durations; date_fields: their relative forms), only those
# format_timedelta writes in.
KEYS = ("days", "months", "quarters", "eras", "periods", "day_periods", "date_formats", "time_formats",
        "datetime_formats", "list_patterns", "plural_form", "week_data")
UNITS = ("year", "month", "week", "day", "hour", "minute", "second")


def locales() -> list[str]:
    """The Babel locales of the languages Relais speaks (en → en_GB)."""
    from handlers.core.catalogue import LANGUAGES, babel_locale
    return [babel_locale(lang) for lang in LANGUAGES]


class _Subset(dict):
    """A locale's cut data; a key it lacks loads the locale's full data into it."""

    _full = False  # set once the full data is loaded in

    def __init__(self, name: str, data: dict[str, Any]):
        super().__init__(data)
        self.name = name

    def __missing__(self, key: str) -> Any:
        if self._full:
            raise KeyError(key)
        log.warning("Babel reads %r, not in Relais' CLDR subset: loading %s's full data", key, self.name)
        self._full = True
        with localedata._cache_lock:
            localedata._cache.pop(self.name, None)
        full = localedata.load(self.name)
        self.update(full)
        with localedata._cache_lock:
            localedata._cache[self.name] = self
        return self[key]


_installed = False


def install_once() -> None:
    """At the first text Babel formats: the subset costs nothing to a process that formats none."""
    global _installed
    if not _installed:
        _installed = True
        install()


def install(path: Path = SUBSET_FILE) -> bool:
    """Hand the subset to Babel's locale cache; False (Babel keeps loading its full data) if there is no subset
    or this Babel keeps no such cache."""
    cache = getattr(localedata, "_cache", None)
    if not isinstance(cache, dict) or not hasattr(localedata, "_cache_lock"):
        return False
    try:
        subsets = {name: _Subset(name, decode(data))
                   for name, data in json.loads(path.read_text(encoding="utf-8"))["locales"].items()}
    except (OSError, ValueError, KeyError, TypeError) as exc:  # a text is never lost for memory's sake
        log.warning("CLDR subset %s unreadable (%s): Babel loads its full data", path, exc)
        return False
    with localedata._cache_lock:
        for name, data in subsets.items():
            cache.setdefault(name, data)
    return True


def uninstall() -> None:
    """Babel loads its full data again (for building the subset, and for comparing with it)."""
    with localedata._cache_lock:
        for name in [n for n, data in localedata._cache.items() if isinstance(data, _Subset)]:
            del localedata._cache[name]
            getattr(localedata, "_dict_cache", {}).pop(name, None)


def build(names: list[str]) -> dict[str, Any]:
    """The subset of each locale, from the installed Babel's full data (merged with its parents)."""
    import babel
    uninstall()
    out = {}
    for name in names:
        full = localedata.load(name)
        cut = {k: full[k] for k in KEYS if k in full}
        cut["unit_patterns"] = {f"duration-{u}": full["unit_patterns"][f"duration-{u}"] for u in UNITS}
        cut["date_fields"] = {k: v for k, v in full["date_fields"].items() if k.split("-")[0] in UNITS}
        out[name] = encode(cut)
    return {"babel": babel.__version__, "locales": out}


# JSON has no integer keys, tuples, nor Babel's three classes: each is written as a one-key object.
def encode(value: Any) -> Any:
    if isinstance(value, dict):
        return {"dict": [[k, encode(v)] for k, v in value.items()]}
    if isinstance(value, tuple):
        return {"tuple": [encode(v) for v in value]}
    if isinstance(value, Alias):
        return {"alias": list(value.keys)}
    if isinstance(value, DateTimePattern):
        return {"pattern": value.pattern}
    if isinstance(value, PluralRule):
        return {"plural": value.rules}
    if value is None or isinstance(value, (str, int, float)):
        return value
    raise TypeError(f"no JSON form for {type(value).__name__}")


def decode(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    (kind, body), = value.items()
    if kind == "dict":
        return {k: decode(v) for k, v in body}
    if kind == "tuple":
        return tuple(decode(v) for v in body)
    if kind == "alias":
        return Alias(tuple(body))
    if kind == "pattern":
        return parse_pattern(body)
    if kind == "plural":
        return PluralRule(body)
    raise ValueError(f"unknown form {kind!r}")


def dumps(subset: dict[str, Any]) -> str:
    return json.dumps(subset, ensure_ascii=False, separators=(",", ":"), sort_keys=False) + "\n"


if __name__ == "__main__":  # python -m handlers.core.cldr: write the subset from the installed Babel
    SUBSET_FILE.write_text(dumps(build(locales())), encoding="utf-8")
    print(f"{SUBSET_FILE}: {SUBSET_FILE.stat().st_size} bytes", file=sys.stderr)
