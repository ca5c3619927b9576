"""The console, the error line, and the printers of everything that is not a listing
of hits (articles, sources, stats, timelines, facets) as JSON or for the terminal.
Listings of hits: newsgrep/printers/ (one module per output format)."""

from __future__ import annotations

import sys
from contextlib import AbstractContextManager
from typing import IO, TYPE_CHECKING

from .article import Article
from .hits import Snippet
from .printers.jsonl import dumps

if TYPE_CHECKING:
    from rich.console import Console


# The console helpers, imported from printers/console.py on first use: rich is a third
# of a command's imports, and the JSON and error paths here do without it.
def make_console(color: str = "auto", stderr: bool = False, file: IO[str] | None = None
                 ) -> Console:
    from .printers.console import make_console as make

    return make(color, stderr=stderr, file=file)


def paging(console: Console, enabled: bool) -> AbstractContextManager[None]:
    from .printers.console import paging as pager

    return pager(console, enabled)


def print_article(a: Article, console: Console, as_json: bool = False,
                  marks: list[Snippet] | None = None) -> None:
    if as_json:
        console.file.write(dumps(a.to_dict()) + "\n")
        return
    from .printers.terminal import print_article as terminal

    terminal(a, console, marks=marks)


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def print_sources(rows: list[dict], console: Console, as_json: bool = False) -> None:
    if as_json:
        out = [{"source": r["source"], "articles": r["articles"],
                "first_date": _plain(r["first_date"]), "last_date": _plain(r["last_date"])}
               for r in rows]
        console.file.write(dumps(out) + "\n")
        return
    from .printers.terminal import print_sources as terminal

    terminal(rows, console)


def print_stats(st: dict, console: Console, as_json: bool = False) -> None:
    if as_json:
        d = dict(st, first_date=_plain(st["first_date"]), last_date=_plain(st["last_date"]))
        console.file.write(dumps(d) + "\n")
        return
    from .printers.terminal import print_stats as terminal

    terminal(st, console)


def print_timeline(tl, console: Console, as_json: bool = False, width: int = 40) -> None:
    if as_json:
        console.file.write(dumps(tl.to_dict()) + "\n")
        return
    from .printers.terminal import print_timeline as terminal

    terminal(tl, console, width=width)


def print_facets(facets, console: Console, fmt: str = "terminal") -> None:
    """Facet counts as tables, one JSON object, or CSV rows (facet,value,count)."""
    if fmt in ("json", "csv"):
        write_facets(facets, console.file, fmt)
        return
    from .printers.terminal import print_facets as terminal

    terminal(facets, console)


def write_facets(facets, out: IO[str], fmt: str) -> None:
    """Facet counts as one JSON object (fmt "json") or CSV rows (facet,value,count)."""
    if fmt == "json":
        out.write(dumps(facets.to_dict()) + "\n")
        return
    import csv

    from .printers.csvfile import cell

    w = csv.writer(out, lineterminator="\n")
    w.writerow(["facet", "value", "count"])
    for name, values in facets.fields.items():
        for value, n in values:
            w.writerow([name, cell("value", value), n])


def print_error(message: str) -> None:
    """One line on stderr, no traceback."""
    sys.stderr.write(f"newsgrep: error: {' '.join(str(message).split())}\n")
