"""Matrix HTML (`formatted_body`) → terminal text, for the demo chat.

Covers what Relais sends (<b>, <i>, <code>, <br>, <ul>/<ol>/<li>, <p>, <a>) and degrades gracefully on the
rest: unknown tags keep their text. ANSI styles only when asked (stdout is a tty); otherwise plain text.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

BOLD, ITALIC = ("\x1b[1m", "\x1b[22m"), ("\x1b[3m", "\x1b[23m")
_STYLES = {"b": BOLD, "strong": BOLD, "h1": BOLD, "h2": BOLD, "h3": BOLD, "h4": BOLD, "h5": BOLD,
           "h6": BOLD, "i": ITALIC, "em": ITALIC}
_BLOCKS = {"p", "div", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol"}
_SKIPPED = {"mx-reply", "script", "style"}  # a reply's quoted fallback repeats the message answered


def message_text(content: dict, ansi: bool = False) -> str:
    """The text of a message's content: its HTML rendered when it has some, else its plain `body`."""
    formatted = content.get("formatted_body")
    if content.get("format") == "org.matrix.custom.html" and isinstance(formatted, str):
        return render_html(formatted, ansi)
    return str(content.get("body", ""))


def render_html(markup: str, ansi: bool = False) -> str:
    parser = _Renderer(ansi)
    parser.feed(markup)
    parser.close()
    return parser.text()


class _Renderer(HTMLParser):
    def __init__(self, ansi: bool) -> None:
        super().__init__(convert_charrefs=True)  # entities arrive unescaped in handle_data
        self.ansi = ansi
        self.out: list[str] = []
        self.lists: list[list[int]] = []  # one [counter] per open list; counter -1 for <ul>
        self.skipping = 0
        self.pre = 0
        self.links: list[str | None] = []  # hrefs of open <a>, to show a URL its text does not already show
        self.link_start: list[int] = []
        self.line_start = True  # nothing visible on the current line yet (ANSI codes do not count)

    # -- output helpers ----------------------------------------------------------------------------------------

    def _emit(self, text: str) -> None:
        if not self.skipping and text:
            self.out.append(text)
            self.line_start = text.endswith("\n")

    def _line_break(self) -> None:
        """Start a new line unless already at the start of one."""
        if not self.line_start:
            self._emit("\n")

    def _style(self, tag: str, index: int) -> None:
        if self.ansi and tag in _STYLES and not self.skipping:
            self.out.append(_STYLES[tag][index])  # invisible: line_start unchanged

    # -- parser callbacks --------------------------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
            return
        if tag == "br":
            self._emit("\n")
            return
        if tag in _BLOCKS:
            self._line_break()
        if tag in ("ul", "ol"):
            self.lists.append([-1 if tag == "ul" else 0])
        elif tag == "li":
            self._line_break()
            depth = max(len(self.lists), 1)
            marker = "•"
            if self.lists and self.lists[-1][0] >= 0:
                self.lists[-1][0] += 1
                marker = f"{self.lists[-1][0]}."
            self._emit("  " * (depth - 1) + marker + " ")
        elif tag == "pre":
            self.pre += 1
        elif tag == "a":
            self.links.append(dict(attrs).get("href"))
            self.link_start.append(len(self.out))
        self._style(tag, 0)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
            return
        self._style(tag, 1)
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif tag == "pre":
            self.pre = max(0, self.pre - 1)
        elif tag == "a" and self.links:
            href, start = self.links.pop(), self.link_start.pop()
            shown = "".join(self.out[start:])
            # Mention pills and room links point to matrix.to: their text is the useful part.
            if href and not href.startswith("https://matrix.to/") and href not in shown:
                self._emit(f" ({href})")
        if tag in _BLOCKS or tag == "li":
            self._line_break()

    def handle_data(self, data: str) -> None:
        # Outside <pre>, a newline in HTML source is just a space, as in any Matrix client.
        self._emit(data if self.pre else data.replace("\n", " "))

    def text(self) -> str:
        lines = [line.rstrip() for line in "".join(self.out).split("\n")]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
