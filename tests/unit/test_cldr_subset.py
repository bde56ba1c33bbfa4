"""Relais formats dates, durations and lists through Babel with a cut of its CLDR data (handlers/core/cldr.py):
every text comes out as with Babel's full data, the full data is not loaded (5 MiB, issue 14), and a key the cut
lacks loads it rather than failing."""
from __future__ import annotations

import json
import logging
import subprocess
import sys
import textwrap
from datetime import date, time, timedelta
from pathlib import Path

import babel
import pytest
from babel import localedata

from handlers.core import cldr
from handlers.core.words import and_list, say_duration
from handlers.dates import dates

ROOT = Path(__file__).resolve().parents[2]


def _texts() -> list[str]:
    """Every kind of text Relais asks Babel for, in both languages, with Relais' caches emptied first."""
    for cached in (dates.weekday_name, dates._format_day, dates._format_time):
        cached.cache_clear()
    out = []
    for lang in ("fr", "en"):
        day = date(2026, 1, 1)
        while day.year == 2026:
            out += [dates.format_day(day, lang), dates.format_day(day, lang, year=False)]
            day += timedelta(days=1)
        out += [dates.weekday_name(d, lang) for d in range(7)]
        out += [dates.month_name(m, lang) for m in range(1, 13)]
        out += [dates.format_time(time(h, m), lang) for h in (0, 9, 12, 18, 23) for m in (0, 5, 59)]
        out += [say_duration(timedelta(days=n), lang) for n in (2, 3, 7, 14, 30, 365)]
        out += [and_list(["Bertrand", "Nicolas", "Ana", "Yves"][:n], lang) for n in range(1, 5)]
    return out


@pytest.fixture
def restore_subset():
    yield
    cldr.uninstall()
    localedata.clear_caches()
    cldr.install()


def test_texts_with_the_subset_are_babels_own(restore_subset):
    localedata.clear_caches()
    assert cldr.install()
    with_subset = _texts()
    assert "1er mai 2026" in with_subset and "Bertrand, Nicolas et Ana" in with_subset
    assert "3 days" in with_subset and "Bertrand, Nicolas and Ana" in with_subset  # en_GB: no serial comma
    assert not any(getattr(data, "_full", False) for data in localedata._cache.values()), "the subset lacked a key"

    cldr.uninstall()
    localedata.clear_caches()
    assert _texts() == with_subset


def test_the_subset_file_is_what_the_installed_babel_gives(restore_subset):
    stored = json.loads(cldr.SUBSET_FILE.read_text(encoding="utf-8"))
    assert sorted(stored["locales"]) == sorted(cldr.locales())
    if stored["babel"] == babel.__version__:
        # A Babel upgrade whose CLDR changed fails here: `python -m handlers.core.cldr` writes the file again.
        assert cldr.dumps(cldr.build(cldr.locales())) == cldr.SUBSET_FILE.read_text(encoding="utf-8")
    else:  # another Babel: the texts must still be its own (the test above); the file's round trip holds
        assert cldr.encode(cldr.decode(stored["locales"]["fr"])) == stored["locales"]["fr"]


def test_a_key_the_subset_lacks_loads_the_full_data(tmp_path, caplog, restore_subset):
    stored = json.loads(cldr.SUBSET_FILE.read_text(encoding="utf-8"))
    for data in stored["locales"].values():
        data["dict"] = [pair for pair in data["dict"] if pair[0] != "list_patterns"]
    cut = tmp_path / "cut.json"
    cut.write_text(json.dumps(stored), encoding="utf-8")
    cldr.uninstall()
    localedata.clear_caches()
    assert cldr.install(cut)
    with caplog.at_level(logging.WARNING, logger="handlers.core.cldr"):
        assert and_list(["a", "b", "c"], "fr") == "a, b et c"
        assert dates.format_day(date(2026, 5, 12), "fr") == "12 mai 2026"
    assert "list_patterns" in caplog.text
    assert localedata._cache["fr"]._full


def test_a_started_bot_never_loads_babels_full_data():
    """In a fresh interpreter, as the bot starts: texts in both languages leave Babel's cache holding only the
    subset, and its global table (likely subtags, 2 MiB) unread."""
    script = textwrap.dedent("""
        import json, sys
        from datetime import date, time, timedelta
        import bot.app
        from handlers.core.words import and_list, say_duration
        from handlers.dates.dates import format_when
        from datetime import datetime
        for lang in ("fr", "en"):
            format_when(datetime(2026, 5, 12, 18, 0), lang); say_duration(timedelta(days=3), lang)
            and_list(["a", "b"], lang)
        from babel import core, localedata
        print(json.dumps({"cached": sorted(localedata._cache), "global": core._global_data is not None,
                          "full": [n for n, d in localedata._cache.items() if getattr(d, "_full", True)]}))
    """)
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen == {"cached": ["en_GB", "fr"], "global": False, "full": []}


def test_an_unreadable_subset_leaves_babel_its_own_data(tmp_path, caplog, restore_subset):
    broken = tmp_path / "broken.json"
    broken.write_text('{"locales": {"fr": ', encoding="utf-8")
    cldr.uninstall()
    localedata.clear_caches()
    with caplog.at_level(logging.WARNING, logger="handlers.core.cldr"):
        assert not cldr.install(broken)
    assert "unreadable" in caplog.text
    dates._format_day.cache_clear()
    assert dates.format_day(date(2026, 5, 1), "fr") == "1er mai 2026"
    assert not any(isinstance(data, cldr._Subset) for data in localedata._cache.values())
