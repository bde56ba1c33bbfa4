"""Weekdays (issue 8): one rule for one-off and recurring dates, and a weekday that contradicts its date.

1. A weekday named alone is never today — "lundi à 18h", "tous les lundis à 18h", "every monday at 6pm"
   typed on a Monday mean next Monday — checked on each day of a week. Rules that name a date or no
   weekday ("tous les jours", "le 15 de chaque mois", "le premier mardi du mois") and "à partir du <date>"
   keep their natural first date, today included.
2. "samedi 9 mai" when 9 May is a Sunday is refused, naming the right weekday, in every command that takes
   a date; a weekday in a title ("Point du lundi") is not the date's.

Calendar: Monday 3 May 2021 … Sunday 9 May 2021; Tuesday 4 May is the first Tuesday of May; 9 May 2021 is a
Sunday (9 May 2026 a Saturday, 9 May 2027 a Sunday); 12 May 2021 is a Wednesday. The chat fixture's NOW
is Tuesday 27 April 2021, 20:00 in Paris.
"""
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.__main__ import main
from handlers.dates.date_input import date_error_key, date_error_values
from handlers.dates.dates import DateError, find_date, parse_date, split_deadline
from handlers.dates.recurrence import find_recurring

TZ = "Europe/Paris"
PARIS = ZoneInfo(TZ)
COORD = "@coord:pacte.example"
FR_DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
EN_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# 10:00 on each day of the week of Monday 3 May 2021.
WEEK = [datetime(2021, 5, 3 + offset, 10, 0, tzinfo=PARIS) for offset in range(7)]
APRIL = datetime(2021, 4, 27, 20, 0, tzinfo=PARIS)  # the chat fixture's NOW


def expected_next(now: datetime, weekday: int) -> date:
    """Written out independently of the code: 1 to 7 days ahead, a week when it is today's weekday."""
    ahead = (weekday - now.weekday()) % 7 or 7
    return now.date() + timedelta(days=ahead)


def assert_next_weekday(first: datetime, now: datetime, weekday: int) -> None:
    local = first.astimezone(PARIS)
    assert 1 <= (local.date() - now.date()).days <= 7  # never today
    assert local.weekday() == weekday
    assert local.date() == expected_next(now, weekday)
    assert (local.hour, local.minute) == (18, 0)


# --- 1. a weekday named alone is never today ---------------------------------------------------------------

PAIRS = [(now, weekday) for now in WEEK for weekday in range(7)]
PAIR_IDS = [f"{EN_DAYS[now.weekday()]}-{EN_DAYS[weekday]}" for now, weekday in PAIRS]


@pytest.mark.parametrize("now, weekday", PAIRS, ids=PAIR_IDS)
def test_a_one_off_weekday_is_never_today(now, weekday):
    assert_next_weekday(parse_date(f"{FR_DAYS[weekday]} à 18h", now=now, tz=TZ).when, now, weekday)
    assert_next_weekday(parse_date(f"{EN_DAYS[weekday]} at 6pm", now=now, tz=TZ, lang="en").when, now, weekday)
    parsed, title = find_date(f"{FR_DAYS[weekday]} à 18h Point hebdo", now=now, tz=TZ)  # as !réunion prévoir
    assert_next_weekday(parsed.when, now, weekday)
    assert title == "Point hebdo"


@pytest.mark.parametrize("now, weekday", PAIRS, ids=PAIR_IDS)
def test_a_recurring_weekday_is_never_today(now, weekday):
    french = find_recurring(f"tous les {FR_DAYS[weekday]}s à 18h Point hebdo", now=now, tz=TZ)
    assert_next_weekday(french.first, now, weekday)
    assert french.rest == "Point hebdo"
    english = find_recurring(f"every {EN_DAYS[weekday]} at 6pm Weekly check-in", now=now, tz=TZ, lang="en")
    assert_next_weekday(english.first, now, weekday)


MONDAY = WEEK[0]


@pytest.mark.parametrize("phrase, first", [
    ("lundi à 18h", "2021-05-10 18:00"),
    ("lundi prochain à 18h", "2021-05-10 18:00"),
    ("next monday at 6pm", "2021-05-10 18:00"),
    ("ce lundi à 18h", "2021-05-03 18:00"),  # "ce" / "this" is the way to say today
])
def test_one_off_weekdays_typed_on_a_monday(phrase, first):
    assert parse_date(phrase, now=MONDAY, tz=TZ).when.strftime("%Y-%m-%d %H:%M") == first


@pytest.mark.parametrize("phrase, first", [
    ("tous les lundis à 18h", "2021-05-10 18:00"),
    ("tous les lundis et jeudis à 18h", "2021-05-06 18:00"),  # Monday skipped today, this week's Thursday
    ("every monday and thursday at 6pm", "2021-05-06 18:00"),
    ("un lundi sur deux à 18h", "2021-05-10 18:00"),
    ("every other monday at 6pm", "2021-05-10 18:00"),
    ("toutes les deux semaines le lundi à 18h", "2021-05-10 18:00"),
    # Rules that name a date, or no weekday: their first date still to come, today included.
    ("tous les jours à 18h", "2021-05-03 18:00"),
    ("every day at 6pm", "2021-05-03 18:00"),
    ("toutes les semaines à 18h", "2021-05-03 18:00"),  # then every Monday, the weekday of its first date
    ("le 3 de chaque mois à 18h", "2021-05-03 18:00"),
    ("le premier lundi du mois à 18h", "2021-05-03 18:00"),
    # An explicit start is included.
    ("tous les lundis à 18h à partir du 3 mai", "2021-05-03 18:00"),
    ("every monday at 6pm from May 3", "2021-05-03 18:00"),
    ("tous les lundis à 18h à partir du 4 mai", "2021-05-10 18:00"),
])
def test_recurring_rules_typed_on_a_monday_morning(phrase, first):
    found = find_recurring(phrase, now=MONDAY, tz=TZ)
    assert found.first.strftime("%Y-%m-%d %H:%M") == first


def test_a_rule_that_names_a_date_starts_later_today_only_if_still_to_come():
    evening = datetime(2021, 5, 3, 19, 0, tzinfo=PARIS)
    assert find_recurring("tous les jours à 18h", now=evening, tz=TZ).first.date() == date(2021, 5, 4)
    assert find_recurring("le premier mardi du mois à 18h", now=WEEK[1], tz=TZ).first.date() == date(2021, 5, 4)


# --- 2. a weekday that contradicts its date ------------------------------------------------------------------

MISMATCHES = [
    # phrase, now, the date, the weekday written (0 = Monday)
    ("samedi 9 mai", APRIL, date(2021, 5, 9), 5),
    ("Samedi 9 mai à 14h", APRIL, date(2021, 5, 9), 5),
    ("le samedi 9 mai", APRIL, date(2021, 5, 9), 5),
    ("sam. 9 mai", APRIL, date(2021, 5, 9), 5),
    ("9 mai samedi", APRIL, date(2021, 5, 9), 5),
    ("samedi 09/05", APRIL, date(2021, 5, 9), 5),
    ("Saturday 9 May", APRIL, date(2021, 5, 9), 5),
    ("saturday the 9th of May at 2pm", APRIL, date(2021, 5, 9), 5),
    ("May 9, Saturday", APRIL, date(2021, 5, 9), 5),
    ("lundi 12", APRIL, date(2021, 5, 12), 0),  # weekday + day of the month: the next 12th, a Wednesday
    # No year: the next 9 May (2021, a Sunday) is checked; 9 May 2026 (a Saturday) is not jumped to.
    ("samedi 9 mai", datetime(2021, 5, 10, 10, 0, tzinfo=PARIS), date(2022, 5, 9), 5),
    ("samedi 9 mai 2027", APRIL, date(2027, 5, 9), 5),
]


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("phrase, now, day, stated", MISMATCHES)
def test_parse_date_refuses_a_weekday_that_is_not_the_dates(phrase, now, day, stated, lang):
    with pytest.raises(DateError) as caught:
        parse_date(phrase, now=now, tz=TZ, lang=lang)
    error = caught.value
    assert (error.code, error.phrase, error.day, error.stated) == ("weekday_mismatch", phrase, day, stated)
    assert date_error_key(error) == "date.weekday_mismatch"


@pytest.mark.parametrize("phrase, expected", [
    ("dimanche 9 mai", "2021-05-09"),
    ("samedi 9 mai 2026", "2026-05-09"),
    ("lundi prochain", "2021-05-03"),  # not a date with a weekday: the next Monday
    ("mercredi 12", "2021-05-12"),
    ("samedi 1er mai", "2021-05-01"),
])
def test_a_weekday_that_is_the_dates_is_accepted(phrase, expected):
    assert parse_date(phrase, now=APRIL, tz=TZ).when.date().isoformat() == expected


def test_the_reply_names_the_right_weekday_in_both_languages():
    error = DateError("weekday_mismatch", "samedi 9 mai 2027", day=date(2027, 5, 9), stated=5)
    assert date_error_values(error, "fr") == {"phrase": "samedi 9 mai 2027", "date": "9 mai 2027",
                                              "weekday": "dimanche", "stated": "samedi"}
    assert date_error_values(error, "en") == {"phrase": "samedi 9 mai 2027", "date": "9 May 2027",
                                              "weekday": "Sunday", "stated": "Saturday"}


def test_find_date_refuses_a_weekday_attached_to_the_date():
    with pytest.raises(DateError) as caught:
        find_date("samedi 9 mai à 14h Marche pour le climat", now=APRIL, tz=TZ)
    assert caught.value.code == "weekday_mismatch" and caught.value.phrase == "samedi 9 mai à 14h"
    with pytest.raises(DateError):
        find_date("Marche pour le climat le samedi 9 mai", now=APRIL, tz=TZ)


@pytest.mark.parametrize("text, phrase, title", [
    ("Point du lundi 12 mai à 18h", "12 mai à 18h", "Point du lundi"),
    ("Point du lundi mercredi 12 mai à 18h", "mercredi 12 mai à 18h", "Point du lundi"),
    ("Point du lundi, mercredi 12 mai à 18h", "mercredi 12 mai à 18h", "Point du lundi"),
    ("mercredi 12 mai à 18h Point du lundi", "mercredi 12 mai à 18h", "Point du lundi"),
])
def test_a_weekday_in_a_title_is_not_the_dates(text, phrase, title):
    parsed, rest = find_date(text, now=APRIL, tz=TZ)
    assert (parsed.when.date(), parsed.phrase, rest) == (date(2021, 5, 12), phrase, title)


def test_an_action_deadline_with_the_wrong_weekday_is_refused_not_left_in_the_text():
    with pytest.raises(DateError) as caught:
        split_deadline("relayer l'appel pour samedi 9 mai", now=APRIL, tz=TZ)
    assert caught.value.code == "weekday_mismatch" and caught.value.phrase == "samedi 9 mai"
    # A weekday that is a word of the action's text, not of the deadline, is not checked.
    text, deadline = split_deadline("préparer le café du samedi pour le 9 mai", now=APRIL, tz=TZ)
    assert (text, deadline.when.date()) == ("préparer le café du samedi", date(2021, 5, 9))


@pytest.mark.parametrize("phrase", ["tous les lundis à 18h à partir du samedi 9 mai",
                                    "tous les lundis à 18h jusqu'au samedi 9 mai",
                                    "every monday at 6pm from Saturday May 9"])
def test_a_series_start_or_end_with_the_wrong_weekday_is_refused(phrase):
    with pytest.raises(DateError) as caught:
        find_recurring(phrase, now=APRIL, tz=TZ)
    assert caught.value.code == "weekday_mismatch"


# --- through the commands ------------------------------------------------------------------------------------

FR_REPLY = "Le 9 mai 2021 est un dimanche, pas un samedi."
EN_REPLY = "9 May 2021 is a Sunday, not a Saturday."


async def text(chat, command: str, sender: str = "@alice:pacte.example") -> str:
    return (await chat.reply(command, sender=sender)).content.plain


async def test_when(chat):
    assert await text(chat, "!quand samedi 9 mai") == FR_REPLY
    assert await text(chat, "!quand lundi 12") == "Le 12 mai 2021 est un mercredi, pas un lundi."
    assert (await text(chat, "!quand dimanche 9 mai")).startswith("« dimanche 9 mai » : dimanche 9 mai 2021")
    chat.join(COORD, power=100)
    await chat.say("!réglages langue en", sender=COORD)
    assert await text(chat, "!when Saturday 9 May") == EN_REPLY
    assert await text(chat, "!when samedi 9 mai 2027") == "9 May 2027 is a Sunday, not a Saturday."


async def test_an_action_with_a_wrong_weekday_is_not_recorded(chat):
    assert await text(chat, "!action relayer la marche du climat pour samedi 9 mai") == FR_REPLY
    assert (await text(chat, "!action liste")).startswith("Aucune action")
    chat.join(COORD, power=100)
    await chat.say("!réglages langue en", sender=COORD)
    assert await text(chat, "!action relay the climate march by Saturday May 9") == EN_REPLY
    assert (await text(chat, "!action list")).startswith("No action")


async def test_changing_a_deadline_to_a_wrong_weekday_is_refused(chat):
    assert (await text(chat, "!action relayer la marche pour dimanche 9 mai")).startswith("Action #1")
    assert "samedi 8 mai 2021" in await text(chat, "!action échéance 1 samedi 8 mai")  # the right weekday
    assert await text(chat, "!action échéance 1 samedi 9 mai") == FR_REPLY
    assert "samedi 8 mai 2021" in await text(chat, "!action voir 1")  # unchanged


async def test_scheduling_with_a_wrong_weekday_is_refused(chat):
    chat.join(COORD, power=100)
    assert await text(chat, "!réunion prévoir samedi 9 mai à 14h Marche", sender=COORD) == FR_REPLY
    assert await text(chat, "!réunion prévoir tous les lundis à 18h à partir du samedi 9 mai Point",
                      sender=COORD) == FR_REPLY
    assert (await text(chat, "!réunion liste", sender=COORD)).startswith("Aucune réunion")
    # A weekday in the title is the title's.
    created = await text(chat, "!réunion prévoir Point du lundi 12 mai à 18h", sender=COORD)
    assert "Point du lundi" in created and "mercredi 12 mai 2021 à 18h00" in created
    assert await text(chat, "!réunion déplacer 1 samedi 9 mai à 18h", sender=COORD) == FR_REPLY


def test_the_command_line_says_so_too(capsys):
    assert main(["parse-date", "samedi 9 mai", "--now", "2021-04-27T20:00", "--lang", "fr"]) == 1
    assert capsys.readouterr().err.strip() == FR_REPLY
    assert main(["parse-date", "Saturday 9 May", "--now", "2021-04-27T20:00", "--lang", "en"]) == 1
    assert capsys.readouterr().err.strip() == EN_REPLY


async def test_the_rule_is_in_the_help(chat):
    help_fr = await text(chat, "!réunion prévoir")
    assert "un jour de la semaine nommé seul n'est jamais aujourd'hui" in help_fr
    assert "`tous les jours à 18h` tapé à 10h commence aujourd'hui à 18h" in help_fr
    assert "`samedi 9 mai` est refusé si le 9 mai est un dimanche" in help_fr
    assert "doit être le sien" in await text(chat, "!aide quand")
    chat.join(COORD, power=100)
    await chat.say("!réglages langue en", sender=COORD)
    help_en = await text(chat, "!meeting schedule")
    assert "a weekday named alone is never today" in help_en
    assert "`every day at 6pm` typed at 10am starts today at 6pm" in help_en
