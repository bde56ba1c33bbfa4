"""Look up catalogue texts in the room's language."""
from __future__ import annotations

from handlers.catalogue import MODULES
from handlers.text import Rendered, render

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"


def _load() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for module in MODULES:
        for key, texts in module.MESSAGES.items():
            if key in merged:
                raise RuntimeError(f"catalogue key defined twice: {key}")
            merged[key] = texts
    return merged


CATALOGUE = _load()


def template(lang: str, key: str) -> str:
    texts = CATALOGUE[key]
    return texts.get(lang) or texts[DEFAULT_LANGUAGE]


def t(lang: str, key: str, **values: object) -> Rendered:
    return render(template(lang, key), **values)


def has(key: str) -> bool:
    return key in CATALOGUE
