"""The printer: every output format newsgrep has (terminal via rich, JSON Lines, CSV,
paths, counts) lives here, so commands only choose a format.

Article text is always handed to rich as `Text` objects, never as markup strings, so
`[bold]` or `[link=...]` in an article is shown literally.
"""

from __future__ import annotations

import csv
import json
import os
import re
import sys
from datetime import date
from typing import IO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .article import Article
from .hits import Hit, SearchResult, Snippet, snippet_text

MATCH_STYLE = "bold black on yellow"
_WS = re.compile(r"\s+")
HIT_FIELDS = ("id", "path", "title", "date", "source", "url", "lang", "score", "snippet")


def make_console(color: str = "auto", stderr: bool = False, file: IO[str] | None = None
                 ) -> Console:
    """A console that colours only a terminal, never with NO_COLOR set."""
    stream = file or (sys.stderr if stderr else sys.stdout)
    no_color = bool(os.environ.get("NO_COLOR")) or color == "never"
    force = color == "always" and not no_color
    return Console(file=stream, force_terminal=True if force else None, no_color=no_color,
                   highlight=False, markup=False, emoji=False, soft_wrap=False,
                   color_system="auto" if not no_color else None)


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _snippet_text(snip: Snippet) -> Text:
    t = Text()
    for piece, matched in snip:
        t.append(_WS.sub(" ", piece), style=MATCH_STYLE if matched else None)
    return t


def hit_to_dict(hit: Hit) -> dict:
    snippet, marks = snippet_text(hit.snippets)
    d = {
        "id": hit.id, "path": hit.path, "title": hit.title, "date": _iso(hit.date),
        "source": hit.source, "url": hit.url, "lang": hit.lang,
        "score": round(hit.score, 4), "rank": hit.rank,
        "snippet": snippet, "highlights": marks,
    }
    if hit.similarity is not None:
        d["similarity"] = round(hit.similarity, 3)
    if hit.duplicates:
        d["duplicates"] = [{"id": x.id, "path": x.path, "title": x.title, "date": _iso(x.date),
                            "source": x.source, "url": x.url} for x in hit.duplicates]
    return d


def print_hits(result: SearchResult, console: Console, fmt: str = "terminal") -> None:
    """fmt: terminal | json | csv | paths."""
    if fmt == "json":
        out = console.file
        for hit in result.hits:
            out.write(json.dumps(hit_to_dict(hit), ensure_ascii=False) + "\n")
        return
    if fmt == "csv":
        w = csv.writer(console.file, lineterminator="\n")
        w.writerow(HIT_FIELDS)
        for hit in result.hits:
            d = hit_to_dict(hit)
            w.writerow([d[k] if d[k] is not None else "" for k in HIT_FIELDS])
        return
    if fmt == "paths":
        seen: set[str] = set()
        for hit in result.hits:
            if hit.path not in seen:
                seen.add(hit.path)
                console.file.write(hit.path + "\n")
        return
    shown = len(result.hits)
    for hit in result.hits:
        _print_hit(hit, console)
    more = f" (showing {shown}; use -n to see more)" if shown < result.total else ""
    console.print(Text(f"{result.total} match{'es' if result.total != 1 else ''}{more}",
                       style="dim"))


def _print_hit(hit: Hit, console: Console) -> None:
    head = Text()
    head.append(f"{hit.rank:>2}. ", style="bold")
    title = _snippet_text(hit.title_marks) if hit.title_marks else Text(hit.title)
    title.stylize("bold")
    head.append_text(title)
    console.print(head)
    meta = Text("    ")
    meta.append(_iso(hit.date) or "no date", style="cyan")
    meta.append("  ")
    meta.append(hit.source or "unknown source", style="green")
    meta.append(f"  [{hit.id}]", style="dim")
    if hit.similarity is not None:
        meta.append(f"  reprint, {hit.similarity:.0%} alike", style="magenta")
    console.print(meta)
    console.print(Text("    " + hit.path, style="dim"))
    for snip in hit.snippets:
        line = Text("    … ")
        line.append_text(_snippet_text(snip))
        line.append(" …")
        console.print(line)
    if hit.duplicates:
        console.print(Text(f"    also reprinted by {len(hit.duplicates)}:", style="magenta"))
        for x in hit.duplicates:
            line = Text("      ")
            line.append(_iso(x.date) or "no date", style="cyan")
            line.append("  ")
            line.append(x.source or "unknown source", style="green")
            line.append(f"  [{x.id}]  {x.path}", style="dim")
            console.print(line)
    console.print()


def print_no_hits(result: SearchResult, console: Console) -> None:
    msg = "no matches"
    if result.suggestion:
        msg += f"; did you mean: {result.suggestion}"
    console.print(Text(msg))


def print_count(n: int, console: Console) -> None:
    console.file.write(f"{n}\n")


def print_article(a: Article, console: Console, as_json: bool = False,
                  marks: list[Snippet] | None = None) -> None:
    if as_json:
        console.file.write(json.dumps(a.to_dict(), ensure_ascii=False) + "\n")
        return
    console.print(Text(a.title, style="bold"))
    meta = Text()
    meta.append(_iso(a.date) or "no date", style="cyan")
    meta.append("  ")
    meta.append(a.source or "unknown source", style="green")
    if a.lang:
        meta.append(f"  {a.lang}")
    meta.append(f"  [{a.id}]", style="dim")
    console.print(meta)
    if a.url:
        console.print(Text(a.url, style="blue"))
    console.print(Text(a.path, style="dim"))
    console.print()
    if marks:
        for snip in marks:
            console.print(_snippet_text(snip))
            console.print()
    else:
        for para in a.body.split("\n\n"):
            console.print(Text(para))
            console.print()


def print_sources(rows: list[dict], console: Console, as_json: bool = False) -> None:
    if as_json:
        out = [{"source": r["source"], "articles": r["articles"],
                "first_date": _iso(r["first_date"]), "last_date": _iso(r["last_date"])}
               for r in rows]
        console.file.write(json.dumps(out, ensure_ascii=False) + "\n")
        return
    table = Table("source", "articles", "first date", "last date")
    for r in rows:
        table.add_row(Text(r["source"] or "(none)"), str(r["articles"]),
                      _iso(r["first_date"]) or "", _iso(r["last_date"]) or "")
    console.print(table)


def print_stats(st: dict, console: Console, as_json: bool = False) -> None:
    d = dict(st, first_date=_iso(st["first_date"]), last_date=_iso(st["last_date"]))
    if as_json:
        console.file.write(json.dumps(d, ensure_ascii=False) + "\n")
        return
    table = Table(show_header=False)
    table.add_row("articles", str(d["articles"]))
    table.add_row("sources", str(d["sources"]))
    langs = ", ".join(f"{k} {v}" for k, v in d["languages"].items())
    table.add_row("languages", Text(langs or "-"))
    table.add_row("date range", f"{d['first_date'] or '-'} .. {d['last_date'] or '-'}")
    table.add_row("index size", f"{d['index_bytes'] / 1e6:.1f} MB")
    console.print(table)


def print_timeline(tl, console: Console, as_json: bool = False, width: int = 40) -> None:
    """A bar per period; with sources, one coloured segment per source."""
    if as_json:
        console.file.write(json.dumps(tl.to_dict(), ensure_ascii=False) + "\n")
        return
    if not tl.buckets:
        console.print(Text(f"no dated matches ({tl.undated} undated)"))
        return
    colours = ["cyan", "magenta", "green", "yellow", "blue", "red", "white"]
    peak = max(b.count for b in tl.buckets) or 1
    label_w = max(len(b.period) for b in tl.buckets)
    for b in tl.buckets:
        line = Text(b.period.ljust(label_w) + " ")
        if tl.sources:
            for i, name in enumerate(tl.sources):
                n = b.sources.get(name, 0)
                line.append("█" * round(n * width / peak), style=colours[i % len(colours)])
        else:
            line.append("█" * round(b.count * width / peak), style="cyan")
        line.append(f" {b.count}")
        console.print(line)
    if tl.sources:
        legend = Text("  ")
        for i, name in enumerate(tl.sources):
            legend.append("█ ", style=colours[i % len(colours)])
            legend.append(name + "   ")
        console.print(legend)
    total = sum(b.count for b in tl.buckets)
    note = f"{total} dated matches" + (f", {tl.undated} undated (not shown)" if tl.undated
                                       else "")
    console.print(Text(note, style="dim"))


def print_error(message: str) -> None:
    """One line on stderr, no traceback."""
    sys.stderr.write(f"newsgrep: error: {' '.join(str(message).split())}\n")
