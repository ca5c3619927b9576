"""What `newsgrep index` prints: the progress bar while it runs and the summary after."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.text import Text

from .display import safe


def print_index_summary(summary: dict, console: Console, err: Console, as_json: bool = False,
                        limit: int | None = 10) -> None:
    """The run's counts; then up to `limit` skipped files and notes (None: all)."""
    if as_json:
        console.file.write(json.dumps(summary, ensure_ascii=False) + "\n")
        return
    skipped = summary["skipped"]
    line = (f"indexed {summary['indexed']}, updated {summary['updated']}, "
            f"unchanged {summary['unchanged']}, removed {summary['removed']}, "
            f"skipped {len(skipped)} in {summary['seconds']:.1f}s")
    if summary.get("articles"):
        line += f" ({summary['articles']:,} articles written)"
    console.print(Text(line), soft_wrap=True)  # one line, whatever the width
    if summary.get("reread"):
        err.print(Text(f"  {summary['reread']} unchanged files were read again: this version "
                       "of newsgrep reads articles better than the one that indexed them",
                       style="dim"))
    for s in skipped[:limit]:
        err.print(Text(f"  skipped {safe(s['path'])}: {s['reason']}", style="yellow"))
    if limit and len(skipped) > limit:
        err.print(Text(f"  … and {len(skipped) - limit} more (use --json to list all)",
                       style="yellow"))
    for w in summary.get("warnings", [])[:limit]:
        err.print(Text(f"  note {safe(w['path'])}: {w['reason']}", style="dim"))


def print_interrupted(summary: dict, kept: bool) -> None:
    """What an interrupted run kept, in one line on stderr (never wrapped)."""
    if not kept:
        text = ("interrupted: the index is as it was before this run (a --full rebuild "
                "keeps nothing until it finishes)")
    else:
        files = summary["indexed"] + summary["updated"]
        text = (f"interrupted: kept {files:,} files read before it ({summary['articles']:,} "
                "articles); run the same command again to read the rest")
    sys.stderr.write(f"newsgrep: {text}\n")


@contextmanager
def progress_bar(enabled: bool, description: str = "indexing"
                 ) -> Iterator[Callable[[float, int, int], None] | None]:
    """A rich progress bar on stderr (files, articles, files/s and ETA) when `enabled`;
    else no callback."""
    if not enabled:
        yield None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    cols = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("files, {task.fields[articles]} articles"),
            TextColumn("{task.fields[rate]}"),
            TimeRemainingColumn())
    with Progress(*cols, console=Console(stderr=True), transient=True) as prog:
        task = prog.add_task(description, total=None, rate="", articles="0")

        def update(done: float, total: int, articles: int = 0) -> None:
            speed = prog.tasks[0].speed
            # A big .jsonl file advances the bar in fractions of a file.
            rate = (f"{speed:,.0f} files/s" if speed >= 10 else f"{speed:.2f} files/s"
                    ) if speed else ""
            prog.update(task, completed=done, total=total, rate=rate,
                        articles=f"{articles:,}")

        yield update
