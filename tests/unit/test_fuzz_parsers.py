"""Property-based tests (hypothesis) of every parser of typed text, and of the router (issue 9).

Whatever is typed: no exception escapes a parser but its own error type, every refusal is a catalogue text
that exists (and renders) in both languages, what is accepted is within the bounds (numbers 1 to
2,147,483,647, dates at most 10 years ahead, series at most 1000 times), and through the router no command
line ever gets the internal-error apology.

Inputs mix full unicode (st.text()) with grammar-ish phrases: the words of the date and recurrence
grammars (handlers/datewords.py, recurrence.py), the sub-commands, numbers of every kind (huge, negative,
decimal, superscript, other scripts' digits), times, dates and punctuation.

Budget: each parser gets at least EXAMPLES inputs (10,000; RELAIS_FUZZ_EXAMPLES=100000 for a long run).
Hypothesis draws, per example, one input from its own strategies (which it shrinks on failure) and a seed
from which BATCH more grammar-ish inputs are built with `random` — hypothesis spends about 2 ms drawing one
phrase, more than most parsers take to read it, so this keeps the whole file near a minute on two cores.
A failure names the exact input.
"""
from __future__ import annotations

import asyncio
import os
import random
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handlers import i18n
from handlers.actions.commands import FILTERS as ACTION_FILTERS
from handlers.actions.parse import parse_new_action
from handlers.capabilities import registry
from handlers.core.args import MAX_NUMBER, NumberError, looks_like_number, parse_number
from handlers.core.clock import FakeClock
from handlers.core.errors import UsageError, UserError
from handlers.core.interface import Reply
from handlers.core.router import Router, clean_text
from handlers.core.services import Defaults, Services
from handlers.dates import datewords as W
from handlers.dates.date_input import date_error_key, date_error_values
from handlers.dates.dates import DateError, find_date, horizon, parse_date, split_deadline
from handlers.dates.durations import MAX_DURATION, DurationError, parse_duration
from handlers.dates.recurrence import MAX_COUNT, RecurrenceError, find_recurring
from handlers.schedule.parse import parse_schedule
from storage import open_store
from tests.unit.conftest import NOW, Chat

EXAMPLES = int(os.environ.get("RELAIS_FUZZ_EXAMPLES", "10000"))  # inputs per parser, at least
BATCH = 40  # seeded inputs per hypothesis example
# In CI the inputs are the same on every run (a submission must not fail on a new draw); by hand, each run draws
# new ones (RELAIS_FUZZ_EXAMPLES=40000 for a longer hunt). What a hand run finds becomes a named test.
FUZZ = settings(max_examples=max(1, EXAMPLES // BATCH), deadline=None, database=None, print_blob=True,
                derandomize=bool(os.environ.get("CI")),
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# --- vocabulary -------------------------------------------------------------------------------------------

_TABLES = (W.MONTHS, W.WEEKDAYS, W.WEEKDAY_ABBREVIATIONS, W.RELATIVE_DAYS, W.NUMBERS, W.CLOCK_UNITS,
           W.CALENDAR_UNITS, W.NAMED_TIMES, W.PERIODS, W.MONTH_PARTS, W.THIS_PERIOD, W.TONIGHT, W.THIS_WEEKDAY,
           W.NEXT_WEEKDAY_BEFORE, W.NEXT_WEEKDAY_AFTER, W.WEEK_AFTER_NEXT_AFTER, W.LAST_WEEKDAY_BEFORE,
           W.LAST_WEEKDAY_AFTER, W.DURATION_LEADS, W.LINK_WORDS, W.DAY_ARTICLES, W.TIME_ARTICLES,
           W.DEADLINE_KEYWORDS, W.DAY_NAMES["fr"], W.DAY_NAMES["en"], W.MONTH_NAMES["fr"], W.MONTH_NAMES["en"])
RECURRENCE_WORDS = (
    "tous les", "toutes les", "chaque", "every", "each", "lundis", "mardis", "jeudis", "jours", "semaines",
    "fois", "times", "occurrences", "jusqu'au", "jusqu'à", "until", "till", "à partir du", "dès le", "from",
    "starting", "un lundi sur deux", "sur", "premier", "première", "2e", "3rd", "dernier", "avant-dernier",
    "last", "first", "du mois", "de chaque mois", "of the month", "of every month", "et", "and", "other",
    "daily", "weekly", "fortnightly", "monthly", "le", "les", "on", "à", "au", "chez", "at", "Aujourd'hui",
    "d’ici", "après-midi", "mi-mai", "Août", "déc.", "sept.", "1er", "12th", "fin", "début", "mi",
)
VOCABULARY = sorted({word for table in _TABLES for phrase in table for word in phrase.split()}
                    | set(RECURRENCE_WORDS))
RULE_STARTS = ("tous les", "toutes les", "chaque", "every", "un lundi sur", "le premier", "le 15 de chaque mois",
               "tous les jours à 18h", "every monday at 6pm", "tous les 999 mois à 9h", "un lundi sur deux à 18h",
               "le dernier vendredi du mois à 18h", "every 2 weeks on tuesday 6pm", "tous les lundis et jeudis")
SPECIAL_NUMBERS = (
    "0", "00", "000", "-0", "-1", "+1", "−1", "1.5", "1,5", "1,000", "2147483647", "2147483648", "4294967296",
    "99999999999999999999", "9" * 400, "9" * 5000, "1e5", "²", "³", "¹²", "⁰", "½", "١٢", "٣", "１２", "۱۲",
    "一", "Ⅻ", "#12", "#-1", "#0", "n°12", "N°0", "no12", "no.12", "nº12", "P12", "p0", "P99999999999", "#",
    "n°", "P", "10", "1000", "1001",
)
NUMBER_CHARS = "0123456789²³¹⁰٠١٢٣۱۲１２.,-+"
TIMES_AND_DATES = (
    "18h", "18h30", "18 h", "6pm", "6:30 pm", "25h", "23h59", "24h", "0h", "12:00", "midi", "minuit", "à 8",
    "12/05", "31/02", "29/02", "12/05/21", "12/05/2021", "12/05/9999", "31/12/9999", "1/1/0001", "01/01/1969",
    "0001-01-01", "9999-12-31", "2031-04-27", "2031-04-28", "27/04/2031", "12.05.", "2027-05-12T18:00",
    "dans 10 ans", "dans 11 ans", "dans 999 ans", "in 999 years", "dans 999 heures", "dans 1h30",
    "fin mai 0000", "samedi 0", "le 0", "le 31", "31 décembre 9999", "1er janvier 0001 à 0h",
)
PUNCTUATION = (",", ".", ";", ":", "!", "?", "-", "–", "/", "(", ")", "«", "»", "“", "”", '"', "'", "’", "#",
               "@", "@annie", '@"Nicolas"', "#énergie", "https://meet.example/x", "\u00a0", "\u200b", "\n")
SEPARATORS = (" ", " ", " ", " ", "", "  ", "\t", "\n", "\u00a0", "-", "/", ", ")
SUBCOMMAND_WORDS = sorted({w for words in (*(sub.names for key in ("action", "meeting", "settings")
                                             for sub in registry.find(key).subs), *ACTION_FILTERS.values())
                           for w in words} | {"aucune", "none", "défaut", "fr", "en", "Europe/Paris",
                                              "Pacific/Pago_Pago", "Etc/GMT+12", "référent", "24h", "1h", "90m"})
COMMANDS = ("!action", "!action", "!action", "!tâche", "!réunion", "!réunion", "!meeting", "!quand", "!when",
            "!réglages", "!settings", "!compte-rendu", "!minutes", "!thème", "!theme", "!réunions", "!agenda")
TIMEZONES = ("Europe/Paris", "Pacific/Pago_Pago", "Pacific/Kiritimati", "Etc/GMT+12", "America/Montreal",
             "Australia/Lord_Howe", "Asia/Kathmandu", "UTC")
# A handful of "now"s (the date parser keeps one dateparser per day): the test clock, both DST changes,
# a 29 February, a new year's eve at the last minute.
NOWS = (NOW, datetime(2021, 3, 28, 0, 30, tzinfo=timezone.utc), datetime(2021, 10, 31, 0, 30, tzinfo=timezone.utc),
        datetime(2024, 2, 29, 12, 0, tzinfo=timezone.utc), datetime(2021, 12, 31, 22, 59, tzinfo=timezone.utc))


# --- seeded generation (cheap) ------------------------------------------------------------------------------


def _unicode(rng: random.Random) -> str:
    """A few characters from anywhere (surrogates aside), weighted towards the scripts people type."""
    chars = []
    for _ in range(rng.randint(1, 4)):
        low, high = rng.choice(((0x20, 0x7E), (0xA0, 0x24F), (0x300, 0x36F), (0x2000, 0x206F), (0x1F300, 0x1F6FF),
                                (0x600, 0x6FF), (0xFF00, 0xFFEF), (0x0, 0xD7FF), (0xE000, 0x10FFFF)))
        chars.append(chr(rng.randint(low, high)))
    return "".join(chars)


def _number(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.3:
        return rng.choice(SPECIAL_NUMBERS)
    if kind < 0.5:
        return str(rng.randint(0, 40))
    if kind < 0.65:
        return str(rng.randint(-10 ** 30, 10 ** 30))
    if kind < 0.85:
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 25)))
        return rng.choice(("", "", "#", "P", "n°", "no", "-")) + digits
    return "".join(rng.choice(NUMBER_CHARS) for _ in range(rng.randint(1, 8)))


def _word(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.45:
        return rng.choice(VOCABULARY)
    if kind < 0.65:
        return _number(rng)
    if kind < 0.8:
        return rng.choice(TIMES_AND_DATES)
    if kind < 0.9:
        return rng.choice(PUNCTUATION)
    return _unicode(rng)


def phrase(rng: random.Random, first: tuple[str, ...] = (), max_words: int = 10) -> str:
    """Words of the grammars, numbers and punctuation, glued mostly by spaces; sometimes starting with one of
    `first`, sometimes with a count ("N fois") inside."""
    parts = [rng.choice(first)] if first and rng.random() < 0.7 else []
    for _ in range(rng.randint(0, max_words)):
        if parts:
            parts.append(rng.choice(SEPARATORS))
        parts.append(_word(rng))
    if rng.random() < 0.15:
        parts.insert(rng.randint(0, len(parts)), f" {_number(rng)} {rng.choice(('fois', 'times'))} ")
    return "".join(parts)


def batch(seed: int, first: tuple[str, ...] = (), max_words: int = 10) -> list[str]:
    rng = random.Random(seed)
    return [phrase(rng, first, max_words) for _ in range(BATCH)]


# --- hypothesis strategies ------------------------------------------------------------------------------------

numbers = st.one_of(st.sampled_from(SPECIAL_NUMBERS), st.integers(min_value=-10 ** 30, max_value=10 ** 30).map(str),
                    st.text(alphabet=NUMBER_CHARS, min_size=1, max_size=8))
word = st.one_of(st.sampled_from(VOCABULARY), numbers, st.sampled_from(TIMES_AND_DATES),
                 st.sampled_from(PUNCTUATION), st.text(max_size=5))
phrases = st.lists(word, max_size=8).map(" ".join)
inputs = st.one_of(phrases, st.text(max_size=60))  # full unicode (surrogates aside) or grammar-ish
seeds = st.integers(min_value=0, max_value=2 ** 63)
zones = st.sampled_from(TIMEZONES)
nows = st.sampled_from(NOWS)
langs = st.sampled_from(i18n.LANGUAGES)


# --- checks -----------------------------------------------------------------------------------------------------


def _renders(key: str, values: dict) -> None:
    """The key exists in both languages and its text takes these values (no missing field)."""
    assert i18n.has(key), f"no catalogue text {key!r}"
    for lang in i18n.LANGUAGES:
        assert lang in i18n.CATALOGUE[key], f"{key!r} has no {lang} text"
        i18n.t(lang, key, **{"p": "!", **values})


def check_refusal(exc: Exception, text: str) -> None:
    """A parser's refusal is its own error type, and says something from the catalogue in both languages."""
    if isinstance(exc, DateError):
        assert exc.code in ("unparseable", "past", "too_far", "weekday_mismatch", "no_such_day", "no_such_time"), (
            exc.code, text)
        for lang in i18n.LANGUAGES:
            _renders(date_error_key(exc), date_error_values(exc, lang, text))
    elif isinstance(exc, RecurrenceError):  # said by !réunion prévoir as "schedule.<code>"
        _renders(f"schedule.{exc.code}", {"phrase": exc.phrase})
    elif isinstance(exc, UserError):
        _renders(exc.key, exc.values)
    elif isinstance(exc, UsageError):
        if exc.problem_key:
            _renders(exc.problem_key, exc.values)
    else:
        raise AssertionError(f"{type(exc).__name__} escaped on {text!r}: {exc!r}") from exc


def check_date(when: datetime, now: datetime, text: str) -> None:
    assert when.tzinfo is not None, text
    assert when.date() <= horizon(now.astimezone(when.tzinfo).date()), (when, text)
    assert when >= now - timedelta(days=1), (when, text)  # not past (a day without a time: today is fine)


def run(parser, text: str, now: datetime, tz: str, lang: str, **kw):
    """The parser's result, or None when it refused (the refusal checked)."""
    try:
        return parser(text, now=now, tz=tz, lang=lang, **kw)
    except Exception as exc:  # noqa: BLE001 - what escapes is the point: check_refusal says which
        check_refusal(exc, text)
        return None


# --- parser level -----------------------------------------------------------------------------------------------


@FUZZ
@given(extra=inputs, seed=seeds, now=nows, tz=zones, lang=langs, deadline=st.booleans())
def test_parse_date(extra, seed, now, tz, lang, deadline):
    for text in (extra, *batch(seed, max_words=6)):
        parsed = run(parse_date, text, now, tz, lang, deadline=deadline)
        if parsed is not None:
            check_date(parsed.when, now, text)


@FUZZ
@given(extra=inputs, seed=seeds, now=nows, tz=zones, lang=langs)
def test_find_date(extra, seed, now, tz, lang):
    for text in (extra, *batch(seed, max_words=8)):
        found = run(find_date, text, now, tz, lang)
        if found is not None:
            check_date(found[0].when, now, text)


@FUZZ
@given(extra=inputs, seed=seeds, now=nows, tz=zones, lang=langs)
def test_split_deadline(extra, seed, now, tz, lang):
    for text in (extra, *batch(seed, first=tuple(f"x {k}" for k in W.DEADLINE_KEYWORDS))):
        found = run(split_deadline, text, now, tz, lang)
        if found is not None and found[1] is not None:
            check_date(found[1].when, now, text)


@FUZZ
@given(extra=inputs, seed=seeds, now=nows, tz=zones, lang=langs)
def test_find_recurring(extra, seed, now, tz, lang):
    for text in (extra, *batch(seed, first=RULE_STARTS)):
        found = run(find_recurring, text, now, tz, lang)
        if found is None:
            continue
        check_date(found.first, now, text)
        rule = found.rule
        assert rule.count is None or 1 <= rule.count <= MAX_COUNT, text
        assert rule.until is None or rule.until <= horizon(now.date() + timedelta(days=1)), text
        assert rule.count is None or rule.until is None, text


@FUZZ
@given(extra=inputs, seed=seeds, now=nows, tz=zones, lang=langs)
def test_parse_schedule(extra, seed, now, tz, lang):
    for text in (extra, *batch(seed, first=RULE_STARTS + TIMES_AND_DATES, max_words=7)):
        draft = run(parse_schedule, text, now, tz, lang)
        if draft is not None:
            check_date(draft.first, now, text)


@FUZZ
@given(extra=inputs, seed=seeds, now=nows, tz=zones, lang=langs)
def test_parse_new_action(extra, seed, now, tz, lang):
    starts = ("@annie", "#énergie", '@"Nicolas"', "relancer la mairie pour", "x avant", "x by", "x d'ici")
    for text in (extra, *batch(seed, first=starts)):
        draft = run(parse_new_action, text, now, tz, lang)
        if draft is not None and draft.deadline is not None:
            check_date(draft.deadline.when, now, text)


@FUZZ
@given(extra=st.one_of(numbers, st.text(max_size=12)), seed=seeds, scheduled=st.booleans())
def test_number_parser(extra, seed, scheduled):
    rng = random.Random(seed)
    words = [extra] + [rng.choice((_number, _word))(rng) for _ in range(BATCH)]
    for text in words:
        looks = looks_like_number(text)
        try:
            number = parse_number(text, scheduled=scheduled)
        except NumberError:
            _renders("number.bad_action", {"value": text, "example": "!action fait 12"})
            continue
        except Exception as exc:  # noqa: BLE001
            raise AssertionError(f"{type(exc).__name__} escaped on {text!r}") from exc
        assert looks and 1 <= number <= MAX_NUMBER, text


@FUZZ
@given(extra=st.one_of(st.from_regex(r"\s*([0-9]{1,20}\s*[smhdjSMHDJ]\s*){1,3}", fullmatch=True),
                       st.text(max_size=12)), seed=seeds)
def test_durations(extra, seed):
    rng = random.Random(seed)
    texts = [extra] + ["".join(f"{_number(rng)}{rng.choice('smhdjx ')}" for _ in range(rng.randint(1, 3)))
                       for _ in range(BATCH)]
    for text in texts:
        try:
            duration = parse_duration(text)
        except DurationError:
            _renders("settings.bad_durations", {"value": text})
            continue
        except Exception as exc:  # noqa: BLE001
            raise AssertionError(f"{type(exc).__name__} escaped on {text!r}") from exc
        assert timedelta(0) <= duration <= MAX_DURATION, text


# --- router level -----------------------------------------------------------------------------------------------

COORD = "@coord:pacte.example"
INTERNAL = {i18n.t(lang, "error.internal").plain for lang in i18n.LANGUAGES}


class FuzzRoom:
    """One event loop and one in-memory store for many generated command lines; a fresh store every RESET
    lines, so that lists of thousands of actions do not make the run quadratic."""

    RESET = 200

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.store = self.chat = None
        self.lines = 0

    def _open(self) -> None:
        if self.store is not None:
            self.loop.run_until_complete(self.store.close())
        self.store = self.loop.run_until_complete(open_store("sqlite+aiosqlite://"))
        clock = FakeClock(NOW)
        self.chat = Chat(Router(registry, Services(self.store, clock, Defaults())), clock)
        self.chat.join(COORD, "Coordinatrice", power=100)  # a coordinator: everything runs, no rate limit
        self.chat.join("@annie:pacte.example", "Annie Martin")

    def say(self, line: str) -> list:
        if self.lines % self.RESET == 0:
            self._open()
        self.lines += 1
        return self.loop.run_until_complete(self.chat.say(line, sender=COORD))

    def close(self) -> None:
        if self.store is not None:
            self.loop.run_until_complete(self.store.close())
        self.loop.close()


def command_line(rng: random.Random) -> str:
    command = rng.choice(COMMANDS)
    kind = rng.random()
    if kind < 0.5:  # a sub-command and a number, then anything
        return f"{command} {rng.choice(SUBCOMMAND_WORDS)} {_number(rng)} {phrase(rng, max_words=4)}"
    if kind < 0.7:
        return f"{command} {rng.choice(SUBCOMMAND_WORDS)} {phrase(rng, max_words=6)}"
    if kind < 0.85:
        return f"!réunion prévoir {phrase(rng, first=RULE_STARTS + TIMES_AND_DATES, max_words=6)}"
    return f"{command} {phrase(rng, max_words=6)}"


def test_router_never_answers_with_the_internal_error(caplog):
    room = FuzzRoom()

    @FUZZ
    @given(extra=st.builds(lambda c, t: f"{c} {t}", st.sampled_from(COMMANDS), inputs), seed=seeds)
    def lines(extra, seed):
        rng = random.Random(seed)
        for line in [extra] + [command_line(rng) for _ in range(BATCH)]:
            for effect in room.say(line):
                if isinstance(effect, Reply):
                    assert effect.content.plain not in INTERNAL, f"internal error on {line!r}"

    try:
        lines()
    finally:
        room.close()
    assert "failed on event" not in caplog.text


# --- the generators themselves ------------------------------------------------------------------------------------


def test_the_generators_reach_the_grammar():
    """Enough of what is generated parses, so the properties above are not only tried on refusals."""
    rng = random.Random(0)
    dates = [phrase(rng, first=TIMES_AND_DATES, max_words=2) for _ in range(500)]
    assert sum(run(parse_date, t, NOW, "Europe/Paris", "fr") is not None for t in dates) > 50
    series = [phrase(rng, first=RULE_STARTS, max_words=4) for _ in range(500)]
    assert sum(run(find_recurring, t, NOW, "Europe/Paris", "fr") is not None for t in series) > 50
    assert sum(looks_like_number(_number(rng)) for _ in range(500)) > 250
    assert parse_date("12/05/2021", now=NOW, tz="Europe/Paris").when.date() == date(2021, 5, 12)
    assert clean_text("²") == "2"  # what the router does to superscripts before any parser sees them


@pytest.mark.parametrize("line", ["!action fait ²", "!compte-rendu ²", "!réunion annuler ²", "!quand ²",
                                  "!action fait ١٢", "!réglages rappels-réunion ²h", "!compte-rendu ١٢"])
async def test_superscripts_and_other_digits_through_the_router(chat, line):
    chat.join(COORD, "Coordinatrice", power=100)
    reply = await chat.reply(line, sender=COORD)
    assert reply.content.plain not in INTERNAL
