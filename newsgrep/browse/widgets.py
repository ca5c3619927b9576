"""The browse screens' building blocks: table cells, the query box, the results table,
the reading pane with its current match, and the pager/clipboard actions."""

from __future__ import annotations

import os
import shlex
import subprocess

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import (
    DataTable,
    Input,
    Static,
)

from ..display import safe
from ..hits import Hit


def _cell(text: str | None, width: int | None = None) -> Text:
    """A table cell shown literally (article text is never markup), cut to width."""
    t = Text(safe(text or ""), no_wrap=True, overflow="ellipsis")
    if width is not None:
        t.truncate(width, overflow="ellipsis")
    return t


def _date(hit: Hit) -> str:
    return hit.date.isoformat() if hit.date else ""


def _from_thread(app: App, callback, *args, **kwargs) -> None:
    """Run callback on the app's thread; nothing if the app closed meanwhile (a worker
    answering after the user quit)."""
    try:
        app.call_from_thread(callback, *args, **kwargs)
    except RuntimeError:
        pass


def open_in_pager(app: App, path: str) -> None:
    """Show the file in $PAGER (less), with the app suspended meanwhile."""
    pager = shlex.split(os.environ.get("PAGER") or "less") or ["less"]
    try:
        with app.suspend():
            subprocess.run([*pager, path], check=False)
    except Exception as e:  # no terminal to hand over (headless), pager missing...
        app.notify(f"cannot open a pager: {e}", severity="error")


def copy_path(app: App, path: str) -> None:
    app.copy_to_clipboard(path)  # OSC 52: works over ssh when the terminal allows it
    app.notify(f"copied {safe(path)}")


class QueryBox(Input):
    """A one-line input whose down arrow leads to the results (typing stays here)."""

    BINDINGS = [Binding("down", "screen.focus_results", "Results", show=False)]


class HitTable(DataTable):
    """A list of articles, one row each; home/end go to its first and last row."""

    BINDINGS = [Binding("home", "scroll_top", "First", show=False),
                Binding("end", "scroll_bottom", "Last", show=False)]


class ReadingPane(VerticalScroll):
    """An article's text with the matches marked, and a current match to jump between."""

    DEFAULT_CSS = "ReadingPane { height: 1fr; padding: 0 1; }"

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.text = ""
        self.marks: list[tuple[int, int]] = []
        self.current = -1

    def compose(self) -> ComposeResult:
        yield Static(id="body")

    def show(self, text: str, marks: list[tuple[int, int]]) -> None:
        self.text, self.marks = text, marks
        self.current = 0 if marks else -1
        self._paint()
        self.call_after_refresh(self._scroll_to_current)

    def jump(self, step: int) -> None:
        if not self.marks:
            return
        self.current = (self.current + step) % len(self.marks)
        self._paint()
        self._scroll_to_current()

    def _paint(self) -> None:
        mono = self.app.no_color
        # Explicit colours (not ANSI names, which themes remap) readable on light and dark.
        style = "reverse" if mono else "bold #000000 on #ffd75f"
        current = "reverse bold underline" if mono else "bold #ffffff on #d7005f"
        t = Text(self.text)
        for i, (s, e) in enumerate(self.marks):
            t.stylize(current if i == self.current else style, s, e)
        self.query_one("#body", Static).update(t)

    def line_of(self, offset: int) -> int:
        """The screen line (after wrapping to the pane's width) holding text[offset]."""
        width = max(1, self.query_one("#body", Static).content_region.width)
        line = 0
        start = 0
        for para in self.text.split("\n"):
            end = start + len(para)
            wrapped = Text(para).wrap(self.app.console, width) if para else [Text()]
            if offset <= end:
                pos = start
                for i, piece in enumerate(wrapped):
                    pos += len(piece.plain)
                    if offset < pos:
                        return line + i
                return line + len(wrapped) - 1
            line += len(wrapped)
            start = end + 1
        return line

    def _scroll_to_current(self) -> None:
        if self.current < 0:
            return
        y = self.line_of(self.marks[self.current][0])
        if not self.scroll_offset.y <= y < self.scroll_offset.y + self.size.height:
            self.scroll_to(y=max(0, y - self.size.height // 3), animate=False)
