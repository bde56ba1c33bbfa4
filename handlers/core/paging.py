"""A list shown a page at a time (`!action liste`, `!thèmes`): where a page starts, how many pages, and the footer
that says which page this is and gives the next page's command."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from handlers.core.text import Rendered, join

if TYPE_CHECKING:
    from handlers.core.router import Invocation


def offset(page: int, size: int) -> int:
    return (page - 1) * size


def page_count(total: int, size: int) -> int:
    return -(-total // size)


def footer(inv: "Invocation", texts: tuple[str, str], *, page: int, size: int, shown: int, total: int,
           command: Callable[[int], str]) -> Rendered | None:
    """`texts`: the keys of "Page 1 sur 7 : … 1 à 25 sur 163." and, before the last page, of the next page's
    `command(page + 1)`; None when the list fits in one page."""
    pages = page_count(total, size)
    if pages <= 1:
        return None
    first = offset(page, size) + 1
    this_page, next_page = texts
    lines = [inv.t(this_page, page=page, pages=pages, first=first, last=first + shown - 1, total=total)]
    if page < pages:
        lines.append(inv.t(next_page, command=command(page + 1)))
    return join(lines)
