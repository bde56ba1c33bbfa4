"""The frame every page shares: the document (lang, title, a small inline stylesheet readable on a phone and
printable, no script), the navigation and the footer. Words come from the package's catalogue; every value put
into the HTML is escaped here or by the catalogue (`Catalogue.t` escapes values in its HTML rendering)."""
from __future__ import annotations

import html
from dataclasses import dataclass

from handlers.pages.texts import TEXTS

# Contrast: text #1a1a1a on #fdfdfb and links #0b4f8a are well above WCAG AA's 4.5:1; overdue #a4161a too.
CSS = """
:root{color-scheme:light}
body{margin:0 auto;max-width:46rem;padding:1rem;font:1.05rem/1.55 system-ui,-apple-system,"Segoe UI",Roboto,
sans-serif;color:#1a1a1a;background:#fdfdfb}
a{color:#0b4f8a}a:focus{outline:3px solid #f2a900;outline-offset:2px}
header{border-bottom:2px solid #d0d7de;margin-bottom:1rem}
header p.site{margin:.2rem 0;font-weight:600;font-size:1.1rem}
nav ul{list-style:none;padding:0;margin:.5rem 0;display:flex;flex-wrap:wrap;gap:.3rem 1rem}
h1{font-size:1.6rem;line-height:1.25;margin:.8rem 0}h2{font-size:1.25rem;margin-top:1.6rem;
border-bottom:1px solid #d0d7de}h3{font-size:1.05rem;margin-bottom:.3rem}
ul{padding-left:1.3rem}li{margin:.2rem 0}
.meta,.when,footer{color:#4a4a4a}.overdue{color:#a4161a;font-weight:600}
dl.people{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dl.people dt{font-weight:600}
dl.people dd{margin:0}
.pager{display:flex;gap:1rem;justify-content:space-between;margin:1.5rem 0}
footer{border-top:1px solid #d0d7de;margin-top:2rem;padding-top:.5rem;font-size:.9rem}
@media print{nav,.pager{display:none}body{max-width:none;background:#fff;color:#000;font-size:11pt}
a{color:#000}a[href^="http"]::after{content:" (" attr(href) ")";font-size:.85em}}
""".strip()


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def t(lang: str, key: str, **values: object) -> str:
    """A catalogue text as HTML (its values escaped)."""
    return TEXTS.t(lang, key, **values).html


def plain(lang: str, key: str, **values: object) -> str:
    return TEXTS.t(lang, key, **values).plain


@dataclass(frozen=True)
class Frame:
    """What every page of a room needs besides its content."""

    lang: str
    room_name: str
    root: str  # the relative path back to the room's home: "./" or "../"
    made: str  # when the page was made, in words
    webcal: str = ""  # the calendar's webcal:// address


def document(frame: Frame, title: str, body: str) -> str:
    lang, root = frame.lang, frame.root
    links = [(root, "web.nav.home"), (f"{root}minutes/", "web.nav.minutes"), (f"{root}digests/", "web.nav.digests"),
             (f"{root}calendar.ics", "web.nav.calendar")]
    if frame.webcal:
        links.append((frame.webcal, "web.nav.subscribe"))
    links.append((f"{root}feed.atom", "web.nav.feed"))
    footer = t(lang, "web.footer", when=frame.made)
    # The home's own title is the room's name: said once in a tab or a bookmark.
    tab = esc(title) if title == frame.room_name else f"{esc(title)} — {esc(frame.room_name)}"
    nav = "".join(f'<li><a href="{esc(href)}">{t(lang, key)}</a></li>' for href, key in links)
    return (
        f'<!DOCTYPE html>\n<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="robots" content="noindex, nofollow">\n'
        '<link rel="icon" href="data:,">\n'  # no favicon request (a 404 in every browser's console)
        f"<title>{tab}</title>\n"
        f'<link rel="alternate" type="application/atom+xml" href="{esc(root)}feed.atom">\n'
        f"<style>{CSS}</style>\n</head>\n<body>\n"
        f'<header><p class="site">{esc(frame.room_name)}</p>'
        f'<nav aria-label="{esc(plain(lang, "web.nav"))}"><ul>{nav}</ul></nav></header>\n'
        f"<main>\n{body}\n</main>\n"
        f"<footer><p>{footer}</p></footer>\n</body>\n</html>\n"
    )


def not_found(lang: str) -> str:
    return message_page(lang, "web.not_found_title", "web.not_found")


def error(lang: str) -> str:
    return message_page(lang, "web.error_title", "web.error")


def message_page(lang: str, title_key: str, text_key: str) -> str:
    """A page outside any room (its address found none, or it failed): a title and a sentence."""
    title = plain(lang, title_key)
    return (
        f'<!DOCTYPE html>\n<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="robots" content="noindex, nofollow">\n'
        f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
        f"<h1>{esc(title)}</h1>\n<p>{t(lang, text_key)}</p>\n</main>\n</body>\n</html>\n"
    )


def pager(lang: str, page: int, pages: int, href: str) -> str:
    """Links to the newer and older pages of a list (page 1: the newest); `href` is the list's own address."""
    if pages <= 1:
        return ""
    newer = (f'<a rel="prev" href="{esc(href)}?page={page - 1}">{t(lang, "web.newer")}</a>' if page > 1
             else "<span></span>")
    older = (f'<a rel="next" href="{esc(href)}?page={page + 1}">{t(lang, "web.older")}</a>' if page < pages
             else "<span></span>")
    return (f'<nav class="pager" aria-label="{esc(plain(lang, "web.pager", n=page, total=pages))}">'
            f'{newer}<span>{t(lang, "web.pager", n=page, total=pages)}</span>{older}</nav>')
