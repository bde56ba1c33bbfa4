"""Bounds on what people type (issue 9, items 6–8): numbers after a sub-command, dates, series.

Numbers of actions, meetings and scheduled meetings are 1 to 2,147,483,647 (a 32-bit database integer);
anything that looks like a number after a sub-command is one, and a bad one gets a reply, never a new
action nor an internal error. Dates are at most 10 years ahead (and not before 1970); a series at most
1000 times, ending within those 10 years. Now: Tuesday 27 April 2021, 20:00 in Paris.
"""
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from handlers.core.args import MAX_NUMBER, NumberError, looks_like_number, parse_number
from handlers.dates.dates import DateError, find_date, parse_date, split_deadline
from handlers.dates.durations import DurationError, parse_duration
from handlers.dates.recurrence import MAX_COUNT, RecurrenceError, Rule, find_recurring, rule_occurrences
from tests.unit.conftest import NOW, ROOM

COORD = "@coord:pacte.example"
ANNIE = "@annie:pacte.example"
INTERNAL = "Désolé, une erreur interne"
TZ = "Europe/Paris"


@pytest.fixture
def room(chat):
    chat.join(COORD, "Coordinatrice", power=50)
    chat.join(ANNIE, "Annie Martin")
    return chat


async def say(chat, text: str, sender: str = ANNIE) -> str:
    return (await chat.reply(text, sender=sender)).content.plain


# --- (6) numbers ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("word, number", [
    ("12", 12), ("#12", 12), ("n°12", 12), ("N° 12", 12), ("no12", 12), ("no.12", 12), ("0012", 12),
    ("12.", 12), (str(MAX_NUMBER), MAX_NUMBER),
])
def test_numbers_accepted(word, number):
    assert looks_like_number(word)
    assert parse_number(word) == number


@pytest.mark.parametrize("word", ["0", "00", "-1", "+1", "1.5", "1,5", "2147483648", "99999999999999999999",
                                  "9" * 5000, "²", "١٢", "½", "#-3", "n°0", "P12"])
def test_numbers_refused(word):
    assert looks_like_number(word)  # after a sub-command: a number to refuse, not the start of a text
    with pytest.raises(NumberError):
        parse_number(word)


def test_scheduled_numbers_also_take_p():
    assert parse_number("P12", scheduled=True) == parse_number("p12", scheduled=True) == 12
    with pytest.raises(NumberError):
        parse_number("P0", scheduled=True)


@pytest.mark.parametrize("word", ["la", "2e", "12h", "#énergie", "n°", "#", "P", "nov12", "x1"])
def test_words_that_are_not_numbers(word):
    assert not looks_like_number(word)


@pytest.mark.parametrize("word", ["99999999999999999999", "-1", "1.5", "2147483648", "0", "P3", "١٢"])
async def test_a_bad_action_number_is_refused_and_nothing_is_recorded(room, store, word):
    out = await say(room, f"!action fait {word}")
    assert out == f"« {word} » n'est pas un numéro d'action valable : écrivez par exemple `!action fait 12`."
    assert await store.actions.list(ROOM, statuses=None) == []


@pytest.mark.parametrize("sub", ["voir", "fait", "rouvrir", "assigner", "retirer", "échéance", "modifier",
                                 "annuler", "show", "done", "reopen", "assign", "unassign", "due", "edit",
                                 "cancel"])
async def test_every_numbered_sub_command_refuses_a_bad_number(room, store, sub):
    out = await say(room, f"!action {sub} 99999999999999999999 @annie demain")
    assert out.startswith("« 99999999999999999999 » n'est pas un numéro d'action valable")
    assert f"`!action {sub} 12`" in out
    assert await store.actions.list(ROOM, statuses=None) == []


async def test_a_bad_action_number_in_english(room, store):
    await room.say("!settings language en", sender=COORD)
    out = await say(room, "!action done -1")
    assert out == "“-1” is not a valid action number: write for example `!action done 12`."


async def test_good_action_numbers_still_work(room):
    await say(room, "!action un")
    await say(room, "!action deux")
    assert (await say(room, "!action fait #1")).startswith("Action #1 faite")
    assert (await say(room, "!action fait n°2.")).startswith("Action #2 faite")
    assert (await say(room, "!action rouvrir no1")).startswith("Action #1 rouverte")


async def test_a_sub_command_word_followed_by_text_is_still_a_new_action(room):
    assert (await say(room, "!action annuler la réservation de la salle")).startswith(
        "Action #1 enregistrée : annuler la réservation de la salle")


@pytest.mark.parametrize("word", ["99999999999999999999", "2147483648", "-1", "1.5", "0"])
async def test_a_bad_meeting_number_for_the_minutes(room, word):
    out = await say(room, f"!compte-rendu {word}")
    assert out == f"« {word} » n'est pas un numéro de réunion valable : écrivez par exemple `!compte-rendu 3`."


@pytest.mark.parametrize("command", ["!réunion annuler 99999999999999999999", "!réunion annuler P2147483648",
                                     "!réunion déplacer -1 demain 18h", "!réunion annuler 1.5"])
async def test_a_bad_scheduled_meeting_number(room, command):
    out = await say(room, command, sender=COORD)
    word = command.split()[2]
    sub = command.split()[1]
    assert out == (f"« {word} » n'est pas un numéro de réunion prévue valable : écrivez par exemple "
                   f"`!réunion {sub} P3`.")


async def test_scheduled_meetings_are_still_p1_or_1(room, store):
    assert (await say(room, "!réunion prévoir demain à 18h Point", sender=COORD)).startswith("Réunion prévue P1")
    assert (await say(room, "!réunion prévoir jeudi à 18h Point", sender=COORD)).startswith("Réunion prévue P2")
    assert "annulée" in await say(room, "!réunion annuler P1", sender=COORD)
    assert "annulée" in await say(room, "!réunion annuler 2", sender=COORD)
    assert "réunion prévue" in await say(room, "!réunion annuler #2", sender=COORD)  # an action's number


# --- (7) dates -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("tz, phrase", [
    ("Pacific/Pago_Pago", "31/12/9999 23h"), ("Pacific/Kiritimati", "31/12/9999 23h"),
    ("Europe/Paris", "12/05/2099"), ("Europe/Paris", "dans 11 ans"), ("Europe/Paris", "dans 999 ans"),
    ("Europe/Paris", "31 décembre 9999"), ("Europe/Paris", "fin mai 2099"), ("Europe/Paris", "2099-05-12 18:00"),
])
def test_dates_more_than_ten_years_ahead_are_too_far(tz, phrase):
    with pytest.raises(DateError) as caught:
        parse_date(phrase, now=NOW, tz=tz)
    assert caught.value.code == "too_far"


def test_ten_years_ahead_is_the_last_day_accepted():
    assert parse_date("dans 10 ans", now=NOW, tz=TZ).when.date() == date(2031, 4, 27)
    assert parse_date("27/04/2031 23h", now=NOW, tz=TZ).when.date() == date(2031, 4, 27)
    with pytest.raises(DateError):
        parse_date("28/04/2031", now=NOW, tz=TZ)


@pytest.mark.parametrize("tz, phrase", [
    ("Europe/Paris", "1/1/0001 0h"), ("Europe/Paris", "le 1er janvier 0001 à 0h"), ("Asia/Tokyo", "1/1/0001 0h"),
    ("Europe/Paris", "01/01/1969"), ("Pacific/Kiritimati", "1er janvier 0001"), ("Europe/Paris", "fin mai 0001"),
])
def test_dates_before_1970_are_past_even_when_past_is_allowed(tz, phrase):
    for allow_past in (False, True):
        with pytest.raises(DateError) as caught:
            parse_date(phrase, now=NOW, tz=tz, allow_past=allow_past)
        assert caught.value.code == "past"


@pytest.mark.parametrize("phrase", ["fin mai 0000", "samedi 0", "ven 0", "le 0", "31/12/0000"])
def test_impossible_dates_are_date_errors(phrase):
    with pytest.raises(DateError):
        parse_date(phrase, now=NOW, tz=TZ)


def test_a_deadline_too_far_is_said_rather_than_left_in_the_text():
    with pytest.raises(DateError) as caught:
        split_deadline("relancer la mairie pour le 31/12/9999", now=NOW, tz="Pacific/Pago_Pago")
    assert caught.value.code == "too_far"


def test_a_date_too_far_inside_a_text_is_said():
    with pytest.raises(DateError) as caught:
        find_date("12/05/2099 à 18h Point", now=NOW, tz=TZ)
    assert caught.value.code == "too_far"


async def test_when_year_9999_in_pago_pago(room):
    await room.say("!réglages fuseau Pacific/Pago_Pago", sender=COORD)
    out = await say(room, "!quand 31/12/9999 23h")
    assert out == "« 31/12/9999 23h » : cette date est trop lointaine, au plus 10 ans à l'avance."


async def test_when_year_1_in_paris(room):
    out = await say(room, "!quand le 1er janvier 0001 à 0h")
    assert out.startswith("« le 1er janvier 0001 à 0h » est déjà passé.")


async def test_when_too_far_in_english(room):
    await room.say("!settings language en", sender=COORD)
    assert await say(room, "!when in 20 years") == "“in 20 years”: this date is too far ahead, 10 years at most."


async def test_an_action_due_too_far_is_refused(room, store):
    out = await say(room, "!action relancer la mairie pour le 12/05/2099")
    assert out == "« le 12/05/2099 » : cette date est trop lointaine, au plus 10 ans à l'avance."
    assert await store.actions.list(ROOM, statuses=None) == []
    await say(room, "!action relancer la mairie")
    assert "trop lointaine" in await say(room, "!action échéance 1 dans 20 ans")


async def test_a_meeting_too_far_is_refused(room, store):
    out = await say(room, "!réunion prévoir 12/05/2099 à 18h Point", sender=COORD)
    assert "trop lointaine" in out
    assert await store.schedules.list(ROOM) == []


@pytest.mark.parametrize("text", ["9" * 5000 + "s", "99999999999999999h", "366d", "²h", "١h"])
def test_durations_are_bounded(text):
    with pytest.raises(DurationError):
        parse_duration(text)


async def test_huge_reminder_offsets_are_refused(room):
    out = await say(room, "!réglages rappels-réunion 99999999999999999h", sender=COORD)
    assert out.startswith("Durées incompréhensibles")


# --- (8) series --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", ["999999", "1001", str(10 ** 40), "-1", "1.5", "1,000"])
def test_counts_are_bounded_and_never_left_in_the_title(count):
    with pytest.raises(RecurrenceError) as caught:
        find_recurring(f"tous les jours à 18h Point {count} fois", now=NOW, tz=TZ)
    assert caught.value.code == "bad_count"
    assert caught.value.phrase == f"{count} fois"


def test_a_thousand_times_is_the_most():
    found = find_recurring(f"tous les jours à 18h Point {MAX_COUNT} fois", now=NOW, tz=TZ)
    assert found.rule.count == MAX_COUNT and found.rest == "Point"


def test_a_counted_series_must_end_within_ten_years():
    assert find_recurring("tous les mois à 18h 100 fois", now=NOW, tz=TZ).rule.count == 100  # 8 years
    with pytest.raises(RecurrenceError) as caught:
        find_recurring("tous les mois à 18h 200 fois", now=NOW, tz=TZ)  # 16 years
    assert caught.value.code == "bad_count"


@pytest.mark.parametrize("phrase", ["tous les jours à 18h jusqu'au 1/1/2999", "every monday 6pm until 2099-01-01",
                                    "tous les lundis à 18h à partir du 1/1/2050"])
def test_an_end_or_start_too_far_is_refused(phrase):
    with pytest.raises(DateError) as caught:
        find_recurring(phrase, now=NOW, tz=TZ)
    assert caught.value.code == "too_far"


async def test_a_huge_count_is_refused_in_the_room(room, store):
    out = await say(room, "!réunion prévoir tous les jours à 18h Point 999999 fois", sender=COORD)
    assert out == ("« 999999 fois » : une série a de 1 à 1000 dates, la dernière au plus 10 ans à l'avance. "
                   "Écrivez par exemple `10 fois`, ou une date de fin (`jusqu'au 30 juin`).")
    assert await store.schedules.list(ROOM) == []


async def test_an_end_too_far_is_refused_in_the_room(room, store):
    out = await say(room, "!réunion prévoir tous les jours à 18h jusqu'au 1/1/2999 Point", sender=COORD)
    assert out == "« 1/1/2999 » : cette date est trop lointaine, au plus 10 ans à l'avance."
    assert await store.schedules.list(ROOM) == []


def test_an_open_ended_series_is_never_looked_at_beyond_ten_years():
    found = find_recurring("tous les 999 mois à 18h", now=NOW, tz=TZ)  # every 83 years
    assert len(rule_occurrences(found.rule, found.first, TZ, after=NOW, limit=5)) == 1
    daily = rule_occurrences(Rule("DAILY", interval=300), found.first, TZ, after=NOW, limit=100)
    assert max(daily) <= NOW + timedelta(days=3653 + 1)


async def test_an_open_ended_series_lists_no_date_beyond_ten_years(room):
    out = await say(room, "!réunion prévoir tous les 999 mois à 18h Point", sender=COORD)
    assert "Prochaines dates : mercredi 28 avril\n" in out


@pytest.mark.parametrize("tz", ["Pacific/Pago_Pago", "Pacific/Kiritimati", "Europe/Paris"])
def test_occurrences_at_the_end_of_the_calendar_do_not_overflow(tz):
    zone = ZoneInfo(tz)
    first = datetime(9999, 12, 20, 23, 0, tzinfo=zone)
    found = rule_occurrences(Rule("DAILY"), first, tz, after=datetime(9999, 12, 20, tzinfo=timezone.utc), limit=50)
    assert 0 < len(found) < 12


def test_a_first_date_just_beyond_ten_years_is_too_far():
    """Found by the fuzzer: "dans 10 ans" is Sunday 27 April 2031, the last day accepted; the Monday after is
    beyond it."""
    with pytest.raises(DateError) as caught:
        find_recurring("un lundi sur deux à 18h dans 10 ans", now=NOW, tz=TZ)
    assert caught.value.code == "too_far" and caught.value.phrase == "à 18h dans 10 ans"


def test_the_texts_say_the_bounds_the_code_applies():
    from handlers import i18n
    from handlers.dates.dates import MAX_YEARS_AHEAD

    for lang in i18n.LANGUAGES:
        assert str(MAX_COUNT) in i18n.template(lang, "schedule.bad_count")
        assert f"{MAX_YEARS_AHEAD} " in i18n.template(lang, "schedule.bad_count")
        assert f"{MAX_YEARS_AHEAD} " in i18n.template(lang, "when.details")
