"""Scheduled meetings through the real router and the real scheduler on a fake clock: scheduling one-off
and recurring meetings, reminders in the room and by direct message to coordinators and subscribers, the
DST week, cancelling one date or the series, moving, permissions, past dates, late and dropped reminders,
the list, `!réunion début` taking up a scheduled meeting."""
from datetime import datetime, timezone

from handlers.capabilities import jobs
from handlers.core.interface import Notice, Reply
from tests.unit.conftest import ROOM
from tests.unit.room import ANNIE, BERTRAND, BOT, COORD, join, paris, text

REMINDERS = ("Rappels : 24 h et 1 h avant, dans le salon et par message privé aux coordinateurs et aux abonnés "
             "(`!abonner`).")


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def setup_room(timed):
    join(timed.chat, COORD, ANNIE, BERTRAND, BOT)  # the bot among them: it never DMs itself


async def say(timed, command: str, sender: str = COORD) -> str:
    return await text(timed.chat, command, sender)


async def plan(timed, meeting: str, reminders: str | None = None) -> str:
    """The room set up, its meeting reminders set to `reminders` when given, then `!réunion prévoir <meeting>`:
    the reply."""
    setup_room(timed)
    if reminders:
        await say(timed, f"!réglages rappels-réunion {reminders}")
    return await say(timed, f"!réunion prévoir {meeting}")


def plain(effects) -> list[tuple[str, str]]:
    return [(type(e).__name__, getattr(e, "user_id", getattr(e, "room_id", ""))) for e in effects]


def job_ids(timed) -> list[tuple[str, datetime]]:
    return [(j.removeprefix(f"meeting:{ROOM}:"), t) for j, t in timed.scheduler.jobs()
            if not j.startswith("digest.")]  # the weekly digest (handlers/digest) is planned for every room


async def test_a_one_off_meeting_reminds_the_room_coordinators_and_subscribers(timed):
    assert await plan(timed, "jeudi 29 avril à 18h Examiner les propositions à la Maison des associations") == (
        "Réunion prévue P1 : « Examiner les propositions »\n"
        "Quand : jeudi 29 avril 2021 à 18h00 (Europe/Paris)\n"
        "Lieu : la Maison des associations\n" + REMINDERS)
    assert (await say(timed, "!abonner", ANNIE)).startswith("C'est noté : vous recevrez par message privé")
    assert (await say(timed, "!abonner", ANNIE)).startswith("Vous êtes déjà abonné·e")
    iso = "2021-04-29T16:00:00+00:00"
    assert job_ids(timed) == [(f"1:{iso}:86400", utc(2021, 4, 28, 16)), (f"1:{iso}:3600", utc(2021, 4, 29, 15)),
                              (f"1:{iso}:roll", utc(2021, 4, 29, 16))]

    assert await timed.at(paris(2021, 4, 28, 17, 59)) == []
    day_before = await timed.at(paris(2021, 4, 28, 18, 0, 1))
    assert plain(day_before) == [("Notice", ROOM), ("DirectMessage", COORD), ("DirectMessage", ANNIE)]
    notice, to_coord, to_annie = day_before
    assert notice.mentions == ()  # nobody is pinged, no @room
    assert notice.content.plain == ("Rappel : réunion P1 « Examiner les propositions » le jeudi 29 avril 2021 à "
                                    "18h00 (dans 24 h).\nLieu : la Maison des associations")
    assert to_coord.content.plain == ("Rappel : réunion P1 « Examiner les propositions » dans Pacte climat le jeudi "
                                      "29 avril 2021 à 18h00 (dans 24 h).\nLieu : la Maison des associations")
    assert f'<a href="https://matrix.to/#/{ROOM}">Pacte climat</a>' in to_coord.content.html
    assert to_annie.content.plain == to_coord.content.plain + (
        "\nVous êtes abonné·e aux rappels de ce salon : `!désabonner` dans le salon pour ne plus les recevoir.")

    hour_before = await timed.at(paris(2021, 4, 29, 17, 0, 1))
    assert plain(hour_before) == plain(day_before)
    assert "(dans 1 h)" in hour_before[0].content.plain
    assert await timed.at(paris(2021, 4, 29, 18, 0, 1)) == []
    assert timed.scheduler.jobs() == []  # a one-off: nothing more


async def test_unsubscribing_stops_the_direct_messages_but_not_for_coordinators(timed):
    setup_room(timed)
    await say(timed, "!abonner", ANNIE)
    assert (await say(timed, "!désabonner", ANNIE)) == "C'est noté : plus de rappels de ce salon par message privé."
    assert (await say(timed, "!unsubscribe", ANNIE)) == "Vous n'étiez pas abonné·e aux rappels de ce salon."
    assert (await say(timed, "!abonner", COORD)).endswith(
        "Comme coordinateur·rice de ce salon, vous recevez les rappels de toute façon.")
    await say(timed, "!réunion prévoir jeudi 18h Plénière")
    assert plain(await timed.at(paris(2021, 4, 28, 18, 0, 1))) == [("Notice", ROOM), ("DirectMessage", COORD)]


async def test_a_weekly_meeting_stays_at_18h_across_the_october_dst_change(timed):
    timed.clock.set(paris(2021, 10, 20, 10, 0))
    reply = await plan(timed, "tous les lundis à 18h Point hebdo", reminders="1h")
    assert reply.split("\n")[:3] == [
        "Réunion prévue P1 : « Point hebdo »",
        "Quand : tous les lundis à 18h00, à partir du lundi 25 octobre 2021 (Europe/Paris)",
        "Prochaines dates : lundi 25 octobre, lundi 1er novembre, lundi 8 novembre"]
    summer = await timed.at(paris(2021, 10, 25, 17, 0, 1))
    assert [e.content.plain for e in summer if isinstance(e, Notice)] == [
        "Rappel : réunion P1 « Point hebdo » le lundi 25 octobre 2021 à 18h00 (dans 1 h)."]
    assert await timed.at(paris(2021, 10, 25, 18, 0, 1)) == []  # the roll plans the next Monday
    iso = "2021-11-01T17:00:00+00:00"  # 18:00 in winter time is 17:00 UTC (16:00 UTC the week before)
    assert job_ids(timed) == [(f"1:{iso}:3600", utc(2021, 11, 1, 16)), (f"1:{iso}:roll", utc(2021, 11, 1, 17))]
    assert await timed.at(paris(2021, 11, 1, 16, 59, 59)) == []
    winter = await timed.at(paris(2021, 11, 1, 17, 0, 1))
    assert winter[0].content.plain == ("Rappel : réunion P1 « Point hebdo » le lundi 1er novembre 2021 à 18h00 "
                                       "(dans 1 h).")


async def test_a_weekly_meeting_across_the_march_dst_change(timed):
    timed.clock.set(paris(2021, 3, 17, 10, 0))
    await plan(timed, "tous les lundis à 18h Point hebdo", reminders="1h")
    await timed.at(paris(2021, 3, 22, 18, 0, 1))
    assert job_ids(timed)[0] == ("1:2021-03-29T16:00:00+00:00:3600", utc(2021, 3, 29, 15))
    spring = await timed.at(paris(2021, 3, 29, 17, 0, 1))
    assert spring[0].content.plain == "Rappel : réunion P1 « Point hebdo » le lundi 29 mars 2021 à 18h00 (dans 1 h)."


async def test_cancel_one_date_of_a_series(timed):
    await plan(timed, "tous les lundis à 18h Point hebdo", reminders="1h")
    assert await say(timed, "!réunion annuler P1 lundi 3 mai") == (
        "La réunion prévue P1 « Point hebdo » du lundi 3 mai 2021 à 18h00 est annulée. "
        "La suivante : lundi 10 mai 2021 à 18h00.")
    assert await say(timed, "!réunion annuler p1 mardi 4 mai") == (
        "La réunion prévue P1 « Point hebdo » n'a pas lieu le mardi 4 mai 2021. "
        "La suivante : lundi 10 mai 2021 à 18h00.")
    assert await timed.at(paris(2021, 5, 3, 18, 30)) == []
    reminded = await timed.at(paris(2021, 5, 10, 17, 0, 1))
    assert reminded[0].content.plain.startswith("Rappel : réunion P1 « Point hebdo » le lundi 10 mai 2021 à 18h00")


async def test_cancel_the_series(timed):
    await plan(timed, "tous les lundis à 18h Point hebdo")
    assert await say(timed, "!réunion annuler P1") == (
        "Réunion prévue P1 « Point hebdo » annulée, toutes ses dates (tous les lundis à 18h00). "
        "Pour une seule date : `!réunion annuler P1 <date>`.")
    assert timed.scheduler.jobs() == []
    assert await timed.at(paris(2021, 5, 10, 18, 0, 1)) == []
    assert await say(timed, "!réunion annuler 1") == (
        "Il n'y a pas de réunion prévue P1 dans ce salon. `!réunion liste` les montre.")
    assert (await say(timed, "!réunion liste", ANNIE)).startswith("Aucune réunion prévue dans ce salon.")


async def test_move_a_one_off_meeting(timed):
    await plan(timed, "jeudi 18h Plénière", reminders="1h")
    assert await say(timed, "!réunion déplacer P1 vendredi 19h") == (
        "Réunion prévue P1 « Plénière » déplacée : jeudi 29 avril 2021 à 18h00 → vendredi 30 avril 2021 à 19h00.\n"
        "Rappels : 1 h avant, dans le salon et par message privé aux coordinateurs et aux abonnés (`!abonner`).")
    assert await timed.at(paris(2021, 4, 29, 18, 0, 1)) == []
    moved = await timed.at(paris(2021, 4, 30, 18, 0, 1))
    assert moved[0].content.plain == "Rappel : réunion P1 « Plénière » le vendredi 30 avril 2021 à 19h00 (dans 1 h)."


async def test_move_the_next_date_of_a_series_keeping_its_time(timed):
    await plan(timed, "tous les lundis à 18h Point hebdo", reminders="1h")
    assert await say(timed, "!réunion déplacer P1 mardi 4 mai") == (
        "Réunion prévue P1 « Point hebdo » : la date du lundi 3 mai 2021 à 18h00 passe au mardi 4 mai 2021 à 18h00 ; "
        "les suivantes ne changent pas.\n"
        "Rappels : 1 h avant, dans le salon et par message privé aux coordinateurs et aux abonnés (`!abonner`).")
    listed = await say(timed, "!réunion liste", ANNIE)
    assert "• P1 « Point hebdo » — mardi 4 mai 2021 à 18h00 (déplacée) — tous les lundis à 18h00 " \
           "(puis lundi 10 mai, lundi 17 mai)" in listed
    assert await timed.at(paris(2021, 5, 3, 18, 30)) == []
    moved = await timed.at(paris(2021, 5, 4, 17, 0, 1))
    assert moved[0].content.plain == ("Rappel : réunion P1 « Point hebdo » le mardi 4 mai 2021 à 18h00 "
                                      "(date modifiée) (dans 1 h).")
    assert await timed.at(paris(2021, 5, 4, 18, 0, 1)) == []  # the roll job plans the next Monday
    usual = await timed.at(paris(2021, 5, 10, 17, 0, 1))
    assert usual[0].content.plain == "Rappel : réunion P1 « Point hebdo » le lundi 10 mai 2021 à 18h00 (dans 1 h)."


async def test_members_may_list_but_not_schedule_cancel_or_move(timed):
    setup_room(timed)
    refused = "Seuls les coordinateurs (niveau de pouvoir ≥ 50 dans ce salon) peuvent faire cela ; votre niveau est 0."
    assert await say(timed, "!réunion prévoir jeudi 18h Plénière", ANNIE) == refused
    assert (await say(timed, "!réunion prévoir", ANNIE)).startswith("Prévoir une réunion (coordinateurs) :")
    await say(timed, "!réunion prévoir jeudi 18h Plénière")
    assert await say(timed, "!réunion annuler 1", ANNIE) == refused
    assert await say(timed, "!meeting move 1 friday 6pm", ANNIE) == refused
    assert (await say(timed, "!réunion liste", ANNIE)).startswith("Réunions à venir\n• P1 « Plénière »")


async def test_a_past_date_a_missing_date_or_time(timed):
    setup_room(timed)
    assert await say(timed, "!réunion prévoir hier 18h Bilan") == (
        "« hier 18h » est déjà passé. Donnez une date à venir, par exemple `demain 18h`, `lundi prochain`, "
        "`mercredi 12 mai à 18h`, `12/05`, `fin mai`, `dans 3 jours`.")
    assert (await say(timed, "!réunion prévoir tous les lundis à 18h jusqu'au 1er avril 2021")).startswith(
        "« 1er avril 2021 » est déjà passé.")
    assert (await say(timed, "!réunion prévoir Bilan de l'année")).startswith(
        "Je ne trouve pas de date dans « Bilan de l'année ». Exemples : ")
    assert await say(timed, "!réunion prévoir mercredi 12 mai 25h Plénière") == (
        "« mercredi 12 mai 25h » : 25h n'est pas une heure, les heures vont de 0h à 23h59. Par exemple `18h` ou "
        "`18h30` ; pour minuit, `23h59` ou `0h` le lendemain.")
    assert (await say(timed, "!réunion prévoir tous les lundis à 25h Point hebdo")).startswith(
        "« tous les lundis » : 25h n'est pas une heure, les heures vont de 0h à 23h59.")
    assert await say(timed, "!réunion prévoir jeudi Bilan") == (
        "« jeudi » : à quelle heure ? Ajoutez l'heure, par exemple `jeudi à 18h`.")
    assert await say(timed, "!réunion prévoir tous les lundis Point hebdo") == (
        "« tous les lundis » : à quelle heure ? Ajoutez l'heure, par exemple `tous les lundis à 18h`.")
    assert (await say(timed, "!réunion prévoir")).startswith("Prévoir une réunion (coordinateurs) :")
    assert (await say(timed, "!réunion annuler P7")).startswith("Il n'y a pas de réunion prévue P7")
    assert (await say(timed, "!réunion annuler")).startswith("Usage : `!réunion annuler P<N> [date]` — annule")
    # a repetition with a typo is not made a one-off meeting titled "tous les lundsi" (nor "weekly" found later)
    assert (await say(timed, "!réunion prévoir tous les lundsi à 18h Point hebdo")).startswith(
        "Je ne comprends pas la répétition « tous les lundsi » : rien n'est prévu. Écrivez par exemple "
        "`tous les lundis à 18h`")
    await say(timed, "!réglages langue en")
    assert (await say(timed, "!meeting schedule every mondy at 6pm Weekly check-in")).startswith(
        "I don't understand the repetition “every mondy”: nothing is scheduled.")
    assert await timed.chat.router.services.store.schedules.list(ROOM) == []
    assert timed.scheduler.jobs() == []
    # a title may still contain such words when the date comes first, or in quotes
    assert (await say(timed, '!meeting schedule "Every voice counts" tuesday 6pm')).startswith(
        "Scheduled meeting P1: “Every voice counts”")
    # the same command sent twice (the bot was slow to answer): one meeting
    assert await say(timed, '!meeting schedule "every voice counts" tuesday 6pm') == (
        "Scheduled meeting P1: “Every voice counts” is already planned for that date: nothing is added "
        "(`!meeting list`).")
    assert (await say(timed, '!meeting schedule "Every voice counts" tuesday 7pm')).startswith("Scheduled meeting P2")


async def test_a_reminder_missed_while_down_is_sent_late_within_the_grace_period(timed):
    await plan(timed, "jeudi 18h Plénière")
    late = await timed.at(paris(2021, 4, 28, 20, 0))  # the day-before reminder, two hours late
    assert [e.content.plain for e in late if isinstance(e, Notice)] == [
        "(rappel en retard : Relais était arrêté à l'heure prévue) Rappel : réunion P1 « Plénière » le jeudi "
        "29 avril 2021 à 18h00 (dans 22 h)."]  # the time actually left, not the 24 h planned
    assert plain(late) == [("Notice", ROOM), ("DirectMessage", COORD)]
    assert all(e.content.plain.startswith("(rappel en retard") for e in late)


async def test_a_reminder_for_a_meeting_that_has_begun_is_not_sent(timed):
    await plan(timed, "jeudi 18h Plénière", reminders="1h")
    assert await timed.at(paris(2021, 4, 29, 18, 30)) == []  # 1h30 late: the meeting began 30 min ago
    assert timed.scheduler.jobs() == []


async def test_beyond_the_grace_period_reminders_are_dropped_and_the_next_date_planned_at_start_up(timed):
    await plan(timed, "tous les lundis à 18h Point hebdo", reminders="1h")
    # Down from before the reminder of 3 May (17:00) until 13 h after the roll job (18:00): all dropped.
    assert await timed.at(paris(2021, 5, 4, 7, 30)) == []
    assert timed.scheduler.jobs() == []
    await jobs.started(timed.chat.router.services)  # what the bot runs when it starts again
    iso = "2021-05-10T16:00:00+00:00"
    assert job_ids(timed) == [(f"1:{iso}:3600", utc(2021, 5, 10, 15)), (f"1:{iso}:roll", utc(2021, 5, 10, 16))]
    await jobs.started(timed.chat.router.services)  # a second start changes nothing
    assert len(job_ids(timed)) == 2
    reminded = [e for e in await timed.at(paris(2021, 5, 10, 17, 0, 1))
                if "résumé de la semaine" not in e.content.plain]  # the weekly digest went out at 9:00
    assert reminded[0].content.plain == "Rappel : réunion P1 « Point hebdo » le lundi 10 mai 2021 à 18h00 (dans 1 h)."


async def test_the_list_of_upcoming_meetings(timed):
    await plan(timed, "mercredi 12 mai à 18h Examiner les propositions à la Maison des associations")
    await say(timed, "!réunion prévoir le premier mardi du mois à 19h CA https://meet.jit.si/pacte-ca")
    await say(timed, "!réunion prévoir jeudi 18h Plénière")
    await say(timed, "!réunion annuler 3")
    listed = await say(timed, "!réunion liste", ANNIE)
    assert listed == (
        "Réunions à venir\n"
        "• P2 « CA » — mardi 4 mai 2021 à 19h00 — le premier mardi du mois à 19h00 (puis mardi 1er juin, "
        "mardi 6 juillet)\n"
        "• P1 « Examiner les propositions » — mercredi 12 mai 2021 à 18h00 — la Maison des associations\n"
        "`!réunion annuler P<N> [date]`, `!réunion déplacer P<N> <date>` ; `!agenda` pour les importer dans un "
        "agenda.")
    assert await say(timed, "!réunions à venir", ANNIE) == listed
    assert await say(timed, "!meetings upcoming", ANNIE) == listed


async def test_meeting_start_takes_up_the_scheduled_meeting(timed):
    await plan(timed, "demain 18h Plénière d'avril", reminders="5m")
    timed.clock.set(paris(2021, 4, 28, 17, 50))
    started = await say(timed, "!réunion début")
    assert started.startswith("Réunion n°1 « Plénière d'avril » ouverte — présidence : Coordinatrice.")
    assert started.endswith("C'est la réunion prévue P1 « Plénière d'avril » du mercredi 28 avril 2021 à 18h00.")
    meeting = await timed.chat.router.services.store.meetings.current(ROOM)
    assert meeting.schedule_number == 1 and meeting.title == "Plénière d'avril"
    assert await timed.at(paris(2021, 4, 28, 17, 55, 1)) == []  # started already: no reminder
    await timed.chat.say("!réunion fin", sender=COORD)
    again = await say(timed, "!réunion début")  # the scheduled one was held: a plain meeting
    assert again.startswith("Réunion n°2 ouverte") and "réunion prévue" not in again


async def test_meeting_start_far_from_any_scheduled_meeting_is_a_plain_start(timed):
    await plan(timed, "jeudi 18h Plénière")
    started = await say(timed, "!réunion début Point rapide")
    assert started.startswith("Réunion n°1 « Point rapide » ouverte") and "réunion prévue" not in started
    assert (await timed.chat.router.services.store.meetings.current(ROOM)).schedule_number is None


async def test_changing_the_reminder_offsets_plans_the_meetings_again(timed):
    await plan(timed, "jeudi 18h Plénière")
    await say(timed, "!réglages rappels-réunion 2h 30m")
    iso = "2021-04-29T16:00:00+00:00"
    assert job_ids(timed) == [(f"1:{iso}:7200", utc(2021, 4, 29, 14)), (f"1:{iso}:1800", utc(2021, 4, 29, 15, 30)),
                              (f"1:{iso}:roll", utc(2021, 4, 29, 16))]
    await say(timed, "!réglages rappels-réunion aucun")
    assert job_ids(timed) == [(f"1:{iso}:roll", utc(2021, 4, 29, 16))]
    assert (await say(timed, "!réunion prévoir vendredi 18h Apéro")).endswith(
        "Pas de rappel : ce salon n'en a pas (`!réglages rappels-réunion 24h 1h` pour en avoir).")


async def test_too_late_for_some_reminders(timed):
    reply = await plan(timed, "demain 18h Plénière")  # 22 h ahead
    assert reply.endswith(REMINDERS + " Trop tard cette fois pour celui de 24 h avant.")


async def test_quoted_title_and_video_link(timed):
    reply = await plan(timed, '"Préparation à la fête" jeudi 18h au local https://meet.jit.si/fete')
    assert reply.split("\n")[:4] == ["Réunion prévue P1 : « Préparation à la fête »",
                                     "Quand : jeudi 29 avril 2021 à 18h00 (Europe/Paris)",
                                     "Lieu : local", "Lien : https://meet.jit.si/fete"]
    reminded = await timed.at(paris(2021, 4, 28, 18, 0, 1))
    assert reminded[0].content.plain == ("Rappel : réunion P1 « Préparation à la fête » le jeudi 29 avril 2021 à "
                                         "18h00 (dans 24 h).\nLieu : local\nLien : https://meet.jit.si/fete")


async def test_an_english_room(timed):
    setup_room(timed)
    await say(timed, "!settings language en")
    reply = await say(timed, "!meeting schedule every first tuesday of the month 7pm Board meeting at the town hall")
    assert reply == (
        "Scheduled meeting P1: “Board meeting”\n"
        "When: on the first Tuesday of the month at 19:00, starting Tuesday 4 May 2021 (Europe/Paris)\n"
        "Next dates: Tuesday 4 May, Tuesday 1 June, Tuesday 6 July\n"
        "Place: the town hall\n"
        "Reminders: 24 h and 1 h before, in the room and by direct message to coordinators and subscribers "
        "(`!subscribe`).")
    reminded = await timed.at(paris(2021, 5, 3, 19, 0, 1))
    assert reminded[0].content.plain == ("Reminder: meeting P1 “Board meeting” on Tuesday 4 May 2021 at 19:00 "
                                         "(in 24 h).\nPlace: the town hall")
    assert (await say(timed, "!meeting list")).startswith("Upcoming meetings\n• P1 “Board meeting” — Tuesday 4 May")


async def test_help_texts(chat):
    join(chat, COORD)
    help_meeting = (await chat.reply("!aide réunion")).content.plain
    assert "prévoir <date et heure> <titre>" in help_meeting and "réunions prévues" in help_meeting
    assert "!abonner" in (await chat.reply("!aide")).content.plain
    assert "!agenda" in (await chat.reply("!aide")).content.plain
    assert "un seul salon privé avec vous" in (await chat.reply("!aide abonner")).content.plain
    assert "Usage : `!réunions [passées | à venir]`" in (await chat.reply("!réunions demain")).content.plain
    assert (await chat.reply("!réunions passées")).content.plain == (await chat.reply("!réunions")).content.plain
    assert isinstance(await chat.reply("!réunions à venir"), Reply)


# --- scheduled (P1) and held (n°1) meetings in the same room ---------------------------------------------


async def two_kinds(timed):
    """A room with scheduled meeting P1 « Plénière » (Thursday) and held meeting n°1 « Point rapide » (now)."""
    await plan(timed, "jeudi 18h Plénière")
    assert (await say(timed, "!réunion début Point rapide")).startswith("Réunion n°1 « Point rapide » ouverte")
    await timed.chat.say("!réunion fin", sender=COORD)


async def test_a_scheduled_p1_and_a_held_meeting_1_are_each_reached_by_their_own_commands(timed):
    await two_kinds(timed)
    listed = await say(timed, "!réunion liste", ANNIE)
    assert "• P1 « Plénière » — jeudi 29 avril 2021 à 18h00" in listed
    held = await say(timed, "!réunions", ANNIE)
    assert "• n°1 « Point rapide » — mardi 27 avril 2021" in held and "Plénière" not in held

    # The minutes are the held meeting's; P1 has none, and the reply says where to look.
    [minutes] = await timed.chat.say("!compte-rendu 1", sender=ANNIE)
    assert isinstance(minutes, Notice)
    assert minutes.content.plain.startswith("Compte rendu de la réunion n°1 : Point rapide")
    for ref in ("P1", "p1"):
        assert await say(timed, f"!compte-rendu {ref}", ANNIE) == (
            "P1 est une réunion prévue : un compte rendu existe pour les réunions tenues (n°1, n°2…), que "
            "`!réunions` liste.")
    assert await say(timed, "!compte-rendu 5", ANNIE) == (
        "Il n'y a pas de réunion n°5 dans ce salon. `!réunions` les liste.")

    # Scheduled-meeting commands never take a held meeting's (or an action's) number for a P number.
    for ref in ("n°1", "#1"):
        assert await say(timed, f"!réunion annuler {ref}") == (
            f"`{ref}` ne désigne pas une réunion prévue : celles-ci s'écrivent P1, P2… (`!réunion liste` les "
            "montre). Les réunions tenues (n°1, n°2…) sont dans `!réunions`, les actions (#1, #2…) dans "
            "`!action liste`.")
    assert (await say(timed, "!réunion déplacer P1 vendredi 19h")).startswith(
        "Réunion prévue P1 « Plénière » déplacée : jeudi 29 avril 2021 à 18h00 → vendredi 30 avril 2021 à 19h00.")
    assert await say(timed, "!réunion annuler 1") == "Réunion prévue P1 « Plénière » annulée."  # bare: back-compat
    [again] = await timed.chat.say("!compte-rendu 1", sender=ANNIE)
    assert again.content == minutes.content  # the held meeting is untouched


async def test_the_two_kinds_in_english(timed):
    setup_room(timed)
    await say(timed, "!settings language en")
    await say(timed, "!meeting schedule thursday 6pm Plenary")
    assert (await say(timed, "!meeting start Quick check")).startswith("Meeting 1 “Quick check” started")
    await timed.chat.say("!meeting end", sender=COORD)
    assert "• P1 “Plenary” — Thursday 29 April 2021 at 18:00" in await say(timed, "!meeting list", ANNIE)
    held = await say(timed, "!meetings", ANNIE)
    assert "• Meeting 1 “Quick check” — Tuesday 27 April 2021 — 0 present, 0 excused" in held
    assert "#1" not in held  # "#1" is an action
    assert await say(timed, "!minutes P1", ANNIE) == (
        "P1 is a scheduled meeting: minutes exist for held meetings (meeting 1, 2…), which `!meetings` lists.")
    assert await say(timed, "!minutes 4", ANNIE) == (
        "There is no meeting number 4 in this room. `!meetings` lists them.")
    assert (await say(timed, "!meeting cancel n°1")).startswith("`n°1` is not a scheduled meeting: those are "
                                                                 "written P1, P2…")
    assert await say(timed, "!meeting cancel p1") == "Scheduled meeting P1 “Plenary” cancelled."


async def test_the_minutes_of_a_scheduled_meeting_are_found_through_the_meeting_held_for_it(timed):
    await plan(timed, "demain 18h Plénière")
    await say(timed, "!réunion début Point rapide")  # n°1, far from P1
    await timed.chat.say("!réunion fin", sender=COORD)
    timed.clock.set(paris(2021, 4, 28, 17, 55))
    assert (await say(timed, "!réunion début")).startswith("Réunion n°2 « Plénière » ouverte")
    await timed.chat.say("!réunion fin", sender=COORD)
    assert await say(timed, "!compte-rendu P1", ANNIE) == (
        "P1 est une réunion prévue : un compte rendu existe pour les réunions tenues (n°1, n°2…), que "
        "`!réunions` liste. Sa dernière séance tenue est la n°2 : `!compte-rendu 2`.")


# --- reminders say the time actually left ------------------------------------------------------------------


async def test_a_reminder_delayed_less_than_a_minute_says_the_time_left_not_its_offset(timed):
    await plan(timed, "jeudi 18h Plénière", reminders="57s 1h")
    delayed = await timed.at(paris(2021, 4, 29, 17, 0, 50))  # 50 s behind: not marked late, but not 1 h left
    assert delayed[0].content.plain == "Rappel : réunion P1 « Plénière » le jeudi 29 avril 2021 à 18h00 (dans 59 min)."
    delayed = await timed.at(paris(2021, 4, 29, 17, 59, 33))  # the 57 s reminder, 30 s behind
    assert delayed[0].content.plain == "Rappel : réunion P1 « Plénière » le jeudi 29 avril 2021 à 18h00 (dans 27 s)."


async def test_a_late_reminder_for_a_meeting_just_begun_says_since_when(timed):
    await plan(timed, "jeudi 18h Plénière", reminders="1h")
    late = await timed.at(paris(2021, 4, 29, 18, 0, 40))  # down from 16:55 to 18:00:40
    assert [e.content.plain for e in late if isinstance(e, Notice)] == [
        "(rappel en retard : Relais était arrêté à l'heure prévue) Rappel : réunion P1 « Plénière » le jeudi "
        "29 avril 2021 à 18h00 (commencée il y a 40 s)."]


async def test_late_reminders_in_english(timed):
    setup_room(timed)
    await say(timed, "!settings language en")
    await say(timed, "!meeting schedule thursday 6pm Plenary")
    late = await timed.at(paris(2021, 4, 28, 20, 30))  # the day-before reminder, 2 h 30 late
    assert late[0].content.plain == ("(late reminder: Relais was stopped at the planned time) Reminder: meeting P1 "
                                     "“Plenary” on Thursday 29 April 2021 at 18:00 (in 21 h 30 min).")
    begun = await timed.at(paris(2021, 4, 29, 18, 0, 30))
    assert begun[0].content.plain == ("(late reminder: Relais was stopped at the planned time) Reminder: meeting P1 "
                                      "“Plenary” on Thursday 29 April 2021 at 18:00 (started 30 s ago).")


def test_time_left_is_said_to_the_second_then_to_the_minute():
    from datetime import timedelta

    from handlers.schedule.jobs import time_left

    said = lambda seconds, lang="fr": time_left(timedelta(seconds=seconds), lang).plain  # noqa: E731
    assert said(86399) == " (dans 24 h)" and said(3599.4) == " (dans 1 h)"
    assert said(119.4) == " (dans 1 min 59 s)" and said(57) == " (dans 57 s)"
    assert said(0.2) == " (elle commence maintenant)" and said(-40) == " (commencée il y a 40 s)"
    assert said(-40, "en") == " (started 40 s ago)" and said(90, "en") == " (in 1 min 30 s)"


async def test_help_shows_p_numbers_in_usage(chat):
    join(chat, COORD)
    assert "annuler P<N> [date] | déplacer P<N> <date>]" in (await chat.reply("!réunion pause", sender=COORD)).content.plain
    usage = (await chat.reply("!réunion déplacer", sender=COORD)).content.plain
    assert usage.startswith("Usage : `!réunion déplacer P<N> <date>` — déplace une réunion prévue")
