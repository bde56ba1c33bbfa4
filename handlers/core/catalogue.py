"""Texts in the room's language. Each capability keeps its own in its `texts.py`: MESSAGES = {key: {"fr": template,
"en": template}}; a Catalogue merges such tables (a registry merges every capability's) and fills a template."""
from __future__ import annotations

from collections.abc import Iterator, Mapping

from handlers.core.text import Rendered, render

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"

Messages = Mapping[str, Mapping[str, str]]


class Catalogue(Mapping[str, Mapping[str, str]]):
    def __init__(self, *tables: Messages) -> None:
        merged: dict[str, Mapping[str, str]] = {}
        for table in tables:
            for key, texts in table.items():
                if key in merged:
                    raise RuntimeError(f"catalogue key defined twice: {key}")
                merged[key] = texts
        self._texts = merged

    def __getitem__(self, key: str) -> Mapping[str, str]:
        return self._texts[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._texts)

    def __len__(self) -> int:
        return len(self._texts)

    def template(self, lang: str, key: str) -> str:
        texts = self._texts[key]
        return texts.get(lang) or texts[DEFAULT_LANGUAGE]

    def t(self, lang: str, key: str, **values: object) -> Rendered:
        return render(self.template(lang, key), **values)

    def has(self, key: str) -> bool:
        return key in self._texts
