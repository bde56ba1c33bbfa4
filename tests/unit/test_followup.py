"""Deadline reminders, overdue mentions and the coordinators' digest, with the real scheduler on a fake clock."""
from handlers.core.interface import DirectMessage, Notice
from tests.unit.room import ANNIE, BERTRAND, COORD, join, paris


def setup_room(timed):
    join(timed.chat, BERTRAND, ANNIE, COORD)


async def test_owner_dm_a_day_before_then_one_room_mention_then_coordinator_digest(timed):
    setup_room(timed)
    await timed.chat.say("!action @bertrand appeler la mairie pour vendredi 18h", sender=ANNIE)

    assert await timed.at(paris(2021, 4, 29, 17, 59)) == []
    soon = await timed.at(paris(2021, 4, 29, 18, 0, 1))
    assert [type(e) for e in soon] == [DirectMessage] and soon[0].user_id == BERTRAND
    assert soon[0].content.plain == ("Rappel : l'action #1 « appeler la mairie » (Pacte climat) est à faire pour "
                                     "le vendredi 30 avril 2021 à 18h00.")

    overdue = await timed.at(paris(2021, 4, 30, 18, 0, 1))
    assert len(overdue) == 1 and isinstance(overdue[0], Notice)
    assert overdue[0].mentions == (BERTRAND,)
    assert overdue[0].content.plain.startswith(
        "L'action #1 « appeler la mairie » est en retard (échéance : vendredi 30 avril 2021 à 18h00) — Bertrand Dupont.")
    assert f'href="https://matrix.to/#/{BERTRAND}"' in overdue[0].content.html

    digest = await timed.at(paris(2021, 5, 1, 9, 0, 1))
    assert [(type(e), e.user_id) for e in digest] == [(DirectMessage, COORD)]  # coordinators only
    assert digest[0].content.plain.startswith("Actions passées en retard dans Pacte climat :\n• #1 appeler la mairie")
    # Nothing more, ever: the mention was once, and the digest only lists newly overdue actions.
    assert await timed.at(paris(2021, 5, 8, 9, 0, 1)) == []


async def test_two_actions_overdue_the_same_day_make_one_digest(timed):
    setup_room(timed)
    await timed.chat.say("!action @bertrand appeler la mairie pour demain 10h", sender=ANNIE)
    await timed.chat.say("!action @annie réserver la salle pour demain 15h", sender=ANNIE)
    await timed.at(paris(2021, 4, 28, 16, 0))
    digest = await timed.at(paris(2021, 4, 29, 9, 0, 1))
    assert len(digest) == 1
    assert "#1 appeler la mairie" in digest[0].content.plain and "#2 réserver la salle" in digest[0].content.plain


async def test_done_or_moved_actions_get_no_stale_reminder(timed):
    setup_room(timed)
    await timed.chat.say("!action @bertrand appeler la mairie pour vendredi 18h", sender=ANNIE)
    await timed.chat.say("!action @bertrand écrire le tract pour vendredi 18h", sender=ANNIE)
    await timed.chat.say("!action fait 1", sender=ANNIE)
    await timed.chat.say("!action échéance 2 lundi 18h", sender=ANNIE)
    assert await timed.at(paris(2021, 5, 1, 12, 0)) == []  # past both old deadlines: silence
    soon = await timed.at(paris(2021, 5, 2, 18, 0, 1))
    assert len(soon) == 1 and "l'action #2" in soon[0].content.plain and "lundi 3 mai 2021" in soon[0].content.plain


async def test_a_reminder_missed_while_down_is_sent_late_within_the_grace_period(timed):
    setup_room(timed)
    await timed.chat.say("!action @bertrand appeler la mairie pour vendredi 18h", sender=ANNIE)
    late = await timed.at(paris(2021, 4, 29, 20, 0))  # two hours after the planned time
    assert len(late) == 1
    assert late[0].content.plain.startswith("(rappel en retard : Relais était arrêté à l'heure prévue) Rappel :")


async def test_a_reminder_missed_beyond_the_grace_period_is_dropped(timed):
    setup_room(timed)
    await timed.chat.say("!action @bertrand appeler la mairie pour vendredi 18h", sender=ANNIE)
    assert await timed.at(paris(2021, 4, 30, 7, 0)) == []  # 13 h late: dropped (grace is 12 h)
    assert [j for j, _ in timed.scheduler.jobs()] == ["action:!salon:pacte.example:1:overdue"]


async def test_room_settings_override_the_reminder_offsets(timed):
    setup_room(timed)
    await timed.chat.say("!réglages rappels-action 2h", sender=COORD)
    await timed.chat.say("!action @bertrand appeler la mairie pour vendredi 18h", sender=ANNIE)
    assert await timed.at(paris(2021, 4, 29, 18, 0, 1)) == []
    assert len(await timed.at(paris(2021, 4, 30, 16, 0, 1))) == 1


async def test_new_offsets_apply_to_the_rooms_open_actions_already_planned(timed):
    setup_room(timed)
    await timed.chat.say("!action @bertrand appeler la mairie pour vendredi 18h", sender=ANNIE)
    await timed.chat.say("!action @bertrand imprimer le tract pour vendredi 18h", sender=ANNIE)
    await timed.chat.say("!action fait 2", sender=ANNIE)
    await timed.chat.say("!action @bertrand ailleurs pour vendredi 18h", sender=ANNIE, room="!autre:pacte.example")
    await timed.chat.say("!réglages rappels-action 2h", sender=COORD)  # after the actions were created
    await timed.at(timed.clock.now())  # the re-planning runs at once, a page at a time
    day_before = await timed.at(paris(2021, 4, 29, 18, 0, 1))  # only the other room keeps 24 h
    assert [e.content.plain.split("»")[0] for e in day_before] == ["Rappel : l'action #1 « ailleurs "]
    soon = await timed.at(paris(2021, 4, 30, 16, 0, 1))
    assert [(type(e), e.user_id) for e in soon] == [(DirectMessage, BERTRAND)]
    assert "l'action #1 « appeler la mairie »" in soon[0].content.plain  # not the done one


async def test_english_room_reminders(timed):
    setup_room(timed)
    await timed.chat.say("!settings language en", sender=COORD)
    await timed.chat.say("!action @bertrand call the town hall by friday 6pm", sender=ANNIE)
    soon = await timed.at(paris(2021, 4, 29, 18, 0, 1))
    assert soon[0].content.plain == ("Reminder: action #1 “call the town hall” (Pacte climat) is due "
                                     "Friday 30 April 2021 at 18:00.")


async def test_the_digest_time_is_configurable(timed):
    from dataclasses import replace
    from datetime import time

    services = timed.chat.router.services
    services.defaults = replace(services.defaults, overdue_digest_time=time(18, 30))
    setup_room(timed)
    await timed.chat.say("!action @bertrand appeler la mairie pour demain 10h", sender=ANNIE)
    await timed.at(paris(2021, 4, 28, 10, 0, 1))  # overdue: the digest is planned for 18:30 that day
    assert await timed.at(paris(2021, 4, 28, 18, 29)) == []
    digest = await timed.at(paris(2021, 4, 28, 18, 30, 1))
    assert [(type(e), e.user_id) for e in digest] == [(DirectMessage, COORD)]
