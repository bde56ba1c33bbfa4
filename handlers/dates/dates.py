"""Dates typed by people, in French and English: the one parser behind every command that takes a date.

No Matrix, no database, no I/O of our own; stdlib + dateparser + dateutil.

How a phrase is read
--------------------
1. It is folded (lower case, no accents, straight apostrophes) so tables hold one spelling per word.
2. "dans une heure" / "in 30 minutes" is an exact instant, computed in UTC (DST-safe).
3. A part of the day ("ce soir", "demain matin", "tonight") and a time ("18h", "à 18h30", "6:30 pm",
   "midi") are taken out of the phrase; what is left must name a day, or nothing.
4. The day is read by the first reader that recognises it: relative words (demain), "dans 3 jours",
   weekdays, month parts (fin mai), week parts (fin de semaine), numeric dates (12/05, 2027-05-12),
   and dates with a month name, which go to dateparser: it knows both languages' month names,
   abbreviations ("sept."), ordinals ("1er", "12th", "the 12th of May") and word orders ("May 12, 2027").
5. Day and time are joined as a wall-clock time in the requested zone (DST-correct).

Rules chosen (the commands' help texts should say the same)
-----------------------------------------------------------
- A bare weekday ("lundi", "monday") is its next occurrence strictly after today: "mardi" typed on a
  Tuesday is next week's. "lundi prochain" / "next monday" / "lundi qui vient" mean the same thing.
  "ce lundi" / "this monday" allows today. "lundi en huit" is a week after "lundi".
  "lundi dernier" / "last monday" is the previous one (and so is refused as past).
- A weekday written next to an explicit date ("jeudi 12 mai", "vendredi 13", "May 9 saturday") must be
  that date's: otherwise the phrase is refused (DateError "weekday_mismatch", naming the right weekday)
  rather than read as one or the other. A date without a year is resolved first (the next one to come),
  then checked: "samedi 9 mai" is not moved to a year where 9 May is a Saturday. Two weekdays in one
  phrase ("lundi mercredi 12 mai") are not a date; find_date then leaves the first one in the text.
- A time alone ("18h", "midi", "at 6pm") is its next occurrence: today if still ahead, else tomorrow.
- "ce soir" / "tonight" is today at 20:00 unless a time is given; "matin" is 09:00, "après-midi" 14:00,
  "soir" 20:00. In an afternoon or evening a small bare hour is a pm one: "ce soir à 8h" is 20:00.
- Month parts: début/early = the 10th, mi/mid = the 15th, fin/end/late = the last day. For a deadline
  the end of the window is the fair reading, and the first third of a month ends on the 10th.
  Week parts: début = Monday, mi = Wednesday, fin = Sunday of the current week ("fin de semaine").
- A date without a year is the next one to come, today included ("27 avril" typed on 27 April is today;
  "12 mai" typed in December is next year's). Only the day is rolled over: "27 avril à 9h" typed on
  27 April at 20:00 is refused as past rather than moved a year ahead.
- Numeric dates are day-first in both languages: "12/05" is 12 May. Two-digit years are 20xx.
- "dans 3 jours" / "in 2 weeks" name a day (has_time=False); "dans 2 heures" an exact instant.
- Past means strictly before now for a phrase with a time, before today for a phrase without one.
- A wall time that does not exist (the spring-forward hour) moves forward by an hour; an ambiguous one
  (the autumn repeated hour) is the first of the two.
- Bounds: a date more than MAX_YEARS_AHEAD (10) years ahead is refused (DateError "too_far": "31/12/2099",
  "dans 999 ans" are typos or jokes, and year 9999 does not even fit in UTC in every zone); one before
  MIN_YEAR (1970) is past, whatever allow_past says. Every parser here is total: it returns, or raises
  DateError — never another exception.

What dateparser 1.5 gets wrong, and is handled here instead (measured)
----------------------------------------------------------------------
- A bare "18h" is read as a duration: "demain 18h" → the day after tomorrow at 14:00.
- A time after a date becomes a year: "9 mai 14h" → 2114; two-digit years go to the next century
  ("12/05/18" → 2118). Times are always taken out before dateparser sees the phrase.
- "samedi prochain", "lundi prochain à 18h", "demain soir", "fin mai", "début juin", "mi-mai" → nothing;
  "mercredi 18h" and "le 12" → a day in the past; "12.05." → today at 12:05; bare "3" → the 3rd.
- "27 avril" typed on 27 April → next year (its "future" is strict): we give it yesterday as the base.
- Relative phrases keep the current wall time ("dans 3 jours" → 20:00) and ignore DST.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import dates as babel_dates
from dateparser.date import DateDataParser
from dateutil.relativedelta import relativedelta

from handlers.core.catalogue import LANGUAGES, babel_locale
from handlers.dates import datewords as W
from handlers.dates.words import alternation, fold_phrase, number

DEFAULT_TZ = "Europe/Paris"
END_OF_DAY = time(23, 59)  # what a deadline without a time means
MAX_SPAN_WORDS = 8  # find_date never looks at longer date phrases ("le mercredi 12 mai 2027 à 18h30" is 7)
# A year-less date is at most a year away (a 29 February at most 8): further means a misread number.
MAX_YEARS_WITHOUT_YEAR = 8
# Farthest date accepted, in years from today (a deadline, a meeting, the end of a series); earliest year.
MAX_YEARS_AHEAD = 10
MIN_YEAR = 1970
# DateError codes of a phrase that is a date, but one that cannot be used: said to the user rather than
# leaving the phrase in the text (an action's deadline, the start or end of a series).
UNUSABLE_DATE = ("past", "weekday_mismatch", "too_far", "no_such_day", "no_such_time")


@dataclass(frozen=True)
class ParsedDate:
    when: datetime  # aware, in the requested zone
    has_time: bool  # False if the phrase named only a day
    phrase: str  # the text that was understood as the date (as typed)


class DateError(ValueError):
    """code is "unparseable" (not a date), "past" (a date, but already gone), "too_far" (more than
    MAX_YEARS_AHEAD years ahead), "weekday_mismatch" (a date whose weekday is not the one written with it:
    `day` is the date, `stated` the weekday written, 0 = Monday) or "no_such_day" (a day the month does not
    have, "31 février", "31/04": `missing` is (day, month, year or None)) or "no_such_time" (a day with a time
    that no clock shows, "mercredi 12 mai 25h": `clock` is that time as typed)."""

    def __init__(self, code: str, phrase: str, *, day: date | None = None, stated: int | None = None,
                 missing: tuple[int, int, int | None] | None = None, clock: str | None = None) -> None:
        super().__init__(f"{code}: {phrase!r}")
        self.code = code
        self.phrase = phrase
        self.day = day
        self.stated = stated
        self.missing = missing
        self.clock = clock


class _Unparseable(Exception):
    """Raised deep in the readers; turned into DateError("unparseable") at the edge."""


class _TooFar(Exception):
    """A day beyond the horizon; turned into DateError("too_far") at the edge."""


class _TooOld(Exception):
    """A day before MIN_YEAR; turned into DateError("past") at the edge."""


class _NoSuchDay(Exception):
    """ "31 février", "31/04", "29/02/2027": a day and a month that exist, not together."""

    def __init__(self, day: int, month: int, year: int | None) -> None:
        super().__init__(f"no day {day} in month {month} of {year}")
        self.missing = (day, month, year)


class _NoSuchTime(Exception):
    """ "25h", "18h75", "13pm": written as a time, but none. Said only with a day ("mercredi 12 mai 25h"): alone,
    "24h" is as likely a duration in a title or a deadline ("pour 24h") as a mistyped time, and stays "not a
    date"."""

    def __init__(self, clock: str, rest: str) -> None:
        super().__init__(f"no time {clock!r}")
        self.clock = clock
        self.rest = rest  # the phrase without it


class _WeekdayMismatch(Exception):
    """ "samedi 9 mai" when 9 May is a Sunday; turned into DateError("weekday_mismatch") at the edge."""

    def __init__(self, day: date, stated: int) -> None:
        super().__init__(f"{day} is not weekday {stated}")
        self.day = day
        self.stated = stated


# ---------------------------------------------------------------------------------------------
# Public API


def parse_date(phrase: str, *, now: datetime, tz: str = DEFAULT_TZ, lang: str = "fr",
               deadline: bool = False, allow_past: bool = False) -> ParsedDate:
    """The whole phrase must be a date. deadline=True: a day without a time means 23:59 that day."""
    local_now = _local_now(now, tz)
    try:
        when, has_time = _resolve(_normalise(phrase), local_now, lang)
    except _Unparseable:
        raise DateError("unparseable", phrase) from None
    except _TooFar:
        raise DateError("too_far", phrase) from None
    except _TooOld:
        raise DateError("past", phrase) from None
    except _WeekdayMismatch as mismatch:
        raise DateError("weekday_mismatch", phrase, day=mismatch.day, stated=mismatch.stated) from None
    except _NoSuchDay as no_day:
        raise DateError("no_such_day", phrase, missing=no_day.missing) from None
    except _NoSuchTime as no_time:
        raise DateError("no_such_time", phrase, clock=no_time.clock) from None
    if deadline and not has_time:
        when = _at(when.date(), END_OF_DAY, local_now.tzinfo)
    if when.date() > horizon(local_now.date()):  # "dans 999 heures" names no day: checked here
        raise DateError("too_far", phrase)
    if not allow_past and _is_past(when, has_time, local_now):
        raise DateError("past", phrase)
    return ParsedDate(when=when, has_time=has_time, phrase=phrase.strip())


def split_deadline(text: str, *, now: datetime, tz: str = DEFAULT_TZ,
                   lang: str = "fr") -> tuple[str, ParsedDate | None]:
    """Take the deadline off the end of an action's text: "relayer l'appel avant samedi".

    The deadline is whatever follows `pour`, `avant`, `d'ici`, `by`, `before` or `due`, up to the end,
    provided it parses as a date. Keywords are tried left to right, so the longest candidate wins.
    A deadline that is a date but unusable (already past, or a weekday that is not the date's) raises its
    DateError rather than staying in the text.
    """
    unusable: DateError | None = None
    for keyword_start, date_start, keyword in _deadline_keywords(text):
        # "d'ici 3 jours" is itself a duration phrase; "d'ici samedi" is "samedi".
        starts = (date_start, keyword_start) if keyword in ("d'ici", "dici") else (date_start,)
        for start in starts:
            try:
                parsed = parse_date(text[start:].strip(), now=now, tz=tz, lang=lang, deadline=True)
            except DateError as error:
                if error.code in UNUSABLE_DATE and unusable is None:
                    unusable = error
                continue
            return text[:keyword_start].rstrip(_SEPARATORS).strip(), parsed
    if unusable is not None:
        raise unusable
    return text.strip(), None


def find_date(text: str, *, now: datetime, tz: str = DEFAULT_TZ,
              lang: str = "fr") -> tuple[ParsedDate, str] | None:
    """The longest date phrase inside free text (earliest on a tie), and the text around it.

    "mercredi 12 mai à 18h Examiner les propositions" → (Wed 12 May 18:00, "Examiner les propositions").
    Only runs of date-looking words are tried, so ordinary words are never read as dates.
    Past dates are skipped; one too far ahead raises DateError("too_far"). A date with the wrong weekday
    ("samedi 9 mai" when 9 May is a Sunday) raises DateError("weekday_mismatch"), unless that weekday
    belongs to the words before it ("Point du lundi 12 mai": the title is "Point du lundi").
    """
    words = list(re.finditer(r"\S+", text))
    datey = [_is_date_word(word.group()) for word in words]
    bad_time: tuple[int, int, DateError] | None = None  # "mercredi 12 mai 25h": the longest such phrase
    for length in range(min(MAX_SPAN_WORDS, len(words)), 0, -1):
        for first in range(len(words) - length + 1):
            if not all(datey[first:first + length]):
                continue
            start, end = _trim_span(text, words[first].start(), words[first + length - 1].end())
            try:
                parsed = parse_date(text[start:end], now=now, tz=tz, lang=lang)
            except DateError as error:
                if error.code == "weekday_mismatch" and not _follows_title_link(words, first):
                    raise
                if error.code in ("too_far", "no_such_day"):  # "12/05/2099 18h Point": not a title, nor "18h"
                    raise
                if error.code == "no_such_time" and bad_time is None:
                    bad_time = (start, end, error)
                continue
            if bad_time is not None and bad_time[0] <= start and end <= bad_time[1]:
                raise bad_time[2]  # what is left of it without its time: not the date meant
            rest = f"{text[:start].rstrip()} {text[end:].lstrip(_SEPARATORS)}"
            return parsed, rest.strip(_SEPARATORS)
    if bad_time is not None:
        raise bad_time[2]
    return None


def no_such_time(text: str) -> str | None:
    """The first time in `text` that no clock shows ("25h", "13pm"), as typed, or None. For a recurrence, whose day
    is said apart from its time ("tous les lundis à 25h")."""
    for match in _CLOCK.finditer(_normalise(text)):
        try:
            _clock_from(match)
        except _NoSuchTime as no_time:
            return no_time.clock
        except _Unparseable:
            continue
    return None


def horizon(today: date) -> date:
    """The last day a date may name, MAX_YEARS_AHEAD years after today (a 29 February: the 28th)."""
    return today + relativedelta(years=MAX_YEARS_AHEAD)


# --- display: Babel, in the room's locale, with the patterns people expect ("mercredi 12 mai 2021 à 18h00",
# "1er mai", "18h05"; "Wednesday 12 May 2021 at 18:00"). A language without patterns here gets its locale's own
# formats. The tables of datewords.py are for parsing only.
_DISPLAY = {
    "fr": {"day": "d MMMM", "first": "'1er' MMMM", "time": "H'h'mm", "at": " à "},
    "en": {"day": "d MMMM", "first": "d MMMM", "time": "HH:mm", "at": " at "},
}


def _lang(lang: str) -> str:
    return lang if lang in LANGUAGES else "fr"


def format_when(when: datetime, lang: str, has_time: bool = True) -> str:
    """"mercredi 12 mai 2027 à 18h00" / "Wednesday 12 May 2027 at 18:00" (the wall-clock time `when` carries)."""
    lang = _lang(lang)
    text = f"{weekday_name(when.weekday(), lang)} {format_day(when.date(), lang)}"
    if not has_time:
        return text
    at = _DISPLAY[lang]["at"] if lang in _DISPLAY else " "
    return f"{text}{at}{format_time(when.time(), lang)}"


def format_day(day: date, lang: str, *, year: bool = True) -> str:
    """"1er mai 2027" / "1 May 2027": a date without its weekday (year=False: "1er mai", in a list of dates)."""
    return _format_day(date(day.year, day.month, day.day), _lang(lang), year)


def format_time(clock: time, lang: str) -> str:
    """"18h05" / "18:05": the one way Relais writes a time of day."""
    return _format_time(clock.replace(tzinfo=None), _lang(lang))


@lru_cache(maxsize=64)  # Babel parses its pattern at every call; a list of actions names a weekday per line
def weekday_name(weekday: int, lang: str) -> str:
    """0 = "lundi" / "Monday"."""
    return babel_dates.format_date(_A_MONDAY + timedelta(days=weekday), "EEEE", locale=babel_locale(_lang(lang)))


def month_name(month: int, lang: str) -> str:
    """1 = "janvier" / "January": as written inside a date."""
    return babel_dates.get_month_names("wide", context="format", locale=babel_locale(_lang(lang)))[month]


# Babel parses its locale data and pattern at every call, and a list of actions formats the same few dates over
# and over: each result is kept (bounded). The keys are naive (a plain date, a time without zone): aware times
# in two zones can be equal, and so share a cache entry, while being written differently.
@lru_cache(maxsize=4096)
def _format_day(day: date, lang: str, year: bool) -> str:
    patterns = _DISPLAY.get(lang)
    if patterns is None:
        return babel_dates.format_date(day, "long" if year else "MMMM d", locale=babel_locale(lang))
    pattern = patterns["first" if day.day == 1 else "day"] + (" y" if year else "")
    return babel_dates.format_date(day, pattern, locale=babel_locale(lang))


@lru_cache(maxsize=4096)
def _format_time(clock: time, lang: str) -> str:
    pattern = _DISPLAY[lang]["time"] if lang in _DISPLAY else "short"
    return babel_dates.format_time(clock, pattern, locale=babel_locale(lang))


_A_MONDAY = date(2024, 1, 1)


# ---------------------------------------------------------------------------------------------
# Text helpers and regex building blocks

_ISO_T = re.compile(r"(\d{4}-\d{1,2}-\d{1,2})t(?=\d)")  # "2027-05-12T18:00"
_NOISE = re.compile(r"[,;!?()\[\]\"«»“”]")
_SPACES = re.compile(r"\s+")
_SEPARATORS = " \t\n,;:-–—"
_WORD_START = r"(?<![\w'-])"
_WORD_END = r"(?![\w'-])"


def _normalise(phrase: str) -> str:
    text = _ISO_T.sub(r"\1 ", fold_phrase(phrase))
    text = _NOISE.sub(" ", text)
    return _SPACES.sub(" ", text).strip(" .:")


def _remove(text: str, match: re.Match) -> str:
    return _SPACES.sub(" ", f"{text[:match.start()]} {text[match.end():]}").strip()


_NUM = rf"(?:\d{{1,3}}|{alternation(W.NUMBERS)})"
_IN = rf"(?:{alternation(W.DURATION_LEADS)})"
_PART = rf"(?:{alternation(W.MONTH_PARTS)})"


# ---------------------------------------------------------------------------------------------
# Time zone and instants


@lru_cache(maxsize=32)
def _zone(tz: str) -> ZoneInfo:
    return ZoneInfo(tz)


def _local_now(now: datetime, tz: str) -> datetime:
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    return now.astimezone(_zone(tz))


def _at(day: date, clock: time, zone) -> datetime:
    """Wall-clock time in zone. Going through UTC moves a non-existent spring-forward time one hour on."""
    return datetime.combine(day, clock, tzinfo=zone).astimezone(timezone.utc).astimezone(zone)


def _is_past(when: datetime, has_time: bool, now: datetime) -> bool:
    return when < now if has_time else when.date() < now.date()


# ---------------------------------------------------------------------------------------------
# The phrase as a whole: instant, or [part of day] + [time] + [day]


def _resolve(text: str, now: datetime, lang: str) -> tuple[datetime, bool]:
    if not text:
        raise _Unparseable
    instant = _clock_duration(text, now)
    if instant is not None:
        return instant, True
    text, period = _take_period(text)  # before the time: "après-midi" contains "midi"
    try:
        text, clock = _take_clock(text)
    except _NoSuchTime as no_time:  # said only when the rest names a day (see _NoSuchTime)
        if _names_day(no_time.rest, now.date(), lang):
            raise
        raise _Unparseable from None
    if clock is not None and clock.bare and period is None:  # "à 8" alone: morning or evening?
        raise _Unparseable
    day = _day(text, now.date(), lang)
    if day is not None:  # before _at: year 9999 at 23:00 in Pago Pago is no instant
        _check_bounds(day, now.date())
    if period is not None:
        if period.today:
            if day is not None:  # "demain ce soir"
                raise _Unparseable
            day = now.date()
        clock = period.apply(clock)
    if clock is None:
        if day is None:
            raise _Unparseable
        return _at(day, time(0, 0), now.tzinfo), False
    if day is None:  # a time alone: its next occurrence
        day = now.date()
        if _at(day, clock.time, now.tzinfo) <= now:
            day += timedelta(days=1)
    return _at(day, clock.time, now.tzinfo), True


_CLOCK_DURATION = re.compile(
    rf"{_IN}\s+(?P<n>{_NUM})\s*(?P<unit>{alternation(W.CLOCK_UNITS)})(?:\s+from\s+now)?"
    rf"|{_IN}\s+(?P<h>\d{{1,2}})\s*h\s*(?P<m>\d{{2}})"  # "dans 1h30"
    rf"|{_IN}\s+(?P<half>une\s+demi-?\s?heure|half\s+an\s+hour|a\s+half\s+hour)"
)


def _check_bounds(day: date, today: date) -> None:
    if day > horizon(today):
        raise _TooFar
    if day.year < MIN_YEAR:
        raise _TooOld


def _clock_duration(text: str, now: datetime) -> datetime | None:
    """ "dans une heure", "in 30 minutes": an exact instant, so computed in UTC (DST-safe)."""
    match = _CLOCK_DURATION.fullmatch(text)
    if match is None:
        return None
    if match["half"]:
        delta = timedelta(minutes=30)
    elif match["h"]:
        delta = timedelta(hours=int(match["h"]), minutes=int(match["m"]))
    else:
        delta = timedelta(**{W.CLOCK_UNITS[match["unit"]]: number(match["n"], W.NUMBERS)})
    return (now.astimezone(timezone.utc) + delta).astimezone(now.tzinfo)


# --- time of day ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Clock:
    time: time
    flexible: bool  # a 1–11 hour without am/pm, that an afternoon or evening turns into a pm one
    bare: bool = False  # "à 8", with no "h": only a time next to a part of the day ("ce soir à 8")


_MERIDIEM = r"(?:\s*(?P<{name}>[ap])\.?\s?m\.?)"
_CLOCK = re.compile(
    rf"{_WORD_START}(?:(?P<article>{alternation(W.TIME_ARTICLES)})\s*)?"
    r"(?:"
    # 18h, 18h30, 18:30, 6:30 pm
    rf"(?P<h>\d{{1,2}})\s*(?:h\s*(?P<hm>\d{{2}})?|:(?P<cm>\d{{2}})){_MERIDIEM.format(name='mer')}?"
    rf"|(?P<h12>\d{{1,2}}){_MERIDIEM.format(name='mer12')}"  # 6pm
    r"|(?P<hw>\d{1,2})\s+heures?(?:\s+(?P<mw>\d{2}))?"  # 18 heures 30
    rf"|(?P<named>{alternation(W.NAMED_TIMES)})"  # midi, noon
    r"|(?(article)(?P<bare>\d{1,2})|(?!))"  # "ce soir à 8": needs "à"/"at", and a part of the day
    rf"){_WORD_END}"
)


def _take_clock(text: str) -> tuple[str, _Clock | None]:
    matches = list(_CLOCK.finditer(text))
    if not matches:
        return text, None
    if len(matches) > 1:  # "18h à 20h": a range is not a date
        raise _Unparseable
    rest = _remove(text, matches[0])
    return rest, _clock_from(matches[0], rest)


def _as_typed(clock: re.Match) -> str:
    """The time of a clock match without its article: "25h" of "à 25h"."""
    text = clock.group().strip()
    return text[re.search(r"\d", text).start():]


def _names_day(text: str, today: date, lang: str) -> bool:
    try:
        return _day(text, today, lang) is not None
    except (_Unparseable, _NoSuchDay, _WeekdayMismatch, _TooFar, _TooOld):
        return False


def _clock_from(match: re.Match, rest: str = "") -> _Clock:
    """The clock `match` shows; _NoSuchTime (with `rest`, the phrase without it) for a time no clock shows."""
    if match["named"]:
        return _Clock(time(*W.NAMED_TIMES[_SPACES.sub(" ", match["named"])]), flexible=False)
    if match["bare"]:
        hour = int(match["bare"])
        if not 1 <= hour <= 11:  # "à 12": noon or midnight?
            raise _Unparseable
        return _Clock(time(hour, 0), flexible=True, bare=True)
    hour = int(match["h"] or match["h12"] or match["hw"])
    minute = int(match["hm"] or match["cm"] or match["mw"] or 0)
    meridiem = match["mer"] or match["mer12"]
    if meridiem:
        if not 1 <= hour <= 12:
            raise _NoSuchTime(_as_typed(match), rest)
        hour = hour % 12 + (12 if meridiem == "p" else 0)
    if hour > 23 or minute > 59:
        raise _NoSuchTime(_as_typed(match), rest)
    return _Clock(time(hour, minute), flexible=not meridiem and 1 <= hour <= 11)


# --- part of the day ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Period:
    default: time
    afternoon: bool  # small bare hours are pm ones
    today: bool  # "ce soir", "tonight": the day is today

    def apply(self, clock: _Clock | None) -> _Clock:
        if clock is None:
            return _Clock(self.default, flexible=False)
        if self.afternoon and clock.flexible:
            return _Clock(clock.time.replace(hour=clock.time.hour + 12), flexible=False)
        return clock


_PERIOD = re.compile(
    rf"{_WORD_START}(?:"
    rf"(?:(?P<this>{alternation(W.THIS_PERIOD)})\s+|(?:au|le|du|dans\s+la|in\s+the)\s+)?"
    rf"(?P<period>{alternation(W.PERIODS)})"
    rf"|(?P<tonight>{alternation(W.TONIGHT)})"
    rf"){_WORD_END}"
)


def _take_period(text: str) -> tuple[str, _Period | None]:
    matches = list(_PERIOD.finditer(text))
    if not matches:
        return text, None
    if len(matches) > 1:
        raise _Unparseable
    match = matches[0]
    name = "soir" if match["tonight"] else _SPACES.sub(" ", match["period"])
    (hour, minute), afternoon = W.PERIODS[name]
    period = _Period(time(hour, minute), afternoon, today=bool(match["this"] or match["tonight"]))
    return _remove(text, match), period


# ---------------------------------------------------------------------------------------------
# The day


_ARTICLES = re.compile(rf"(?:(?:{alternation(W.DAY_ARTICLES)})\s+)+")


def _day(text: str, today: date, lang: str) -> date | None:
    """The day a phrase (already without its time) names; None if it names none."""
    if not text:
        return None
    article = _ARTICLES.match(text)
    if article:  # "le 12 mai", "on friday", "the 12th"
        text = text[article.end():]
    day = (_relative_day(text, today) or _calendar_duration(text, today) or _weekday(text, today)
           or _month_part(text, today) or _week_part(text, today)
           or _dated(text, today, lang, had_article=article is not None))
    if day is None:
        raise _Unparseable
    return day


def _relative_day(text: str, today: date) -> date | None:
    offset = W.RELATIVE_DAYS.get(text)
    return None if offset is None else today + timedelta(days=offset)


_CALENDAR_DURATION = re.compile(
    rf"{_IN}\s+(?P<n>{_NUM})\s*(?P<unit>{alternation(W.CALENDAR_UNITS)})(?:\s+from\s+now)?")


def _calendar_duration(text: str, today: date) -> date | None:
    """ "dans 3 jours", "in 2 weeks", "dans un mois": a day, by calendar (31 Jan + 1 month = 28 Feb)."""
    match = _CALENDAR_DURATION.fullmatch(text)
    if match is None:
        return None
    return today + relativedelta(**{W.CALENDAR_UNITS[match["unit"]]: number(match["n"], W.NUMBERS)})


# --- weekdays -------------------------------------------------------------------------------------

_WEEKDAY_RULES = {
    **{w: "this" for w in W.THIS_WEEKDAY},
    **{w: "next" for w in W.NEXT_WEEKDAY_BEFORE + W.NEXT_WEEKDAY_AFTER},
    **{w: "week after next" for w in W.WEEK_AFTER_NEXT_AFTER},
    **{w: "last" for w in W.LAST_WEEKDAY_BEFORE + W.LAST_WEEKDAY_AFTER},
}
_WEEKDAY = re.compile(
    rf"(?:(?P<before>{alternation(W.THIS_WEEKDAY + W.NEXT_WEEKDAY_BEFORE + W.LAST_WEEKDAY_BEFORE)})\s+)?"
    rf"(?P<weekday>{alternation(W.WEEKDAYS)})"
    rf"(?:\s+(?P<after>{alternation(W.NEXT_WEEKDAY_AFTER + W.WEEK_AFTER_NEXT_AFTER + W.LAST_WEEKDAY_AFTER)}))?"
)


def _weekday(text: str, today: date) -> date | None:
    match = _WEEKDAY.fullmatch(text)
    if match is None:
        return None
    rules = {_WEEKDAY_RULES[_SPACES.sub(" ", word)] for word in (match["before"], match["after"]) if word}
    if len(rules) > 1:  # "next monday dernier"
        raise _Unparseable
    rule = rules.pop() if rules else "next"
    wanted = W.WEEKDAYS[match["weekday"]]
    ahead = (wanted - today.weekday()) % 7  # 0 when it is today
    if rule == "this":
        return today + timedelta(days=ahead)
    if rule == "last":
        return today - timedelta(days=(today.weekday() - wanted - 1) % 7 + 1)
    next_one = today + timedelta(days=ahead or 7)  # strictly after today
    return next_one + timedelta(days=7) if rule == "week after next" else next_one


# --- month and week parts ---------------------------------------------------------------------------

_MONTH_PART = re.compile(
    rf"(?P<part>{_PART})[\s-]*(?:(?:de|du)\s+|d')?(?P<month>{alternation(W.MONTHS)})(?:\s+(?P<year>\d{{4}}))?")
_THIS_MONTH_PART = re.compile(
    rf"(?P<part>{_PART})[\s-]*(?:(?:du|de\s+ce|de|the|this)\s+)?(?P<next>next\s+)?(?:mois|month)"
    rf"(?P<next_after>\s+prochain)?")


def _month_part(text: str, today: date) -> date | None:
    """ "fin mai", "mi-mai", "début juin 2027", "fin du mois", "end of next month"."""
    match = _MONTH_PART.fullmatch(text)
    if match is not None:
        part = W.MONTH_PARTS[_SPACES.sub(" ", match["part"])]
        month = W.MONTHS[match["month"]]
        if match["year"]:
            return _month_day(int(match["year"]), month, part)
        this_year = _month_day(today.year, month, part)
        return this_year if this_year >= today else _month_day(today.year + 1, month, part)
    match = _THIS_MONTH_PART.fullmatch(text)
    if match is not None:
        first = today.replace(day=1)
        if match["next"] or match["next_after"]:
            first += relativedelta(months=1)
        return _month_day(first.year, first.month, W.MONTH_PARTS[_SPACES.sub(" ", match["part"])])
    return None


def _month_day(year: int, month: int, day: int | None) -> date:
    """day None is the last day of the month."""
    if not 1 <= year <= 9999:  # "fin mai 0000"
        raise _Unparseable
    return date(year, month, day or calendar.monthrange(year, month)[1])


_WEEK_PART = re.compile(
    rf"(?P<part>{_PART})[\s-]*(?:(?:de\s+la|de\s+cette|de|du|the|this)\s+)?(?P<next>next\s+)?(?:semaine|week)"
    rf"(?P<next_after>\s+prochaine)?")


def _week_part(text: str, today: date) -> date | None:
    """ "fin de semaine", "end of the week" (Sunday), "début de la semaine prochaine" (Monday)."""
    match = _WEEK_PART.fullmatch(text)
    if match is None:
        return None
    monday = today - timedelta(days=today.weekday())
    if match["next"] or match["next_after"]:
        monday += timedelta(days=7)
    return monday + timedelta(days=W.WEEK_PARTS[_SPACES.sub(" ", match["part"])])


# --- explicit dates -----------------------------------------------------------------------------------

_LEADING_WEEKDAY = re.compile(
    rf"(?P<weekday>{alternation(W.WEEKDAYS | W.WEEKDAY_ABBREVIATIONS)})\.?\s+(?:(?:le|the)\s+)?(?P<rest>.+)")
# After the date, only full names: abbreviations are ordinary words too often ("12 mai sam").
_TRAILING_WEEKDAY = re.compile(rf"(?P<rest>.+?)\s+(?P<weekday>{alternation(W.WEEKDAYS)})")
_ANY_WEEKDAY = re.compile(rf"{_WORD_START}(?:{alternation(W.WEEKDAYS)}){_WORD_END}")
_ORDINAL = "er|re|e|eme|st|nd|rd|th"  # 1er, 2e, 3rd…
_DAY_OF_MONTH = re.compile(rf"(?P<day>\d{{1,2}})(?P<ordinal>{_ORDINAL})?")
_DAY_FIRST = re.compile(r"(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})(?:[/.-](?P<year>\d{4}|\d{2}))?")
_YEAR_FIRST = re.compile(r"(?P<year>\d{4})[/.-](?P<month>\d{1,2})[/.-](?P<day>\d{1,2})")
_MONTH_WORD = re.compile(rf"{_WORD_START}(?:{alternation(W.MONTHS)}){_WORD_END}")


def _dated(text: str, today: date, lang: str, had_article: bool) -> date | None:
    """ "12 mai", "mercredi 12 mai", "le 12", "vendredi 13", "12/05", "2027-05-12", "May 9 saturday".

    A weekday written with the date must be the date's (checked once the date is resolved, so a date
    without a year is never moved to a year that would fit the weekday)."""
    leading = _LEADING_WEEKDAY.fullmatch(text)
    trailing = None if leading else _TRAILING_WEEKDAY.fullmatch(text)
    written = leading or trailing
    if written is not None:
        text = written["rest"]
        if _LEADING_WEEKDAY.fullmatch(text) or _ANY_WEEKDAY.search(text):  # "lundi mercredi 12 mai"
            raise _Unparseable
    day = _explicit_day(text, today, lang, bare_number_ok=had_article or leading is not None)
    if day is not None and written is not None:
        stated = _weekday_of(written["weekday"])
        if day.weekday() != stated:
            raise _WeekdayMismatch(day, stated)
    return day


def _weekday_of(word: str) -> int:
    return W.WEEKDAYS.get(word, W.WEEKDAY_ABBREVIATIONS.get(word))


def _explicit_day(text: str, today: date, lang: str, bare_number_ok: bool) -> date | None:
    match = _DAY_OF_MONTH.fullmatch(text)
    if match is not None:
        # A bare number is not a date ("3 tracts"); "le 3", "vendredi 3", "3rd" are.
        if not (bare_number_ok or match["ordinal"]):
            return None
        return _next_day_of_month(int(match["day"]), today)
    match = _DAY_FIRST.fullmatch(text) or _YEAR_FIRST.fullmatch(text)
    if match is not None:
        return _numeric_date(match, today)
    if _MONTH_WORD.search(text) and re.search(r"\d", text):
        return _calendar_date(text, today, lang)
    return None


def _next_day_of_month(day: int, today: date) -> date:
    """The next month (this one included) that has this day and where it is still to come."""
    first = today.replace(day=1)
    for months in range(13):
        month = first + relativedelta(months=months)
        if 1 <= day <= calendar.monthrange(month.year, month.month)[1] and month.replace(day=day) >= today:
            return month.replace(day=day)
    raise _Unparseable  # day 0 or beyond 31


def _numeric_date(match: re.Match, today: date) -> date:
    """Day-first numbers (dateparser reads "12.05." as 12:05 and "12/05/18" as 2118, so these are ours)."""
    day, month = int(match["day"]), int(match["month"])
    if match["year"]:
        year = int(match["year"])
        year += 2000 if len(match["year"]) == 2 else 0  # "12/05/21"; "0001" is year 1 (past)
        try:
            return date(year, month, day)
        except ValueError:
            raise _no_such_day(day, month, year) from None
    for year in range(today.year, today.year + MAX_YEARS_WITHOUT_YEAR + 1):  # 29/02 waits for a leap year
        try:
            candidate = date(year, month, day)
        except ValueError:
            if not (month == 2 and day == 29):
                raise _no_such_day(day, month, None) from None
            continue
        if candidate >= today:
            return candidate
    raise _Unparseable


def _no_such_day(day: int, month: int, year: int | None) -> Exception:
    """What a day and a month that do not go together mean: no such day when both exist on their own
    ("31/04"), else not a date at all ("45/13")."""
    if 1 <= month <= 12 and 1 <= day <= 31:
        return _NoSuchDay(day, month, year)
    return _Unparseable()


# "31 février", "le 30 février 2028", "February 30": a day the month never has (dateparser only says "no date").
_DAY_MONTH = re.compile(rf"(?:(?:le|the)\s+)?(?P<day>\d{{1,2}})(?:{_ORDINAL})?\s+(?:of\s+)?"
                        rf"(?P<month>{alternation(W.MONTHS)})\.?(?:\s+(?P<year>\d{{4}}))?")
_MONTH_DAY = re.compile(rf"(?P<month>{alternation(W.MONTHS)})\.?\s+(?P<day>\d{{1,2}})(?:{_ORDINAL})?"
                        rf"(?:,?\s+(?P<year>\d{{4}}))?")


def _check_day_exists(text: str) -> None:
    match = _DAY_MONTH.fullmatch(text) or _MONTH_DAY.fullmatch(text)
    if match is None:
        return
    day, month = int(match["day"]), W.MONTHS[match["month"]]
    year = int(match["year"]) if match["year"] else None
    try:
        date(year or 2000, month, day)  # without a year, a leap one: 29 February exists
    except ValueError:
        raise _no_such_day(day, month, year) from None


def _calendar_date(text: str, today: date, lang: str) -> date:
    """Dates with a month name, read by dateparser: "12 mai", "1er juin", "May 12th, 2027", "12 mai 27"."""
    if not all(_is_calendar_word(word) for word in text.split()):
        # dateparser skips words it deems filler: "12 mai à" (a time's leftover) or "march on 9"
        # (in "climate march on 9 May") would be accepted.
        raise _Unparseable
    _check_day_exists(text)
    day = _dateparser_day(text, today, _languages(lang))
    if day is None:
        raise _Unparseable
    if not re.search(r"\d{4}", text) and day.year - today.year > MAX_YEARS_WITHOUT_YEAR:
        raise _Unparseable  # "12 mai 18": dateparser makes 18 the year 2118
    return day


_CALENDAR_LINKS = frozenset(("de", "of", "the"))  # "12 de mayo" is not ours, but "the 12th of May" is


def _is_calendar_word(word: str) -> bool:
    word = word.rstrip(".")  # "sept.", "mer."
    return (any(c.isdigit() for c in word) or word in W.MONTHS or word in W.WEEKDAYS
            or word in W.WEEKDAY_ABBREVIATIONS or word in _CALENDAR_LINKS)


def _languages(lang: str) -> tuple[str, ...]:
    return ("en", "fr") if lang == "en" else ("fr", "en")


@lru_cache(maxsize=1024)
def _dateparser_day(text: str, today: date, languages: tuple[str, ...]) -> date | None:
    """dateparser's day for the text, None if it sees none. Cached: find_date and the schedule parser try
    the same spans again and again, and dateparser takes most of their time."""
    try:
        result = _calendar_parser(languages, today).get_date_data(text)
    except Exception:  # noqa: BLE001 - dateparser is not ours to make total: what it trips on is no date
        return None
    if result is None or result.date_obj is None or result.period != "day":
        return None
    return result.date_obj.date()


@lru_cache(maxsize=8)
def _calendar_parser(languages: tuple[str, ...], today: date) -> DateDataParser:
    """One dateparser per language order and day: its settings include the day it counts from."""
    return DateDataParser(languages=list(languages), settings={
        # "future" is strict: with today as the base, "27 avril" typed on 27 April would be next year's.
        "RELATIVE_BASE": datetime.combine(today - timedelta(days=1), time(0, 0)),
        "PREFER_DATES_FROM": "future",
        "DATE_ORDER": "DMY",
        "REQUIRE_PARTS": ["day", "month"],  # "mai 2027" is not a day
        "RETURN_TIME_AS_PERIOD": True,  # so that a stray time is seen (period "time") and refused
        "PARSERS": ["absolute-time"],  # relative phrases and timestamps are ours / not dates
    })


# ---------------------------------------------------------------------------------------------
# Finding dates inside text


def _deadline_keywords(text: str):
    """(start of keyword, start of what follows, folded keyword) for each deadline keyword, leftmost first."""
    words = list(re.finditer(r"\S+", text))
    folded = [fold_phrase(word.group()).strip(",;:") for word in words]
    for index, word in enumerate(words):
        for keyword in _KEYWORD_WORDS:
            end = index + len(keyword)
            if tuple(folded[index:end]) == keyword and end < len(words):
                yield word.start(), words[end].start(), " ".join(keyword)
                break


# Longest first, so that "due by" is taken as one keyword and "by" does not stay in the text.
_KEYWORD_WORDS = sorted((tuple(k.split()) for k in W.DEADLINE_KEYWORDS), key=len, reverse=True)

_PUNCTUATION = ",;:!?()[]\"«»“”"


# "Point du lundi 12 mai": a weekday right after these words is part of what it follows (a title).
_TITLE_LINKS = frozenset(("du", "de", "des", "of"))


def _follows_title_link(words: list[re.Match], first: int) -> bool:
    return first > 0 and fold_phrase(words[first - 1].group()).strip(_PUNCTUATION) in _TITLE_LINKS


def _trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Leave punctuation glued to the first or last word out of a date span ("18h," → "18h")."""
    while start < end and text[start] in _PUNCTUATION:
        start += 1
    while end > start and text[end - 1] in _PUNCTUATION:
        end -= 1
    return start, end


def _vocabulary() -> frozenset[str]:
    tables = (W.MONTHS, W.WEEKDAYS, W.WEEKDAY_ABBREVIATIONS, W.RELATIVE_DAYS, W.NUMBERS, W.CLOCK_UNITS,
              W.CALENDAR_UNITS, W.NAMED_TIMES, W.PERIODS, W.MONTH_PARTS, W.THIS_PERIOD, W.TONIGHT,
              W.THIS_WEEKDAY, W.NEXT_WEEKDAY_BEFORE, W.NEXT_WEEKDAY_AFTER, W.WEEK_AFTER_NEXT_AFTER,
              W.LAST_WEEKDAY_BEFORE, W.LAST_WEEKDAY_AFTER, W.DAY_ARTICLES, W.TIME_ARTICLES,
              W.DURATION_LEADS, W.LINK_WORDS)
    return frozenset(word for table in tables for phrase in table for word in phrase.split())


_VOCABULARY = _vocabulary()


def _is_date_word(word: str) -> bool:
    """Could this word be part of a date phrase? Numbers, and the words of the tables."""
    folded = fold_phrase(word).strip(_PUNCTUATION + ".")
    if not folded:
        return False
    if any(c.isdigit() for c in folded) or folded in _VOCABULARY:
        return True
    if folded.startswith("d'") and folded[2:] in _VOCABULARY:  # "d'avril"
        return True
    return all(part in _VOCABULARY for part in folded.split("-"))  # "mi-mai", "après-demain"


def raise_if_past(text: str, *, now: datetime, tz: str, lang: str, around: str | None = None) -> None:
    """find_date skips past dates: "hier 18h" would be read as "18h". Look again for a date phrase that
    is past (one containing `around`, the phrase found, when given), to say so rather than guess."""
    words = list(re.finditer(r"\S+", text))
    inner: tuple[int, int] | None = None
    if around:
        start = text.find(around)
        inside = [i for i, w in enumerate(words) if w.start() >= start and w.end() <= start + len(around)]
        if start < 0 or not inside:
            return
        inner = (inside[0], inside[-1])
    for length in range(min(8, len(words)), 0, -1):
        for first in range(len(words) - length + 1):
            last = first + length - 1
            if inner is not None and not (first <= inner[0] and last >= inner[1] and length > inner[1] - inner[0] + 1):
                continue
            phrase = text[words[first].start():words[last].end()].strip(",;:!?()")
            try:
                parse_date(phrase, now=now, tz=tz, lang=lang)
            except DateError as error:
                if error.code == "past":
                    raise
