"""!action and themes through the real router, an in-memory store and a fake clock (now: Tue 27 Apr 2021 20:00 Paris)."""
from datetime import timedelta

import pytest

from tests.unit.conftest import ROOM
from tests.unit.room import ANNE, ANNIE, BERTRAND, COORD, MICHEL, ZOE as OTHER, join, text


@pytest.fixture
def room(chat):
    return join(chat, BERTRAND, MICHEL, ANNIE, ANNE, COORD, OTHER)


async def test_create_with_an_owner_confirms_number_text_owner(room):
    reply = await room.reply("!action @bertrand prendre contact avec Nicolas Desquinabo", sender=ANNIE)
    assert reply.content.plain == ("Action #1 enregistrée : prendre contact avec Nicolas Desquinabo\n"
                                   "Responsables : Bertrand Dupont\nÉchéance : aucune")
    assert f'<a href="https://matrix.to/#/{BERTRAND}">Bertrand Dupont</a>' in reply.content.html
    assert reply.mentions == (BERTRAND,)  # the owner is notified


async def test_two_owners_and_a_month_part_deadline(room):
    out = await text(room, "!action @michel @annie premier livrable de la cartographie pour fin mai")
    assert out == ("Action #1 enregistrée : premier livrable de la cartographie\n"
                   "Responsables : Michel, Annie Martin\nÉchéance : lundi 31 mai 2021 (fin de journée)")


async def test_unassigned_action_with_weekday_deadline(room):
    out = await text(room, "!action relayer la marche du climat avant samedi")
    assert out == ("Action #1 enregistrée : relayer la marche du climat\n"
                   "Responsables : personne pour l'instant\nÉchéance : samedi 1er mai 2021 (fin de journée)")


async def test_deadline_with_a_time_and_an_outsider(room):
    out = await text(room, '!action @"Nicolas Desquinabo" envoyer le tract d\'ici demain 18h')
    assert out == ("Action #1 enregistrée : envoyer le tract\nResponsables : Nicolas Desquinabo\n"
                   "Échéance : mercredi 28 avril 2021 à 18h00")


async def test_numbers_are_per_room_and_never_reused(room, store):
    await text(room, "!action un")
    await text(room, "!action deux")
    await text(room, "!action annuler 2", sender=ANNIE)
    assert (await text(room, "!action trois")).startswith("Action #3 enregistrée")
    assert (await room.reply("!action ailleurs", sender=ANNIE, room="!autre:pacte.example")).content.plain.startswith(
        "Action #1 enregistrée")


async def test_ambiguous_name_lists_candidates_and_creates_nothing(room, store):
    out = await text(room, "!action @ann relancer la mairie")
    assert "Annie Martin" in out and "Anne Leroy" in out
    assert await store.actions.list(ROOM, statuses=None) == []


async def test_unknown_person_says_how_to_name_an_outsider(room, store):
    out = await text(room, "!action @gaston relancer la mairie")
    assert '@"' in out
    assert await store.actions.list(ROOM, statuses=None) == []


async def test_past_deadline_is_refused_with_examples(room, store):
    out = await text(room, "!action relancer la mairie avant le 12 avril 2021")
    assert out.startswith("« le 12 avril 2021 » est déjà passé.") or out.startswith("« 12 avril 2021 » est déjà passé.")
    assert "demain 18h" in out
    assert await store.actions.list(ROOM, statuses=None) == []


async def test_a_deadline_on_a_day_that_does_not_exist_is_refused_in_the_rooms_language(room, store):
    out = await text(room, "!action relire le compte rendu pour le 31 février")
    assert out == ("Il n'y a pas de 31 février. Donnez un jour qui existe, par exemple `28 février` ou "
                   "`fin février`.")
    out = await text(room, "!action relancer la mairie avant le 31/04/2022")
    assert out.startswith("Il n'y a pas de 31 avril en 2022. Donnez un jour qui existe, par exemple `30 avril 2022`")
    assert await store.actions.list(ROOM, statuses=None) == []  # nothing recorded with a deadline it did not take


async def test_a_deadline_at_a_time_no_clock_shows_is_refused_saying_which(room, store):
    out = await text(room, "!action appeler Nicolas pour demain 25h")
    assert out.startswith("« demain 25h » : 25h n'est pas une heure, les heures vont de 0h à 23h59.")
    await text(room, "!réglages langue en", sender=COORD)
    out = await text(room, "!action call Nicolas by Friday 13pm")
    assert out.startswith("“Friday 13pm”: 13pm is not a time of day, the hours go from 0:00 to 23:59.")
    assert await store.actions.list(ROOM, statuses=None) == []


async def test_a_sentence_with_pour_is_not_a_deadline(room):
    out = await text(room, "!action préparer le tract pour la marche")
    assert out.startswith("Action #1 enregistrée : préparer le tract pour la marche\n")
    assert out.endswith("Échéance : aucune")


async def test_empty_action_gets_usage(room):
    out = await text(room, "!action @bertrand")
    assert out.startswith("Il manque le texte de l'action")
    assert "Usage : `!action <quoi>" in out


async def test_a_text_starting_with_a_subcommand_word_is_still_an_action(room):
    out = await text(room, "!action annuler la réservation de la salle")
    assert out.startswith("Action #1 enregistrée : annuler la réservation de la salle")


async def test_list_groups_by_owner_with_overdue_first(room, clock):
    await text(room, "!action @bertrand appeler la mairie pour vendredi")
    await text(room, "!action @bertrand écrire le tract pour demain")
    await text(room, "!action @annie réserver la salle")
    await text(room, "!action relayer la marche")
    clock.advance(timedelta(days=2))  # Thursday 29: "demain" (Wed 28) is overdue
    out = await text(room, "!action liste")
    assert out == (
        "Actions ouvertes\n"
        "Annie Martin\n• #3 réserver la salle\n"
        "Bertrand Dupont\n• #2 écrire le tract — pour le mercredi 28 avril 2021 — en retard\n"
        "• #1 appeler la mairie — pour le vendredi 30 avril 2021\n"
        "Sans responsable\n• #4 relayer la marche\n"
    )


async def test_list_filters(room, clock):
    await text(room, "!action @bertrand appeler la mairie pour demain #énergie")
    await text(room, "!action @annie réserver la salle", sender=BERTRAND)
    await text(room, "!action faire les comptes")
    await text(room, "!action fait 3")
    clock.advance(timedelta(days=3))
    assert "#1 appeler la mairie" in await text(room, "!action liste mes", sender=BERTRAND)
    assert "#2" not in await text(room, "!action liste mes", sender=BERTRAND)
    assert "#2 réserver la salle" in await text(room, "!action liste @annie")
    overdue = await text(room, "!action liste retard")
    assert "#1 appeler la mairie" in overdue and "#2" not in overdue
    assert await text(room, "!action liste en retard") == overdue  # as French speakers write it
    done = await text(room, "!action liste faites")
    assert "#3 faire les comptes — faite" in done and "#1" not in done
    every = await text(room, "!action list all")
    assert all(f"#{n}" in every for n in (1, 2, 3))
    themed = await text(room, "!action liste #energie")
    assert "#1 appeler la mairie" in themed and "#2" not in themed
    assert (await text(room, "!action liste bidule")).startswith("Filtre inconnu : « bidule ».")


async def test_empty_list_says_how_to_create(room):
    assert (await text(room, "!action liste")).startswith("Aucune action ne correspond.")


async def test_show_has_the_history(room, clock):
    await text(room, "!action @bertrand appeler la mairie", sender=ANNIE)
    clock.advance(timedelta(hours=1))
    await text(room, "!action échéance 1 vendredi 18h", sender=BERTRAND)
    await text(room, "!action assigner 1 @michel", sender=BERTRAND)
    await text(room, "!action fait 1", sender=MICHEL)
    out = await text(room, "!action voir 1")
    assert out.startswith("Action #1 : appeler la mairie\nÉtat : faite\nResponsables : Bertrand Dupont, Michel\n"
                          "Échéance : vendredi 30 avril 2021 à 18h00\nThèmes : aucun\nHistorique")
    assert "mardi 27 avril 2021 à 20h00 — Annie Martin l'a créée" in out
    assert "mardi 27 avril 2021 à 21h00 — Bertrand Dupont a fixé l'échéance : vendredi 30 avril 2021 à 18h00" in out
    assert "Bertrand Dupont a changé les responsables : Bertrand Dupont, Michel" in out
    assert "Michel l'a marquée faite" in out


async def test_a_sub_command_without_a_number_records_an_action_and_says_how_to_act_on_one(room, store):
    out = await text(room, "!action fait abc", sender=ANNIE)
    assert out.startswith("Action #1 enregistrée : fait abc\n")  # nothing lost: it may be an action's text
    assert out.endswith("Pour agir sur une action existante, donnez son numéro : `!action fait 3`. "
                        "Celle-ci s'annule avec `!action annuler 1`.")
    assert "Pour agir" not in await text(room, "!action appeler le maire", sender=ANNIE)
    await text(room, "!réglages langue en", sender=COORD)
    assert (await text(room, "!action done the <b>report</b>", sender=ANNIE)).endswith(
        "To act on an existing action, give its number: `!action done 3`. This one is cancelled with "
        "`!action cancel 3`.")


async def test_show_writes_the_themes_as_they_were_first_written(room):
    await text(room, "!action préparer le tract #Énergie #mobilisation <i>x</i>", sender=ANNIE)
    await text(room, "!action relancer la mairie #energie", sender=ANNIE)  # the same theme, written otherwise
    assert "Thèmes : #Énergie, #mobilisation\n" in await text(room, "!action voir 1")
    assert "Thèmes : #Énergie\n" in await text(room, "!action voir 2")


async def test_anyone_closes_but_only_creator_owners_coordinators_edit(room):
    await text(room, "!action @bertrand appeler la mairie", sender=ANNIE)
    refused = await text(room, "!action modifier 1 appeler le maire", sender=OTHER)
    assert refused == ("Seuls le créateur de l'action #1, ses responsables et les coordinateurs peuvent la "
                       "modifier ou l'annuler.")
    assert (await text(room, "!action annuler 1", sender=OTHER)) == refused
    assert (await text(room, "!action modifier 1 appeler le maire", sender=BERTRAND)) == \
        "Action #1 modifiée : appeler le maire"
    assert (await text(room, "!action échéance 1 lundi", sender=COORD)) == \
        "Action #1 : échéance lundi 3 mai 2021 (fin de journée)."
    assert (await text(room, "!action fait 1", sender=OTHER)) == "Action #1 faite : appeler le maire — bravo !"
    assert (await text(room, "!action fait 1", sender=OTHER)) == "L'action #1 est déjà faite."
    assert (await text(room, "!action rouvrir 1", sender=OTHER)) == "Action #1 rouverte : appeler le maire"


async def test_assign_unassign_and_clear_deadline(room):
    await text(room, "!action appeler la mairie pour vendredi")
    assert await text(room, "!action assigner 1 @bertrand @\"Nicolas D\"") == \
        "Action #1 — responsables : Bertrand Dupont, Nicolas D."
    assert await text(room, "!action retirer 1 @bertrand") == "Action #1 — responsables : Nicolas D."
    assert await text(room, "!action retirer 1 @michel") == "Michel n'est pas responsable de l'action #1."
    assert await text(room, "!action échéance 1 aucune") == "Action #1 : échéance aucune."


async def test_cancelled_action_cannot_be_edited_until_reopened(room):
    await text(room, "!action appeler la mairie")
    assert await text(room, "!action annuler 1") == "Action #1 annulée : appeler la mairie"
    assert (await text(room, "!action modifier 1 autre")).startswith("L'action #1 est annulée ;")
    assert "Actions ouvertes" not in await text(room, "!action liste")


@pytest.mark.parametrize("command, expected", [
    ("!action voir 9", "Il n'y a pas d'action #9 dans ce salon."),
    ("!action fait", "Usage : `!action fait N…` — marque des actions faites"),
    ("!action", "Usage : `!action <quoi>"),
    ("!action échéance 1 n'importe quand", "Je ne comprends pas la date « n'importe quand »."),
    ("!action assigner 1 bertrand", "Usage : `!action assigner N @personne…` — ajoute des responsables"),
])
async def test_mistakes_get_a_clear_reply(room, command, expected):
    await text(room, "!action appeler la mairie")
    assert (await text(room, command)).startswith(expected)


async def test_several_actions_done_reopened_or_cancelled_in_one_command(room, store):
    for what in ("un", "deux", "trois", "quatre"):
        await text(room, f"!action {what}", sender=ANNIE)
    assert await text(room, "!action fait 1 2") == "Action #1 faite : un — bravo !\nAction #2 faite : deux — bravo !"
    # each number once, in the order written; commas, "et", "#"; words after the numbers are a comment
    assert await text(room, "!action fait #3,2 et #3 merci à tous") == (
        "Action #3 faite : trois — bravo !\nL'action #2 est déjà faite.")
    assert [a.number for a in await store.actions.list(ROOM)] == [4]
    assert await text(room, "!action rouvrir 2, 3") == "Action #2 rouverte : deux\nAction #3 rouverte : trois"
    # one that does not exist: nothing is changed, and the reply says which
    assert await text(room, "!action fait 2 9") == "Il n'y a pas d'action #9 dans ce salon. " \
                                                   "`!action liste toutes` les montre toutes."
    assert [a.number for a in await store.actions.list(ROOM)] == [2, 3, 4]
    # one the sender may not cancel: its line says why, the others are cancelled
    await text(room, "!action cinq", sender=BERTRAND)
    assert await text(room, "!action annuler 4 5", sender=ANNIE) == (
        "Action #4 annulée : quatre\n"
        "Seuls le créateur de l'action #5, ses responsables et les coordinateurs peuvent la modifier ou l'annuler.")
    assert [a.number for a in await store.actions.list(ROOM)] == [2, 3, 5]
    shown = await text(room, "!action voir 2 4")  # each in full, one after the other
    assert shown.startswith("Action #2 : deux\nÉtat : ouverte") and "\n\nAction #4 : quatre\nÉtat : annulée" in shown


async def test_the_plural_lists_the_actions(room):
    await text(room, "!action appeler la mairie", sender=ANNIE)
    await text(room, "!action @bertrand imprimer le tract", sender=ANNIE)
    assert await text(room, "!actions") == await text(room, "!action liste")
    assert await text(room, "!actions") != await text(room, "!action")  # that one is the usage
    assert (await text(room, "!actions @bertrand")).startswith("Actions (de Bertrand Dupont)\nBertrand Dupont\n• #2 imprimer le tract")
    assert (await text(room, "!actions voir 1")).startswith("Action #1 : appeler la mairie")  # a sub-command
    assert (await text(room, "!tâches fait 1")) == "Action #1 faite : appeler la mairie — bravo !"


async def test_user_text_is_escaped_in_html(room):
    reply = await room.reply("!action vérifier <script>alert(1)</script> & co", sender=ANNIE)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in reply.content.html
    assert "<script>" not in reply.content.html


async def test_english_room(room):
    await room.say("!settings language en", sender=COORD)
    out = await text(room, "!action @bertrand contact Nicolas by next monday")
    assert out == "Action #1 recorded: contact Nicolas\nOwners: Bertrand Dupont\nDue: Monday 3 May 2021 (end of day)"
    assert (await text(room, "!action done 1")) == "Action #1 done: contact Nicolas — well done!"
    assert (await text(room, "!action list")).startswith("No action matches.")


async def test_themes_and_referents(room):
    await text(room, "!action #énergie cartographier les acteurs")
    await text(room, "!action #energie rencontrer la régie")
    await text(room, "!action #logiciels-libres installer le pad")
    await text(room, "!action fait 3")
    assert await text(room, "!thème énergie référent @bertrand") == "Thème #énergie : référent Bertrand Dupont."
    out = await text(room, "!thèmes")
    assert out == ("Thèmes\n• #énergie — référent : Bertrand Dupont — 2 actions ouvertes\n"
                   "• #logiciels-libres — référent : aucun — 0 action ouverte\n")
    assert (await text(room, "!themes")).startswith("Thèmes")
    assert (await text(room, "!thème bidule ref")).startswith("Usage")
    # the word "référent" may be left out: a person after the theme's name is its referent
    assert await text(room, "!thème énergie @annie") == "Thème #énergie : référent Annie Martin."
    assert (await text(room, "!thème énergie Annie")).startswith("Usage : `!thème <nom> [référent @personne]`")


async def test_many_themes_come_in_pages(room, store):
    for i in range(1, 36):
        await store.themes.ensure(ROOM, f"t{i:02}", f"t{i:02}")
    await text(room, "!action #t01 #t33 un")
    first = await text(room, "!thèmes")
    assert first.startswith("Thèmes\n• #t01 — référent : aucun — 1 action ouverte\n• #t02 — référent : aucun — 0")
    assert first.endswith("• #t30 — référent : aucun — 0 action ouverte\n\n"
                          "Page 1 sur 2 : thèmes 1 à 30 sur 35.\nPage suivante : `!thèmes page 2`")
    second = await text(room, "!thèmes page 2")
    assert second == ("Thèmes\n• #t31 — référent : aucun — 0 action ouverte\n"
                      "• #t32 — référent : aucun — 0 action ouverte\n• #t33 — référent : aucun — 1 action ouverte\n"
                      "• #t34 — référent : aucun — 0 action ouverte\n• #t35 — référent : aucun — 0 action ouverte\n\n"
                      "Page 2 sur 2 : thèmes 31 à 35 sur 35.")
    assert await text(room, "!thèmes page 3") == ("Il n'y a pas de page 3 : les thèmes tiennent en 2 pages. "
                                                  "La dernière : `!thèmes page 2`")
    assert await text(room, "!thèmes page 0") == "« 0 » n'est pas un numéro de page. Écrivez par exemple " \
                                                 "`!thèmes page 2`."
    assert (await text(room, "!thèmes bleu")).startswith("Usage : `!thèmes [page N]`")
    await store.themes.ensure("!petit:x", "seul", "seul")
    assert (await room.reply("!thèmes page 2", room="!petit:x")).content.plain == (
        "Il n'y a pas de page 2 : les thèmes tiennent en une page : `!thèmes page 1`")


async def test_an_action_created_during_a_meeting_says_so(room):
    await room.say("!réunion début Plénière", sender=COORD)
    out = await text(room, "!action @bertrand appeler la mairie")
    assert out.endswith("Échéance : aucune\nLiée à la réunion en cours.")


# ---- length caps: an action's text and a meeting entry hold at most 2,000 characters -----------------------

async def test_a_huge_action_is_refused_and_nothing_is_recorded(room):
    out = await text(room, "!action " + "&" * 60_000)
    assert out == ("Ce texte fait 60\u202f000 caractères ; une action en contient au plus 2\u202f000. "
                   "Raccourcissez-le ou mettez le détail dans un lien.")
    assert (await text(room, "!action liste toutes")).startswith("Aucune action ne correspond.")
    assert (await text(room, "!action " + "&" * 2_000)).startswith("Action #1 enregistrée : &&&")  # at the cap


async def test_a_huge_edit_is_refused_and_the_text_is_kept(room):
    await text(room, "!action relayer l'appel")
    out = await text(room, "!action modifier 1 " + "🌍" * 2_001)
    assert out.startswith("Ce texte fait 2\u202f001 caractères ; une action en contient au plus 2\u202f000.")
    assert "relayer l'appel" in await text(room, "!action voir 1")


async def test_the_cap_is_explained_in_english_too(room):
    await room.say("!settings language en", sender=COORD)
    out = await text(room, "!action " + "x" * 60_000)
    assert out == ("This text is 60,000 characters long; an action holds at most 2,000. "
                   "Shorten it or put the details in a link.")


@pytest.mark.parametrize("command, length", [
    ("!info " + "&" * 3_000, "3\u202f000"), ("!décision " + "&" * 3_000, "3\u202f000"),
    ("!idée " + "&" * 3_000, "3\u202f000"), ("!sujet " + "&" * 3_000, "3\u202f000"),
    ("!lien https://example.org " + "&" * 3_000, "3\u202f000"),
    ("!lien https://example.org/" + "a" * 3_000, "3\u202f020"),  # a huge address alone
])
async def test_a_huge_meeting_entry_is_refused_and_not_recorded(room, command, length):
    await room.say("!réunion début Plénière", sender=COORD)
    effects = await room.say(command, sender=ANNIE)
    assert [e.content.plain for e in effects if hasattr(e, "content")] == [
        f"Ce texte fait {length} caractères ; une entrée du compte-rendu en contient au plus 2\u202f000. "
        "Raccourcissez-le ou mettez le détail dans un lien."]
    minutes = "".join(e.content.plain for e in await room.say("!compte-rendu", sender=COORD))
    assert "Aucun sujet noté." in minutes and "&&&" not in minutes and "aaaa" not in minutes
