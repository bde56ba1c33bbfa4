"""!agenda / !calendar and `calendar export`: the .ics is parsed back with icalendar and checked — one
VEVENT per meeting, TZID start with its VTIMEZONE, RRULE with a UTC UNTIL, EXDATE for a cancelled date,
RECURRENCE-ID for a moved one, text escaping, cancelled schedules left out."""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from icalendar import Calendar

from bot.__main__ import main
from handlers.core.interface import File
from handlers.schedule.calendar import filename
from storage import open_store
from tests.unit.conftest import ROOM

PARIS = ZoneInfo("Europe/Paris")
COORD = "@coord:pacte.example"


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


async def agenda(chat) -> File:
    effects = await chat.say("!agenda")
    assert len(effects) == 1 and isinstance(effects[0], File), effects
    return effects[0]


def events(data: bytes) -> list:
    return Calendar.from_ical(data).walk("VEVENT")


async def test_the_room_calendar(chat):
    chat.join(COORD, "Coordinatrice", power=50)
    await chat.say('!réunion prévoir jeudi 18h "Budget, bilan; suite" à la Salle 3, 2e étage', sender=COORD)
    await chat.say("!réunion prévoir tous les lundis à 18h jusqu'au 31 mai Point hebdo https://meet.jit.si/pacte",
                   sender=COORD)
    await chat.say("!réunion annuler 2 lundi 3 mai", sender=COORD)
    await chat.say("!réunion déplacer 2 mardi 11 mai 19h", sender=COORD)  # the next date: Monday 10 May
    await chat.say("!réunion prévoir vendredi 18h Apéro annulé", sender=COORD)
    await chat.say("!réunion annuler 3", sender=COORD)
    file = await agenda(chat)
    assert file.filename == "agenda-salon-pacte-example.ics" and file.mimetype == "text/calendar"
    assert file.caption.plain == ("Agenda du salon : 2 réunions prévues. Importez le fichier "
                                  "`agenda-salon-pacte-example.ics` dans votre agenda.")

    cal = Calendar.from_ical(file.data)
    assert str(cal["VERSION"]) == "2.0" and "Relais" in str(cal["PRODID"])
    assert str(events(file.data)[0]["DESCRIPTION"]) == "Réunion prévue P1 dans !salon:pacte.example (Relais)."
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Paris"]
    one_off, series, moved = events(file.data)

    assert str(one_off["SUMMARY"]) == "Budget, bilan; suite"
    assert str(one_off["LOCATION"]) == "la Salle 3, 2e étage"
    assert b"SUMMARY:Budget\\, bilan\\; suite" in file.data  # escaped in the file, as RFC 5545 wants
    start = one_off["DTSTART"]
    assert start.params["TZID"] == "Europe/Paris" and start.dt == paris(2021, 4, 29, 18, 0)
    assert one_off["DTSTART"].dt.utcoffset().total_seconds() == 7200
    assert str(one_off["DURATION"].to_ical(), "ascii") == "PT2H"
    assert "RRULE" not in one_off

    uid = str(series["UID"])
    assert uid.startswith("schedule-2-") and uid.endswith("@relais") and uid != str(one_off["UID"])
    assert series["DTSTART"].dt == paris(2021, 5, 3, 18, 0)
    assert str(series["URL"]) == str(series["LOCATION"]) == "https://meet.jit.si/pacte"
    rule = series["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["BYDAY"] == ["MO"]
    assert rule["UNTIL"] == [datetime(2021, 5, 31, 21, 59, 59, tzinfo=timezone.utc)]  # 23:59:59 Paris, in UTC
    exdates = [d.dt for d in series["EXDATE"].dts]
    assert exdates == [paris(2021, 5, 3, 18, 0)]
    assert int(series["SEQUENCE"]) == 2  # cancelled one date, moved another

    assert str(moved["UID"]) == uid
    assert moved["RECURRENCE-ID"].dt == paris(2021, 5, 10, 18, 0)
    assert moved["DTSTART"].dt == paris(2021, 5, 11, 19, 0)

    # A calendar expands the series the same way Relais does.
    expanded = rrulestr(rule.to_ical().decode(), dtstart=series["DTSTART"].dt)
    dates = [d for d in expanded if d not in exdates]
    assert [d.strftime("%d/%m %H:%M") for d in dates] == ["10/05 18:00", "17/05 18:00", "24/05 18:00", "31/05 18:00"]


async def test_english_texts_count_and_monthly_rules(chat):
    chat.join(COORD, "Coordinatrice", power=50)
    await chat.say("!settings language en", sender=COORD)
    await chat.say("!meeting schedule every last friday of the month at 6pm 3 times", sender=COORD)
    [event] = events((await agenda(chat)).data)
    assert str(event["SUMMARY"]) == "Meeting"
    assert str(event["DESCRIPTION"]) == "Scheduled meeting P1 in !salon:pacte.example (Relais)."
    assert event["RRULE"]["BYDAY"] == ["-1FR"] and event["RRULE"]["COUNT"] == [3]


def test_file_names_keep_the_letters_of_accented_room_names():
    assert filename("Relais — démo") == "agenda-relais-demo.ics"
    assert filename("Œuvre du Cœur · Français") == "agenda-oeuvre-du-coeur-francais.ics"
    assert filename("Straße  Ærø / Łódź") == "agenda-strasse-aero-lodz.ics"
    assert filename("Pacte climat – Saint-Étienne !") == "agenda-pacte-climat-saint-etienne.ics"
    assert filename("  ✨ 日本 ✨ ") == "agenda-relais.ics"  # nothing left to spell: a name still


async def test_a_room_named_with_accents_gets_a_readable_file_name(store, clock):
    from handlers.capabilities import registry
    from handlers.core.router import Router
    from handlers.core.services import Defaults, Services
    from tests.unit.conftest import Chat

    services = Services(store, clock, Defaults(), None, lambda room_id: (), lambda room_id: "Relais — démo")
    chat = Chat(Router(registry, services), clock)
    chat.join(COORD, "Coordinatrice", power=50)
    await chat.say("!réunion prévoir jeudi 18h Plénière", sender=COORD)
    file = await agenda(chat)
    assert file.filename == "agenda-relais-demo.ics"
    assert "`agenda-relais-demo.ics`" in file.caption.plain


async def test_no_meeting_no_file(chat):
    reply = await chat.reply("!agenda")
    assert reply.content.plain.startswith("Aucune réunion prévue dans ce salon : l'agenda serait vide.")


async def test_calendar_export_on_the_command_line(tmp_path, capsysbinary):
    url = f"sqlite+aiosqlite:///{tmp_path / 'relais.db'}"
    store = await open_store(url)
    await store.rooms.ensure(ROOM, language="fr", timezone="Europe/Paris")
    await store.schedules.create(ROOM, title="Plénière", starts_at=paris(2027, 5, 12, 18, 0), timezone="Europe/Paris",
                                 rule="FREQ=MONTHLY;BYDAY=2WE", created_by=COORD, at=paris(2027, 4, 1, 12, 0))
    await store.close()

    assert await _run(["calendar", "export", "--room", ROOM, "--storage-url", url]) == 0
    out = capsysbinary.readouterr().out
    [event] = events(out)
    assert str(event["SUMMARY"]) == "Plénière" and event["RRULE"]["BYDAY"] == ["2WE"]
    assert event["DTSTART"].dt == paris(2027, 5, 12, 18, 0)

    target = tmp_path / "agenda.ics"
    assert await _run(["calendar", "export", "--room", ROOM, "--storage-url", url, "-o", str(target)]) == 0
    assert events(target.read_bytes())[0]["UID"] == event["UID"]
    assert await _run(["calendar", "export", "--room", "!autre:x", "--storage-url", url]) == 1
    assert "no room '!autre:x'" in capsysbinary.readouterr().err.decode()
    assert await _run(["calendar", "export", "--room", ROOM, "--config", str(tmp_path / "none.toml")]) == 2


async def _run(argv: list[str]) -> int:
    """The CLI runs its own event loop: run it in a thread, as a shell would run it in a process."""
    import asyncio

    return await asyncio.to_thread(main, argv)
