"""Deadline reminders sent late (Relais was stopped when they were due): they say the time actually left,
and one that would arrive after the deadline is not sent — the overdue notice says it instead."""
from handlers.core.interface import DirectMessage, Notice
from tests.unit.room import ANNIE, COORD, paris
from tests.unit.test_followup import setup_room  # the same room: these are its reminders sent late

LATE_FR = "(rappel en retard : Relais était arrêté à l'heure prévue) "


async def test_a_late_due_soon_reminder_says_the_time_left(timed):
    setup_room(timed)
    await timed.chat.say("!action @bertrand appeler la mairie pour vendredi 18h", sender=ANNIE)
    late = await timed.at(paris(2021, 4, 29, 20, 0))  # planned for Thursday 18:00, two hours late
    assert [type(e) for e in late] == [DirectMessage]
    assert late[0].content.plain == (LATE_FR + "Rappel : l'action #1 « appeler la mairie » (Pacte climat) est à "
                                     "faire pour le vendredi 30 avril 2021 à 18h00. Il reste 22 h.")


async def test_a_late_due_soon_reminder_in_english(timed):
    setup_room(timed)
    await timed.chat.say("!settings language en", sender=COORD)
    await timed.chat.say("!action @bertrand call the town hall by friday 6pm", sender=ANNIE)
    late = await timed.at(paris(2021, 4, 29, 21, 15))
    assert late[0].content.plain == ("(late reminder: Relais was stopped at the planned time) Reminder: action #1 "
                                     "“call the town hall” (Pacte climat) is due Friday 30 April 2021 at 18:00. "
                                     "20 h 45 min left.")


async def test_on_time_the_due_soon_reminder_is_unchanged(timed):
    setup_room(timed)
    await timed.chat.say("!action @bertrand appeler la mairie pour vendredi 18h", sender=ANNIE)
    soon = await timed.at(paris(2021, 4, 29, 18, 0, 1))
    assert soon[0].content.plain.endswith("est à faire pour le vendredi 30 avril 2021 à 18h00.")


async def test_a_due_soon_reminder_that_would_arrive_after_the_deadline_is_not_sent(timed):
    setup_room(timed)
    await timed.chat.say("!réglages rappels-action 2h", sender=COORD)
    await timed.chat.say("!action @bertrand appeler la mairie pour vendredi 18h", sender=ANNIE)
    # Down from before Friday 16:00 until 19:00: the 16:00 reminder and the 18:00 overdue notice both run late.
    late = await timed.at(paris(2021, 4, 30, 19, 0))
    assert [type(e) for e in late] == [Notice]  # no "est à faire pour" a deadline already past
    assert late[0].content.plain.startswith(LATE_FR + "L'action #1 « appeler la mairie » est en retard")
