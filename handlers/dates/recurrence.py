"""Recurring meetings: the phrases people type, read into a `Rule`, and the occurrences of a rule.

No Matrix, no database; stdlib + dateutil's rrule + the date layer (handlers/dates/dates.py).

What is understood (folded: case, accents and apostrophes do not matter; both languages everywhere)
-----------------------------------------------------------------------------------------------------
Every N days / weeks / months
    "tous les jours", "chaque jour", "tous les 3 jours", "toutes les semaines", "chaque semaine",
    "toutes les 2 semaines", "tous les mois", "tous les deux mois";
    "every day", "daily", "every 3 days", "every week", "weekly", "every 2 weeks", "every other week",
    "fortnightly", "every month", "monthly".
    "tous les huit jours" is every week and "tous les quinze jours" every two weeks (what they mean in
    French); any multiple of 7 days is counted in weeks. A weekly rule may name its days:
    "toutes les deux semaines le mardi", "every 2 weeks on tuesday"; otherwise it keeps the weekday of
    its first date, and "tous les mois" keeps the day of the month of its first date.
Weekdays
    "tous les lundis", "chaque mardi", "tous les lundis et jeudis", "un lundi sur deux",
    "tous les deux lundis"; "every monday", "each tuesday", "every monday and thursday",
    "every other monday".
A weekday of the month
    "le premier mardi du mois", "chaque premier mardi du mois", "tous les premiers mardis du mois",
    "le 2e jeudi de chaque mois", "le dernier vendredi du mois"; "every first tuesday of the month",
    "the first tuesday of every month", "on the last friday of each month". Ordinals: 1st to 5th, last
    (and "avant-dernier"). A month without a 5th Tuesday has no occurrence that month.
A day of the month
    "le 15 de chaque mois", "tous les 15 du mois", "le 1er du mois"; "on the 15th of every month",
    "every month on the 15th". A month without that day (31) has no occurrence that month.
End (optional, anywhere in the text)
    "jusqu'au 30 juin", "jusqu'à fin juin", "until June 30", "till 30/06": the last day included.
    "10 fois", "10 times", "10 occurrences": how many, counting from the first date.
Bounds: at most MAX_COUNT (1000) times, and a series with a count must end within the date layer's horizon
    (MAX_YEARS_AHEAD, 10 years): otherwise RecurrenceError("bad_count"), as for "1.5 fois" or "-1 fois" (a
    count is never left in the title, whatever its length). An end or a start more than 10 years ahead is
    the date layer's DateError("too_far"). An open-ended series is fine, but occurrences are never looked
    for more than 10 years after the moment asked about (rule_occurrences).
Start (optional): "à partir du 3 mai", "dès le 3 mai", "from May 3", "starting May 3": the first date
    is on or after it (that day included). Otherwise the first date is the next one to come, with the date
    layer's rule for weekdays: a rule that names weekdays ("tous les lundis", "un lundi sur deux",
    "toutes les 2 semaines le mardi") never starts today, as "lundi à 18h" typed on a Monday is next
    Monday ("tous les lundis et jeudis" typed on a Monday starts on Thursday). Rules that name a date or no
    weekday ("tous les jours", "toutes les semaines", "le 15 de chaque mois", "le premier mardi du mois")
    start on their first date still to come, today included: "tous les jours à 18h" typed at 10:00 is
    today at 18:00.
Time: a recurring meeting needs a time of day, found by the date layer in what is left ("à 18h",
    "19h30", "le soir"); "tous les lundis à 18h à partir du 3 mai" and "à partir du 3 mai à 18h" are
    the same.

Not understood (the date layer's own limits aside): yearly rules, several times a day, lists of
ordinals ("le 1er et le 3e mardi"), ranges ("du lundi au vendredi"), "every weekday", a length
("pendant 10 semaines", "for 6 months": give an end date or a number of times instead).
Words of a title can read as a recurrence ("Bilan de chaque semaine"): quote such a title.

Occurrences are built on local wall time and localised one by one, so a weekly 18:00 meeting stays at
18:00 across a DST change; a wall time that does not exist that day (the spring-forward hour) moves an
hour on, an ambiguous one is the first of the two (as in the date layer).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from dateutil import rrule as du
from dateutil.relativedelta import relativedelta

from handlers.dates import datewords as W
from handlers.dates.dates import (
    MAX_YEARS_AHEAD,
    UNUSABLE_DATE,
    DateError,
    ParsedDate,
    find_date,
    horizon,
    no_such_time,
    parse_date,
)
from handlers.dates.words import alternation, fold_phrase, number

MAX_SPAN_WORDS = 8  # longest date phrase looked for after "jusqu'au" / "à partir du"
MAX_ITERATIONS = 5000  # occurrences looked at before giving up (a rule far in the past, or never matching)
MAX_COUNT = 1000  # "1000 fois" at most (and the last one within MAX_YEARS_AHEAD)
# Latest wall time ever generated: localising it stays a valid instant in every zone (UTC-12 to UTC+14).
_LAST_WALL = datetime(9999, 12, 30)
FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY")
_DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


class RecurrenceError(ValueError):
    """code: "needs_time" (no time of day), "no_occurrence" (nothing matches: the end is before the
    start, a count of 0...), "count_and_until" (both an end date and a number of times), "bad_count" (a
    number of times that is not a whole number, over MAX_COUNT, or ending beyond the horizon: `phrase` is
    then the count as typed, "999999 fois")."""

    def __init__(self, code: str, phrase: str) -> None:
        super().__init__(f"{code}: {phrase!r}")
        self.code = code
        self.phrase = phrase


@dataclass(frozen=True)
class Rule:
    """A recurrence, stored as text like an iCalendar RRULE: "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO".

    UNTIL is a local day (the last one included), not an instant: the calendar export converts it.
    """

    freq: str  # DAILY | WEEKLY | MONTHLY
    interval: int = 1
    weekdays: tuple[int, ...] = ()  # 0 = Monday. WEEKLY: its days; MONTHLY with nth: the one weekday
    nth: int | None = None  # MONTHLY: 1..5, -1 (last), -2
    monthday: int | None = None  # MONTHLY: day of the month
    count: int | None = None
    until: date | None = None

    def to_text(self) -> str:
        parts = [f"FREQ={self.freq}"]
        if self.interval != 1:
            parts.append(f"INTERVAL={self.interval}")
        if self.weekdays:
            prefix = str(self.nth) if self.nth is not None else ""
            parts.append("BYDAY=" + ",".join(prefix + _DAY_CODES[d] for d in self.weekdays))
        if self.monthday is not None:
            parts.append(f"BYMONTHDAY={self.monthday}")
        if self.count is not None:
            parts.append(f"COUNT={self.count}")
        if self.until is not None:
            parts.append(f"UNTIL={self.until.strftime('%Y%m%d')}")
        return ";".join(parts)

    @classmethod
    def from_text(cls, text: str) -> Rule:
        values = dict(part.split("=", 1) for part in text.split(";") if part)
        weekdays, nth = [], None
        for code in filter(None, values.get("BYDAY", "").split(",")):
            match = re.fullmatch(r"([+-]?\d)?([A-Z]{2})", code)
            if match is None:
                raise ValueError(f"bad BYDAY {code!r}")
            if match[1]:
                nth = int(match[1])
            weekdays.append(_DAY_CODES.index(match[2]))
        freq = values["FREQ"]
        if freq not in FREQUENCIES:
            raise ValueError(f"bad FREQ {freq!r}")
        return cls(
            freq=freq,
            interval=int(values.get("INTERVAL", 1)),
            weekdays=tuple(weekdays),
            nth=nth,
            monthday=int(values["BYMONTHDAY"]) if "BYMONTHDAY" in values else None,
            count=int(values["COUNT"]) if "COUNT" in values else None,
            until=datetime.strptime(values["UNTIL"], "%Y%m%d").date() if "UNTIL" in values else None,
        )

    def anchored(self, first: date) -> Rule:
        """Fill in what the phrase left to the first date: the weekday of a weekly rule, the day of a
        monthly one ("tous les mois" starting on the 12th is on the 12th)."""
        if self.freq == "WEEKLY" and not self.weekdays:
            return replace(self, weekdays=(first.weekday(),))
        if self.freq == "MONTHLY" and not self.weekdays and self.monthday is None:
            return replace(self, monthday=first.day)
        return self

    def rrule(self, dtstart: datetime) -> du.rrule:
        """dateutil's rrule from a naive local wall time."""
        if self.nth is not None:
            byweekday = [du.weekday(self.weekdays[0], self.nth)]
        else:
            byweekday = list(self.weekdays) or None
        until = datetime.combine(self.until, time(23, 59, 59)) if self.until else None
        return du.rrule(getattr(du, self.freq), dtstart=dtstart, interval=self.interval, byweekday=byweekday,
                        bymonthday=self.monthday, count=self.count, until=until, cache=False)


# ---------------------------------------------------------------------------------------------
# Occurrences


def localise(wall: datetime, zone: ZoneInfo) -> datetime:
    """A naive wall time in `zone`, as an aware UTC instant (through UTC, like the date layer: a time in
    the spring-forward gap moves an hour on, an ambiguous one is the first)."""
    return wall.replace(tzinfo=zone).astimezone(timezone.utc).astimezone(zone).astimezone(timezone.utc)


def rule_occurrences(rule: Rule | None, first: datetime, tz: str, *, after: datetime,
                     before: datetime | None = None, limit: int = 50) -> list[datetime]:
    """Starts (aware UTC) of the rule's occurrences in [after, before), at most `limit`, in order.
    `first` is the first occurrence (aware); a rule of None is a one-off at `first`."""
    if rule is None:
        inside = first >= after and (before is None or first < before)
        return [first.astimezone(timezone.utc)] if inside and limit > 0 else []
    zone = ZoneInfo(tz)
    dtstart = first.astimezone(zone).replace(tzinfo=None)
    generated = rule.rrule(dtstart)
    # Walk from a day before `after` in wall time: localising can only move an occurrence by an hour.
    after_wall = after.astimezone(zone).replace(tzinfo=None)
    start = max(dtstart, after_wall - timedelta(days=1))
    # Never further than MAX_YEARS_AHEAD after `after`: an open-ended "tous les 999 mois" would otherwise
    # list dates centuries ahead, and walk to the end of the calendar (where localising overflows).
    last_wall = _LAST_WALL
    if after_wall < _LAST_WALL - relativedelta(years=MAX_YEARS_AHEAD + 1):
        last_wall = after_wall + relativedelta(years=MAX_YEARS_AHEAD, days=1)
    found: list[datetime] = []
    for seen, wall in enumerate(generated.xafter(start, inc=True)):
        if seen >= MAX_ITERATIONS or len(found) >= limit or wall > last_wall:
            break
        at = localise(wall, zone)
        if before is not None and at >= before:
            break
        if at >= after:
            found.append(at)
    return found


@dataclass(frozen=True)
class Occurrence:
    at: datetime  # when it takes place (aware UTC)
    original: datetime  # when the rule put it (== at unless moved)

    @property
    def moved(self) -> bool:
        return self.at != self.original


def occurrences(rule: Rule | None, first: datetime, tz: str, changes: dict[datetime, datetime | None], *,
                after: datetime, before: datetime | None = None, limit: int = 50) -> list[Occurrence]:
    """The occurrences as they will happen, in [after, before): the rule's, less the cancelled ones
    (changes[original] is None), with the moved ones at their new time (changes[original] = new start)."""
    result = [Occurrence(at, at) for at in _unchanged(rule, first, tz, changes, after, before, limit)]
    for original, moved_to in changes.items():
        if moved_to is not None and moved_to >= after and (before is None or moved_to < before):
            if rule_occurrences(rule, first, tz, after=original, before=original + timedelta(seconds=1)):
                result.append(Occurrence(moved_to, original))
    result.sort(key=lambda o: (o.at, o.original))
    return result[:limit]


def _unchanged(rule, first, tz, changes, after, before, limit) -> list[datetime]:
    found: list[datetime] = []
    cursor = after
    while len(found) < limit:
        batch = rule_occurrences(rule, first, tz, after=cursor, before=before, limit=limit + len(changes))
        found.extend(at for at in batch if at not in changes)
        if len(batch) < limit + len(changes):
            break
        cursor = batch[-1] + timedelta(seconds=1)
    return found[:limit]


# ---------------------------------------------------------------------------------------------
# Reading a phrase

_PUNCTUATION = ",;:!?()[]\"«»“”."


_WEEKDAYS = {**W.WEEKDAYS, **{name + "s": day for name, day in W.WEEKDAYS.items()}}
_ORDINALS = {
    "premier": 1, "premiere": 1, "premiers": 1, "premieres": 1, "1er": 1, "1re": 1, "1ere": 1, "1ers": 1,
    "deuxieme": 2, "deuxiemes": 2, "second": 2, "seconde": 2, "seconds": 2, "2e": 2, "2eme": 2, "2nd": 2,
    "troisieme": 3, "troisiemes": 3, "3e": 3, "3eme": 3, "third": 3, "3rd": 3,
    "quatrieme": 4, "quatriemes": 4, "4e": 4, "4eme": 4, "fourth": 4, "4th": 4,
    "cinquieme": 5, "cinquiemes": 5, "5e": 5, "5eme": 5, "fifth": 5, "5th": 5,
    "first": 1, "1st": 1,
    "dernier": -1, "derniere": -1, "derniers": -1, "dernieres": -1, "last": -1,
    "avant-dernier": -2, "avant-derniere": -2, "avant dernier": -2, "avant derniere": -2,
    "l'avant-dernier": -2, "l'avant-derniere": -2,
    "second-to-last": -2, "second to last": -2, "second last": -2,
}
_NUMBERS = {**{k: v for k, v in W.NUMBERS.items() if k not in ("a", "an", "un", "une")}, "other": 2}
_UNITS = {
    "jour": "DAILY", "jours": "DAILY", "day": "DAILY", "days": "DAILY",
    "semaine": "WEEKLY", "semaines": "WEEKLY", "week": "WEEKLY", "weeks": "WEEKLY",
    "mois": "MONTHLY", "month": "MONTHLY", "months": "MONTHLY",
}
_ADVERBS = {"daily": ("DAILY", 1), "weekly": ("WEEKLY", 1), "fortnightly": ("WEEKLY", 2),
            "monthly": ("MONTHLY", 1), "quotidiennement": ("DAILY", 1)}

_B, _E = r"(?<!\S)", r"(?!\S)"  # word boundaries in the folded, space-joined text
_NUM = rf"(?:\d{{1,3}}|{alternation(_NUMBERS)})"
_WD = rf"(?:{alternation(_WEEKDAYS)})"
_WD_LIST = rf"(?P<days>{_WD}(?:\s+(?:(?:et|and)\s+)?(?:(?:le|les|on)\s+)?{_WD})*)"
_EVERY_FR = r"(?:tous\s+les|toutes\s+les|chaque)"
_EVERY_EN = r"(?:every|each)"
_MONTH_FR = r"(?:du\s+mois|de\s+chaque\s+mois|de\s+tous\s+les\s+mois)"
_MONTH_EN = r"(?:(?:of|in)\s+(?:the|every|each)\s+month)"
_MONTHDAY = r"(?P<md>\d{1,2})(?:er|e|st|nd|rd|th)?"

_PATTERNS: list[tuple[str, re.Pattern]] = [(name, re.compile(_B + pattern + _E)) for name, pattern in (
    # le premier mardi du mois / every first tuesday of the month
    ("nth", rf"(?:(?:le|chaque|{_EVERY_FR}|{_EVERY_EN}|on\s+the|the|on\s+every)\s+)?(?P<nth>{alternation(_ORDINALS)})"
            rf"\s+(?P<day>{_WD})\s+(?:{_MONTH_FR}|de\s+chaque\s+mois|{_MONTH_EN})"),
    # le 15 de chaque mois / on the 15th of every month / every month on the 15th
    ("monthday", rf"(?:le|chaque|{_EVERY_FR}|on\s+the|the|{_EVERY_EN})\s+{_MONTHDAY}"
                 rf"\s+(?:{_MONTH_FR}|of\s+(?:every|each)\s+month)"),
    ("monthday", rf"{_EVERY_EN}\s+month\s+on\s+the\s+{_MONTHDAY}"),
    # un lundi sur deux
    ("one_in", rf"(?:un|une)\s+(?P<day>{_WD})\s+sur\s+(?P<n>{_NUM})"),
    # toutes les 2 semaines (le mardi) / every 2 weeks (on tuesday) / tous les 15 jours
    ("unit", rf"(?:{_EVERY_FR}|{_EVERY_EN})\s+(?:(?P<n>{_NUM})\s+)?(?P<unit>{alternation(_UNITS)})"
             rf"(?:\s+(?:le|les|on)\s+{_WD_LIST})?"),
    # weekly / fortnightly
    ("adverb", rf"(?P<adverb>{alternation(_ADVERBS)})(?:\s+on\s+{_WD_LIST})?"),
    # tous les lundis et jeudis / every other monday
    ("weekdays", rf"(?:{_EVERY_FR}|{_EVERY_EN})\s+(?:(?P<n>{_NUM})\s+)?{_WD_LIST}"),
)]
# A count is any word of digits (and signs, separators) before "fois": "10 fois", but also "999999 fois",
# "-1 fois", "1.5 fois", which are refused rather than left in the title.
_COUNT = re.compile(_B + rf"(?P<n>[+-]?[0-9][0-9.,']*|{alternation(_NUMBERS)})"
                    r"\s+(?:fois|times|occurrences|seances|reunions)" + _E)
_UNTIL = re.compile(_B + r"(?:jusqu'au|jusqu'a|jusqu'aux|jusqu'en|until|till|through)" + _E)
_FROM = re.compile(_B + r"(?:a\s+partir\s+du|a\s+partir\s+de|a\s+partir\s+d'|des\s+le|from|starting(?:\s+on|\s+from)?"
                   r"|beginning(?:\s+on)?)" + _E)


class _Words:
    """The text's words, folded and joined by single spaces, to match phrases and cut them out."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.spans = [m.span() for m in re.finditer(r"\S+", text)]
        self.folded = [fold_phrase(text[a:b]).strip(_PUNCTUATION) or "\0" for a, b in self.spans]
        self.starts = []
        position = 0
        for word in self.folded:
            self.starts.append(position)
            position += len(word) + 1
        self.joined = " ".join(self.folded)

    def words_of(self, match: re.Match, group: int | str = 0) -> tuple[int, int] | None:
        """Indexes [first, last] of the words a match covers, if it starts and ends on word bounds."""
        start, end = match.span(group)
        try:
            first = self.starts.index(start)
        except ValueError:
            return None
        for last in range(first, len(self.folded)):
            if self.starts[last] + len(self.folded[last]) == end:
                return first, last
        return None

    def phrase(self, first: int, last: int) -> str:
        return self.text[self.spans[first][0]:self.spans[last][1]]

    def without(self, first: int, last: int) -> str:
        """The text with words first..last removed."""
        before = self.text[:self.spans[first][0]].rstrip()
        after = self.text[self.spans[last][1]:].lstrip()
        return f"{before} {after}".strip()


def _count(word: str, phrase: str) -> int:
    """The number of times: a word of _NUMBERS or ASCII digits, 0 to MAX_COUNT (0 is "no_occurrence")."""
    word = re.sub(r"\s+", " ", word)
    if word in _NUMBERS:
        return _NUMBERS[word]
    digits = word.lstrip("0")  # "000" is 0; a 5000-digit number is refused before int() would choke on it
    if not re.fullmatch(r"[0-9]*", digits) or len(digits) > len(str(MAX_COUNT)) or int(digits or 0) > MAX_COUNT:
        raise RecurrenceError("bad_count", phrase)
    return int(digits or 0)


def _days(text: str) -> tuple[int, ...]:
    found = [_WEEKDAYS[w] for w in re.findall(_WD, text)]
    return tuple(sorted(set(found)))


def _rule_from(name: str, m: re.Match) -> Rule:
    if name == "nth":
        return Rule("MONTHLY", weekdays=(_WEEKDAYS[m["day"]],), nth=_ORDINALS[re.sub(r"\s+", " ", m["nth"])])
    if name == "monthday":
        day = int(m["md"])
        if not 1 <= day <= 31:
            raise ValueError
        return Rule("MONTHLY", monthday=day)
    if name == "one_in":
        return Rule("WEEKLY", interval=number(m["n"], _NUMBERS), weekdays=(_WEEKDAYS[m["day"]],))
    if name == "adverb":
        freq, interval = _ADVERBS[m["adverb"]]
        days = _days(m["days"]) if m["days"] else ()
        return Rule(freq, interval=interval, weekdays=days if freq == "WEEKLY" else ())
    n = number(m["n"], _NUMBERS) if m["n"] else 1
    if n < 1:
        raise ValueError
    if name == "weekdays":
        return Rule("WEEKLY", interval=n, weekdays=_days(m["days"]))
    freq = _UNITS[m["unit"]]
    days = _days(m["days"]) if m["days"] else ()
    if freq == "DAILY":
        if n in (8, 15):  # "tous les huit jours" = every week, "tous les quinze jours" = every two weeks
            return Rule("WEEKLY", interval=1 if n == 8 else 2)
        if n % 7 == 0:
            return Rule("WEEKLY", interval=n // 7)
        return Rule("DAILY", interval=n)
    if days and freq != "WEEKLY":
        raise ValueError  # "tous les mois le lundi": not ours
    return Rule(freq, interval=n, weekdays=days)


def _take_rule(words: _Words) -> tuple[Rule, str, str] | None:
    """The recurrence phrase: (rule, phrase as typed, text without it). The earliest phrase wins (the
    longest on a tie); adverbs ("weekly") only when nothing else matches, as they are often in titles."""
    for patterns in ([p for p in _PATTERNS if p[0] != "adverb"], [p for p in _PATTERNS if p[0] == "adverb"]):
        found = []
        for name, pattern in patterns:
            for match in pattern.finditer(words.joined):
                bounds = words.words_of(match)
                if bounds is None:
                    continue
                try:
                    rule = _rule_from(name, match)
                except (ValueError, KeyError):
                    continue
                found.append((bounds[0], -bounds[1], rule, bounds))
                break
        if found:
            _, _, rule, bounds = min(found, key=lambda f: (f[0], f[1]))
            return rule, words.phrase(*bounds), words.without(*bounds)
    return None


def _take_count(text: str) -> tuple[int | None, str, str]:
    """(number of times, the phrase as typed, text without it); RecurrenceError("bad_count") for a count that
    is no whole number up to MAX_COUNT."""
    words = _Words(text)
    for match in _COUNT.finditer(words.joined):
        bounds = words.words_of(match)
        if bounds is not None:
            phrase = words.phrase(*bounds)
            return _count(match["n"], phrase), phrase, words.without(*bounds)
    return None, "", text


def _take_date_after(text: str, keyword: re.Pattern, *, now, tz, lang,
                     want_time: bool | None) -> tuple[ParsedDate | None, str]:
    """The date phrase right after a keyword ("jusqu'au 30 juin"), longest first; the keyword and the
    phrase are taken out of the text. want_time=False prefers a day alone ("jusqu'au 30 juin à 18h": the
    time is the meeting's). The longest phrase that is a date wins, so one already past raises
    DateError("past") ("jusqu'au 1er avril 2021" is not "1er avril" of next year), and one with the wrong
    weekday DateError("weekday_mismatch") ("à partir du samedi 9 mai" is not "samedi"); nothing that
    parses leaves the text as it is."""
    words = _Words(text)
    for match in keyword.finditer(words.joined):
        bounds = words.words_of(match)
        if bounds is None:
            continue
        first = bounds[1] + 1
        for last in range(min(len(words.spans), first + MAX_SPAN_WORDS) - 1, first - 1, -1):
            phrase = words.phrase(first, last).strip(_PUNCTUATION.replace(".", ""))
            try:
                parsed = parse_date(phrase, now=now, tz=tz, lang=lang)
            except DateError as error:
                if error.code in UNUSABLE_DATE:
                    raise
                continue
            if want_time is False and parsed.has_time:
                continue
            return parsed, words.without(bounds[0], last)
    return None, text


def _names_weekdays(rule: Rule) -> bool:
    """ "tous les lundis", "un lundi sur deux", "every 2 weeks on tuesday" (before anchoring, a weekly rule
    has weekdays only if the phrase named them). "Le premier mardi du mois" names a date, not a weekday."""
    return rule.freq == "WEEKLY" and bool(rule.weekdays)


@dataclass(frozen=True)
class Recurring:
    rule: Rule  # anchored: weekdays / day of the month filled in
    first: datetime  # the first occurrence, aware, in the requested zone
    phrase: str  # the recurrence phrase as typed ("tous les lundis")
    rest: str  # the text without the recurrence, its end, start and time


def find_recurring(text: str, *, now: datetime, tz: str, lang: str = "fr") -> Recurring | None:
    """A recurrence inside free text: "tous les lundis à 18h Point hebdo" → (weekly on Monday, the next
    Monday at 18:00, "Point hebdo"). None when the text names no recurrence.

    Raises RecurrenceError("needs_time") when no time of day is given, RecurrenceError("no_occurrence")
    when nothing is left to come, RecurrenceError("bad_count") for a count out of bounds, DateError("past")
    for an end or start already past, DateError("too_far") for one (or a first date) more than 10 years
    ahead (and DateError("weekday_mismatch") for one whose weekday is not the date's).
    """
    found = _take_rule(_Words(text))
    if found is None:
        return None
    rule, phrase, rest = found
    count, count_phrase, rest = _take_count(rest)
    until, rest = _take_date_after(rest, _UNTIL, now=now, tz=tz, lang=lang, want_time=False)
    start, rest = _take_date_after(rest, _FROM, now=now, tz=tz, lang=lang, want_time=None)
    clock: time | None = start.when.time() if start is not None and start.has_time else None
    day = start.when.date() if start is not None else None
    day_phrase = start.phrase if start is not None else phrase  # what names the first day, to say it
    if clock is None:
        found_time = find_date(rest, now=now, tz=tz, lang=lang)
        if found_time is None or not found_time[0].has_time:
            if (wrong := no_such_time(rest)) is not None:  # "tous les lundis à 25h": not a missing time
                raise DateError("no_such_time", phrase, clock=wrong)
            raise RecurrenceError("needs_time", phrase)
        parsed, rest = found_time
        clock = parsed.when.time()
        if day is None:
            day, day_phrase = parsed.when.date(), parsed.phrase
    zone = ZoneInfo(tz)
    today = now.astimezone(zone).date()
    day = day or today
    if count is not None and count < 1:
        raise RecurrenceError("no_occurrence", phrase)
    if count is not None and until is not None:  # RFC 5545 (and dateutil) take one or the other
        raise RecurrenceError("count_and_until", phrase)
    rule = replace(rule, until=until.when.date() if until else None)
    start_wall = datetime.combine(day, clock)
    anchored = rule.anchored(day)
    # The first occurrence: the rule's first date on or after the start, still to come, counting every
    # matching day ("un lundi sur deux" starts next Monday, not the one after). It becomes the rule's
    # start: the interval and "10 fois" count from it.
    after = now
    if start is None and _names_weekdays(rule):  # a weekday named alone is never today
        after = max(now, localise(datetime.combine(today + timedelta(days=1), time(0, 0)), zone))
    candidates = rule_occurrences(replace(anchored, interval=1), localise(start_wall, zone), tz, after=after,
                                  limit=1)
    if not candidates:
        raise RecurrenceError("no_occurrence", phrase)
    first = candidates[0].astimezone(zone)
    if first.date() > horizon(today):  # "un lundi sur deux à 18h dans 10 ans": the Monday after is too far
        raise DateError("too_far", day_phrase)
    counted = replace(anchored, count=count)
    if count is not None and _ends_after(counted, first, horizon(today)):  # "tous les mois 200 fois"
        raise RecurrenceError("bad_count", count_phrase)
    return Recurring(counted, first, phrase, rest.strip(" \t\n,;:-–—"))


def _ends_after(rule: Rule, first: datetime, last_day: date) -> bool:
    """Does a counted rule (at most MAX_COUNT dates) go on after last_day?"""
    return any(wall.date() > last_day for wall in rule.rrule(first.replace(tzinfo=None)))
