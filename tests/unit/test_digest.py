"""The weekly digest through the real router and the real scheduler on a fake clock: the seed's week of activity
(a meeting of 9 present and 2 excused with a minute-taker, three themes with referents, new, done, overdue and
soon-due actions, a scheduled meeting, the countdown to the end of the mandate), every section in both languages,
a quiet week, a summer-time week, the automatic post at its time (late after a stop, never twice), `!résumé`,
its settings, the countdowns and the direct-message subscription."""
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from handlers.capabilities import jobs, registry
from handlers.core.digest import Week
from handlers.core.interface import DirectMessage, Email, Notice
from handlers.digest.content import span_text
from handlers.digest.settings import parse_clock, parse_day_time, valid_address
from tests.unit.conftest import ROOM

PARIS = ZoneInfo("Europe/Paris")
COORD = "@coord:pacte.example"
BERTRAND = "@bertrand:pacte.example"
BOT = "@relais:pacte.example"
PEOPLE = ["annie", "bertrand", "claire", "denis", "eve", "fanny", "gilles", "hugo", "ines", "jules", "karim"]


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def setup_room(timed):
    timed.chat.join(COORD, "Coordinatrice", power=50)
    for name in PEOPLE:
        timed.chat.join(f"@{name}:pacte.example", name.capitalize())
    timed.chat.join(BOT, "Relais", power=100)


async def started(timed) -> None:
    await jobs.started(timed.chat.router.services)


async def say(timed, text: str, sender: str = COORD, at: datetime | None = None) -> str:
    if at is not None:
        timed.clock.set(at)
    effects = await timed.chat.say(text, sender=sender)
    return " ".join(getattr(e, "content", None).plain for e in effects if getattr(e, "content", None) is not None)


async def seed_week(timed, lang: str = "fr") -> None:
    """The week of Monday 10 May 2021 in Paris, and what came before it."""
    setup_room(timed)
    await say(timed, "!réglages langue en" if lang == "en" else "!réglages langue fr", at=paris(2021, 5, 3, 10))
    await started(timed)
    await say(timed, "!thème Mobilité référent @claire")
    await say(timed, "!thème Énergie référent @denis")
    await say(timed, "!thème Alimentation référent @eve")
    await say(timed, "!action Relancer la mairie @annie #Mobilité pour vendredi 7 mai")  # #1: overdue
    await say(timed, "!action Imprimer les tracts @gilles #Énergie")  # #2: done this week
    await say(timed, "!compte-à-rebours 2026-06-30 fin du mandat 2020-2026")
    await say(timed, "!réunion prévoir mercredi 19 mai à 18h Plénière de mai à la Maison des associations",
              at=paris(2021, 5, 10, 10))
    await say(timed, "!action Bertrand prend contact avec Nicolas Desquinabo @bertrand #Énergie",
              at=paris(2021, 5, 11, 9))  # #3
    await say(timed, "!action Rédiger le livrable @eve #Alimentation pour fin mai")  # #4
    await say(timed, "!action Réserver la salle @fanny pour jeudi 20 mai")  # #5: due soon
    await say(timed, "!réunion début Plénière", at=paris(2021, 5, 12, 18))
    await say(timed, "!présent " + " ".join(f"@{n}" for n in PEOPLE[:9]))
    await say(timed, "!excusé @jules @karim")
    await say(timed, "!rédacteur @hugo")
    await say(timed, "!décision Nous rejoignons la marche du 30 mai")
    await say(timed, "!réunion fin")
    await say(timed, "!action fait 2", sender="@gilles:pacte.example", at=paris(2021, 5, 13, 12))


async def test_the_seed_week_in_french(timed):
    await seed_week(timed)
    effects = await timed.at(paris(2021, 5, 17, 9, 0, 1))  # the automatic digest, Monday 9:00
    notices = [e for e in effects if isinstance(e, Notice)]
    assert len(notices) == 1
    text, html = notices[0].content.plain, notices[0].content.html
    assert "résumé de la semaine du 10 mai au 16 mai 2021" in text
    assert "(résumé en retard)" not in text
    assert "✅ Actions faites cette semaine\n• #2 Imprimer les tracts — Gilles" in text
    assert "🆕 Nouvelles actions" in text
    assert "• #3 Bertrand prend contact avec Nicolas Desquinabo — Bertrand" in text
    assert "• #4 Rédiger le livrable — Eve (échéance : lundi 31 mai 2021)" in text
    assert "⚠️ Actions en retard\n• #1 Relancer la mairie — Annie (échéance : vendredi 7 mai 2021, 10 j de retard)" in text
    assert "⏳ À rendre dans les 7 jours\n• #5 Réserver la salle — Fanny (échéance : jeudi 20 mai 2021)" in text
    assert "👥 Actions ouvertes par personne\n• Annie : 1\n• Bertrand : 1\n• Eve : 1\n• Fanny : 1" in text
    assert "• Alimentation (référent·e : Eve) : 1" in text
    assert "• Mobilité (référent·e : Claire) : 1" in text
    assert "• Énergie (référent·e : Denis) : 1" in text
    assert ("🗓️ Réunions tenues\n• n°1 « Plénière », mercredi 12 mai 2021 à 18h00 — 9 présent·es, 2 excusé·es, "
            "rédaction : Hugo ; décisions : Nous rejoignons la marche du 30 mai\n") in text
    assert ("📅 Prochaines réunions\n• P1 « Plénière de mai », mercredi 19 mai 2021 à 18h00, "
            "à la Maison des associations") in text
    assert "⏱️ Comptes à rebours\n• 5 ans 1 mois 13 jours avant fin du mandat 2020-2026 (30 juin 2026)" in text
    # Only the owners of overdue actions are mentioned, as pills.
    assert notices[0].mentions == ("@annie:pacte.example",)
    assert '<a href="https://matrix.to/#/@annie:pacte.example">Annie</a>' in html
    assert "matrix.to/#/@bertrand" not in html
    # The next one is planned, a week later.
    assert [j for j, _ in timed.scheduler.jobs() if j.startswith("digest.weekly")] == [
        f"digest.weekly:{ROOM}:2021-W20"]


async def test_a_meeting_of_one_present_and_one_excused_is_counted_in_the_singular(timed):
    setup_room(timed)
    await say(timed, "!réunion début Point", at=paris(2021, 5, 12, 18))
    await say(timed, "!présent @annie")
    await say(timed, "!excusé @jules")
    await say(timed, "!réunion fin")
    text = await say(timed, "!résumé", at=paris(2021, 5, 12, 20))
    assert "n°1 « Point », mercredi 12 mai 2021 à 18h00 — 1 présent·e, 1 excusé·e" in text


async def test_the_seed_week_in_english(timed):
    await seed_week(timed, "en")
    timed.clock.set(paris(2021, 5, 17, 8))
    text = (await timed.chat.reply("!digest last week", sender=COORD)).content.plain
    assert "digest of the week of 10 May to 16 May 2021" in text
    assert "✅ Actions done this week\n• #2 Imprimer les tracts — Gilles" in text
    assert "⚠️ Overdue actions\n• #1 Relancer la mairie — Annie (due: Friday 7 May 2021, 10 d late)" in text
    assert "⏳ Due in the next 7 days" in text
    assert "👥 Open actions per person" in text and "🏷️ Open actions per theme" in text
    assert "• Mobilité (referent: Claire): 1" in text
    assert ("n°1 “Plénière”, Wednesday 12 May 2021 at 18:00 — 9 present, 2 excused, minute-taker: Hugo; "
            "decisions: Nous rejoignons la marche du 30 mai\n") in text
    assert "📅 Next meetings\n• P1 “Plénière de mai”, Wednesday 19 May 2021 at 18:00" in text
    assert "⏱️ Countdowns\n• 5 years 1 month 13 days until fin du mandat 2020-2026 (30 June 2026)" in text


async def test_on_demand_the_current_week_so_far(timed):
    await seed_week(timed)
    timed.clock.set(paris(2021, 5, 13, 20))
    text = (await timed.chat.reply("!résumé", sender="@annie:pacte.example")).content.plain
    assert "résumé de la semaine du 10 mai au 16 mai 2021" in text
    assert "#3 Bertrand prend contact avec Nicolas Desquinabo" in text
    last = (await timed.chat.reply("!résumé semaine dernière", sender="@annie:pacte.example")).content.plain
    assert "semaine du 3 mai au 9 mai 2021" in last
    assert "#1 Relancer la mairie" in last  # created that week


async def test_a_quiet_week_is_one_line(timed):
    setup_room(timed)
    timed.clock.set(paris(2021, 5, 12, 10))
    reply = await timed.chat.reply("!résumé", sender=COORD)
    assert reply.content.plain.split("\n")[1] == (
        "Semaine calme : rien de neuf du 10 mai au 16 mai 2021, aucune action en cours ni réunion prévue.")
    assert len(reply.content.plain.split("\n")) == 2
    await timed.chat.say("!réglages langue en", sender=COORD)
    reply = await timed.chat.reply("!digest", sender=COORD)
    assert reply.content.plain.endswith(
        "A quiet week: nothing new from 10 May to 16 May 2021, no open action and no meeting planned.")


def test_weeks_are_monday_to_sunday_in_the_room_zone_summer_time_included():
    week = Week.containing(datetime(2021, 3, 28, 21, 59, tzinfo=timezone.utc), "Europe/Paris")  # Sunday 23:59
    assert week.label == "2021-W12" and week.monday == date(2021, 3, 22)
    assert week.start == datetime(2021, 3, 21, 23, tzinfo=timezone.utc)
    assert week.end == datetime(2021, 3, 28, 22, tzinfo=timezone.utc)  # 167 hours: summer time began
    assert week.end - week.start == timedelta(hours=167)
    autumn = Week.of_label("2021-W43", "Europe/Paris")
    assert autumn.end - autumn.start == timedelta(hours=169)
    assert Week.containing(datetime(2021, 3, 28, 22, tzinfo=timezone.utc), "Europe/Paris").label == "2021-W13"


async def test_the_summer_time_week_posts_at_9_local(timed):
    setup_room(timed)
    timed.clock.set(paris(2021, 3, 24, 10))
    await timed.chat.say("!action Préparer la marche @annie", sender=COORD)
    await jobs.started(timed.chat.router.services)
    planned = [(j, t) for j, t in timed.scheduler.jobs() if j.startswith("digest.weekly")]
    assert planned == [(f"digest.weekly:{ROOM}:2021-W12", paris(2021, 3, 29, 9))]  # 7:00 UTC, not 8:00
    effects = await timed.at(paris(2021, 3, 29, 9, 0, 1))
    assert "semaine du 22 mars au 28 mars 2021" in effects[0].content.plain
    assert "#1 Préparer la marche" in effects[0].content.plain


async def test_late_after_a_stop_and_never_twice(timed):
    setup_room(timed)
    timed.clock.set(paris(2021, 5, 12, 10))
    await say(timed, "!résumé")  # the room is known
    await jobs.started(timed.chat.router.services)  # planned for Monday 17 May 9:00 (the week of 10 May)
    # The bot is down from Sunday to Tuesday: the job is past the grace period and dropped...
    timed.scheduler.cancel(f"digest.weekly:{ROOM}:2021-W19")
    timed.clock.set(paris(2021, 5, 18, 12))
    await jobs.started(timed.chat.router.services)  # ...and made good once at start-up, marked late
    effects = await timed.at(paris(2021, 5, 18, 12, 0, 1))
    notices = [e for e in effects if isinstance(e, Notice)]
    assert len(notices) == 1
    assert notices[0].content.plain.startswith("(résumé en retard) 📋")
    await jobs.started(timed.chat.router.services)  # a second start: nothing again
    assert await timed.at(paris(2021, 5, 18, 12, 5)) == []
    # Running the same job again posts nothing.
    from handlers.core.jobs import Job
    again = Job(f"digest.weekly:{ROOM}:2021-W19", "digest.weekly", {"room_id": ROOM, "week": "2021-W19"},
                paris(2021, 5, 17, 9), timed.clock.now())
    assert await jobs.run(again, timed.chat.router.services) == []


async def test_settings_off_on_and_day_time(timed):
    setup_room(timed)
    timed.clock.set(paris(2021, 5, 12, 10))
    assert "Seuls les coordinateurs" in await say(timed, "!résumé off", sender="@annie:pacte.example")
    assert "Seuls les coordinateurs" in await say(timed, "!résumé vendredi 17h", sender="@annie:pacte.example")
    assert await say(timed, "!résumé vendredi 17h") == (
        "Le résumé sera publié chaque vendredi à 17h00 (Europe/Paris). Prochain : vendredi 14 mai 2021 à 17h00.")
    assert [j for j, _ in timed.scheduler.jobs() if j.startswith("digest.")] == [f"digest.weekly:{ROOM}:2021-W19"]
    assert (await say(timed, "!résumé off")).startswith("Plus de résumé automatique")
    assert [j for j, _ in timed.scheduler.jobs() if j.startswith("digest.")] == []
    assert "chaque vendredi à 17h00" in await say(timed, "!résumé on")
    assert await say(timed, "!résumé jourdi 25h") == (
        "Je ne comprends pas « jourdi 25h » : écrivez un jour de la semaine et une heure, par exemple "
        "`!résumé lundi 9h00`.")
    assert (await say(timed, "!digest monday 25:00")).startswith("Je ne comprends pas")
    effects = await timed.at(paris(2021, 5, 14, 17, 0, 1))
    assert "semaine du 10 mai au 16 mai 2021" in effects[0].content.plain  # Friday: the current week


def test_reading_days_and_times():
    assert parse_day_time("lundi 9h00") == (0, parse_clock("09:00"))
    assert parse_day_time("Monday 09:00") == (0, parse_clock("9h"))
    assert parse_day_time("friday at 5pm") == (4, parse_clock("17:00"))
    assert parse_day_time("dimanche 18h30")[1].minute == 30
    for bad in ("lundi", "9h", "jourdi 9h", "lundi 24h", "lundi 9h61", "lundi 9h mardi"):
        assert parse_day_time(bad) is None
    assert valid_address("liste@pacte.example.org")
    for bad in ("liste", "a@b", "a b@c.org", "<a@b.org>", "a@b.org,c@d.org", "a@@b.org"):
        assert not valid_address(bad)


async def test_countdowns(timed):
    setup_room(timed)
    timed.clock.set(paris(2025, 6, 30, 10))
    assert await say(timed, "!compte-à-rebours") == (
        "Aucun compte à rebours. `!compte-à-rebours 2026-06-30 fin du mandat` pour en créer un.")
    assert "Seuls les coordinateurs" in await say(timed, "!compte-à-rebours 2026-06-30 fin du mandat",
                                                  sender="@annie:pacte.example")
    assert await say(timed, "!compte-à-rebours 2026-06-30 fin du mandat 2020-2026") == (
        "Compte à rebours n°1 : 1 an 0 mois 0 jours avant fin du mandat 2020-2026 (30 juin 2026).")
    assert await say(timed, "!compte-à-rebours 2025-07-01 réunion publique") == (
        "Compte à rebours n°2 : 0 an 0 mois 1 jour avant réunion publique (1er juillet 2025).")
    assert await say(timed, "!compte-à-rebours") == (
        "Comptes à rebours\n"
        "• n°2 — 0 an 0 mois 1 jour avant réunion publique (1er juillet 2025)\n"
        "• n°1 — 1 an 0 mois 0 jours avant fin du mandat 2020-2026 (30 juin 2026)\n")
    assert (await say(timed, "!compte-à-rebours 2020-01-01 passé")).startswith("« 2020-01-01 » est déjà passé.")
    assert (await say(timed, "!compte-à-rebours 1er janvier 2020 passé")).startswith(
        "« 1er janvier 2020 » est déjà passé.")  # the whole date, not its first word
    assert (await say(timed, "!compte-à-rebours 31 juin 2030 fête")).startswith("Il n'y a pas de 31 juin en 2030.")
    assert (await say(timed, "!compte-à-rebours 30 juin 2030 les 10 ans")).startswith(
        "Compte à rebours n°3 : 5 ans 0 mois 0 jours avant les 10 ans")
    await say(timed, "!compte-à-rebours annuler 3")
    assert "libellé" in await say(timed, "!compte-à-rebours 2026-01-01")
    assert "Il n'y a pas de compte à rebours n°9." == await say(timed, "!compte-à-rebours annuler 9")
    # The day comes: the room is told once.
    effects = await timed.at(paris(2025, 7, 1, 0, 0, 1))
    assert [e.content.plain for e in effects] == ["⏱️ Nous y sommes : réunion publique (1er juillet 2025)."]
    await jobs.started(timed.chat.router.services)
    assert await timed.at(paris(2025, 7, 1, 0, 5)) == []
    assert await say(timed, "!compte-à-rebours annuler 1") == (
        "Compte à rebours n°1 retiré : fin du mandat 2020-2026.")
    assert not [j for j, _ in timed.scheduler.jobs() if j.startswith("digest.countdown")]
    await say(timed, "!réglages langue en")
    assert span_text(date(2025, 6, 30), date(2026, 6, 30), "en") == "1 year 0 months 0 days"
    assert await say(timed, "!countdown") == (
        "Countdowns\n• n°2 — today is the day: réunion publique (1 July 2025)\n")


async def test_subscribers_get_it_by_direct_message_and_the_mailing_list_by_email(timed):
    setup_room(timed)
    timed.clock.set(paris(2021, 5, 12, 10))
    assert await say(timed, "!abonner résumé", sender=BERTRAND) == (
        "Vous recevrez le résumé de la semaine de ce salon en message privé.")
    assert await say(timed, "!subscribe digest", sender=BERTRAND) == "Vous recevez déjà le résumé en message privé."
    assert await say(timed, "!réglages liste-de-diffusion pas-une-adresse") == (
        "« pas-une-adresse » n'est pas une adresse électronique : écrivez par exemple `liste@exemple.org`.")
    assert "liste@pacte.example.org" in await say(timed, "!réglages liste-de-diffusion liste@pacte.example.org")
    await jobs.started(timed.chat.router.services)
    effects = await timed.at(paris(2021, 5, 17, 9, 0, 1))
    assert [type(e).__name__ for e in effects] == ["Notice", "DirectMessage", "Email"]
    dm = effects[1]
    assert isinstance(dm, DirectMessage) and dm.user_id == BERTRAND
    assert dm.content.plain.startswith("Résumé du salon Pacte climat :\n📋")
    email = effects[2]
    assert isinstance(email, Email) and email.to == "liste@pacte.example.org"
    assert email.subject == "[Pacte climat] Résumé de la semaine du 10 mai"
    assert "<b>" in email.content.html
    assert await say(timed, "!désabonner résumé", sender=BERTRAND) == (
        "Vous ne recevrez plus le résumé en message privé.")


async def test_a_bounded_number_of_queries_whatever_the_history(timed, store):
    """The digest reads the week's rows, not the history: the same number of statements for 3 or 60 actions."""
    from sqlalchemy import event

    setup_room(timed)
    timed.clock.set(paris(2021, 5, 3, 10))

    async def count() -> int:
        statements = []
        engine = store.engine.sync_engine
        listener = lambda *args: statements.append(1)  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            timed.clock.set(paris(2021, 5, 12, 10))
            await timed.chat.reply("!résumé", sender=COORD)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(statements)

    for i in range(3):
        await timed.chat.say(f"!action Tâche {i} @annie", sender=COORD)
    few = await count()
    timed.clock.set(paris(2021, 5, 3, 10))
    for i in range(60):
        await timed.chat.say(f"!action Tâche ancienne {i} @annie", sender=COORD)
        await timed.chat.say(f"!action fait {i + 4}", sender=COORD)
    assert await count() == few


def test_the_digest_hook_is_declared_on_capabilities():
    assert all(callable(h) for h in registry.digest_sections)


async def test_coming_mobilisations_with_days_left_and_head_count(timed):
    await seed_week(timed)
    await say(timed, "!marche dimanche 30 mai 14h Marche pour le climat à la Grand-Place", at=paris(2021, 5, 13, 18))
    await say(timed, "!participe M1 +2", sender="@annie:pacte.example")
    timed.clock.set(paris(2021, 5, 17, 8))
    text = (await timed.chat.reply("!résumé semaine dernière", sender=COORD)).content.plain
    assert "Mobilisations à venir\n• M1 Marche pour le climat — dimanche 30 mai 2021 à 14h00 — J-13 — " in text
    assert "3" in text.split("J-13 — ", 1)[1].split("\n", 1)[0]  # Annie and her two guests
    await say(timed, "!réglages langue en")
    text = (await timed.chat.reply("!digest", sender=COORD)).content.plain
    assert "Coming mobilisations\n• M1 Marche pour le climat — Sunday 30 May 2021 at 14:00 — D-13 — " in text
