"""handlers/dates/recurrence.py: phrases → rules → occurrences, with literal expected dates (local time and UTC
offset), across the DST changes of March (28 March 2021, 2:00 → 3:00) and October (31 October 2021,
3:00 → 2:00) in Paris."""
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from handlers.dates.dates import DateError
from handlers.dates.recurrence import RecurrenceError, Rule, find_recurring, occurrences, rule_occurrences
from handlers.schedule.common import describe_rule

TZ = "Europe/Paris"
PARIS = ZoneInfo(TZ)


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


APRIL = paris(2021, 4, 27, 20, 0)  # a Tuesday evening
APRIL_AFTERNOON = paris(2021, 4, 27, 17, 0)
MARCH = paris(2021, 3, 17, 10, 0)  # a Wednesday, the week before summer time
OCTOBER = paris(2021, 10, 20, 10, 0)  # a Wednesday, the week before winter time


def local(at: datetime) -> str:
    return at.astimezone(PARIS).isoformat(" ", "minutes")


CASES = [
    # phrase, now, rule, title left, the first occurrences (local time, UTC offset)
    ("tous les lundis à 18h Point hebdo", MARCH, "FREQ=WEEKLY;BYDAY=MO", "Point hebdo",
     ["2021-03-22 18:00+01:00", "2021-03-29 18:00+02:00", "2021-04-05 18:00+02:00"]),
    ("every monday at 6pm Weekly sync", OCTOBER, "FREQ=WEEKLY;BYDAY=MO", "Weekly sync",
     ["2021-10-25 18:00+02:00", "2021-11-01 18:00+01:00", "2021-11-08 18:00+01:00"]),
    ("tous les jours à 18h", OCTOBER, "FREQ=DAILY", "",
     ["2021-10-20 18:00+02:00", "2021-10-21 18:00+02:00", "2021-10-22 18:00+02:00"]),
    # The spring-forward hour does not exist: that Sunday only, 2:30 is 3:30.
    ("every sunday at 2:30", MARCH, "FREQ=WEEKLY;BYDAY=SU", "",
     ["2021-03-21 02:30+01:00", "2021-03-28 03:30+02:00", "2021-04-04 02:30+02:00"]),
    # The autumn hour happens twice: the first one.
    ("tous les dimanches à 2h30", OCTOBER, "FREQ=WEEKLY;BYDAY=SU", "",
     ["2021-10-24 02:30+02:00", "2021-10-31 02:30+02:00", "2021-11-07 02:30+01:00"]),
    ("chaque mardi 19h30 Atelier vélo", APRIL, "FREQ=WEEKLY;BYDAY=TU", "Atelier vélo",
     ["2021-05-04 19:30+02:00", "2021-05-11 19:30+02:00"]),
    ("chaque mardi à 18h", APRIL_AFTERNOON, "FREQ=WEEKLY;BYDAY=TU", "",  # a weekday is never today
     ["2021-05-04 18:00+02:00", "2021-05-11 18:00+02:00"]),
    ("tous les jours à 18h", APRIL_AFTERNOON, "FREQ=DAILY", "",  # names no weekday: today, still to come
     ["2021-04-27 18:00+02:00", "2021-04-28 18:00+02:00"]),
    ("tous les lundis et jeudis à 18h jusqu'au 10 mai", APRIL, "FREQ=WEEKLY;BYDAY=MO,TH;UNTIL=20210510", "",
     ["2021-04-29 18:00+02:00", "2021-05-03 18:00+02:00", "2021-05-06 18:00+02:00", "2021-05-10 18:00+02:00"]),
    ("every monday at 6pm 3 times", APRIL, "FREQ=WEEKLY;BYDAY=MO;COUNT=3", "",
     ["2021-05-03 18:00+02:00", "2021-05-10 18:00+02:00", "2021-05-17 18:00+02:00"]),
    ("tous les lundis à 18h jusqu'au 10 mai Point", APRIL, "FREQ=WEEKLY;BYDAY=MO;UNTIL=20210510", "Point",
     ["2021-05-03 18:00+02:00", "2021-05-10 18:00+02:00"]),
    ("un lundi sur deux à 18h", APRIL, "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", "",
     ["2021-05-03 18:00+02:00", "2021-05-17 18:00+02:00", "2021-05-31 18:00+02:00"]),
    ("every other monday 6pm", APRIL, "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", "",
     ["2021-05-03 18:00+02:00", "2021-05-17 18:00+02:00"]),
    ("tous les 15 jours à 18h Plénière", APRIL, "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE", "Plénière",
     ["2021-04-28 18:00+02:00", "2021-05-12 18:00+02:00", "2021-05-26 18:00+02:00"]),
    ("every 2 weeks at 6pm", APRIL, "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE", "",
     ["2021-04-28 18:00+02:00", "2021-05-12 18:00+02:00"]),
    ("toutes les deux semaines le mardi à 18h30", APRIL, "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "",
     ["2021-05-04 18:30+02:00", "2021-05-18 18:30+02:00"]),
    ("fortnightly on friday at 17h", APRIL, "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR", "",
     ["2021-04-30 17:00+02:00", "2021-05-14 17:00+02:00"]),
    ("tous les 3 jours à 9h", APRIL, "FREQ=DAILY;INTERVAL=3", "",
     ["2021-04-28 09:00+02:00", "2021-05-01 09:00+02:00"]),
    ("daily at 9am Standup", APRIL, "FREQ=DAILY", "Standup",
     ["2021-04-28 09:00+02:00", "2021-04-29 09:00+02:00"]),
    ("le premier mardi du mois à 19h CA", APRIL, "FREQ=MONTHLY;BYDAY=1TU", "CA",
     ["2021-05-04 19:00+02:00", "2021-06-01 19:00+02:00", "2021-07-06 19:00+02:00"]),
    ("tous les premiers mardis du mois à 19h", APRIL, "FREQ=MONTHLY;BYDAY=1TU", "",
     ["2021-05-04 19:00+02:00", "2021-06-01 19:00+02:00"]),
    ("every first tuesday of the month 7pm Board", APRIL, "FREQ=MONTHLY;BYDAY=1TU", "Board",
     ["2021-05-04 19:00+02:00", "2021-06-01 19:00+02:00"]),
    ("le dernier vendredi du mois à 18h apéro", APRIL, "FREQ=MONTHLY;BYDAY=-1FR", "apéro",
     ["2021-04-30 18:00+02:00", "2021-05-28 18:00+02:00", "2021-06-25 18:00+02:00"]),
    ("le 2e jeudi de chaque mois à 20h", MARCH, "FREQ=MONTHLY;BYDAY=2TH", "",
     ["2021-04-08 20:00+02:00", "2021-05-13 20:00+02:00"]),
    ("le 31 de chaque mois à 18h", APRIL, "FREQ=MONTHLY;BYMONTHDAY=31", "",  # no 30 June, no 31 April
     ["2021-05-31 18:00+02:00", "2021-07-31 18:00+02:00", "2021-08-31 18:00+02:00"]),
    ("every month on the 15th at 6pm", APRIL, "FREQ=MONTHLY;BYMONTHDAY=15", "",
     ["2021-05-15 18:00+02:00", "2021-06-15 18:00+02:00"]),
    ("tous les mois à partir du 3 mai à 18h Bilan", APRIL, "FREQ=MONTHLY;BYMONTHDAY=3", "Bilan",
     ["2021-05-03 18:00+02:00", "2021-06-03 18:00+02:00"]),
    ("Bilan tous les deux mois à 18h à partir du 3 mai", APRIL, "FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=3", "Bilan",
     ["2021-05-03 18:00+02:00", "2021-07-03 18:00+02:00"]),
    ("tous les huit jours à 18h", APRIL, "FREQ=WEEKLY;BYDAY=WE", "",
     ["2021-04-28 18:00+02:00", "2021-05-05 18:00+02:00"]),
    ("Toutes Les Semaines À 18H", APRIL, "FREQ=WEEKLY;BYDAY=WE", "",
     ["2021-04-28 18:00+02:00", "2021-05-05 18:00+02:00"]),
    ("starting May 10 every monday at 6pm", APRIL, "FREQ=WEEKLY;BYDAY=MO", "",
     ["2021-05-10 18:00+02:00", "2021-05-17 18:00+02:00"]),
]


@pytest.mark.parametrize("phrase, now, rule, rest, expected", CASES, ids=[c[0] for c in CASES])
def test_phrases(phrase, now, rule, rest, expected):
    found = find_recurring(phrase, now=now, tz=TZ)
    assert found is not None
    assert found.rule.to_text() == rule
    assert found.rest == rest
    assert local(found.first) == expected[0]
    got = rule_occurrences(found.rule, found.first, TZ, after=now, limit=len(expected) + 1)
    assert [local(at) for at in got][:len(expected)] == expected
    if found.rule.count or found.rule.until:  # the series ends where it should
        assert len(got) == len(expected)


@pytest.mark.parametrize("phrase", ["mardi 18h Plénière", "Retour sur chaque point à 18h", "jeudi à 18h",
                                    "le 12 mai à 18h", "every time at 6pm"])
def test_not_a_recurrence(phrase):
    assert find_recurring(phrase, now=APRIL, tz=TZ) is None


@pytest.mark.parametrize("phrase, code", [
    ("tous les lundis Point hebdo", "needs_time"),
    ("tous les lundis à partir du 3 mai", "needs_time"),
    ("tous les lundis à 18h jusqu'au 28 avril", "no_occurrence"),  # no Monday before the end
    ("tous les lundis à 18h 0 fois", "no_occurrence"),
    ("every monday 6pm until May 30 5 times", "count_and_until"),
])
def test_errors(phrase, code):
    with pytest.raises(RecurrenceError) as caught:
        find_recurring(phrase, now=APRIL, tz=TZ)
    assert caught.value.code == code


def test_an_end_already_past_is_the_date_layers_error():
    with pytest.raises(DateError) as caught:
        find_recurring("tous les lundis à 18h jusqu'au 1er avril 2021", now=APRIL, tz=TZ)
    assert caught.value.code == "past" and caught.value.phrase == "1er avril 2021"


@pytest.mark.parametrize("text", ["FREQ=WEEKLY;BYDAY=MO", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;COUNT=10",
                                  "FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20210630", "FREQ=MONTHLY;BYMONTHDAY=15",
                                  "FREQ=DAILY;INTERVAL=3"])
def test_rule_text_round_trip(text):
    assert Rule.from_text(text).to_text() == text


WORDS = [
    ("FREQ=WEEKLY;BYDAY=MO", "tous les lundis à 18h00", "every Monday at 18:00"),
    ("FREQ=WEEKLY;BYDAY=MO,TH;UNTIL=20210630", "tous les lundis et jeudis à 18h00, jusqu'au mercredi 30 juin 2021",
     "every Monday and Thursday at 18:00, until Wednesday 30 June 2021"),
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", "un lundi sur deux à 18h00", "every other Monday at 18:00"),
    ("FREQ=WEEKLY;INTERVAL=3;BYDAY=TU", "toutes les 3 semaines, le mardi à 18h00", "every 3 weeks on Tuesday at 18:00"),
    ("FREQ=DAILY;COUNT=10", "tous les jours à 18h00, 10 fois", "every day at 18:00, 10 times"),
    ("FREQ=DAILY;INTERVAL=3", "tous les 3 jours à 18h00", "every 3 days at 18:00"),
    ("FREQ=MONTHLY;BYDAY=1TU", "le premier mardi du mois à 18h00", "on the first Tuesday of the month at 18:00"),
    ("FREQ=MONTHLY;BYDAY=-1FR", "le dernier vendredi du mois à 18h00", "on the last Friday of the month at 18:00"),
    ("FREQ=MONTHLY;BYMONTHDAY=1", "le 1er de chaque mois à 18h00", "on the 1st of every month at 18:00"),
    ("FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=22", "le 22 de chaque mois, tous les 2 mois à 18h00",
     "on the 22nd of every month, every 2 months at 18:00"),
]


@pytest.mark.parametrize("text, fr, en", WORDS, ids=[w[0] for w in WORDS])
def test_rules_in_words(text, fr, en):
    first = paris(2021, 5, 3, 18, 0)
    assert describe_rule(Rule.from_text(text), first, TZ, "fr") == fr
    assert describe_rule(Rule.from_text(text), first, TZ, "en") == en


def test_occurrences_with_a_cancelled_and_a_moved_date():
    rule = Rule.from_text("FREQ=WEEKLY;BYDAY=MO")
    first = paris(2021, 3, 22, 18, 0)
    cancelled = paris(2021, 3, 29, 18, 0).astimezone(timezone.utc)
    moved = paris(2021, 4, 5, 18, 0).astimezone(timezone.utc)
    changes = {cancelled: None, moved: paris(2021, 4, 7, 19, 0).astimezone(timezone.utc),
               paris(2021, 4, 6, 18, 0).astimezone(timezone.utc): None}  # not a date of the rule: ignored
    got = occurrences(rule, first, TZ, changes, after=MARCH, limit=4)
    assert [(local(o.at), o.moved) for o in got] == [
        ("2021-03-22 18:00+01:00", False), ("2021-04-07 19:00+02:00", True),
        ("2021-04-12 18:00+02:00", False), ("2021-04-19 18:00+02:00", False)]
    assert local(got[1].original) == "2021-04-05 18:00+02:00"
    # Bounded on both sides; a one-off is its own only occurrence.
    assert [local(o.at) for o in occurrences(rule, first, TZ, changes, after=paris(2021, 4, 7, 0, 0),
                                             before=paris(2021, 4, 12, 18, 0))] == ["2021-04-07 19:00+02:00"]
    assert [local(o.at) for o in occurrences(None, first, TZ, {}, after=MARCH)] == ["2021-03-22 18:00+01:00"]
    assert occurrences(None, first, TZ, {}, after=first + timedelta(seconds=1)) == []


def test_until_is_a_local_day_included():
    rule = Rule("WEEKLY", weekdays=(0,), until=date(2021, 5, 10))
    got = rule_occurrences(rule, paris(2021, 5, 3, 23, 30), TZ, after=APRIL)
    assert [local(at) for at in got] == ["2021-05-03 23:30+02:00", "2021-05-10 23:30+02:00"]
