"""What a person reads on a terminal for the narrative commands (rich): share timelines,
key terms, origins, alert matches and watch batches. Text from outside goes through
display.safe() and into Text objects, never markup (as printers/terminal.py)."""

from __future__ import annotations

from datetime import date

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..display import safe


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{x:.1%}"


def _iso(d: date | None) -> str:
    return d.isoformat() if d else "no date"


def print_share_timeline(tl, console: Console, width: int = 40) -> None:
    """One bar per period, as long as its share (scaled to the largest share), with
    matches/articles; split by source: a table of each source's share per period."""
    if not tl.buckets:
        console.print(Text(f"no dated matches ({tl.undated} undated)"))
        return
    label_w = max(len(b.period) for b in tl.buckets)
    if tl.sources:
        table = Table("period")
        for s in tl.sources:
            table.add_column(Text(safe(s)), justify="right")
        table.add_column("all", justify="right")
        for b in tl.buckets:
            cells = [Text(f"{_pct(b.source_share(s))} "
                          f"({b.sources.get(s, 0)}/{b.source_totals.get(s, 0)})")
                     for s in tl.sources]
            table.add_row(b.period, *cells, f"{_pct(b.share)} ({b.count}/{b.total})")
        console.print(table)
    else:
        peak = max((b.share or 0.0) for b in tl.buckets) or 1.0
        count_w = max(len(f"{b.count}/{b.total}") for b in tl.buckets)
        for b in tl.buckets:
            line = Text(b.period.ljust(label_w) + " ")
            bar = round((b.share or 0.0) * width / peak)
            line.append(("█" * bar).ljust(width), style="cyan")
            line.append(f" {_pct(b.share):>6}  ")
            line.append(f"{b.count}/{b.total}".rjust(count_w), style="dim")
            console.print(line)
    matched = sum(b.count for b in tl.buckets)
    total = sum(b.total or 0 for b in tl.buckets)
    note = (f"{matched} of {total} articles in these periods matched "
            f"({_pct(matched / total if total else None)}), one row per {tl.by}")
    note += f"; {tl.undated} undated matches not shown" if tl.undated else ""
    console.print(Text(note, style="dim"))


def print_terms(kt, console: Console, width: int = 30) -> None:
    """One row per term: the term as written, a bar as long as its score (scaled to the
    best), and in how many matching / of all articles it occurs."""
    if not kt.terms:
        console.print(Text("no term stands out in the matches"))
        return
    peak = kt.terms[0].score or 1.0
    term_w = min(max(len(t.text) for t in kt.terms), 40)
    for t in kt.terms:
        line = Text(safe(t.text)[:term_w].ljust(term_w) + " ",
                    style="bold" if t.phrase else "")
        line.append(("█" * max(1, round(t.score * width / peak))).ljust(width), style="cyan")
        line.append(f" {t.fg:>5} ", style="green")
        line.append(f"/ {t.bg:<6}", style="dim")
        console.print(line)
    read = (f"the {kt.foreground} best ranked of {kt.matches} matches" if
            kt.foreground < kt.matches else f"{kt.matches} match"
            f"{'es' if kt.matches != 1 else ''}")
    console.print(Text(f"in {read} / in all {kt.background} articles; bar: significance "
                       "(JLH); phrases in bold", style="dim"))


def print_origin(o, console: Console) -> None:
    """A table, earliest outlet first: date, days after the first, source, similarity
    (for a reprint group), id and title."""
    from .origin import Origin

    assert isinstance(o, Origin)
    table = Table("#", "date", "+days", "source", *(["alike"] if o.kind == "article" else []),
                  "id", "title")
    for r in o.rows:
        h = r.hit
        cells: list[str | Text] = [str(h.rank), Text(_iso(h.date), style="cyan"),
                 "" if r.days_after is None else f"+{r.days_after}",
                 Text(safe(h.source) if h.source else "unknown source", style="green")]
        if o.kind == "article":
            cells.append("this" if h.id == o.ref else f"{h.similarity:.0%}")
        cells += [Text(h.id, style="dim"), Text(safe(h.title))]
        table.add_row(*cells)
    console.print(table)
    if o.kind == "article":
        note = (f"{o.matches} article{'s' if o.matches != 1 else ''} in this reprint group"
                f" from {len({r.hit.source for r in o.rows})} sources; first: ")
    else:
        note = f"{o.matches} matches; first of each of {len(o.rows)} sources; first: "
    first = o.rows[0].hit
    note += f"{safe(first.source or 'unknown source')} on {_iso(first.date)}"
    console.print(Text(note, style="dim"))


def alert_hit_line(name: str, hit) -> Text:
    """One line per new match of an alert: alert, date, source, title, [id], path."""
    line = Text()
    line.append(safe(name), style="bold magenta")
    line.append("  ")
    line.append(_iso(hit.date), style="cyan")
    line.append("  ")
    line.append(safe(hit.source) if hit.source else "unknown source", style="green")
    line.append("  ")
    line.append(safe(hit.title) or "(no title)", style="bold")
    line.append(f"  [{hit.id}]  {safe(hit.path)}", style="dim")
    return line


def print_alerts(alerts, console: Console) -> None:
    table = Table("name", "query", "filters", "reported", "last run")
    for a in alerts:
        filters = " ".join(f"--{k.replace('_', '-')} {v}" if not isinstance(v, list | bool)
                           else (" ".join(f"--source {s}" for s in v)
                                 if isinstance(v, list) else "--any")
                           for k, v in a.to_dict()["filters"].items())
        filters = filters.replace("--date-from", "--from").replace("--date-to", "--to")
        filters = filters.replace("--any-words", "--any")
        table.add_row(Text(safe(a.name)), Text(safe(a.query)), Text(safe(filters)),
                      str(a.reported), a.last_run or "never")
    console.print(table)


def batch_line(b) -> Text:
    """One line per watch batch: what changed in the index, and alert matches."""
    s = b.summary
    what = "caught up" if b.number == 0 else \
        f"batch {b.number}: {b.changes} change{'s' if b.changes != 1 else ''}"
    line = Text(what + ": ", style="bold")
    line.append(f"indexed {s.indexed}, updated {s.updated}, removed {s.removed}")
    if s.skipped:
        line.append(f", skipped {len(s.skipped)}", style="yellow")
    n = sum(b.alerts.values())
    if n:
        line.append(f", {n} new alert match{'es' if n != 1 else ''}", style="magenta")
    line.append(f" ({s.seconds:.1f}s)", style="dim")
    return line


def summary_line(total) -> Text:
    line = Text(f"watched for {total.seconds:.0f}s: {total.batches} batches, indexed "
                f"{total.indexed}, updated {total.updated}, removed {total.removed}",
                style="dim")
    if total.skipped:
        line.append(f", skipped {total.skipped}", style="dim")
    if total.alert_matches:
        line.append(f", {total.alert_matches} alert matches", style="dim")
    return line
