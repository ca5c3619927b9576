"""What a person reads on a terminal (via rich): hits, an article, sources, stats,
timelines and facet tables.

Article text is always handed to rich as `Text` objects, never as markup strings, so
`[bold]` or `[link=...]` in an article is shown literally; names and metadata from
outside (paths above all) go through `display.safe()` so they cannot drive the terminal.
"""

from __future__ import annotations

from datetime import date

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..article import Article
from ..display import safe
from ..hits import SearchResult, Snippet
from .console import colored, print_wrapped
from .listing import MATCH_STYLE, Line, footer, hit_lines, no_hits_message


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _safe(text: str | None, default: str = "") -> str:
    return safe(text) if text else default


def print_line(console: Console, line: Line) -> None:
    """A listing line (listing.py) through rich: styled, wrapped under its indent."""
    text = Text()
    for piece, style in line.spans:
        text.append(piece, style=style)
    if line.style:
        text.stylize(line.style)
    if line.plain_print:
        console.print(text) if line.spans else console.print()
    else:
        print_wrapped(console, text, first=line.first, rest=line.rest, wrap=line.wrap)


class TerminalPrinter:
    """Ranked hits with their snippets, then how many matched and how many are not shown
    (the lines of listing.py, which the plain printer shares)."""

    def __init__(self, console: Console):
        self.console = console

    def print(self, result: SearchResult) -> None:
        for hit in result.hits:
            for line in hit_lines(hit):
                print_line(self.console, line)
        print_line(self.console, footer(result))


def print_no_hits(result: SearchResult, console: Console, note: str | None = None) -> None:
    console.print(Text(no_hits_message(result, note)))


def print_article(a: Article, console: Console, marks: list[Snippet] | None = None) -> None:
    print_wrapped(console, Text(safe(a.title), style="bold"))
    meta = Text()
    meta.append(_iso(a.date) or "no date", style="cyan")
    meta.append("  ")
    meta.append(_safe(a.source, "unknown source"), style="green")
    if a.lang:
        meta.append(f"  {safe(a.lang)}")
    if a.author:
        meta.append(f"  by {safe(a.author)}")
    meta.append(f"  [{a.id}]", style="dim")
    console.print(meta)
    if a.url:
        print_wrapped(console, Text(safe(a.url), style="blue"), wrap=False)
    print_wrapped(console, Text(safe(a.location), style="dim"), wrap=False)
    console.print()
    if marks:
        for snip in marks:
            for para in _split_paragraphs(snip):
                print_wrapped(console, para)
                console.print()
    else:
        for text in a.body.split("\n\n"):
            print_wrapped(console, Text(safe(text)))
            console.print()


def _split_paragraphs(snip: Snippet) -> list[Text]:
    """A marked body as one Text per paragraph (so each wraps on its own)."""
    paras = [Text()]
    for piece, matched in snip:
        parts = piece.split("\n\n")
        for i, part in enumerate(parts):
            if i:
                paras.append(Text())
            paras[-1].append(safe(part.replace("\n", " ")),
                             style=MATCH_STYLE if matched else None)
    return paras


def print_sources(rows: list[dict], console: Console) -> None:
    table = Table("source", "articles", "first date", "last date")
    for r in rows:
        table.add_row(Text(_safe(r["source"], "(none)")), str(r["articles"]),
                      _iso(r["first_date"]) or "", _iso(r["last_date"]) or "")
    console.print(table)


def print_stats(st: dict, console: Console) -> None:
    table = Table(show_header=False)
    table.add_row("articles", str(st["articles"]))
    table.add_row("sources", str(st["sources"]))
    langs = ", ".join(f"{safe(k)} {v}" for k, v in st["languages"].items())
    table.add_row("languages", Text(langs or "-"))
    table.add_row("date range", f"{_iso(st['first_date']) or '-'} .. "
                                f"{_iso(st['last_date']) or '-'}")
    table.add_row("index size", f"{st['index_bytes'] / 1e6:.1f} MB")
    console.print(table)


_COLOURS = ["cyan", "magenta", "green", "yellow", "blue", "red", "white"]
# Without colour each source gets its own fill, so a split bar stays readable.
_FILLS = ["█", "▒", "░", "#", "=", "+", "/", ":", "*", "o", "x", "~", "·"]


def print_timeline(tl, console: Console, width: int = 40) -> None:
    """A bar per period; with sources, one segment per source (a colour on a colour
    terminal, a fill pattern otherwise), with a legend."""
    if not tl.buckets:
        console.print(Text(f"no dated matches ({tl.undated} undated)"))
        return
    use_colour = colored(console)

    def look(i: int) -> tuple[str, str | None]:
        if use_colour:
            return "█", _COLOURS[i % len(_COLOURS)]
        return _FILLS[i % len(_FILLS)], None

    peak = max(b.count for b in tl.buckets) or 1
    label_w = max(len(b.period) for b in tl.buckets)
    for b in tl.buckets:
        line = Text(b.period.ljust(label_w) + " ")
        if tl.sources:
            for i, name in enumerate(tl.sources):
                n = b.sources.get(name, 0)
                fill, style = look(i)
                line.append(fill * round(n * width / peak), style=style)
        else:
            line.append("█" * round(b.count * width / peak), style="cyan")
        line.append(f" {b.count}")
        console.print(line)
    if tl.sources:
        legend = Text("  ")
        for i, name in enumerate(tl.sources):
            fill, style = look(i)
            legend.append(fill * 2 + " ", style=style)
            legend.append(safe(name) + "   ")
        print_wrapped(console, legend)
    total = sum(b.count for b in tl.buckets)
    note = f"{total} dated matches, one bar per {tl.by}"
    note += f", {tl.undated} undated (not shown)" if tl.undated else ""
    console.print(Text(note, style="dim"))


def print_facets(facets, console: Console, top: int = 10) -> None:
    """One table per field: its most frequent values among the matches."""
    for name, values in facets.fields.items():
        table = Table(name, "matches", "share", title_justify="left")
        for value, n in values[:top]:
            table.add_row(Text(_safe(value, facets.missing_label(name))), str(n),
                          f"{n / facets.total:.0%}" if facets.total else "-")
        console.print(table)
        if len(values) > top:
            console.print(Text(f"  and {len(values) - top} more {name} values "
                               "(--json lists all)", style="dim"))
    console.print(Text(f"{facets.total} match{'es' if facets.total != 1 else ''}",
                       style="dim"))
