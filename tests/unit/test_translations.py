"""Every text of every capability the bot runs (handlers/capabilities.py) is translated in every shipped language, with
the same fields as its English source; the catalogues are what `pybabel extract` would make of texts.py."""
from __future__ import annotations

import re
from pathlib import Path
from string import Formatter

import pytest
from babel.messages.pofile import read_po

from handlers.capabilities import CAPABILITIES
from handlers.core.catalogue import DOMAIN, LANGUAGES, SOURCE_LANGUAGE, Catalogue, Text, Texts, _tables
from tests.unit.toy_capability import CAPABILITY as TOY

ALL = (*CAPABILITIES, TOY)


def gettext_tables() -> list[tuple[str, Texts]]:
    """(capability, texts) for every capability's gettext texts (a package not converted yet has none)."""
    return [(c.name, t) for c in ALL for t in _tables((c.texts,)) if isinstance(t, Texts)]


def shipped_languages() -> set[str]:
    found = {lang for _, texts in gettext_tables() for lang in texts.translations}
    return (found | set(LANGUAGES)) - {SOURCE_LANGUAGE}


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(template) if name}


def po_messages(texts: Texts, lang: str) -> dict[str, object]:
    """key -> the .po entry (fuzzy and obsolete ones excluded)."""
    path = texts.locale_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not path.exists():
        return {}
    with path.open("rb") as f:
        catalog = read_po(f, locale=lang)
    return {m.context: m for m in catalog if m.id and m.context and not m.fuzzy}


def test_every_standard_capability_has_gettext_texts():
    converted = {name for name, _ in gettext_tables()}
    for capability in ("core", "settings", "meetings", "schedule", "actions", "general", "toy"):
        assert capability in converted, capability


@pytest.mark.parametrize("lang", sorted(shipped_languages()))
def test_every_text_is_translated_with_the_same_fields(lang):
    problems = []
    for name, texts in gettext_tables():
        entries = po_messages(texts, lang)
        for key, text in texts.items():
            entry = entries.get(key)
            source = (text.en, text.plural) if text.plural else text.en
            if entry is None or entry.id != source:
                problems.append(f"{name}: {key}: no {lang} translation of its current English text")
                continue
            strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
            if not all(strings):
                problems.append(f"{name}: {key}: {lang} translation empty")
                continue
            wanted = fields(text.en) | (fields(text.plural) if text.plural else set())
            for string in strings:
                if fields(string) != wanted:
                    problems.append(f"{name}: {key}: {lang} fields {sorted(fields(string))} ≠ {sorted(wanted)}")
    assert not problems, "\n".join(problems)


def test_plural_sources_have_the_same_fields_in_both_forms():
    for _, texts in gettext_tables():
        for key, text in texts.items():
            if text.plural is not None:
                assert fields(text.en) == fields(text.plural), key
                assert text.number in fields(text.en), f"{key}: its number {{{text.number}}} is not in the text"


def test_a_missing_translation_falls_back_to_english(tmp_path: Path):
    po = tmp_path / "locale" / "fr" / "LC_MESSAGES" / f"{DOMAIN}.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n'
                  '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\n'
                  'msgctxt "a"\nmsgid "A {x}"\nmsgstr "Un {x}"\n\n'
                  'msgctxt "n"\nmsgid "{count} thing"\nmsgid_plural "{count} things"\n'
                  'msgstr[0] "{count} chose"\nmsgstr[1] "{count} choses"\n\n'
                  '#, fuzzy\nmsgctxt "c"\nmsgid "C"\nmsgstr "Cé"\n', encoding="utf-8")
    texts = Texts(tmp_path, [Text("a", "A {x}"), Text("b", "B"), Text("c", "C"), Text("n", "{count} thing",
                                                                                   "{count} things")])
    catalogue = Catalogue(texts, {"d": {"fr": "Dé", "en": "D"}})
    assert catalogue.t("fr", "a", x="<b>").html == "Un &lt;b&gt;"
    assert catalogue.t("fr", "a", x="<b>").plain == "Un <b>"
    assert catalogue.t("fr", "b").plain == "B"  # missing: English
    assert catalogue.t("fr", "c").plain == "C"  # fuzzy: English
    assert [catalogue.t("fr", "n", count=n).plain for n in (0, 1, 2)] == ["0 chose", "1 chose", "2 choses"]
    assert [catalogue.t("en", "n", count=n).plain for n in (0, 1, 2)] == ["0 things", "1 thing", "2 things"]
    assert catalogue.t("fr", "d").plain == "Dé"  # the older dict form still reads
    assert catalogue["a"] == {"fr": "Un {x}", "en": "A {x}"} and catalogue["b"] == {"en": "B"}


def test_texts_py_has_no_dict_texts_left():
    """No converted capability keeps French in its texts.py: translations live in the .po files."""
    for name, texts in gettext_tables():
        source = (texts.locale_dir.parent / "texts.py").read_text(encoding="utf-8")
        assert not re.search(r'"fr"\s*:', source), name
