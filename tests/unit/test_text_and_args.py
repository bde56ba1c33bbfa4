"""Rendering of catalogue texts (plain + escaped HTML) and argument parsing."""
import pytest

from handlers import i18n
from handlers.core.args import pick, split_command, tokenize
from handlers.core.text import bullet_list, raw, render
from handlers.dates.words import fold


def test_user_text_is_escaped_in_html_and_raw_in_plain():
    out = render("Bonjour <b>{name}</b>", name="<script>alert(1)</script> & co")
    assert out.html == "Bonjour <b>&lt;script&gt;alert(1)&lt;/script&gt; &amp; co</b>"
    assert out.plain == "Bonjour <script>alert(1)</script> & co"


def test_template_markup_becomes_readable_plain_text():
    out = render("<b>Titre</b><br>Tapez <code>{cmd}</code> &lt;x&gt;", cmd="!aide")
    assert out.plain == "Titre\nTapez `!aide` <x>"
    assert out.html == "<b>Titre</b><br>Tapez <code>!aide</code> &lt;x&gt;"


def test_rendered_values_are_inserted_without_double_escaping():
    inner = raw("a < b")
    out = render("<i>{x}</i>", x=inner)
    assert out.html == "<i>a &lt; b</i>"
    assert out.plain == "a < b"


def test_bullet_list_renders_both_forms():
    out = bullet_list([raw("un"), raw("deux & trois")])
    assert out.plain == "\n• un\n• deux & trois\n"
    assert out.html == "<ul><li>un</li><li>deux &amp; trois</li></ul>"


@pytest.mark.parametrize("text, expected", [
    ("prendre contact avec Nicolas", ["prendre", "contact", "avec", "Nicolas"]),
    ('@"Nicolas Desquinabo" relancer', ['@"Nicolas Desquinabo"', "relancer"]),
    ('"Nicolas Desquinabo" relancer', ["Nicolas Desquinabo", "relancer"]),
    ("relayer d'ici demain", ["relayer", "d'ici", "demain"]),
    ("« la marche » samedi", ["la marche", "samedi"]),
    ("", []),
])
def test_tokenize_keeps_apostrophes_and_groups_quotes(text, expected):
    assert tokenize(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("!aide", ("aide", "")),
    ("!Aide action  ", ("aide", "action")),
    ("!réglages langue en", ("réglages", "langue en")),
    ("!action @bob\nsur deux lignes", ("action", "@bob\nsur deux lignes")),
    ("!!!", None),
    ("! aide", None),
    ("aide", None),
    ("!42", None),
])
def test_split_command(text, expected):
    assert split_command(text, "!") == expected


def test_fold_and_pick_ignore_case_and_accents():
    assert fold("Réglages") == "reglages"
    assert pick("LANGUE", {"language": ("langue", "language")}) == "language"
    assert pick("fuseau", {"language": ("langue",)}) is None


def test_every_catalogue_text_exists_in_both_languages_with_the_same_fields():
    from string import Formatter

    for key, texts in i18n.CATALOGUE.items():
        assert set(texts) == {"fr", "en"}, key
        fields = [{f for _, f, _, _ in Formatter().parse(texts[lang]) if f} for lang in ("fr", "en")]
        assert fields[0] == fields[1], f"{key}: fields differ between fr and en"
