"""handlers.dates: the French and English date phrases people type, against a fixed clock.

NOW is Tuesday 27 April 2021 at 20:00 in Paris: the evening of a real meeting whose minutes say
"prévue le mercredi 12 mai à 18h" and "climate march on 9 May". Every expected value is written
out by hand (never computed with the code under test). Handy calendar:

    April 2021: Tue 27 (today), Wed 28, Thu 29, Fri 30   May 2021: Sat 1, Sun 2, Mon 3, Tue 4,
    Sun 9, Tue 11, Wed 12, Sat 15, Mon 31                 12 May 2027 is a Wednesday.
    Summer time starts Sunday 28 March 2021 (02:00 → 03:00) and ends Sunday 31 October 2021 (03:00 → 02:00).
"""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from handlers.dates.dates import DateError, ParsedDate, find_date, format_when, parse_date, split_deadline

PARIS = "Europe/Paris"
NOW = datetime(2021, 4, 27, 20, 0, tzinfo=ZoneInfo(PARIS))


def paris(year, month, day, hour=0, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(PARIS))


def check(parsed: ParsedDate, expected: str, has_time: bool):
    assert parsed.when.isoformat() == expected
    assert parsed.has_time is has_time
    assert parsed.when.tzinfo == ZoneInfo(PARIS)


# (phrase, expected `when`, has_time) — now is Tuesday 27 April 2021 20:00 Paris.
PHRASES = [
    # --- times alone: the next occurrence (today if still ahead, else tomorrow)
    ("18h", "2021-04-28T18:00:00+02:00", True),  # dateparser alone: a duration
    ("21h", "2021-04-27T21:00:00+02:00", True),
    ("20h", "2021-04-28T20:00:00+02:00", True),  # exactly now is not "still ahead"
    ("18h30", "2021-04-28T18:30:00+02:00", True),
    ("18:30", "2021-04-28T18:30:00+02:00", True),
    ("à 18h", "2021-04-28T18:00:00+02:00", True),
    ("à 21h45", "2021-04-27T21:45:00+02:00", True),
    ("à 18 heures", "2021-04-28T18:00:00+02:00", True),
    ("midi", "2021-04-28T12:00:00+02:00", True),
    ("minuit", "2021-04-28T00:00:00+02:00", True),
    ("6pm", "2021-04-28T18:00:00+02:00", True),
    ("6:30 pm", "2021-04-28T18:30:00+02:00", True),
    ("9 p.m.", "2021-04-27T21:00:00+02:00", True),
    ("at 18:00", "2021-04-28T18:00:00+02:00", True),
    ("noon", "2021-04-28T12:00:00+02:00", True),
    ("midnight", "2021-04-28T00:00:00+02:00", True),
    # --- relative days
    ("aujourd'hui", "2021-04-27T00:00:00+02:00", False),
    ("Aujourd’hui", "2021-04-27T00:00:00+02:00", False),  # typographic apostrophe
    ("demain", "2021-04-28T00:00:00+02:00", False),
    ("demain 18h", "2021-04-28T18:00:00+02:00", True),  # dateparser alone: 29 April 14:00
    ("Demain à 18h30", "2021-04-28T18:30:00+02:00", True),
    ("18h demain", "2021-04-28T18:00:00+02:00", True),
    ("après-demain", "2021-04-29T00:00:00+02:00", False),
    ("apres demain 9h", "2021-04-29T09:00:00+02:00", True),
    ("ce soir", "2021-04-27T20:00:00+02:00", True),  # 20:00 unless a time is given
    ("ce soir à 21h", "2021-04-27T21:00:00+02:00", True),
    ("ce soir à 9", "2021-04-27T21:00:00+02:00", True),  # a small hour in the evening is a pm one
    ("demain soir", "2021-04-28T20:00:00+02:00", True),
    ("demain matin", "2021-04-28T09:00:00+02:00", True),
    ("demain après-midi", "2021-04-28T14:00:00+02:00", True),
    ("dans 3 jours", "2021-04-30T00:00:00+02:00", False),
    ("dans 2 semaines", "2021-05-11T00:00:00+02:00", False),
    ("dans trois jours à 18h", "2021-04-30T18:00:00+02:00", True),
    ("dans une heure", "2021-04-27T21:00:00+02:00", True),
    ("dans 30 minutes", "2021-04-27T20:30:00+02:00", True),
    ("dans 1h30", "2021-04-27T21:30:00+02:00", True),
    ("today", "2021-04-27T00:00:00+02:00", False),
    ("tomorrow", "2021-04-28T00:00:00+02:00", False),
    ("tomorrow at 6pm", "2021-04-28T18:00:00+02:00", True),
    ("the day after tomorrow", "2021-04-29T00:00:00+02:00", False),
    ("tonight", "2021-04-27T20:00:00+02:00", True),
    ("tomorrow evening at 7", "2021-04-28T19:00:00+02:00", True),
    ("in 2 weeks", "2021-05-11T00:00:00+02:00", False),
    ("in 3 days", "2021-04-30T00:00:00+02:00", False),
    ("in an hour", "2021-04-27T21:00:00+02:00", True),
    ("in half an hour", "2021-04-27T20:30:00+02:00", True),
    # --- weekdays: the next occurrence strictly after today; "ce"/"this" allows today
    ("lundi", "2021-05-03T00:00:00+02:00", False),
    ("lundi prochain", "2021-05-03T00:00:00+02:00", False),  # dateparser alone: nothing
    ("samedi", "2021-05-01T00:00:00+02:00", False),
    ("samedi prochain", "2021-05-01T00:00:00+02:00", False),
    ("lundi prochain à 18h", "2021-05-03T18:00:00+02:00", True),
    ("mercredi à 18h", "2021-04-28T18:00:00+02:00", True),
    ("mercredi 18h", "2021-04-28T18:00:00+02:00", True),  # dateparser alone: 18 April
    ("mardi", "2021-05-04T00:00:00+02:00", False),  # today is Tuesday: next week's
    ("ce mardi", "2021-04-27T00:00:00+02:00", False),
    ("mardi en huit", "2021-05-11T00:00:00+02:00", False),
    ("vendredi soir", "2021-04-30T20:00:00+02:00", True),
    ("next monday", "2021-05-03T00:00:00+02:00", False),
    ("monday", "2021-05-03T00:00:00+02:00", False),
    ("this friday", "2021-04-30T00:00:00+02:00", False),
    ("on Saturday at 10am", "2021-05-01T10:00:00+02:00", True),
    # --- explicit dates; without a year, the next one to come (today included)
    ("12 mai", "2021-05-12T00:00:00+02:00", False),
    ("mercredi 12 mai à 18h", "2021-05-12T18:00:00+02:00", True),
    ("Le mercredi 12 mai à 18h", "2021-05-12T18:00:00+02:00", True),
    ("12 mai 2027", "2027-05-12T00:00:00+02:00", False),
    ("le 12 mai", "2021-05-12T00:00:00+02:00", False),
    ("1er juin", "2021-06-01T00:00:00+02:00", False),
    ("9 mai 14h", "2021-05-09T14:00:00+02:00", True),  # dateparser alone: the year 2114
    ("mer. 12 mai", "2021-05-12T00:00:00+02:00", False),
    ("May 12", "2021-05-12T00:00:00+02:00", False),
    ("12 May", "2021-05-12T00:00:00+02:00", False),
    ("May 12th at 6pm", "2021-05-12T18:00:00+02:00", True),
    ("the 12th of May", "2021-05-12T00:00:00+02:00", False),
    ("May 12th, 2027", "2027-05-12T00:00:00+02:00", False),
    ("12/05", "2021-05-12T00:00:00+02:00", False),  # day first
    ("12/05/2027", "2027-05-12T00:00:00+02:00", False),
    ("12.05.", "2021-05-12T00:00:00+02:00", False),  # dateparser alone: today 12:05
    ("12.05.2027 18h", "2027-05-12T18:00:00+02:00", True),
    ("2027-05-12", "2027-05-12T00:00:00+02:00", False),
    ("2027-05-12 18:00", "2027-05-12T18:00:00+02:00", True),
    ("2027-05-12T18:00", "2027-05-12T18:00:00+02:00", True),
    ("le 12", "2021-05-12T00:00:00+02:00", False),  # dateparser alone: 12 April, past
    ("jeudi 13", "2021-05-13T00:00:00+02:00", False),  # a weekday and a day of the month: the next 13th
    ("dimanche 9 mai", "2021-05-09T00:00:00+02:00", False),  # the weekday is checked against the date
    ("May 9, Sunday", "2021-05-09T00:00:00+02:00", False),
    ("27 avril", "2021-04-27T00:00:00+02:00", False),  # today is still to come
    ("26 avril", "2022-04-26T00:00:00+02:00", False),  # yesterday: next year's
    ("29/02", "2024-02-29T00:00:00+01:00", False),  # waits for a leap year
    # --- month and week parts: début 10th, mi 15th, fin last day; fin de semaine Sunday
    ("début juin", "2021-06-10T00:00:00+02:00", False),
    ("mi-mai", "2021-05-15T00:00:00+02:00", False),
    ("mi mai", "2021-05-15T00:00:00+02:00", False),
    ("fin mai", "2021-05-31T00:00:00+02:00", False),
    ("fin avril", "2021-04-30T00:00:00+02:00", False),
    ("mi-avril", "2022-04-15T00:00:00+02:00", False),  # already gone this year
    ("fin du mois", "2021-04-30T00:00:00+02:00", False),
    ("fin du mois prochain", "2021-05-31T00:00:00+02:00", False),
    ("début juin 2027", "2027-06-10T00:00:00+02:00", False),
    ("early June", "2021-06-10T00:00:00+02:00", False),
    ("mid-May", "2021-05-15T00:00:00+02:00", False),
    ("end of May", "2021-05-31T00:00:00+02:00", False),
    ("end of the month", "2021-04-30T00:00:00+02:00", False),
    ("fin de semaine", "2021-05-02T00:00:00+02:00", False),
    ("end of the week", "2021-05-02T00:00:00+02:00", False),
    ("fin de la semaine prochaine", "2021-05-09T00:00:00+02:00", False),
]


@pytest.mark.parametrize("lang", ["fr", "en"])  # both languages' words are read in every room
@pytest.mark.parametrize("phrase, expected, has_time", PHRASES)
def test_parse_date(phrase, expected, has_time, lang):
    parsed = parse_date(phrase, now=NOW, tz=PARIS, lang=lang)
    check(parsed, expected, has_time)
    assert parsed.phrase == phrase


# (now, phrase, expected, has_time): DST changes on the last Sundays of March and October 2021.
DST = [
    (paris(2021, 3, 27, 12), "demain 18h", "2021-03-28T18:00:00+02:00", True),
    (paris(2021, 3, 27, 12), "demain", "2021-03-28T00:00:00+01:00", False),  # midnight is still winter time
    (paris(2021, 3, 27, 12), "demain 2h30", "2021-03-28T03:30:00+02:00", True),  # 02:30 does not exist that night
    (paris(2021, 3, 27, 12), "dimanche 10h", "2021-03-28T10:00:00+02:00", True),
    (paris(2021, 3, 27, 12), "dans 24 heures", "2021-03-28T13:00:00+02:00", True),  # exact hours, not wall time
    (paris(2021, 3, 28, 1, 30), "dans une heure", "2021-03-28T03:30:00+02:00", True),
    (paris(2021, 3, 28, 1, 30), "3h", "2021-03-28T03:00:00+02:00", True),
    (paris(2021, 10, 30, 12), "demain 18h", "2021-10-31T18:00:00+01:00", True),
    (paris(2021, 10, 30, 12), "tomorrow at 6pm", "2021-10-31T18:00:00+01:00", True),
    (paris(2021, 10, 30, 12), "demain 2h30", "2021-10-31T02:30:00+02:00", True),  # twice that night: the first
    (paris(2021, 10, 30, 12), "dans 24 heures", "2021-10-31T11:00:00+01:00", True),
    (paris(2021, 10, 31, 1, 30), "dans 2 heures", "2021-10-31T02:30:00+01:00", True),
    # "now" given in UTC, as the bot's clock gives it: 11:00 UTC is 12:00 in Paris
    (datetime(2021, 3, 27, 11, 0, tzinfo=timezone.utc), "demain 18h", "2021-03-28T18:00:00+02:00", True),
    (datetime(2021, 3, 27, 11, 0, tzinfo=timezone.utc), "13h", "2021-03-27T13:00:00+01:00", True),
]


@pytest.mark.parametrize("now, phrase, expected, has_time", DST)
def test_daylight_saving_changes(now, phrase, expected, has_time):
    check(parse_date(phrase, now=now, tz=PARIS), expected, has_time)


# (now, phrase, expected, has_time): typed in December, dates without a year are next year's.
ROLLOVER = [
    (paris(2021, 12, 15, 10), "12 mai", "2022-05-12T00:00:00+02:00", False),
    (paris(2021, 12, 15, 10), "14 décembre", "2022-12-14T00:00:00+01:00", False),
    (paris(2021, 12, 15, 10), "15 décembre", "2021-12-15T00:00:00+01:00", False),  # today
    (paris(2021, 12, 15, 10), "31/12", "2021-12-31T00:00:00+01:00", False),
    (paris(2021, 12, 15, 10), "12/01", "2022-01-12T00:00:00+01:00", False),
    (paris(2021, 12, 15, 10), "1er janvier", "2022-01-01T00:00:00+01:00", False),
    (paris(2021, 12, 15, 10), "Jan 5th at 9am", "2022-01-05T09:00:00+01:00", True),
    (paris(2021, 12, 15, 10), "le 3", "2022-01-03T00:00:00+01:00", False),
    (paris(2021, 12, 15, 10), "début janvier", "2022-01-10T00:00:00+01:00", False),
    (paris(2021, 12, 15, 10), "fin janvier", "2022-01-31T00:00:00+01:00", False),
    (paris(2021, 12, 15, 10), "fin du mois", "2021-12-31T00:00:00+01:00", False),
    (paris(2021, 12, 15, 10), "end of next month", "2022-01-31T00:00:00+01:00", False),
    (paris(2021, 12, 15, 10), "dans 3 semaines", "2022-01-05T00:00:00+01:00", False),
    (paris(2021, 12, 15, 10), "dans un mois", "2022-01-15T00:00:00+01:00", False),
    (paris(2021, 12, 15, 10), "lundi", "2021-12-20T00:00:00+01:00", False),
    (paris(2021, 12, 31, 23, 30), "demain", "2022-01-01T00:00:00+01:00", False),
    (paris(2021, 12, 31, 23, 30), "minuit", "2022-01-01T00:00:00+01:00", True),
    (paris(2021, 12, 31, 23, 30), "dans une heure", "2022-01-01T00:30:00+01:00", True),
]


@pytest.mark.parametrize("now, phrase, expected, has_time", ROLLOVER)
def test_year_rollover(now, phrase, expected, has_time):
    check(parse_date(phrase, now=now, tz=PARIS), expected, has_time)


ERRORS = [
    ("la marche", "unparseable"),
    ("", "unparseable"),
    ("3", "unparseable"),  # a bare number is not a date
    ("mai", "unparseable"),  # a month is not a day
    ("la mer", "unparseable"),  # "mer" is only Wednesday in front of a date
    ("25h", "unparseable"),
    ("31/04", "no_such_day"),  # April has 30 days: said as such
    ("18h à 20h", "unparseable"),  # a range is not a date
    ("demain ce soir", "unparseable"),
    ("à 8", "unparseable"),  # morning or evening?
    ("12 mai 18", "unparseable"),  # dateparser reads the year 2118
    ("semaine prochaine", "unparseable"),  # which day? refused rather than guessed
    ("blabla demain", "unparseable"),
    ("hier", "past"),
    ("yesterday", "past"),
    ("lundi dernier", "past"),
    ("aujourd'hui à 18h", "past"),
    ("this morning", "past"),
    ("27 avril à 9h", "past"),  # today's date is not moved a year ahead because its hour is gone
    ("12 mai 2020", "past"),
    ("12/05/2020", "past"),
    ("12/05/18", "past"),  # two-digit years are 20xx
    ("vendredi 13", "weekday_mismatch"),  # 13 May 2021 is a Thursday: not read as one or the other
    ("samedi 9 mai", "weekday_mismatch"),  # a Sunday
    ("lundi mercredi 12 mai", "unparseable"),  # two weekdays
]


@pytest.mark.parametrize("phrase, code", ERRORS)
def test_errors(phrase, code):
    with pytest.raises(DateError) as caught:
        parse_date(phrase, now=NOW, tz=PARIS)
    assert caught.value.code == code
    assert caught.value.phrase == phrase
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize("phrase, expected, has_time", [
    ("hier", "2021-04-26T00:00:00+02:00", False),
    ("12 mai 2020", "2020-05-12T00:00:00+02:00", False),
    ("aujourd'hui à 18h", "2021-04-27T18:00:00+02:00", True),
])
def test_allow_past(phrase, expected, has_time):
    check(parse_date(phrase, now=NOW, tz=PARIS, allow_past=True), expected, has_time)


@pytest.mark.parametrize("now, phrase, expected, has_time", [
    (NOW, "samedi", "2021-05-01T23:59:00+02:00", False),  # a day without a time: the end of it
    (NOW, "aujourd'hui", "2021-04-27T23:59:00+02:00", False),
    (NOW, "fin mai", "2021-05-31T23:59:00+02:00", False),
    (NOW, "demain 18h", "2021-04-28T18:00:00+02:00", True),  # a time given is kept
    (paris(2021, 10, 30, 12), "demain", "2021-10-31T23:59:00+01:00", False),
])
def test_deadline_means_end_of_day(now, phrase, expected, has_time):
    check(parse_date(phrase, now=now, tz=PARIS, deadline=True), expected, has_time)


# (text, text left, deadline or None, has_time, deadline phrase)
SPLITS = [
    ("relayer la marche du climat avant samedi", "relayer la marche du climat",
     "2021-05-01T23:59:00+02:00", False, "samedi"),
    ("préparer le tract pour la marche", "préparer le tract pour la marche", None, None, None),
    ("préparer le tract pour la marche avant le 12 mai à 18h", "préparer le tract pour la marche",
     "2021-05-12T18:00:00+02:00", True, "le 12 mai à 18h"),
    ("tracts pour la marche du 9 mai", "tracts pour la marche du 9 mai", None, None, None),
    ("bilan de la manif pour fin mai", "bilan de la manif", "2021-05-31T23:59:00+02:00", False, "fin mai"),
    ("envoyer le compte rendu d'ici 3 jours", "envoyer le compte rendu",
     "2021-04-30T23:59:00+02:00", False, "d'ici 3 jours"),
    ("envoyer le CR d’ici vendredi", "envoyer le CR", "2021-04-30T23:59:00+02:00", False, "vendredi"),
    ("relancer la mairie, avant samedi", "relancer la mairie", "2021-05-01T23:59:00+02:00", False, "samedi"),
    ("imprimer pour 2 personnes", "imprimer pour 2 personnes", None, None, None),
    ("acheter des pots de colle", "acheter des pots de colle", None, None, None),
    ("avant demain", "", "2021-04-28T23:59:00+02:00", False, "demain"),
    ("send the minutes by friday", "send the minutes", "2021-04-30T23:59:00+02:00", False, "friday"),
    ("write the report due by May 12th at 6pm", "write the report",
     "2021-05-12T18:00:00+02:00", True, "May 12th at 6pm"),
    ("book the room due friday", "book the room", "2021-04-30T23:59:00+02:00", False, "friday"),
    ("call the mayor before tomorrow noon", "call the mayor", "2021-04-28T12:00:00+02:00", True, "tomorrow noon"),
]


@pytest.mark.parametrize("text, rest, expected, has_time, phrase", SPLITS)
def test_split_deadline(text, rest, expected, has_time, phrase):
    left, deadline = split_deadline(text, now=NOW, tz=PARIS, lang="fr")
    assert left == rest
    if expected is None:
        assert deadline is None
    else:
        check(deadline, expected, has_time)
        assert deadline.phrase == phrase


def test_split_deadline_in_the_past_is_an_error_not_text():
    with pytest.raises(DateError) as caught:
        split_deadline("faire le bilan avant le 12 avril 2021", now=NOW, tz=PARIS, lang="fr")
    assert caught.value.code == "past"


@pytest.mark.parametrize("phrase, lang, missing", [
    ("31 février", "fr", (31, 2, None)),
    ("le 30 février 2028", "fr", (30, 2, 2028)),
    ("30/02", "fr", (30, 2, None)),
    ("31/04/2027", "fr", (31, 4, 2027)),
    ("29/02/2023", "fr", (29, 2, 2023)),  # not a leap year
    ("mercredi 31 juin", "fr", (31, 6, None)),
    ("February 30", "en", (30, 2, None)),
    ("the 31st of April", "en", (31, 4, None)),
])
def test_a_day_the_month_does_not_have_is_named_as_such(phrase, lang, missing):
    with pytest.raises(DateError) as caught:
        parse_date(phrase, now=NOW, tz=PARIS, lang=lang)
    assert caught.value.code == "no_such_day" and caught.value.missing == missing


@pytest.mark.parametrize("phrase", ["le 32 mai", "45/13", "31"])
def test_numbers_no_month_has_are_not_dates_at_all(phrase):
    with pytest.raises(DateError) as caught:
        parse_date(phrase, now=NOW, tz=PARIS, lang="fr")
    assert caught.value.code == "unparseable"


@pytest.mark.parametrize("phrase, lang, clock", [
    ("mercredi 12 mai 25h", "fr", "25h"),
    ("mercredi 12 mai à 18h75", "fr", "18h75"),
    ("demain à 24h", "fr", "24h"),
    ("Wednesday 12 May at 13pm", "en", "13pm"),
    ("tomorrow 25:00", "en", "25:00"),
])
def test_a_day_with_a_time_no_clock_shows_names_that_time(phrase, lang, clock):
    with pytest.raises(DateError) as caught:
        parse_date(phrase, now=NOW, tz=PARIS, lang=lang)
    assert (caught.value.code, caught.value.clock) == ("no_such_time", clock)


@pytest.mark.parametrize("phrase", ["25h", "24h", "à 24h"])
def test_such_a_time_alone_is_not_a_date_at_all(phrase):
    """Alone, "24h" is as likely a duration ("tenir le stand pour 24h") as a mistyped time."""
    with pytest.raises(DateError) as caught:
        parse_date(phrase, now=NOW, tz=PARIS, lang="fr")
    assert caught.value.code == "unparseable"
    assert split_deadline("tenir le stand pour 24h", now=NOW, tz=PARIS, lang="fr") == (
        "tenir le stand pour 24h", None)


def test_a_meeting_on_a_day_at_no_such_time_is_an_error_not_a_day_without_time():
    with pytest.raises(DateError) as caught:
        find_date("mercredi 12 mai 25h Plénière", now=NOW, tz=PARIS, lang="fr")
    assert (caught.value.code, caught.value.clock) == ("no_such_time", "25h")
    with pytest.raises(DateError) as caught:
        split_deadline("appeler Nicolas pour demain 25h", now=NOW, tz=PARIS, lang="fr")
    assert caught.value.code == "no_such_time"
    # "24h" in a title, next to a real date and time: the title keeps it
    found, rest = find_date("Marathon des 24h samedi 18h", now=NOW, tz=PARIS, lang="fr")
    assert (found.phrase, found.has_time, rest) == ("samedi 18h", True, "Marathon des 24h")


def test_29_february_without_a_year_waits_for_a_leap_year():
    assert parse_date("29/02", now=NOW, tz=PARIS, lang="fr").when.date().isoformat() == "2024-02-29"


def test_a_deadline_on_a_day_that_does_not_exist_is_an_error_not_text():
    with pytest.raises(DateError) as caught:
        split_deadline("relire le compte rendu pour le 31 février", now=NOW, tz=PARIS, lang="fr")
    assert caught.value.code == "no_such_day"
    with pytest.raises(DateError):  # a meeting's date inside its title
        find_date("mercredi 31 juin 18h Plénière", now=NOW, tz=PARIS, lang="fr")


# (text, when or None, has_time, date phrase, text left)
FINDS = [
    ("mercredi 12 mai à 18h Examiner les propositions", "2021-05-12T18:00:00+02:00", True,
     "mercredi 12 mai à 18h", "Examiner les propositions"),
    ("prévue le mercredi 12 mai à 18h", "2021-05-12T18:00:00+02:00", True, "le mercredi 12 mai à 18h", "prévue"),
    ("Point hebdo lundi prochain 18h30", "2021-05-03T18:30:00+02:00", True, "lundi prochain 18h30", "Point hebdo"),
    ("Réunion le 12 mai à 18h à la mairie", "2021-05-12T18:00:00+02:00", True,
     "le 12 mai à 18h", "Réunion à la mairie"),
    ("AG: mercredi 12 mai à 18h, salle des fêtes", "2021-05-12T18:00:00+02:00", True,
     "mercredi 12 mai à 18h", "AG: salle des fêtes"),
    ("climate march on 9 May", "2021-05-09T00:00:00+02:00", False, "on 9 May", "climate march"),
    ("Marche pour le climat le 9 mai", "2021-05-09T00:00:00+02:00", False, "le 9 mai", "Marche pour le climat"),
    ("Apéro ce soir à 21h", "2021-04-27T21:00:00+02:00", True, "ce soir à 21h", "Apéro"),
    ("Collage de 20 affiches demain", "2021-04-28T00:00:00+02:00", False, "demain", "Collage de 20 affiches"),
    ("Point dans 2 semaines sur le tract", "2021-05-11T00:00:00+02:00", False, "dans 2 semaines",
     "Point sur le tract"),
    ("Nettoyage de la mer", None, None, None, None),
    ("Examiner les 3 propositions", None, None, None, None),
    ("Réunion hier", None, None, None, None),  # past dates are not found
]


@pytest.mark.parametrize("text, expected, has_time, phrase, rest", FINDS)
def test_find_date(text, expected, has_time, phrase, rest):
    found = find_date(text, now=NOW, tz=PARIS, lang="fr")
    if expected is None:
        assert found is None
        return
    parsed, left = found
    check(parsed, expected, has_time)
    assert parsed.phrase == phrase
    assert left == rest


@pytest.mark.parametrize("when, lang, has_time, text", [
    (paris(2027, 5, 12, 18), "fr", True, "mercredi 12 mai 2027 à 18h00"),
    (paris(2027, 5, 12, 18), "en", True, "Wednesday 12 May 2027 at 18:00"),
    (paris(2027, 5, 12), "fr", False, "mercredi 12 mai 2027"),
    (paris(2027, 5, 12), "en", False, "Wednesday 12 May 2027"),
    (paris(2021, 6, 1, 9, 5), "fr", True, "mardi 1er juin 2021 à 9h05"),
    (paris(2021, 6, 1, 9, 5), "en", True, "Tuesday 1 June 2021 at 09:05"),
    (paris(2021, 2, 4, 0, 0), "fr", False, "jeudi 4 février 2021"),
    (paris(2021, 8, 15, 23, 59), "fr", True, "dimanche 15 août 2021 à 23h59"),
    (paris(2021, 12, 31), "en", False, "Friday 31 December 2021"),
])
def test_format_when(when, lang, has_time, text):
    assert format_when(when, lang, has_time) == text


def test_now_must_be_aware():
    with pytest.raises(ValueError):
        parse_date("demain", now=datetime(2021, 4, 27, 20, 0), tz=PARIS)


def test_the_same_instant_in_two_zones_is_written_in_each_zone():
    """Formatted dates are cached: 18:00 in Paris and 16:00 UTC are one instant, yet each is written as its
    own wall-clock time, and the cached result of one is never given for the other."""
    paris_evening = datetime(2027, 5, 12, 18, 0, tzinfo=ZoneInfo("Europe/Paris"))
    same_instant_utc = paris_evening.astimezone(timezone.utc)
    assert paris_evening == same_instant_utc
    assert format_when(paris_evening, "fr") == "mercredi 12 mai 2027 à 18h00"
    assert format_when(same_instant_utc, "fr") == "mercredi 12 mai 2027 à 16h00"
    late = datetime(2027, 5, 12, 23, 30, tzinfo=ZoneInfo("America/Montreal"))  # already 13 May in Paris
    assert format_when(late, "en") == "Wednesday 12 May 2027 at 23:30"
    assert format_when(late.astimezone(ZoneInfo("Europe/Paris")), "en") == "Thursday 13 May 2027 at 05:30"
