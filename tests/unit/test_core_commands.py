"""!ping, !aide/!help, unknown commands, !réglages/!settings — through the real router."""
import pytest

from handlers.capabilities import registry
from handlers.core.router import Router
from handlers.core.services import Defaults, Services
from tests.unit.conftest import Chat

COORD = "@coord:pacte.example"
MEMBER = "@annie:pacte.example"


async def test_ping_answers_pong(chat):
    assert (await chat.reply("!ping")).content.plain == "pong"


async def test_plain_messages_get_no_answer(chat):
    assert await chat.say("bonjour à tous") == []
    assert await chat.say("!!! super") == []


async def test_help_lists_every_command_in_french_by_default(chat):
    text = (await chat.reply("!aide")).content.plain
    assert text.startswith("Commandes de Relais")
    for cmd in registry.commands:
        assert f"`!{cmd.name('fr')}`" in text
    assert "`!réglages` — affiche ou change les réglages du salon" in text


async def test_help_in_english_once_the_room_is_english(chat):
    chat.join(COORD, power=100)
    await chat.say("!settings language en", sender=COORD)
    reply = await chat.reply("!help")
    assert reply.content.plain.startswith("Relais commands")
    assert "`!settings` — show or change the room's settings" in reply.content.plain
    assert "<ul><li><code>!help</code>" in reply.content.html


async def test_help_for_one_command_shows_its_usage(chat):
    text = (await chat.reply("!aide réglages")).content.plain
    assert ("`!réglages [langue fr|en | fuseau <zone IANA, ex. Europe/Paris> | "
            "rappels-réunion <durées> | rappels-action <durées> | rappels-mobilisation <durées> | "
            "liste-de-diffusion <adresse>]`") in text
    assert "réservé aux coordinateurs" in text


async def test_english_names_work_in_a_french_room(chat):
    assert "Commandes de Relais" in (await chat.reply("!help")).content.plain
    assert "Commandes de Relais" in (await chat.reply("!AIDE")).content.plain


async def test_help_about_an_unknown_command(chat):
    text = (await chat.reply("!aide frobnicate")).content.plain
    assert "Je ne connais pas la commande `!frobnicate`" in text
    assert (await chat.reply("!aide acton")).content.plain == (  # a typo: the help of the nearest command
        "Commande inconnue : `!acton`. Vouliez-vous dire `!aide action` ? Tapez `!aide` pour la liste des commandes.")
    # the name of a sub-command: the line of each command that has it
    assert (await chat.reply("!aide fait")).content.plain == "`!action fait N…` — marque des actions faites (une " \
                                                            "ou plusieurs : 2 3)"
    assert (await chat.reply("!aide liste")).content.plain.count("\n") >= 1  # !action liste, !réunion liste…


async def test_unknown_command_suggests_the_nearest(chat):
    text = (await chat.reply("!reglage")).content.plain
    assert text == ("Commande inconnue : `!reglage`. Vouliez-vous dire `!réglages` ? "
                    "Tapez `!aide` pour la liste des commandes.")


async def test_unknown_command_without_a_near_one(chat):
    text = (await chat.reply("!xyzzy")).content.plain
    assert text.startswith("Commande inconnue : `!xyzzy`.") and "Vouliez-vous" not in text


async def test_a_sub_command_typed_as_a_command_is_shown_whole_with_what_followed(chat):
    """`!langue en` is `!réglages langue en`: the reply gives the line to type, the words kept."""
    text = (await chat.reply("!langue en")).content.plain
    assert text == ("Commande inconnue : `!langue`. Vouliez-vous dire `!réglages langue en` ? "
                    "Tapez `!aide` pour la liste des commandes.")
    chat.join(COORD, power=100)
    await chat.say("!réglages langue en", sender=COORD)
    text = (await chat.reply("!timezone Europe/Paris")).content.plain
    assert "Did you mean `!settings timezone Europe/Paris`?" in text


async def test_a_sub_command_of_several_commands_lists_each_of_them(chat):
    reply = await chat.reply("!liste")
    text = reply.content.plain
    assert text.startswith("Commande inconnue : `!liste`. Vouliez-vous dire l'une de celles-ci ? ")
    assert "`!action liste`" in text and "`!réunion liste`" in text
    assert "<code>!action liste</code>" in reply.content.html
    html = (await chat.reply("!liste <b>x</b>")).content.html
    assert "<b>" not in html  # what followed is not carried into a choice among several


async def test_user_text_is_escaped_in_the_html_reply(chat):
    reply = await chat.reply("!aide <img src=x>")
    assert "<code>!&lt;img</code>" in reply.content.html
    assert "<img" not in reply.content.html


async def test_settings_show_defaults(chat):
    text = (await chat.reply("!réglages")).content.plain
    assert "Langue : `fr`" in text and "Fuseau horaire : `Europe/Paris`" in text
    assert "niveau de pouvoir ≥ 50" in text


async def test_coordinator_changes_language_and_timezone(chat, store):
    chat.join(COORD, power=50)
    reply = await chat.reply("!réglages langue en", sender=COORD)
    assert reply.content.plain == "Room language: `en`."
    reply = await chat.reply("!settings timezone America/Montreal", sender=COORD)
    assert reply.content.plain == "Room time zone: `America/Montreal`."
    room = await store.rooms.get("!salon:pacte.example")
    assert (room.language, room.timezone) == ("en", "America/Montreal")


async def test_member_is_refused_and_nothing_changes(chat, store):
    chat.join(MEMBER, power=0)
    reply = await chat.reply("!réglages langue en", sender=MEMBER)
    assert reply.content.plain == ("Seuls les coordinateurs (niveau de pouvoir ≥ 50 dans ce salon) peuvent "
                                   "faire cela ; votre niveau est 0.")
    assert (await store.rooms.get("!salon:pacte.example")).language == "fr"


@pytest.mark.parametrize("command, expected", [
    ("!réglages langue de", "Langue non prise en charge : `de`. Choix possibles : fr | en."),
    ("!réglages fuseau Paris", "Fuseau horaire inconnu : `Paris`. Écrivez un nom IANA, par exemple "
                              "`Europe/Paris` ou `America/Montreal`."),
    ("!réglages fuseau " + "9" * 400, "Fuseau horaire inconnu : `" + "9" * 400 + "`. Écrivez un nom IANA, "
                                      "par exemple `Europe/Paris` ou `America/Montreal`."),  # too long for a file
    ("!réglages couleur bleu", "Réglage inconnu : `couleur`.\nUsage : `!réglages [langue fr|en | fuseau "
                               "<zone IANA, ex. Europe/Paris> | "
                               "rappels-réunion <durées> | rappels-action <durées> | rappels-mobilisation <durées> | "
                               "liste-de-diffusion <adresse>]`"),
    ("!réglages langue", "Usage : `!réglages langue fr|en` — la langue des réponses"),  # that setting's own line
])
async def test_bad_settings_get_a_clear_reply(chat, command, expected):
    chat.join(COORD, power=100)
    assert (await chat.reply(command, sender=COORD)).content.plain == expected


async def test_a_crashing_handler_gets_a_polite_reply_not_a_traceback(store, clock):
    from handlers.core.capability import Capability
    from handlers.core.commands import command
    from handlers.core.help import CORE
    from handlers.core.registry import Registry

    @command("ping", fr="boum", en="boom")
    async def boom(inv):
        raise RuntimeError("kaput")

    reg = Registry([CORE, Capability("boom", commands=(boom,))])
    chat = Chat(Router(reg, Services(store, clock, Defaults())), clock)
    reply = await chat.reply("!boum")
    assert "erreur interne" in reply.content.plain and "kaput" not in reply.content.plain


async def test_custom_prefix(store, clock):
    chat = Chat(Router(registry, Services(store, clock, Defaults(prefix="?"))), clock)
    assert (await chat.reply("?ping")).content.plain == "pong"
    assert await chat.say("!ping") == []
    assert "`?réglages`" in (await chat.reply("?aide")).content.plain


def test_every_command_has_a_summary_and_usage_in_both_languages():
    from handlers import i18n
    from handlers.core.usage import usage

    for cmd in registry.commands:
        assert i18n.has(f"{cmd.key}.summary"), f"{cmd.key}.summary"
        for lang in i18n.LANGUAGES:  # the usage line is generated from the declaration
            assert usage(cmd, registry.texts, lang, "!").plain.startswith(f"`!{cmd.name(lang)}"), (cmd.key, lang)


async def test_reminder_settings(chat, store):
    chat.join(COORD, power=50)
    assert "Rappels avant les réunions : 1d, 1h" in (await chat.reply("!réglages")).content.plain
    reply = await chat.reply("!réglages rappels-réunion 2h, 15m", sender=COORD)
    assert reply.content.plain == "Rappels avant les réunions du salon : `2h, 15m`."
    assert (await chat.reply("!réglages rappels-action aucun", sender=COORD)).content.plain == \
        "Rappels avant l'échéance d'une action du salon : `aucun`."
    shown = (await chat.reply("!réglages")).content.plain
    assert "Rappels avant les réunions : 2h, 15m" in shown and "Rappels avant l'échéance d'une action : aucun" in shown
    await chat.reply("!réglages rappels-réunion défaut", sender=COORD)
    assert "Rappels avant les réunions : 1d, 1h" in (await chat.reply("!réglages")).content.plain
    bad = (await chat.reply("!réglages rappels-action demain", sender=COORD)).content.plain
    assert bad.startswith("Durées incompréhensibles : `demain`.")


async def test_help_groups_commands_by_capability(chat):
    text = (await chat.reply("!aide")).content.plain
    lines = text.split("\n")
    assert lines[0] == "Commandes de Relais"
    assert lines[1] == "Actions" and lines[2].startswith("• `!action` —")
    overview = ("• `!réunion` — ouvre, clôt, prévoit, liste, annule ou déplace des réunions "
                "(le compte rendu est publié à la fin)")
    assert lines.index("Réunions") < lines.index(overview) < lines.index("Général")


# --- !aide <commande>: a line per sub-command ----------------------------------------------------------------


async def test_the_overview_names_the_scheduling_commands_in_both_languages(chat):
    assert ("• `!réunion` — ouvre, clôt, prévoit, liste, annule ou déplace des réunions"
            in (await chat.reply("!aide")).content.plain)
    chat.join(COORD, power=100)
    await chat.say("!settings language en", sender=COORD)
    assert ("• `!meeting` — start, end, schedule, list, cancel or move meetings"
            in (await chat.reply("!help")).content.plain)


async def test_help_meeting_has_a_line_per_sub_command_in_french(chat):
    reply = await chat.reply("!aide réunion")
    lines = reply.content.plain.split("\n")
    assert lines[0].startswith("`!réunion [début [titre] | fin | prévoir <date et heure> <titre> | liste | "
                               "annuler P<N> [date] | déplacer P<N> <date>]` — ouvre, clôt, prévoit")
    subs = [line for line in lines if line.startswith("• ")]
    assert [line.split(" — ")[0] for line in subs] == [
        "• `!réunion`", "• `!réunion début [titre]`", "• `!réunion fin`",
        "• `!réunion prévoir <date et heure> <titre> [à <lieu>]`", "• `!réunion liste`",
        "• `!réunion annuler P<N> [date]`", "• `!réunion déplacer P<N> <date>`"]
    assert "annule la réunion prévue P<N>, toutes ses dates, ou seulement la date donnée" in subs[5]
    assert lines[-1].startswith("Deux numérotations : les réunions prévues s'écrivent P1, P2…")
    assert "<ul><li><code>!réunion</code> — montre la réunion en cours</li>" in reply.content.html


async def test_help_meeting_has_a_line_per_sub_command_in_english(chat):
    chat.join(COORD, power=100)
    await chat.say("!settings language en", sender=COORD)
    subs = [line for line in (await chat.reply("!help meeting")).content.plain.split("\n") if line.startswith("• ")]
    assert [line.split(" — ")[0] for line in subs] == [
        "• `!meeting`", "• `!meeting start [title]`", "• `!meeting end`",
        "• `!meeting schedule <date and time> <title> [at <place>]`", "• `!meeting list`",
        "• `!meeting cancel P<N> [date]`", "• `!meeting move P<N> <date>`"]


@pytest.mark.parametrize("lang, command, expected", [
    ("fr", "!aide action", ["`!action <quoi> [@personne…] [#thème] [pour|avant|d'ici <date>]`",
                            "`!action liste [mes|@personne|retard|faites|toutes|#thème] [page N]`", "`!action voir N…`",
                            "`!action fait N…`", "`!action rouvrir N…`", "`!action assigner N @personne…`",
                            "`!action retirer N @personne…`", "`!action échéance N <date>|aucune`",
                            "`!action modifier N <texte>`", "`!action annuler N…`"]),
    ("en", "!help action", ["`!action <what> [@person…] [#theme] [by|before|due <date>]`",
                            "`!action list [mine|@person|overdue|done|all|#theme] [page N]`", "`!action show N…`",
                            "`!action done N…`", "`!action reopen N…`", "`!action assign N @person…`",
                            "`!action unassign N @person…`", "`!action due N <date>|none`",
                            "`!action edit N <text>`", "`!action cancel N…`"]),
    ("fr", "!aide réglages", ["`!réglages`", "`!réglages langue fr|en`", "`!réglages fuseau <zone>`",
                              "`!réglages rappels-réunion <durées>`", "`!réglages rappels-action <durées>`",
                              "`!réglages rappels-mobilisation <durées>`", "`!réglages liste-de-diffusion <adresse>`"]),
])
async def test_help_lists_every_sub_command(chat, lang, command, expected):
    if lang == "en":
        chat.join(COORD, power=100)
        await chat.say("!settings language en", sender=COORD)
    text = (await chat.reply(command)).content.plain
    assert [line[2:].split(" — ")[0] for line in text.split("\n") if line.startswith("• ")] == expected


def test_every_sub_command_has_a_help_line_in_both_languages():
    from handlers import i18n

    declared = {key: [sub.key for sub in registry.find(key).subs] for key in ("meeting", "action", "settings")}
    for key, subs in declared.items():
        for sub in subs:
            texts = i18n.CATALOGUE.get(f"{key}.sub.{sub}")
            assert texts and set(texts) == {"fr", "en"}, f"{key}.sub.{sub}"


async def test_help_of_a_command_without_sub_commands_is_unchanged(chat):
    text = (await chat.reply("!aide président")).content.plain
    assert text.startswith("`!président @personne` — donne la présidence de la réunion à quelqu'un\n"
                           "Réservé aux coordinateurs")
    assert "•" not in text
