"""What `newsgrep index` prints: the progress bar while it runs and the summary after."""

from __future__ import annotations

import json
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
    console.print(Text(line))
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


@contextmanager
def progress_bar(enabled: bool, description: str = "indexing"
                 ) -> Iterator[Callable[[float, int], None] | None]:
    """A rich progress bar on stderr (files/s and ETA) when `enabled`; else no callback."""
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
            TextColumn("{task.fields[rate]}"),
            TimeRemainingColumn())
    with Progress(*cols, console=Console(stderr=True), transient=True) as prog:
        task = prog.add_task(description, total=None, rate="")

        def update(done: float, total: int) -> None:
            speed = prog.tasks[0].speed
            # A big .jsonl file advances the bar in fractions of a file.
            rate = (f"{speed:,.0f} files/s" if speed >= 10 else f"{speed:.2f} files/s"
                    ) if speed else ""
            prog.update(task, completed=done, total=total, rate=rate)

        yield update
