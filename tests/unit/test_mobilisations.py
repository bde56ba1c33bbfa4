"""Mobilisations through the real router (and the real scheduler on a fake clock): the announcement, joining and
withdrawing by command and by reaction, the head count kept in the announcement, show/list/edit/cancel/move, bad
input, and the countdown across a change of summer time."""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from handlers.core.interface import DirectMessage, Edit, Notice, Reaction, Reply, sent_event_key, sent_key
from tests.unit.conftest import ROOM

PARIS = ZoneInfo("Europe/Paris")
COORD = "@coord:pacte.example"
ANNIE = "@annie:pacte.example"
PHILIPPE = "@philippe:pacte.example"
BERTRAND = "@bertrand:pacte.example"
BOT = "@relais:pacte.example"
ANNOUNCE = ("!marche dimanche 2 mai 14h Marche pour le climat à la Grand-Place, Lille "
            "https://example.org/marche par Alternatiba")


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def setup_room(chat):
    chat.join(COORD, "Coordinatrice", power=50)
    chat.join(ANNIE, "Annie")
    chat.join(PHILIPPE, "Philippe")
    chat.join(BERTRAND, "Bertrand")


async def posted(chat, effects, event_id: str) -> None:
    """What bot/sender.py does once a message sent with `remember` is accepted: keep its event id."""
    for effect in effects:
        if getattr(effect, "remember", None):
            await chat.router.services.store.state.set_many(
                {sent_key(effect.remember): event_id, sent_event_key(event_id): effect.remember})
            return
    raise AssertionError(f"nothing remembered in {effects}")


async def announce(chat, text: str = ANNOUNCE, event_id: str = "$announce") -> Reply:
    effects = await chat.say(text, sender=COORD)
    await posted(chat, effects, event_id)
    return effects[0]


_reactions = iter(range(1, 10_000))


async def react(chat, sender: str, target: str = "$announce", key: str = "✅", event_id: str | None = None,
                room: str = ROOM):
    event_id = event_id or f"$reaction{next(_reactions)}"
    reaction = Reaction(event_id, chat.clock.now(), sender, room, key, target, tuple(chat.members.values()))
    return event_id, await chat.router.reaction(reaction)


async def unreact(chat, sender: str, reaction_id: str, room: str = ROOM):
    withdrawal = Reaction(f"$redaction{next(_reactions)}", chat.clock.now(), sender, room, target=reaction_id,
                          removed=True)
    return await chat.router.reaction(withdrawal)


def count_in(effects) -> str:
    edits = [e for e in effects if isinstance(e, Edit)]
    assert len(edits) == 1, effects
    return next(line for line in edits[0].content.plain.split("\n") if line.startswith("Participants"))


async def test_the_announcement_says_what_where_who_and_how_to_join(chat):
    setup_room(chat)
    reply = await announce(chat)
    assert reply.remember == f"mobilisation:1:{ROOM}:announce"
    assert reply.content.plain == (
        "📣 Mobilisation M1 : Marche pour le climat\n"
        "Quand : dimanche 2 mai 2021 à 14h00 (Europe/Paris)\n"
        "Lieu : la Grand-Place, Lille\n"
        "Lien : https://example.org/marche\n"
        "Organisé par : Alternatiba\n"
        "Participants : 0\n"
        "Pour participer : réagissez ✅ ou 👍 à ce message, ou `!participe M1` (`+2` pour des accompagnant·es) ; "
        "pour vous désister : `!désiste M1`.")
    english = await chat.say("!march Sunday 2 May 2pm Climate march", sender=COORD)
    assert english[0].content.plain.startswith("📣 Mobilisation M2 : Climate march")  # the room's language


async def test_bad_announcements_get_a_clear_reply_and_record_nothing(chat):
    setup_room(chat)
    cases = {
        "!marche samedi 2 mai 14h Marche": "dimanche",  # the weekday contradicts the date
        "!marche hier 14h Marche": "passé",
        "!marche Marche pour le climat": "Je ne trouve pas de date",
        "!marche dimanche 2 mai 14h à la Grand-Place": "Il manque le titre",
        "!marche dimanche 2 mai Marche": "n'a pas d'heure",
    }
    for text, expected in cases.items():
        reply = (await chat.reply(text, sender=COORD)).content.plain
        assert expected in reply, (text, reply)
    assert "coordinateurs" in (await chat.reply(ANNOUNCE, sender=ANNIE)).content.plain
    assert (await chat.reply("!mobilisations")).content.plain == "Aucune mobilisation à venir."
    assert "pas de mobilisation M1" in (await chat.reply("!participe M1", sender=ANNIE)).content.plain
    assert "M1, M2" in (await chat.reply("!participe #1", sender=ANNIE)).content.plain


async def test_head_count_by_reaction_and_command_with_guests_and_withdrawals(chat):
    setup_room(chat)
    await announce(chat)
    first, effects = await react(chat, ANNIE)
    assert count_in(effects) == "Participants : 1"
    assert await chat.router.reaction(Reaction(first, chat.clock.now(), ANNIE, ROOM, "✅", "$announce")) == []
    _, effects = await react(chat, PHILIPPE, key="👍🏽")
    assert count_in(effects) == "Participants : 2"
    effects = await chat.say("!participe M1 +2", sender=BERTRAND)
    assert effects[0].content.plain.startswith("✅ Vous participez à la mobilisation M1 « Marche pour le climat » "
                                               "avec 2 accompagnant·es. Participants : 5 (dont 2 accompagnant·es)")
    assert count_in(effects) == "Participants : 5 (dont 2 accompagnant·es)"
    # Annie also joins by command: still one person
    assert "Participants : 5" in (await chat.say("!participe 1", sender=ANNIE))[0].content.plain
    # Philippe removes his reaction
    _, philippe = await react(chat, PHILIPPE, event_id="$philippe")
    assert philippe == []  # he was already counted: his second reaction changes nothing… but is kept
    assert await unreact(chat, PHILIPPE, "$philippe") != []  # his first reaction still counts: the same count
    effects = await chat.say("!désiste M1", sender=PHILIPPE)
    assert effects[0].content.plain.startswith("Vous ne participez plus")
    assert count_in(effects) == "Participants : 4 (dont 2 accompagnant·es)"
    assert (await chat.reply("!désiste M1", sender=PHILIPPE)).content.plain.startswith("Vous ne participiez pas")
    # ignored: another key, another message, a redaction never seen, a reaction in another room
    assert (await react(chat, PHILIPPE, key="🎉"))[1] == []
    assert (await react(chat, PHILIPPE, target="$something-else"))[1] == []
    assert (await react(chat, PHILIPPE, room="!other:pacte.example"))[1] == []
    assert await unreact(chat, PHILIPPE, "$never-seen") == []
    view = (await chat.reply("!mobilisation M1", sender=COORD)).content.plain
    assert "Participants : 4 (dont 2 accompagnant·es)" in view
    assert "Qui : Annie, Bertrand (+2)" in view
    assert "Qui" not in (await chat.reply("!mobilisation M1", sender=ANNIE)).content.plain


async def test_bad_guests_are_refused(chat):
    setup_room(chat)
    await announce(chat)
    assert "`+2`" in (await chat.reply("!participe M1 deux", sender=ANNIE)).content.plain
    assert "au plus 50" in (await chat.reply("!participe M1 +99", sender=ANNIE)).content.plain


async def test_list_edit_cancel_and_move(chat):
    setup_room(chat)
    await announce(chat)
    await chat.say("!marche jeudi 6 mai 18h Rassemblement devant la mairie", sender=COORD)
    await chat.say("!participe M1", sender=ANNIE)
    listed = (await chat.reply("!mobilisations")).content.plain
    assert listed == ("Mobilisations\n"
                      "• M1 Marche pour le climat — dimanche 2 mai 2021 à 14h00 — 1 participant\n"
                      "• M2 Rassemblement devant la mairie — jeudi 6 mai 2021 à 18h00 — 0 participant\n"
                      "`!mobilisation M<N>` pour en voir une, `!participe M<N>` pour y participer.")
    effects = await chat.say("!mobilisation modifier M1 lieu Place de la République", sender=COORD)
    assert "modifiée" in effects[0].content.plain
    assert "Lieu : Place de la République" in [e for e in effects if isinstance(e, Edit)][0].content.plain
    assert "coordinateurs" in (await chat.reply("!mobilisation annuler M1", sender=ANNIE)).content.plain
    effects = await chat.say("!mobilisation déplacer M1 samedi 8 mai", sender=COORD)
    assert effects[0].content.plain.startswith("📅 La mobilisation M1 « Marche pour le climat » est déplacée du "
                                               "dimanche 2 mai 2021 à 14h00 au samedi 8 mai 2021 à 14h00")
    assert [e.user_id for e in effects if isinstance(e, DirectMessage)] == [ANNIE]
    effects = await chat.say("!mobilisation annuler M1 la préfecture l'interdit", sender=COORD)
    assert effects[0].content.plain == ("❌ La mobilisation M1 « Marche pour le climat » du samedi 8 mai 2021 à "
                                        "14h00 est annulée. Raison : la préfecture l'interdit")
    edit = [e for e in effects if isinstance(e, Edit)][0]
    assert edit.content.plain.startswith("❌ ANNULÉE — Mobilisation M1")
    dms = [e for e in effects if isinstance(e, DirectMessage)]
    assert [d.user_id for d in dms] == [ANNIE] and "est annulée" in dms[0].content.plain
    del chat.members[ANNIE]  # someone who left the room gets no DM
    # it exists, cancelled: said so, whatever is asked of it (not "there is no M1")
    assert (await chat.reply("!mobilisation M1")).content.plain == \
        "La mobilisation M1 « Marche pour le climat » a été annulée."
    assert (await chat.reply("!participe M1", sender=PHILIPPE)).content.plain.endswith("a été annulée.")
    assert "pas de mobilisation M7" in (await chat.reply("!participe M7", sender=PHILIPPE)).content.plain
    assert "(annulée)" in (await chat.reply("!mobilisations toutes")).content.plain
    # a reaction on a cancelled mobilisation's announcement is not counted
    assert (await react(chat, PHILIPPE))[1] == []


async def test_countdown_notices_across_a_summer_time_change_and_the_eve_dms(timed):
    chat = timed.chat
    setup_room(chat)
    chat.join(BOT, "Relais", power=100)
    effects = await chat.say("!marche mardi 2 novembre 14h Marche pour le climat à la Grand-Place", sender=COORD)
    await posted(chat, effects, "$announce")
    reply = effects[0]
    assert effects[1].content.plain == "Annonces avant la mobilisation : 7 jours, 3 jours, 24 h, le matin même."
    jobs = [(j.removeprefix(f"mobilisation:{ROOM}:1:2021-11-02T13:00:00+00:00:"), t)
            for j, t in timed.scheduler.jobs() if j.startswith("mobilisation:")]
    # J-7 and J-3 are in summer time (UTC+2), J-1 and the morning in winter time (UTC+1): always 14h / 8h
    assert jobs == [("604800", utc(2021, 10, 26, 12)), ("259200", utc(2021, 10, 30, 12)),
                    ("86400", utc(2021, 11, 1, 13)), ("eve", utc(2021, 11, 1, 13)), ("morning", utc(2021, 11, 2, 7))]
    assert reply.remember
    await react(chat, ANNIE)
    await chat.say("!participe M1 +1", sender=BERTRAND)
    effects = await timed.at(utc(2021, 10, 26, 12))
    notices = [e for e in effects if isinstance(e, Notice)]
    assert notices[0].content.plain.startswith(
        "📣 J-7 avant « Marche pour le climat » (M1) — Participants : 3 (dont 1 accompagnant·es) — rendez-vous "
        "14h00, la Grand-Place")
    assert notices[0].remember == f"mobilisation:1:{ROOM}:notice-604800"
    # a reaction on a countdown notice counts too
    await posted(chat, notices, "$notice7")
    await react(chat, PHILIPPE, target="$notice7")
    effects = await timed.at(utc(2021, 11, 1, 13))
    assert sorted(e.user_id for e in effects if isinstance(e, DirectMessage)) == [ANNIE, BERTRAND, PHILIPPE]
    notice = [e for e in effects if isinstance(e, Notice)][-1]
    assert "J-1" in notice.content.plain and "Participants : 4" in notice.content.plain
    effects = await timed.at(utc(2021, 11, 2, 7))
    assert [e for e in effects if isinstance(e, Notice)][0].content.plain.startswith(
        "📣 C'est aujourd'hui : « Marche pour le climat » (M1)")


async def test_a_moved_or_cancelled_mobilisation_is_never_counted_down_at_its_old_date(timed):
    chat = timed.chat
    setup_room(chat)
    await announce(chat, "!marche dimanche 9 mai 14h Marche pour le climat")
    await chat.say("!mobilisation déplacer M1 dimanche 16 mai 15h", sender=COORD)
    ids = [j for j, _ in timed.scheduler.jobs() if j.startswith("mobilisation:")]
    assert ids and all("2021-05-16T13:00:00+00:00" in j for j in ids)
    await chat.say("!mobilisation annuler M1", sender=COORD)
    assert [j for j, _ in timed.scheduler.jobs() if j.startswith("mobilisation:")] == []


async def test_reactions_under_a_flood_edit_the_announcement_once_per_slot_with_the_last_count(timed):
    chat = timed.chat
    setup_room(chat)
    await announce(chat, "!marche dimanche 9 mai 14h Marche pour le climat")
    for who in (ANNIE, PHILIPPE, BERTRAND):
        assert (await react(chat, who))[1] == []  # no edit at once: one is planned
    recounts = [j for j, _ in timed.scheduler.jobs() if j.startswith("mobilisation-recount:")]
    assert len(recounts) == 1
    _, when = [(j, t) for j, t in timed.scheduler.jobs() if j.startswith("mobilisation-recount:")][0]
    effects = await timed.at(when)
    assert count_in(effects) == "Participants : 3"


async def test_a_recount_planned_before_a_cancellation_does_not_edit_the_cancelled_announcement_again(timed):
    """The cancellation's own edit already shows the last count; a recount still planned would only add an
    "(edited)" mark to the announcement, with the same text."""
    chat = timed.chat
    setup_room(chat)
    await announce(chat, "!marche dimanche 9 mai 14h Marche pour le climat")
    assert (await react(chat, ANNIE))[1] == []  # an edit is planned for the end of the slot
    [(_, when)] = [(j, t) for j, t in timed.scheduler.jobs() if j.startswith("mobilisation-recount:")]
    cancelled = await chat.say("!mobilisation annuler M1", sender=COORD)
    assert any(isinstance(e, Edit) and "Participants : 1" in e.content.plain for e in cancelled)
    assert [e for e in await timed.at(when) if isinstance(e, Edit)] == []


# --- the chat layer: remembering an announcement's event id, editing it, effects through the outbox ----------


class _Client:
    user_id = "@relais:x"

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, dict]] = []
        self.rooms: dict = {}  # none synced: every notice says it mentions nobody

    async def room_send(self, room_id, event_type, content, ignore_unverified_devices=False, tx_id=None):
        from types import SimpleNamespace

        self.sent.append((room_id, event_type, content))
        return SimpleNamespace(event_id=f"$sent{len(self.sent)}")


async def test_the_sender_remembers_an_announcement_and_edits_it_with_m_replace(store):
    from bot.sender import Sender, effect_from_json, effect_to_json
    from handlers.core.text import Rendered

    client = _Client()
    sender = Sender(client, store.state)
    reply = Reply(Rendered("Participants : 0", "Participants : <b>0</b>"), remember="mobilisation:1:!r:x:announce")
    edit = Edit("!r:x", "mobilisation:1:!r:x:announce", Rendered("Participants : 1", "Participants : <b>1</b>"))
    assert effect_from_json(effect_to_json(reply)) == reply and effect_from_json(effect_to_json(edit)) == edit
    await sender.perform(Edit("!r:x", "never-sent", Rendered("x", "x")), "!r:x", None)  # nothing to edit
    assert client.sent == []
    await sender.perform(reply, "!r:x", "$cmd")
    assert await store.state.get(sent_key("mobilisation:1:!r:x:announce")) == "$sent1"
    assert await store.state.get(sent_event_key("$sent1")) == "mobilisation:1:!r:x:announce"
    await sender.perform(edit, "!r:x", None)
    room_id, kind, content = client.sent[1]
    assert (room_id, kind) == ("!r:x", "m.room.message")
    assert content["m.relates_to"] == {"rel_type": "m.replace", "event_id": "$sent1"}
    assert content["m.new_content"]["body"] == "Participants : 1"
    assert content["m.new_content"]["formatted_body"] == "Participants : <b>1</b>"
    assert content["body"] == "* Participants : 1"


OTHER = "!autre:pacte.example"


async def test_a_relay_posts_the_announcement_in_another_room_where_people_count_too(timed):
    from handlers.core.interface import Member

    chat = timed.chat
    setup_room(chat)
    services = chat.router.services

    async def find_room(name: str) -> str | None:
        return OTHER if name in ("#autre:pacte.example", OTHER) else None

    services.find_room = find_room
    await announce(chat, "!marche dimanche 9 mai 14h Marche pour le climat à la Grand-Place")
    await chat.say("!marche samedi 8 mai 10h Vélorution", sender=COORD, room=OTHER)  # M1 there
    assert "Je ne suis pas dans le salon « #inconnu:x »" in \
        (await chat.reply("!mobilisation M1 relayer #inconnu:x", sender=COORD)).content.plain
    members = services.members
    services.members = lambda room: tuple(Member(m.user_id, m.display_name, 0) for m in members(room))
    assert "il faut y être coordinateur" in \
        (await chat.reply("!mobilisation M1 relayer #autre:pacte.example", sender=COORD)).content.plain
    services.members = members
    effects = await chat.say("!mobilisation M1 relayer #autre:pacte.example", sender=COORD)
    notice = next(e for e in effects if isinstance(e, Notice))
    assert notice.room_id == OTHER and notice.remember == f"mobilisation:1:{OTHER}:announce"
    assert notice.content.plain.startswith("📣 Mobilisation M2 : Marche pour le climat\n")
    assert "Relayée depuis" in notice.content.plain and "`!participe M2`" in notice.content.plain
    assert [e for e in effects if isinstance(e, Reply)][0].content.plain.startswith(
        "📣 Mobilisation M1 relayée dans « #autre:pacte.example », où elle est M2")
    assert "déjà relayée" in (await chat.reply("!mobilisation relayer M1 " + OTHER, sender=COORD)).content.plain
    await posted(chat, [notice], "$relayed")
    await react(chat, ANNIE)  # in the announcing room
    await react(chat, PHILIPPE, target="$relayed", room=OTHER)  # in the relaying room
    assert "Participants : 4 (dont 1" in (await chat.reply("!participe M2 +1", sender=BERTRAND, room=OTHER)).content.plain
    assert "Participants : 4" in (await chat.reply("!mobilisation M2", room=OTHER)).content.plain
    view = (await chat.reply("!mobilisation M1", sender=COORD)).content.plain
    assert "Participants : 4 (dont 1 accompagnant·es)" in view
    assert "Par salon : Pacte climat : 1, Pacte climat : 3" in view  # the fixture names every room alike
    listed = (await chat.reply("!mobilisations", room=OTHER)).content.plain
    assert "• M1 Vélorution" in listed and "• M2 Marche pour le climat" in listed
    assert "relayée ici depuis" in (await chat.reply("!mobilisation annuler M2", sender=COORD, room=OTHER)).content.plain
    # the countdown goes to both rooms, each with its number
    effects = await timed.at(datetime(2021, 5, 2, 12, tzinfo=timezone.utc))
    notices = [(e.room_id, e.content.plain.split(" — ")[0]) for e in effects if isinstance(e, Notice)]
    assert (ROOM, "📣 J-7 avant « Marche pour le climat » (M1)") in notices
    assert (OTHER, "📣 J-7 avant « Marche pour le climat » (M2)") in notices
    effects = await chat.say("!mobilisation annuler M1", sender=COORD)
    relayed = [e for e in effects if isinstance(e, Notice)]
    assert [e.room_id for e in relayed] == [OTHER]
    assert relayed[0].content.plain.startswith("❌ La mobilisation M2 « Marche pour le climat » du dimanche 9 mai")
    assert {e.room_id for e in effects if isinstance(e, Edit)} == {ROOM, OTHER}
    assert sorted(e.user_id for e in effects if isinstance(e, DirectMessage)) == [ANNIE, BERTRAND, PHILIPPE]


async def test_the_day_before_message_can_be_turned_off_and_on(timed):
    chat = timed.chat
    setup_room(chat)
    await announce(chat, "!marche dimanche 9 mai 14h Marche pour le climat")
    await chat.say("!participe M1", sender=ANNIE)
    await chat.say("!participe M1", sender=BERTRAND)
    assert (await chat.reply("!désabonner mobilisations", sender=ANNIE)).content.plain.startswith("C'est noté : plus")
    assert "C'est noté" in (await chat.reply("!désabonner mobilisations", sender=BERTRAND)).content.plain
    assert "C'est noté" in (await chat.reply("!abonner mobilisations", sender=BERTRAND)).content.plain
    effects = await timed.at(datetime(2021, 5, 8, 12, tzinfo=timezone.utc))
    dms = [e for e in effects if isinstance(e, DirectMessage)]
    assert [d.user_id for d in dms] == [BERTRAND]
    assert dms[0].content.plain.startswith("📣 Demain : « Marche pour le climat » (M1, ")


async def test_the_tract_is_attached_by_link_and_shown_everywhere(timed):
    chat = timed.chat
    setup_room(chat)
    await announce(chat, "!marche dimanche 9 mai 14h Marche pour le climat")
    assert "Donnez le lien du tract" in (await chat.reply("!mobilisation M1 tract bientôt", sender=COORD)).content.plain
    assert "coordinateurs" in (await chat.reply("!mobilisation M1 tract https://x.org/t.pdf", sender=ANNIE)).content.plain
    effects = await chat.say("!mobilisation M1 tract https://example.org/tract.pdf", sender=COORD)
    assert effects[0].content.plain.startswith("Tract joint à la mobilisation M1")
    assert "Tract : https://example.org/tract.pdf" in (await chat.reply("!mobilisation M1")).content.plain
    effects = await chat.say("!mobilisation tract M1 https://example.org/tract-v2.pdf", sender=COORD)
    await timed.at(datetime(2021, 5, 8, 12, tzinfo=timezone.utc))
    notices = [e for e in timed.effects if isinstance(e, Notice)]
    assert "Tract : https://example.org/tract-v2.pdf" in notices[-1].content.plain
    assert "Tract : https://example.org/tract-v2.pdf" in [e for e in effects if isinstance(e, Edit)][0].content.plain


async def test_mobilisations_are_in_the_rooms_calendar(chat):
    from handlers.core.interface import File

    setup_room(chat)
    await announce(chat)
    effects = await chat.say("!agenda")
    ics = next(e for e in effects if isinstance(e, File)).data.decode()
    assert "SUMMARY:📣 Marche pour le climat" in ics
    assert "DTSTART;TZID=Europe/Paris:20210502T140000" in ics
    assert "LOCATION:la Grand-Place\\, Lille" in ics and "UID:mobilisation-1-" in ics


async def test_a_relaying_room_and_those_who_joined_there_are_told_in_that_room_s_language(timed):
    """A cancellation or a move reaches an English relaying room, and who joined there, wholly in English (the
    date and the reason too), with the number and room they know; who joined in the French room reads French."""
    chat = timed.chat
    setup_room(chat)
    services = chat.router.services

    async def find_room(name: str) -> str | None:
        return OTHER if name == OTHER else None

    services.find_room = find_room
    await chat.say("!réglages langue en", sender=COORD, room=OTHER)
    await chat.say("!march Saturday 8 May 10am Critical mass", sender=COORD, room=OTHER)  # M1 there
    await announce(chat, "!marche dimanche 9 mai 14h Marche pour le climat à la Grand-Place")
    await chat.say(f"!mobilisation M1 relayer {OTHER}", sender=COORD)
    await chat.say("!participe M1", sender=ANNIE)
    await chat.say("!join M2 +1", sender=BERTRAND, room=OTHER)

    effects = await chat.say("!mobilisation déplacer M1 dimanche 16 mai 14h", sender=COORD)
    [relayed] = [e.content.plain for e in effects if isinstance(e, Notice)]
    assert relayed.startswith("📅 Mobilization M2 “Marche pour le climat” is moved from Sunday 9 May"), relayed
    dms = {e.user_id: e.content.plain for e in effects if isinstance(e, DirectMessage)}
    assert dms[BERTRAND].startswith("📅 The mobilization “Marche pour le climat” (M2, "), dms
    assert "from Sunday 9 May" in dms[BERTRAND] and "to Sunday 16 May" in dms[BERTRAND], dms
    assert dms[ANNIE].startswith("📅 La mobilisation « Marche pour le climat » (M1, "), dms

    effects = await chat.say("!mobilisation annuler M1 pluie", sender=COORD)
    [relayed] = [e.content.plain for e in effects if isinstance(e, Notice)]
    assert relayed == "❌ Mobilization M2 “Marche pour le climat” on Sunday 16 May 2021 at 14:00 is cancelled. " \
                      "Reason: pluie", relayed
    dms = {e.user_id: e.content.plain for e in effects if isinstance(e, DirectMessage)}
    assert dms[BERTRAND].startswith("❌ The mobilization “Marche pour le climat” (M2, ") and \
        "on Sunday 16 May 2021 at 14:00" in dms[BERTRAND] and dms[BERTRAND].endswith("Reason: pluie"), dms
    assert dms[ANNIE].startswith("❌ La mobilisation « Marche pour le climat » (M1, ") and \
        dms[ANNIE].endswith("Raison : pluie"), dms


async def test_the_english_countdown_says_1_day_not_1_days(timed):
    chat = timed.chat
    setup_room(chat)
    await chat.say("!settings language en", sender=COORD)
    await announce(chat, "!march Sunday 9 May 2pm Climate march")
    heads = {}
    for day in (6, 8):  # J-3 and J-1 at 14h, Paris
        effects = await timed.at(datetime(2021, 5, day, 12, tzinfo=timezone.utc))
        heads[day] = [e.content.plain.split(" — ")[0] for e in effects if isinstance(e, Notice)]
    assert heads == {6: ["📣 3 days to “Climate march” (M1)"], 8: ["📣 1 day to “Climate march” (M1)"]}, heads
