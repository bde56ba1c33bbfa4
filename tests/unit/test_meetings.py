"""Meetings through the real router (no Matrix): who may do what, attendance and its corrections,
content and undo, reactions, speakers suggested, minutes posted and re-posted, a restart mid-meeting."""
from __future__ import annotations

from datetime import timedelta

import pytest

from handlers.capabilities import registry
from handlers.core.interface import Message, Notice, React, Reply
from handlers.core.router import Router
from handlers.core.services import Defaults, Services
from storage import open_store
from tests.unit.conftest import ROOM, Chat
from tests.unit.room import ANNIE, BERTRAND, CLAIRE as COORD, ZOE, join


@pytest.fixture
def room(chat):
    return join(chat, COORD, ANNIE, BERTRAND, ZOE)


async def say(chat: Chat, text: str, sender: str = ANNIE):
    chat.clock.advance(timedelta(minutes=1))
    return await chat.say(text, sender=sender)


async def reacted(chat: Chat, text: str, sender: str = ANNIE) -> None:
    effects = await say(chat, text, sender)
    assert effects == [React("✅")], f"{text!r} got {effects}"


async def replied(chat: Chat, text: str, sender: str = ANNIE) -> str:
    effects = await say(chat, text, sender)
    assert len(effects) == 1 and isinstance(effects[0], Reply), f"{text!r} got {effects}"
    return effects[0].content.plain


async def posted(chat: Chat, text: str, sender: str = COORD) -> Notice:
    effects = await say(chat, text, sender)
    assert len(effects) == 1 and isinstance(effects[0], Notice), f"{text!r} got {effects}"
    assert effects[0].room_id == ROOM
    return effects[0]


async def speak(chat: Chat, text: str, sender: str) -> list:
    """A message that is not a command, as the bot's sync loop hands it to the observers."""
    chat.clock.advance(timedelta(minutes=1))
    msg = Message(f"$talk{chat.clock.now().timestamp()}", chat.clock.now(), sender, ROOM, text,
                  tuple(chat.members.values()))
    return await chat.router.observe(msg)


def section(minutes: str, heading: str) -> str:
    return next(s for s in minutes.split("\n\n") if s.startswith(heading))


# --- no meeting, permissions ----------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["!présent", "!info bonjour", "!sujet Énergie", "!excusé @annie",
                                     "!annuler", "!rédacteur", "!président @annie", "!réunion fin", "!lien https://x.org"])
async def test_without_a_meeting_every_meeting_command_says_how_to_start_one(room, command):
    assert await replied(room, command, COORD) == (
        "Aucune réunion n'est ouverte dans ce salon. Un coordinateur peut en commencer une avec "
        "`!réunion début [titre]`.")


async def test_the_no_meeting_reply_is_in_the_room_language(room):
    await say(room, "!settings language en", COORD)
    assert await replied(room, "!present") == (
        "No meeting is open in this room. A coordinator can start one with `!meeting start [title]`.")
    assert "No meeting is open" in await replied(room, "!meeting")


async def test_only_coordinators_start_a_meeting_and_only_one_at_a_time(room):
    assert (await replied(room, "!réunion début")).startswith("Seuls les coordinateurs")
    text = await replied(room, "!réunion début Plénière d'avril", COORD)
    assert text.startswith("Réunion n°1 « Plénière d'avril » ouverte — présidence : Claire.")
    assert "`!réunion fin` la clôt" in text
    again = await replied(room, "!meeting start autre", COORD)
    assert again.startswith("La réunion n°1 « Plénière d'avril » est déjà ouverte depuis mardi 27 avril 2021 à 20h02.")


async def test_english_sub_commands_in_a_french_room_and_usage(room):
    assert (await replied(room, "!meeting start", COORD)).startswith("Réunion n°1 ouverte")
    assert (await replied(room, "!réunion pause", COORD)).startswith("Usage : `!réunion [début [titre] | fin | prévoir")
    assert (await posted(room, "!meeting end")).content.plain.startswith("Compte rendu de la réunion n°1")


async def test_the_chair_may_end_and_hand_over_but_other_members_may_not(room):
    await say(room, "!réunion début", COORD)
    refused = await replied(room, "!réunion fin", ANNIE)
    assert refused == "Seuls les coordinateurs et la personne qui préside (Claire) peuvent faire cela."
    assert (await replied(room, "!président @annie", BERTRAND)).startswith("Seuls les coordinateurs")
    assert await replied(room, "!président @annie", COORD) == "Présidence : Annie Martin (à la place de Claire)."
    assert (await replied(room, "!réunion fin", BERTRAND)).startswith("Seuls les coordinateurs")
    assert await replied(room, "!chair @bertrand", ANNIE) == "Présidence : Bertrand Dupont (à la place de Annie Martin)."
    minutes = (await posted(room, "!réunion fin", BERTRAND)).content.plain
    assert "Présidence : Bertrand Dupont" in minutes


async def test_status_of_the_open_meeting(room):
    await say(room, "!réunion début Plénière", COORD)
    await say(room, "!présent @annie @bertrand", COORD)
    await say(room, '!excusé @"Camille R" malade', COORD)
    await say(room, "!sujet Énergie", COORD)
    assert await replied(room, "!réunion") == (
        "Réunion n°1 « Plénière » en cours depuis mardi 27 avril 2021 à 20h01 — présidence : Claire ; "
        "rédaction : personne.\nSujet en cours : Énergie. Présents : 2 ; excusés : 1.")


# --- attendance -------------------------------------------------------------------------------------------


async def test_attendance_is_acknowledged_with_reactions_and_corrections_get_replies(room):
    await say(room, "!réunion début", COORD)
    await reacted(room, "!présent")  # yourself
    await reacted(room, '!présent @bertrand @"Nicolas Desquinabo"', COORD)  # several, one outside Matrix
    await reacted(room, '!excusé @"Camille R" : malade, prévenue hier', COORD)
    await reacted(room, "!retard @zoe arrivée à 20h30", COORD)
    await reacted(room, "!rédacteur @annie", COORD)
    await reacted(room, "!présent @annie", COORD)  # the same again: nothing changes
    assert await replied(room, "!excusé @bertrand parti tôt", COORD) == (
        "Corrigé : Bertrand Dupont présent·e → excusé·e.")
    assert await replied(room, "!rédacteur @bertrand", COORD) == (
        "Rédaction du compte rendu : Bertrand Dupont (à la place de Annie Martin).")
    assert await replied(room, '!absent @"nicolas desquinabo"', COORD) == (
        "Retiré de la liste de présence : Nicolas Desquinabo.")
    assert await replied(room, '!absent @"Nicolas Desquinabo"', COORD) == (
        "Nicolas Desquinabo n'était pas dans la liste de présence.")
    head = section((await posted(room, "!réunion fin")).content.plain, "Compte rendu")
    assert "Présents (1) : Annie Martin" in head
    assert "Excusés (2) : Bertrand Dupont (parti tôt), Camille R (malade, prévenue hier)" in head
    assert "En retard (1) : Zoé (arrivée à 20h30)" in head
    assert "Rédaction : Bertrand Dupont" in head


async def test_names_that_match_nobody_or_several_people(room):
    room.join("@bertille:pacte.example", "Bertille")
    await say(room, "!réunion début", COORD)
    assert (await replied(room, "!présent @personne")).startswith(
        "Je ne trouve personne qui corresponde à `@personne` dans ce salon.")
    text = await replied(room, "!présent @bert")
    assert text.startswith("Plusieurs membres correspondent à `@bert` :")
    assert (await replied(room, "!excusé")).startswith("Nommez au moins une personne.\nUsage : `!excusé")
    assert (await replied(room, "!présent moi")).startswith("Usage : `!présent [@personne…]`")


async def test_a_mention_pill_names_the_member(room):
    await say(room, "!réunion début", COORD)
    # A pill arrives as the full user id in the command text (bot/convert.py).
    await reacted(room, f"!présent {BERTRAND}", COORD)
    assert "Présents (1) : Bertrand Dupont" in (await posted(room, "!réunion fin")).content.plain


# --- content, undo, actions -----------------------------------------------------------------------------


async def test_content_is_filed_under_topics_and_undo_removes_your_last_item(room):
    await say(room, "!réunion début", COORD)
    await reacted(room, "!info ordre du jour adopté", COORD)
    await reacted(room, "!sujet Collectif énergie", COORD)
    await reacted(room, "!info le bilan est prêt")
    await reacted(room, "!décision on adopte le budget", BERTRAND)
    await reacted(room, "!idée un atelier vélo")
    await reacted(room, "!lien https://example.org/bilan Bilan 2020")
    await reacted(room, "!lien le tract www.example.org/tract")
    await reacted(room, "!info à retirer")
    assert await replied(room, "!annuler") == "Retiré : Info : à retirer"
    assert await replied(room, "!undo") == "Retiré : Lien : le tract — https://www.example.org/tract"
    await reacted(room, "!sujet Collectif mobilité", COORD)
    await reacted(room, "!agreed on essaie le covoiturage", COORD)
    assert (await replied(room, "!lien pas d'adresse")).startswith("Il manque l'adresse du lien")
    assert (await replied(room, "!info")).startswith("Il manque le texte à noter.")
    minutes = (await posted(room, "!réunion fin")).content.plain
    assert section(minutes, "Général") == "Général\n• Info : ordre du jour adopté"
    assert section(minutes, "1. ") == (
        "1. Collectif énergie\n• Info : le bilan est prêt\n• Décision : on adopte le budget\n"
        "• Idée : un atelier vélo\n• Lien : Bilan 2020 — https://example.org/bilan")
    assert section(minutes, "2. ") == "2. Collectif mobilité\n• Décision : on essaie le covoiturage"


async def test_undo_after_an_action_removes_nothing_and_says_how_to_cancel_the_action(room):
    await say(room, "!réunion début", COORD)
    await reacted(room, "!décision on relaie la marche")
    await say(room, "!action préparer le tract")
    assert await replied(room, "!annuler") == ("Votre dernier ajout est l'action #1 « préparer le tract » : je ne "
                                               "retire rien. Pour l'annuler : `!action annuler 1`.")
    assert await replied(room, "!annuler", BERTRAND) == (  # someone else's action is not theirs to undo
        "Vous n'avez rien noté dans cette réunion que je puisse retirer.")
    await say(room, "!action annuler 1")
    assert await replied(room, "!annuler") == "Retiré : Décision : on relaie la marche"  # now the item before
    await say(room, "!action imprimer les affiches")
    await reacted(room, "!info l'imprimeur est prévenu")
    assert await replied(room, "!annuler") == "Retiré : Info : l'imprimeur est prévenu"  # after the action


async def test_undo_of_a_topic_moves_back_to_the_previous_one_and_keeps_topics_with_content(room):
    await say(room, "!réunion début", COORD)
    await say(room, "!sujet Énergie", COORD)
    await say(room, "!sujet Mobilité", COORD)
    await say(room, "!info sous mobilité")
    assert (await replied(room, "!annuler", COORD)).startswith(
        "Votre dernier ajout est le sujet « Mobilité », où 1 élément a déjà été noté")
    assert await replied(room, "!annuler") == "Retiré : Info : sous mobilité"
    assert await replied(room, "!annuler", COORD) == "Retiré : le sujet « Mobilité »"
    await say(room, "!info de nouveau sous énergie")
    assert await replied(room, "!annuler", BERTRAND) == (
        "Vous n'avez rien noté dans cette réunion que je puisse retirer.")
    minutes = (await posted(room, "!réunion fin")).content.plain
    assert section(minutes, "1. ") == "1. Énergie\n• Info : de nouveau sous énergie"
    assert "Mobilité" not in minutes


async def test_actions_are_filed_under_their_topic_and_listed_by_person(room, store, clock):
    # Before the meeting: one open action, which the minutes carry over.
    await say(room, "!action écrire le tract @annie pour le 15 mai", COORD)
    await say(room, "!réunion début", COORD)
    await say(room, "!sujet Énergie", COORD)
    await say(room, "!action relancer la mairie @bertrand @\"Nicolas D\" pour vendredi", COORD)
    await say(room, "!sujet Local", COORD)
    await say(room, "!action trouver une salle", COORD)
    m = await store.meetings.current(ROOM)
    made = await store.actions.list(ROOM, statuses=None, meeting_id=m.id)
    assert [(a.number, a.topic_id is not None) for a in made] == [(2, True), (3, True)]
    minutes = (await posted(room, "!réunion fin")).content.plain
    assert section(minutes, "1. ") == (
        "1. Énergie\n• Action #2 relancer la mairie — Bertrand Dupont, Nicolas D — vendredi 30 avril 2021")
    assert section(minutes, "2. ") == "2. Local\n• Action #3 trouver une salle"
    assert section(minutes, "Actions par personne") == (
        "Actions par personne\n"
        "Annie Martin\n• #1 écrire le tract — samedi 15 mai 2021 (en cours)\n"
        "Bertrand Dupont\n• #2 relancer la mairie — avec Nicolas D — vendredi 30 avril 2021\n"
        "Nicolas D\n• #2 relancer la mairie — avec Bertrand Dupont — vendredi 30 avril 2021\n"
        "Sans responsable\n• #3 trouver une salle")


async def test_minutes_keep_the_actions_as_they_were_at_the_end(room, store):
    await say(room, "!réunion début", COORD)
    await say(room, "!action relancer la mairie @bertrand", COORD)
    first = (await posted(room, "!réunion fin")).content.plain
    await say(room, "!action fait 1", BERTRAND)
    assert (await store.actions.get(ROOM, 1)).status == "done"
    assert (await posted(room, "!compte-rendu 1")).content.plain == first
    # …and the next meeting no longer carries it.
    await say(room, "!réunion début", COORD)
    assert "#1" not in (await posted(room, "!réunion fin")).content.plain


# --- speakers, minutes, list ------------------------------------------------------------------------------


async def test_who_speaks_is_suggested_not_added(room):
    assert await speak(room, "avant la réunion", ZOE) == []  # no meeting: nothing noted
    await say(room, "!réunion début", COORD)
    await say(room, "!présent")
    assert await speak(room, "bonjour à tous", ZOE) == []  # observers never answer
    await speak(room, "présente aussi", ANNIE)
    await say(room, "!info une info", BERTRAND)
    draft = (await posted(room, "!compte-rendu", ANNIE)).content.plain
    head = section(draft, "Brouillon")
    assert "Présents (1) : Annie Martin" in head
    assert "Ont aussi pris la parole (non notés présents) : Bertrand Dupont, Claire, Zoé" in head
    await say(room, "!présent @zoe", COORD)
    minutes = (await posted(room, "!réunion fin")).content.plain
    assert "Présents (2) : Annie Martin, Zoé" in minutes
    assert "Ont aussi pris la parole (non notés présents) : Bertrand Dupont, Claire" in minutes


async def test_minutes_are_posted_at_the_end_and_reposted_on_demand(room):
    assert (await replied(room, "!compte-rendu")).startswith("Aucune réunion n'a encore eu lieu dans ce salon.")
    await say(room, "!réunion début Première", COORD)
    await say(room, "!sujet Énergie", COORD)
    await say(room, "!décision <b>oui</b> & vite", COORD)
    end = await posted(room, "!réunion fin")
    assert end.content.plain.startswith("Compte rendu de la réunion n°1 : Première\n"
                                        "mardi 27 avril 2021, de 20h02 à 20h05 (Europe/Paris)")
    assert "&lt;b&gt;oui&lt;/b&gt; &amp; vite" in end.content.html
    assert (await posted(room, "!compte-rendu", ANNIE)).content == end.content
    assert (await posted(room, "!minutes 1", ANNIE)).content == end.content
    await say(room, "!réunion début Deuxième", COORD)
    await posted(room, "!réunion fin")
    assert (await posted(room, "!cr", ANNIE)).content.plain.startswith("Compte rendu de la réunion n°2 : Deuxième")
    assert (await posted(room, "!compte-rendu #1", ANNIE)).content == end.content
    assert await replied(room, "!compte-rendu 9") == (
        "Il n'y a pas de réunion n°9 dans ce salon. `!réunions` les liste.")
    assert (await replied(room, "!compte-rendu hier")).startswith("Usage : `!compte-rendu [N]`")


async def test_minutes_follow_the_room_language_when_reposted(room):
    await say(room, "!réunion début", COORD)
    await say(room, "!présent")
    await posted(room, "!réunion fin")
    await say(room, "!settings language en", COORD)
    text = (await posted(room, "!minutes")).content.plain
    assert text.startswith("Minutes of meeting 1\nTuesday 27 April 2021, 20:01 to 20:03 (Europe/Paris)")
    assert "Present (1): Annie Martin" in text


async def test_meetings_lists_past_meetings_with_attendance(room):
    # Someone asking for meetings before any was held may mean the planned ones: told where they are.
    assert await replied(room, "!réunions") == ("Aucune réunion n'a encore eu lieu dans ce salon. "
                                                 "Celles qui sont prévues : `!réunion liste`.")
    await say(room, "!réunion début Plénière", COORD)
    await say(room, "!présent @annie @bertrand", COORD)
    await say(room, "!retard @zoe", COORD)
    await say(room, '!excusé @"Camille R"', COORD)
    await posted(room, "!réunion fin")
    room.clock.advance(timedelta(days=7))
    await say(room, "!réunion début", COORD)
    assert await replied(room, "!réunions") == (
        "Réunions du salon\n"
        "• n°2 — mardi 4 mai 2021 — 0 présent, 0 excusé — en cours\n"
        "• n°1 « Plénière » — mardi 27 avril 2021 — 3 présents, 1 excusé\n"
        "`!compte-rendu N` republie le compte rendu de la n° N.")


async def test_help_lists_the_meeting_commands(room):
    text = await replied(room, "!aide")
    for name in ("réunion", "présent", "excusé", "retard", "rédacteur", "sujet", "décision", "idée", "lien",
                 "annuler", "président", "compte-rendu", "réunions"):
        assert f"`!{name}`" in text
    assert "Réservé aux coordinateurs et à la personne qui préside" in await replied(room, "!aide président")


# --- a restart mid-meeting ----------------------------------------------------------------------------------


async def test_a_restart_in_the_middle_of_a_meeting_loses_nothing(tmp_path, clock):
    url = f"sqlite+aiosqlite:///{tmp_path / 'relais.db'}"

    def chat_on(store) -> Chat:
        return join(Chat(Router(registry, Services(store, clock, Defaults())), clock), COORD, ANNIE, ZOE)

    store = await open_store(url)
    before = chat_on(store)
    await say(before, "!réunion début Plénière", COORD)
    await say(before, "!présent")
    await say(before, '!excusé @"Camille R" malade', COORD)
    await say(before, "!rédacteur @annie", COORD)
    await say(before, "!sujet Énergie", COORD)
    await say(before, "!info avant le redémarrage")
    await speak(before, "je suis là", ZOE)
    await store.close()

    store = await open_store(url)
    try:
        after = chat_on(store)
        await reacted(after, "!décision après le redémarrage", COORD)  # still under « Énergie »
        minutes = (await posted(after, "!réunion fin")).content.plain
    finally:
        await store.close()
    head = section(minutes, "Compte rendu")
    assert head.startswith("Compte rendu de la réunion n°1 : Plénière")
    assert "Présents (1) : Annie Martin" in head and "Excusés (1) : Camille R (malade)" in head
    assert "Rédaction : Annie Martin" in head and "Ont aussi pris la parole (non notés présents) : Claire, Zoé" in head
    assert section(minutes, "1. ") == (
        "1. Énergie\n• Info : avant le redémarrage\n• Décision : après le redémarrage")
