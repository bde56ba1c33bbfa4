"""Texts in the room's language, through gettext catalogues.

Each capability keeps its texts in its `texts.py`, in English (the source language), each under a stable key that
is its gettext context (msgctxt), marked for extraction:

    MESSAGES = Texts(__file__, [
        pN_("action.created", "Action <b>#{number}</b> recorded: {text}"),
        npN_("theme.show", "{count} open action", "{count} open actions"),   # plural: chosen by `count`
    ])

and its translations in `locale/<lang>/LC_MESSAGES/messages.po` next to it (`locale/messages.pot` is the template),
the layout `pybabel extract/init/update/compile -d handlers/<capability>/locale` uses. A `.po` file is compiled
when a room first needs its language, and the `.mo` kept beside it for the next start (git ignores it; nothing
compiled is committed). A language missing a text, or whose translation is fuzzy or empty, falls back to the English
source. A Catalogue merges such tables (a registry merges every capability's) and
fills a template; it also still reads the older dict form, {key: {"fr": template, "en": template}}, so a package
not converted yet (scripts/texts_to_po.py converts one) keeps working.
"""
from __future__ import annotations

import gettext
import io
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from handlers.core import cldr
from handlers.core.text import Rendered, render

LANGUAGES = ("fr", "en")  # what `!réglages langue` accepts (a new language also needs its date words to parse dates)
DEFAULT_LANGUAGE = "fr"  # a room's language when it has chosen none
SOURCE_LANGUAGE = "en"  # the language of the msgids, and the fallback of every other one
DOMAIN = "messages"
# The locale Babel formats dates, durations and lists in, per language ("a, b and c" in British English).
BABEL_LOCALES = {"en": "en_GB"}


def babel_locale(lang: str) -> str:
    # Babel formats with the part of its data Relais reads, shipped with it, instead of loading a locale's whole
    # CLDR data at the first date (handlers/core/cldr.py: 5 MiB less for the life of the process).
    cldr.install_once()
    return BABEL_LOCALES.get(lang, lang)


@dataclass(frozen=True)
class Text:
    """One text: its key (the msgctxt), its English source, and for a plural its English plural, chosen by the value
    named `number` (`count` unless said otherwise)."""
    key: str
    en: str
    plural: str | None = None
    number: str = "count"


def pN_(key: str, en: str) -> Text:
    """A text, marked for `pybabel extract -k pN_:1c,2`."""
    return Text(key, en)


def npN_(key: str, singular: str, plural: str, number: str = "count") -> Text:
    """A text with a plural, marked for `pybabel extract -k npN_:1c,2,3`; the value `number` picks the form."""
    return Text(key, singular, plural, number)


def load_po(path: Path) -> gettext.GNUTranslations:
    """A .po file compiled (Babel reads it, writes the .mo into a buffer, gettext reads that). The .mo is also
    kept beside it (git ignores it) and read instead while it is newer than the .po: no Babel parser at start-up."""
    mo = path.with_suffix(".mo")
    try:
        if mo.stat().st_mtime_ns > path.stat().st_mtime_ns:
            with mo.open("rb") as f:
                return gettext.GNUTranslations(f)
    except (OSError, ValueError):  # none yet, or unreadable: compiled again below
        pass
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with path.open("rb") as f:
        catalog = read_po(f, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)  # fuzzy and empty translations are left out: they fall back to English
    _keep(mo, buffer.getvalue())
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def _keep(mo: Path, data: bytes) -> None:
    """Written whole (a temporary file renamed) or not at all: a read-only install compiles at each start."""
    tmp = mo.with_name(f".{mo.name}.{os.getpid()}")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, mo)
    except OSError:
        tmp.unlink(missing_ok=True)


class _Compiled(Mapping[str, gettext.GNUTranslations]):
    """A package's catalogues by language, each compiled the first time a room in that language needs it."""

    def __init__(self, locale_dir: Path) -> None:
        self._po = ({po.parent.parent.name: po for po in sorted(locale_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))}
                    if locale_dir.is_dir() else {})
        self._loaded: dict[str, gettext.GNUTranslations] = {}

    def __getitem__(self, lang: str) -> gettext.GNUTranslations:
        if lang not in self._loaded:
            self._loaded[lang] = load_po(self._po[lang])
        return self._loaded[lang]

    def __iter__(self) -> Iterator[str]:
        return iter(self._po)

    def __len__(self) -> int:
        return len(self._po)


class Texts(Mapping[str, Text]):
    """A capability's texts: the English sources, and the translations found in `locale/` next to `where` (the
    `__file__` of its texts.py, or its folder)."""

    def __init__(self, where: str | Path, texts: Iterable[Text]) -> None:
        where = Path(where)
        self.locale_dir = (where if where.is_dir() else where.parent) / "locale"
        self._texts: dict[str, Text] = {}
        for text in texts:
            if text.key in self._texts:
                raise RuntimeError(f"text key defined twice: {text.key}")
            self._texts[text.key] = text
        self.translations: Mapping[str, gettext.GNUTranslations] = _Compiled(self.locale_dir)

    def __getitem__(self, key: str) -> Text:
        return self._texts[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._texts)

    def __len__(self) -> int:
        return len(self._texts)

    def translated(self, lang: str, key: str, n: int | None = None) -> str | None:
        """The template in `lang`, or None when that language lacks it."""
        text = self._texts[key]
        if lang == SOURCE_LANGUAGE:
            return text.en if text.plural is None or n is None or n == 1 else text.plural
        translations = self.translations.get(lang)
        if translations is None:
            return None
        # The compiled catalogue itself: a translation equal to its source is still a translation.
        compiled = translations._catalog  # type: ignore[attr-defined]
        msgid = f"{text.key}\x04{text.en}"  # gettext's context separator
        if text.plural is None:
            return compiled.get(msgid)
        return compiled.get((msgid, translations.plural(1 if n is None else n)))  # type: ignore[attr-defined]

    def template(self, lang: str, key: str, n: int | None = None) -> str:
        found = self.translated(lang, key, n)
        return found if found is not None else self.translated(SOURCE_LANGUAGE, key, n)  # type: ignore[return-value]


class _DictTexts(Mapping[str, Text]):
    """The older form, {key: {"fr": …, "en": …}}, read as it is."""

    def __init__(self, table: Mapping[str, Mapping[str, str]]) -> None:
        self._table = table

    def __getitem__(self, key: str) -> Text:
        texts = self._table[key]
        return Text(key, texts.get(SOURCE_LANGUAGE) or texts[DEFAULT_LANGUAGE])

    def __iter__(self) -> Iterator[str]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)

    def translated(self, lang: str, key: str, n: int | None = None) -> str | None:
        return self._table[key].get(lang) or None

    def template(self, lang: str, key: str, n: int | None = None) -> str:
        texts = self._table[key]
        return texts.get(lang) or texts.get(SOURCE_LANGUAGE) or texts[DEFAULT_LANGUAGE]


# What a capability declares as its texts: a Texts, the older dict form, or several of these.
Messages = Texts | Mapping[str, Mapping[str, str]] | tuple


def _tables(tables: Iterable[object]) -> Iterator[Texts | _DictTexts]:
    for table in tables:
        if isinstance(table, (Texts, _DictTexts)):
            yield table
        elif isinstance(table, Catalogue):
            yield from table._tables
        elif isinstance(table, (tuple, list)):
            yield from _tables(table)
        else:
            yield _DictTexts(table)  # type: ignore[arg-type]


class Catalogue(Mapping[str, Mapping[str, str]]):
    """Several capabilities' texts, merged (a key defined twice is an error). `catalogue[key]` is {language: template}
    for the languages that have it."""

    def __init__(self, *tables: Messages) -> None:
        self._tables = list(_tables(tables))
        self._owner: dict[str, Texts | _DictTexts] = {}
        for table in self._tables:
            for key in table:
                if key in self._owner:
                    raise RuntimeError(f"catalogue key defined twice: {key}")
                self._owner[key] = table

    def __getitem__(self, key: str) -> Mapping[str, str]:
        table = self._owner[key]
        found = {lang: table.translated(lang, key) for lang in dict.fromkeys((*LANGUAGES, SOURCE_LANGUAGE))}
        return {lang: text for lang, text in found.items() if text is not None}

    def __iter__(self) -> Iterator[str]:
        return iter(self._owner)

    def __len__(self) -> int:
        return len(self._owner)

    def text(self, key: str) -> Text:
        return self._owner[key][key]

    def template(self, lang: str, key: str, n: int | None = None) -> str:
        return self._owner[key].template(lang, key, n)

    def t(self, lang: str, key: str, **values: object) -> Rendered:
        table = self._owner[key]
        text = table[key]
        n = None
        if text.plural is not None:
            n = _number(values[text.number])
        return render(table.template(lang, key, n), **values)

    def has(self, key: str) -> bool:
        return key in self._owner


def _number(value: object) -> int:
    if isinstance(value, Rendered):
        value = value.plain
    if isinstance(value, str):
        value = "".join(c for c in value if c.isdigit()) or "0"
    return int(value)  # type: ignore[arg-type]
