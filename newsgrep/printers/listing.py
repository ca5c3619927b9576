"""The layout of a listing of hits, as lines of styled text, without rich.

The terminal printer (terminal.py, rich) and the plain printer (plain.py: a pipe or a
file, no colour) both print these lines, so the two cannot drift apart; the plain one
spares a piped `newsgrep search` the import of rich.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from ..display import safe
from ..hits import Hit, SearchResult, Snippet

MATCH_STYLE = "bold black on yellow"
_WS = re.compile(r"\s+")

Span = tuple[str, str | None]  # text, rich style (None: unstyled)


@dataclass
class Line:
    """One printed line: `first` + the spans, wrapped on a terminal with continuation
    lines under `rest` (wrap=False: never). `style` lies over the whole text (a
    title's bold). `plain_print`: printed as it is, outside the indent-aware wrapping."""

    spans: list[Span] = field(default_factory=list)
    first: str = ""
    rest: str | None = None
    wrap: bool = True
    style: str | None = None
    plain_print: bool = False

    @property
    def text(self) -> str:
        return "".join(t for t, _ in self.spans)


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _safe(text: str | None, default: str = "") -> str:
    return safe(text) if text else default


def snippet_spans(snip: Snippet) -> list[Span]:
    return [(safe(_WS.sub(" ", piece)), MATCH_STYLE if matched else None)
            for piece, matched in snip]


def shown_articles(result: SearchResult) -> int:
    """Articles a listing shows (a collapsed hit shows its reprints too)."""
    return sum(1 + len(h.duplicates) for h in result.hits)


def hit_lines(hit: Hit) -> Iterator[Line]:
    """A hit: title, date/source/id, location, snippets, reprints, a blank line."""
    title: list[Span] = (snippet_spans(hit.title_marks) if hit.title_marks
                         else [(safe(hit.title), None)])
    yield Line(title, first=f"{hit.rank:>2}. ", rest="    ", style="bold")
    meta: list[Span] = [(_iso(hit.date) or "no date", "cyan"), ("  ", None),
                        (_safe(hit.source, "unknown source"), "green")]
    if hit.author:
        meta.append((f"  by {safe(hit.author)}", None))
    meta.append((f"  [{hit.id}]", "dim"))
    if hit.similarity is not None:
        meta.append((f"  reprint, {hit.similarity:.0%} alike", "magenta"))
    yield Line(meta, first="    ")
    yield Line([(safe(hit.location), "dim")], first="    ", wrap=False)
    for snip in hit.snippets:
        yield Line([*snippet_spans(snip), (" …", None)], first="    … ", rest="      ")
    if hit.duplicates:
        yield Line([(f"    also reprinted by {len(hit.duplicates)}:", "magenta")],
                   plain_print=True)
        for x in hit.duplicates:
            yield Line([(_iso(x.date) or "no date", "cyan"), ("  ", None),
                        (_safe(x.source, "unknown source"), "green"),
                        (f"  [{x.id}]  {safe(x.location)}", "dim")],
                       first="      ", wrap=False)
    yield Line(plain_print=True)


def footer(result: SearchResult) -> Line:
    """How many matched, and how many the listing leaves out."""
    shown = shown_articles(result)
    n = result.total
    note = f"{n} match{'es' if n != 1 else ''}"
    if shown < n:
        note += f" (showing {len(result.hits)}; {n - shown} more: -n N or --all for all)"
    return Line([(note, "dim")], plain_print=True)


def no_hits_message(result: SearchResult, note: str | None = None) -> str:
    msg = "no matches"
    if result.suggestion:
        msg += f"; did you mean: {safe(result.suggestion)}"
    if note:
        msg += f": {note}"
    return msg
