"""A bot on SQLite loads only what its configuration uses (issue 14: RSS after start-up).

Alembic is imported only when the schema is behind, PostgreSQL drivers only for PostgreSQL, icalendar only when a
calendar is built, aiosmtplib only when an e-mail is sent, aiohttp's web server and the pages' renderers only with
[web]; SQLAlchemy's ORM never (storage/asyncio_engine.py), SQLAlchemy's PostgreSQL dialect only for PostgreSQL.
Each check runs in a fresh interpreter, so what other tests imported does not count. Behaviour, not timing: the
figures are in docs/performance.md.
"""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OPTIONAL = ("alembic", "psycopg", "psycopg2", "asyncpg", "icalendar", "aiosmtplib", "aiohttp.web", "handlers.pages.site",
            "sqlalchemy.orm", "sqlalchemy.dialects.postgresql")
CONFIG = """
[matrix]
homeserver = "http://127.0.0.1:8008"
user_id = "@relais:localhost"
password = "secret"
[storage]
url = "sqlite+aiosqlite:///relais.db"
"""


def _loaded_after(code: str, tmp_path: Path) -> list[str]:
    script = textwrap.dedent(code) + textwrap.dedent(f"""
        import json, sys
        print(json.dumps(sorted(m for m in {OPTIONAL!r} if m in sys.modules)))
    """)
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120,
                         env={"PYTHONPATH": str(ROOT), "RELAIS_TMP": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def _start_up(config: str) -> str:
    return f"""
        from bot.__main__ import import_app
        from bot.config import parse
        import tomllib
        config = parse(tomllib.loads({config!r}), "config.toml", {{}})
        Relais = import_app(config.storage_url)
        import handlers.capabilities, bot.scheduler, storage.db  # what a start-up builds
    """


def test_starting_on_sqlite_imports_no_postgres_driver_alembic_icalendar_smtp_orm_or_web_server(tmp_path):
    assert _loaded_after(_start_up(CONFIG), tmp_path) == []


def test_web_pages_configured_load_the_web_server(tmp_path):
    web = CONFIG + '[web]\nlisten = "127.0.0.1:8080"\npublic_url = "https://relais.example.org"\n'
    assert _loaded_after(_start_up(web), tmp_path) == ["aiohttp.web", "handlers.pages.site"]


def test_sqlalchemy_asyncio_names_beyond_the_engine_still_import(tmp_path):
    """The ORM is left out of SQLAlchemy's asyncio package, not removed: a library or a test asking for its
    session gets it."""
    loaded = _loaded_after("""
        import storage.db
        from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
        import sqlalchemy.ext.asyncio as package
        assert package.AsyncSession is AsyncSession and callable(create_async_engine)
    """, tmp_path)
    assert "sqlalchemy.orm" in loaded


def test_opening_an_up_to_date_database_does_not_import_alembic(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'relais.db'}"
    created = _loaded_after(f"""
        import asyncio
        from storage import open_store
        async def main():
            store = await open_store({url!r})
            await store.close()
        asyncio.run(main())
    """, tmp_path)
    assert "alembic" in created  # a new database is migrated
    reopened = _loaded_after(f"""
        import asyncio
        from storage import open_store
        async def main():
            store = await open_store({url!r})
            assert await store.rooms.get("!none:x") is None  # the schema is there
            await store.close()
        asyncio.run(main())
    """, tmp_path)
    assert reopened == []


def test_a_database_behind_the_code_is_still_migrated(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'relais.db'}"
    loaded = _loaded_after(f"""
        import asyncio
        from storage.db import create_engine, migrate, current_revision, head_revision
        async def main():
            engine = create_engine({url!r})
            await migrate(engine, "0009")
            assert await current_revision(engine) == "0009"
            await migrate(engine)
            assert await current_revision(engine) == head_revision()
            await engine.dispose()
        asyncio.run(main())
    """, tmp_path)
    assert "alembic" in loaded


def test_a_calendar_is_still_built(tmp_path):
    loaded = _loaded_after("""
        from datetime import datetime, timezone
        from handlers.schedule.calendar import build_ics
        ics = build_ics([], room_name="Salle", lang="fr", now=datetime(2026, 1, 1, tzinfo=timezone.utc))
        assert ics.startswith(b"BEGIN:VCALENDAR"), ics
    """, tmp_path)
    assert loaded == ["icalendar"]


def test_starting_reads_the_ca_certificates_only_when_the_system_keeps_them_in_a_hashed_directory(tmp_path):
    """bot/tls.py: where the system's hashed directory holds every certificate of its bundle (Debian, Ubuntu, the
    Docker image), the context an https homeserver is verified with has read none of them at start-up; elsewhere
    it reads the bundle as before. tests/unit/test_tls.py shows the handshake still verified."""
    script = _start_up(CONFIG) + """
        import os, ssl
        from aiohttp import connector
        from bot.tls import directory_covers_bundle
        paths = ssl.get_default_verify_paths()
        loaded = connector._SSL_CONTEXT_VERIFIED.cert_store_stats()["x509"]
        print(directory_covers_bundle(paths.cafile, paths.capath), loaded, "SSL_CERT_FILE" in os.environ)
    """
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(script)], cwd=ROOT, capture_output=True, text=True,
                         timeout=120, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr
    covered, loaded, env_left = out.stdout.split()
    assert env_left == "False"
    assert (int(loaded) == 0) if covered == "True" else (int(loaded) > 0)
