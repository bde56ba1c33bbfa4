"""config.toml → typed settings. A missing or wrong key stops start-up with one line naming key and file."""
from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from datetime import time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.mailer import SECURITIES, EmailConfig
from handlers.core.ratelimit import DEFAULT_RATE_LIMIT, RateLimit, parse_rate_limit
from handlers.core.services import Defaults
from handlers.dates.durations import DurationError, parse_duration, parse_offsets


class ConfigError(Exception):
    """One clear line for the operator; never a traceback."""


@dataclass(frozen=True)
class MatrixConfig:
    homeserver: str
    user_id: str
    password: str | None
    access_token: str | None
    device_name: str = "relais"


@dataclass(frozen=True)
class BotConfig:
    prefix: str = "!"
    language: str = "fr"
    timezone: str = "Europe/Paris"
    allowed_inviters: tuple[str, ...] = ()
    coordinator_power_level: int = 50
    rate_limit: RateLimit | None = DEFAULT_RATE_LIMIT  # commands per user and room; None: no limit


@dataclass(frozen=True)
class RemindersConfig:
    meeting: tuple[timedelta, ...] = (timedelta(hours=24), timedelta(hours=1))
    action_due: tuple[timedelta, ...] = (timedelta(hours=24),)
    late_grace: timedelta = timedelta(hours=12)
    overdue_digest: time = time(9, 0)
    mobilisation: tuple[timedelta, ...] = (timedelta(days=7), timedelta(days=3), timedelta(days=1))
    mobilisation_morning: time | None = time(8, 0)


@dataclass(frozen=True)
class DigestConfig:
    day: int = 0  # Monday
    time: time = time(9, 0)  # room-local


TRUST_LEVELS = ("all", "tofu", "verified")


@dataclass(frozen=True)
class EncryptionConfig:
    """End-to-end encryption (bot/crypto.py). `store`: the crypto store's directory; None: beside the database."""
    enabled: bool = True
    store: str | None = None
    trust: str = "all"  # which devices get the room keys: TRUST_LEVELS, see config.example.toml
    direct_messages: bool = True  # the DM rooms Relais opens are encrypted
    key_wait: timedelta = timedelta(minutes=10)  # then the sender of an unreadable message is told


@dataclass(frozen=True)
class WebConfig:
    """The rooms' web pages (bot/web.py): where the server listens, and the address people reach it at."""

    listen: str = "127.0.0.1:8080"
    public_url: str = "http://127.0.0.1:8080"


@dataclass(frozen=True)
class Config:
    matrix: MatrixConfig
    bot: BotConfig = field(default_factory=BotConfig)
    storage_url: str = "sqlite+aiosqlite:///relais.db"
    source: str = "config.toml"
    reminders: RemindersConfig = field(default_factory=RemindersConfig)
    digest: DigestConfig = field(default_factory=DigestConfig)
    email: EmailConfig | None = None  # no [email] section: digests are not e-mailed
    encryption: EncryptionConfig = field(default_factory=EncryptionConfig)
    web: WebConfig | None = None  # no [web] section: no web pages

    @property
    def defaults(self) -> Defaults:
        b, r = self.bot, self.reminders
        return Defaults(b.prefix, b.language, b.timezone, b.coordinator_power_level,
                        r.meeting, r.action_due, r.late_grace, r.overdue_digest, rate_limit=b.rate_limit,
                        mobilisation_reminders=r.mobilisation, mobilisation_morning=r.mobilisation_morning,
                        digest_day=self.digest.day, digest_time=self.digest.time)


_KNOWN = {
    "matrix": {"homeserver", "user_id", "password", "access_token", "device_name"},
    "bot": {"prefix", "language", "timezone", "allowed_inviters", "coordinator_power_level", "rate_limit"},
    "storage": {"url"},
    "digest": {"day", "time"},
    "email": {"host", "port", "security", "user", "password", "from"},
    "encryption": {"enabled", "store", "trust", "direct_messages", "key_wait"},
    "web": {"listen", "public_url"},
    "reminders": {"meeting", "action_due", "late_grace", "overdue_digest", "mobilisation", "mobilisation_morning"},
}


def load(path: str | Path, env: dict[str, str] | None = None) -> Config:
    env = os.environ if env is None else env
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found (copy config.example.toml to start)") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    return parse(raw, str(path), env)


def parse(raw: dict, source: str, env: dict[str, str]) -> Config:
    r = _Reader(raw, source)
    r.check_known()
    password = env.get("RELAIS_MATRIX_PASSWORD") or r.opt_str("matrix", "password")
    token = env.get("RELAIS_MATRIX_ACCESS_TOKEN") or r.opt_str("matrix", "access_token")
    if not password and not token:
        raise ConfigError(
            f"{source}: [matrix] password or access_token is required "
            "(or set RELAIS_MATRIX_PASSWORD / RELAIS_MATRIX_ACCESS_TOKEN)"
        )
    homeserver = r.req_str("matrix", "homeserver")
    if not re.match(r"^https?://[^/\s]+", homeserver):
        r.fail("matrix", "homeserver", f"must be an http(s) URL, got {homeserver!r}")
    user_id = r.req_str("matrix", "user_id")
    if not re.match(r"^@[^:\s]+:\S+$", user_id):
        r.fail("matrix", "user_id", f"must look like @name:server.tld, got {user_id!r}")
    matrix = MatrixConfig(homeserver.rstrip("/"), user_id, password, token,
                          r.opt_str("matrix", "device_name") or "relais")
    return Config(matrix, _bot(r), r.opt_str("storage", "url") or Config.storage_url, source, _reminders(r),
                  _digest(r), _email(r, env), _encryption(r), web=_web(r))


def _web(r: "_Reader") -> WebConfig | None:
    if "web" not in r.raw:
        return None
    from bot.web import parse_listen  # aiohttp's server (2 MiB): only when web pages are served

    listen = r.opt_str("web", "listen") or WebConfig.listen
    try:
        parse_listen(listen)
    except ValueError:
        r.fail("web", "listen", f"must be an address and port like \"127.0.0.1:8080\", got {listen!r}")
    public_url = r.req_str("web", "public_url")
    if not re.match(r"^https?://[^/\s]+(/\S*)?$", public_url):
        r.fail("web", "public_url", f"must be an http(s) URL like \"https://relais.example.org\", got {public_url!r}")
    return WebConfig(listen, public_url.rstrip("/"))


def _encryption(r: "_Reader") -> EncryptionConfig:
    d = EncryptionConfig()
    flags = {}
    for key in ("enabled", "direct_messages"):
        value = r.raw.get("encryption", {}).get(key)
        if value is not None and not isinstance(value, bool):
            r.fail("encryption", key, f"must be true or false, got {value!r}")
        flags[key] = getattr(d, key) if value is None else value
    trust = r.opt_str("encryption", "trust") or d.trust
    if trust not in TRUST_LEVELS:
        r.fail("encryption", "trust", f"must be one of {', '.join(TRUST_LEVELS)}, got {trust!r}")
    wait_text = r.opt_str("encryption", "key_wait")
    try:
        key_wait = d.key_wait if wait_text is None else parse_duration(wait_text)
    except DurationError:
        r.fail("encryption", "key_wait", f"must be a duration like \"10m\", got {wait_text!r}")
    return EncryptionConfig(flags["enabled"], r.opt_str("encryption", "store") or None, trust,
                            flags["direct_messages"], key_wait)


def _digest(r: "_Reader") -> DigestConfig:
    from handlers.digest.settings import parse_clock, parse_day

    d = DigestConfig()
    day_text, time_text = r.opt_str("digest", "day"), r.opt_str("digest", "time")
    day = d.day if day_text is None else parse_day(day_text)
    if day is None:
        r.fail("digest", "day", f"must be a weekday like \"monday\" or \"lundi\", got {day_text!r}")
    at = d.time if time_text is None else parse_clock(time_text)
    if at is None:
        r.fail("digest", "time", f"must be a time of day like \"09:00\", got {time_text!r}")
    return DigestConfig(day, at)


def _email(r: "_Reader", env: dict[str, str]) -> EmailConfig | None:
    from handlers.digest.settings import valid_address

    if "email" not in r.raw:
        return None
    host = r.req_str("email", "host")
    sender = r.req_str("email", "from")
    if not valid_address(sender):
        r.fail("email", "from", f"must be an e-mail address like \"relais@example.org\", got {sender!r}")
    security = r.opt_str("email", "security") or "starttls"
    if security not in SECURITIES:
        r.fail("email", "security", f"must be one of {', '.join(SECURITIES)}, got {security!r}")
    port = r.opt("email", "port", int)
    if port is not None and not 0 < port < 65536:
        r.fail("email", "port", f"must be a port number, got {port!r}")
    password = env.get("RELAIS_EMAIL_PASSWORD") or r.opt_str("email", "password")
    return EmailConfig(host, sender, port, security, r.opt_str("email", "user"), password)


def _reminders(r: "_Reader") -> RemindersConfig:
    d = RemindersConfig()
    offsets = {}
    for key in ("meeting", "action_due", "mobilisation"):
        items = r.opt("reminders", key, list)
        try:
            offsets[key] = getattr(d, key) if items is None else parse_offsets(items)
        except DurationError as exc:
            r.fail("reminders", key, f"entries are durations like \"24h\", \"90m\", \"2d\", \"30s\" ({exc})")
    grace = r.opt_str("reminders", "late_grace")
    try:
        late_grace = d.late_grace if grace is None else parse_duration(grace)
    except DurationError:
        r.fail("reminders", "late_grace", f"must be a duration like \"12h\", got {grace!r}")
    digest = r.opt_str("reminders", "overdue_digest")
    match = re.match(r"^([01]?\d|2[0-3]):([0-5]\d)$", digest or "")
    if digest is not None and not match:
        r.fail("reminders", "overdue_digest", f"must be a time of day like \"09:00\", got {digest!r}")
    overdue_digest = time(int(match.group(1)), int(match.group(2))) if match else d.overdue_digest
    morning_text = r.opt_str("reminders", "mobilisation_morning")
    morning = re.match(r"^([01]?\d|2[0-3]):([0-5]\d)$", morning_text or "")
    if morning_text and not morning:
        r.fail("reminders", "mobilisation_morning", f"must be a time of day like \"08:00\" or \"\", got {morning_text!r}")
    mobilisation_morning = (d.mobilisation_morning if morning_text is None
                            else time(int(morning.group(1)), int(morning.group(2))) if morning else None)
    return RemindersConfig(offsets["meeting"], offsets["action_due"], late_grace, overdue_digest,
                           offsets["mobilisation"], mobilisation_morning)


def _bot(r: "_Reader") -> BotConfig:
    d = BotConfig()
    prefix = r.opt_str("bot", "prefix") or d.prefix
    if any(c.isspace() for c in prefix):
        r.fail("bot", "prefix", "must not contain spaces")
    language = r.opt_str("bot", "language") or d.language
    if language not in ("fr", "en"):
        r.fail("bot", "language", f"must be fr or en, got {language!r}")
    timezone = r.opt_str("bot", "timezone") or d.timezone
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        r.fail("bot", "timezone", f"unknown IANA time zone {timezone!r} (e.g. Europe/Paris)")
    inviters = r.opt("bot", "allowed_inviters", list) or []
    for item in inviters:
        if not isinstance(item, str) or not re.match(r"^(@[^:\s]+:\S+|:\S+)$", item):
            r.fail("bot", "allowed_inviters", f"entries are user ids or ':server.tld' suffixes, got {item!r}")
    level = r.opt("bot", "coordinator_power_level", int)
    limit = r.opt_str("bot", "rate_limit")
    try:
        rate_limit = d.rate_limit if limit is None else parse_rate_limit(limit)
    except ValueError:
        r.fail("bot", "rate_limit", f"must be commands per duration like \"20/10s\", or \"off\", got {limit!r}")
    return BotConfig(prefix, language, timezone, tuple(inviters),
                     d.coordinator_power_level if level is None else level, rate_limit)


_KIND_NAMES = {int: "an integer", str: "a string", list: "a list"}


class _Reader:
    def __init__(self, raw: dict, source: str) -> None:
        self.raw, self.source = raw, source

    def fail(self, section: str, key: str, why: str) -> None:
        raise ConfigError(f"{self.source}: [{section}] {key} {why}")

    def check_known(self) -> None:
        for section, values in self.raw.items():
            if section not in _KNOWN:
                raise ConfigError(f"{self.source}: unknown section [{section}] (known: {', '.join(_KNOWN)})")
            if not isinstance(values, dict):
                raise ConfigError(f"{self.source}: {section} must be a [section]")
            for key in values:
                if key not in _KNOWN[section]:
                    raise ConfigError(f"{self.source}: [{section}] unknown key {key!r}")

    def opt(self, section: str, key: str, kind: type):
        value = self.raw.get(section, {}).get(key)
        if value is not None and (not isinstance(value, kind) or isinstance(value, bool) and kind is int):
            self.fail(section, key, f"must be {_KIND_NAMES[kind]}, got {value!r}")
        return value

    def opt_str(self, section: str, key: str) -> str | None:
        return self.opt(section, key, str)

    def req_str(self, section: str, key: str) -> str:
        value = self.opt_str(section, key)
        if not value:
            self.fail(section, key, "is missing")
        return value
