"""French texts are compiled when first needed and kept compiled (`messages.mo`) for the next start; a .po edited
since is compiled again, so a corrected translation shows (handlers/core/catalogue.py)."""
import os

from handlers.core.catalogue import Texts, pN_

PO = '''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgctxt "hello"
msgid "Hello"
msgstr "{word}"
'''


def _po(tmp_path, word: str):
    po = tmp_path / "locale" / "fr" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True, exist_ok=True)
    po.write_text(PO.replace("{word}", word), encoding="utf-8")
    return po


def test_french_is_compiled_once_then_again_after_an_edit(tmp_path):
    po = _po(tmp_path, "Bonjour")
    texts = Texts(tmp_path, [pN_("hello", "Hello")])
    assert list(texts.translations) == ["fr"]
    assert not po.with_suffix(".mo").exists()  # nothing compiled before a room needs French
    assert texts.template("fr", "hello") == "Bonjour"
    assert po.with_suffix(".mo").exists()
    assert Texts(tmp_path, [pN_("hello", "Hello")]).template("fr", "hello") == "Bonjour"  # from the .mo

    _po(tmp_path, "Salut")
    later = po.with_suffix(".mo").stat().st_mtime_ns + 1_000_000_000
    os.utime(po, ns=(later, later))  # edited after the last compilation
    assert Texts(tmp_path, [pN_("hello", "Hello")]).template("fr", "hello") == "Salut"
    assert texts.template("en", "hello") == "Hello"
