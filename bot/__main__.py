"""Command line: `relais` / `python -m bot`.

  relais [--config config.toml]        run the bot; with no config file, a local demo (throwaway homeserver + chat)
  relais demo                          the local demo, even if a config file exists
  relais parse-date "<phrase>" [--now ISO] [--tz ZONE] [--lang fr|en]
  relais minutes export --room ROOM [--meeting N] --format md|html|json [--output FILE] [--storage-url URL]
  relais calendar export --room ROOM [--output FILE] [--storage-url URL] > agenda.ics
  relais digest --room ROOM [--week 2021-W17] [--format md|html|text|eml] [--storage-url URL]
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sys
from pathlib import Path

from bot import logfilter
from bot.config import ConfigError, load


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    config_path = Path(args.config or os.environ.get("RELAIS_CONFIG", "config.toml"))
    demo = args.command == "demo" or (args.command is None and not config_path.exists())
    logging.basicConfig(
        # In the demo the terminal is a chat: only problems are logged there.
        level=os.environ.get("RELAIS_LOG_LEVEL", "WARNING" if demo else "INFO").upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logfilter.install()  # no access token nor password in the logs, at any level
    for noisy in ("nio", "alembic", "apscheduler"):  # they log every response / migration / job at INFO
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # nio warns about every error answer (a refused password too) that it first tried as a success.
    logging.getLogger("nio.responses").setLevel(logging.ERROR)
    if args.command == "parse-date":
        from bot.cli_dates import parse_date_command

        return parse_date_command(args)
    if args.command == "minutes":
        from bot.cli_minutes import minutes_command

        return minutes_command(args)
    if args.command == "calendar":
        from bot.cli_calendar import calendar_command

        return calendar_command(args)
    if args.command == "digest":
        from bot.cli_digest import digest_command

        return digest_command(args)
    if demo:
        from bot.demo import run_demo

        return _until_interrupted(run_demo())
    try:
        config = load(config_path)
    except ConfigError as exc:
        print(f"relais: {exc}", file=sys.stderr)
        return 2
    logfilter.remember(config.matrix.password, config.matrix.access_token)
    return _until_interrupted(_run(config))


def _until_interrupted(coro) -> int:
    try:
        return asyncio.run(coro)
    except KeyboardInterrupt:  # Ctrl-C is how people stop it: no traceback
        return 130


# Drivers that peewee (imported by nio for its end-to-end key store, which is SQLite) probes for at import:
# ~13 MiB that a bot on SQLite never uses. Only PostgreSQL configurations load them (via SQLAlchemy).
_PEEWEE_PROBES = ("psycopg", "psycopg2", "psycopg2cffi", "pymysql", "MySQLdb")


def import_app(storage_url: str):
    """`bot.app.Relais`, imported with only what the configuration uses: on SQLite, peewee's probes for
    PostgreSQL and MySQL drivers find nothing (a later import of those modules still works); the CA
    certificates are read when a handshake needs them (bot/tls.py)."""
    if "bot.app" in sys.modules:
        from bot.app import Relais

        return Relais
    from bot.tls import authorities_on_demand

    with authorities_on_demand():
        return _import_app(storage_url)


def _import_app(storage_url: str):
    if not storage_url.startswith("sqlite"):
        from bot.app import Relais

        return Relais
    hidden = [name for name in _PEEWEE_PROBES if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # "import name" raises ImportError, as if it were not installed
    try:
        from bot.app import Relais
    finally:
        for name in hidden:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]
    return Relais


async def _run(config) -> int:
    Relais = import_app(config.storage_url)
    from bot.bytecode import warn_if_missing
    from bot.crypto import EncryptionUnavailable
    from bot.session import LoginFailed, Unreachable

    # SIGTERM (systemd, `docker stop`) stops the bot like Ctrl-C: pending replies go out, sessions close.
    # (As a container's PID 1, Python would otherwise ignore it until the SIGKILL.)
    main, terminated = asyncio.current_task(), []

    def terminate() -> None:
        terminated.append(True)
        main.cancel()

    with contextlib.suppress(NotImplementedError):  # no signal handlers on Windows
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, terminate)
    warn_if_missing()
    bot = Relais(config)
    try:
        await bot.run()
    except (LoginFailed, Unreachable, EncryptionUnavailable) as exc:
        print(f"relais: {exc}", file=sys.stderr)
        return 1
    except asyncio.CancelledError:
        if not terminated:  # Ctrl-C: asyncio.run turns it into KeyboardInterrupt
            raise
    return 0


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="relais", description="Relais, a Matrix bot for volunteer collectives.")
    p.add_argument("--config", help="path to config.toml (default: ./config.toml or $RELAIS_CONFIG)")
    sub = p.add_subparsers(dest="command")
    sub.add_parser("run", help="run the bot with the config file")
    sub.add_parser("demo", help="local demo: throwaway homeserver, the bot, and a terminal chat with it")
    pd = sub.add_parser("parse-date", help="show how Relais understands a date phrase")
    pd.add_argument("phrase")
    pd.add_argument("--now", help="ISO 8601 local time to resolve against (default: now)")
    pd.add_argument("--tz", default="Europe/Paris")
    pd.add_argument("--lang", default="fr", choices=["fr", "en"])
    from bot.cli_calendar import add_parser as add_calendar
    from bot.cli_minutes import add_parser

    from bot.cli_digest import add_parser as add_digest

    add_parser(sub)
    add_calendar(sub)
    add_digest(sub)
    return p


if __name__ == "__main__":
    sys.exit(main())
