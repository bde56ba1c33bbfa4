"""The demo chat shows the bot's HTML as terminal text: styles only on a tty, never raw tags or entities."""
from bot.sender import notice_content
from bot.terminal_render import message_text, render_html
from handlers import i18n
from handlers.core.text import bullet_list, raw

BOLD_ON, BOLD_OFF = "\x1b[1m", "\x1b[22m"


def test_bold_is_ansi_bold_on_a_tty_and_plain_text_otherwise():
    assert render_html("<b>Commandes de Relais</b> !", ansi=True) == f"{BOLD_ON}Commandes de Relais{BOLD_OFF} !"
    assert render_html("<strong>Commandes</strong> !") == "Commandes !"


def test_plain_rendering_has_no_escape_codes_at_all():
    markup = "<b>a</b><i>b</i><h2>c</h2><em>d</em>"
    assert "\x1b" not in render_html(markup, ansi=False)
    assert "\x1b[3m" in render_html(markup, ansi=True)  # italics, e.g. the help's section titles


def test_lists_are_bullet_lines():
    markup = "<b>Actions ouvertes</b><ul><li>#1 tract</li><li>#2 marche</li></ul>Fin"
    assert render_html(markup) == "Actions ouvertes\n• #1 tract\n• #2 marche\nFin"


def test_ordered_and_nested_lists_are_numbered_and_indented():
    markup = "<ol><li>un<ul><li>sous</li></ul></li><li>deux</li></ol>"
    assert render_html(markup) == "1. un\n  • sous\n2. deux"


def test_br_is_a_newline_and_source_newlines_are_spaces():
    assert render_html("ligne 1<br>ligne 2<br/>ligne 3") == "ligne 1\nligne 2\nligne 3"
    assert render_html("un\ndeux") == "un deux"  # as in any Matrix client: HTML whitespace
    assert render_html("<pre>un\n  deux</pre>") == "un\n  deux"


def test_code_has_no_backticks_and_entities_are_unescaped():
    markup = "Tapez <code>!aide &lt;commande&gt;</code> &amp; voilà &#8212; &quot;ok&quot;"
    assert render_html(markup) == 'Tapez !aide <commande> & voilà — "ok"'


def test_links_show_their_url_unless_it_is_a_matrix_pill_or_already_the_text():
    assert render_html('<a href="https://matrix.to/#/@annie:ex.org">Annie</a>') == "Annie"
    assert render_html('<a href="https://ex.org/cr">le CR</a>') == "le CR (https://ex.org/cr)"
    assert render_html('<a href="https://ex.org/cr">https://ex.org/cr</a>') == "https://ex.org/cr"


def test_paragraphs_are_lines_and_blank_runs_are_squeezed():
    assert render_html("<p>un</p><p>deux</p><br><br><br><br>trois") == "un\ndeux\n\ntrois"


def test_reply_fallback_is_not_shown():
    assert render_html("<mx-reply><blockquote>!ping</blockquote></mx-reply>pong") == "pong"


def test_message_text_uses_html_when_present_and_body_otherwise():
    assert message_text({"body": "**x**", "format": "org.matrix.custom.html", "formatted_body": "<b>x</b>"}) == "x"
    assert message_text({"body": "pong"}) == "pong"
    assert message_text({"body": "a", "formatted_body": "<b>b</b>"}) == "a"  # no format: the HTML is not meant
    assert message_text({}) == ""


def test_the_bots_help_renders_like_its_plain_body_without_backticks():
    line = i18n.t("fr", "help.line", cmd="!action", summary=raw("Enregistre une action <quoi>"))
    section = i18n.t("fr", "help.section", title=i18n.t("fr", "help.section.actions"), commands=bullet_list([line]))
    content = notice_content(i18n.t("fr", "help.all", sections=section, p="!"))
    assert message_text(content) == content["body"].replace("`", "").strip()
    assert message_text(content, ansi=True).startswith(f"{BOLD_ON}Commandes de Relais{BOLD_OFF}\n")
