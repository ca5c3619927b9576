"""How long `newsgrep browse` takes to show a new query's results (issue 18: <= 100 ms at
20k articles, since the resident process opens nothing again).

Drives the real app headless with Textual's pilot. Each query is put in the query box
in one go, twice: **typed** (the box keeps the focus and the debounce fires, as while
typing; timed from the moment the query is issued, so the ~180 ms debounce, which only
waits out typing, is not counted) and **enter** (Enter runs it at once and moves the focus
to the list, which restyles the screen). Measured:

- **shown**: to the end of the first screen refresh after the new rows went into the list
  (the app stamps it), i.e. what the user waits for;
- **cpu**: the process's CPU time (all threads) over the same span: what the wall time
  would be on an idle core, a figure that a loaded machine does not inflate;
- **engine**: the app's own figure for the same span without the final repaint
  (issue of the query in a worker thread to rows in the table);
- **facets**: from Enter until the source/language counts and the timeline are in, which
  come after the results in a second worker and never hold them up.

The index: `--index DIR` (any newsgrep index, e.g. a 20k one kept by
`python -m scripts.bench --sizes 20000 --keep`), else the 5,000 articles of
`<shared>/corpora/allsides-abp/articles.jsonl` indexed once through the CLI into a temp
folder (deleted afterwards unless `--keep`).

    python -m scripts.bench_browse --shared ../shared
    python -m scripts.bench_browse --index /tmp/idx-20k --rounds 3
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

QUERIES = [
    "trump", "immigration", "health care", '"supreme court"', "climate change", "tax*",
    "election fraud", "title:biden", "iran OR israel", "gun control -nra", "economy",
    "police shooting", "coronavirus", "impeachment", '"border wall"~3', "obamacare",
    "senate vote", "refugees", "title:(trade OR tariffs)", "budgt~",
]


def build_index(shared: Path, folder: Path) -> Path:
    corpus = shared / "corpora" / "allsides-abp" / "articles.jsonl"
    if not corpus.exists():
        sys.exit(f"no corpus at {corpus}: give --shared or --index")
    idx = folder / "index"
    print(f"indexing {corpus} into {idx} ...", file=sys.stderr)
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "newsgrep", "--index", str(idx), "index", "-q",
                    str(corpus)], check=True)
    print(f"  {time.perf_counter() - t:.0f} s", file=sys.stderr)
    return idx


async def measure(index: Path, queries: list[str], rounds: int, size: tuple[int, int]
                  ) -> list[dict]:
    from newsgrep.browse.app import BrowseApp
    from newsgrep.browse.session import Filters, Session

    t = time.perf_counter()
    session = Session(index)
    opened = time.perf_counter() - t
    app = BrowseApp(session, Filters())
    rows: list[dict] = []
    async with app.run_test(size=size) as pilot:
        screen = app.search_screen
        box = screen.query_one("#query")
        print(f"index opened in {opened * 1000:.0f} ms "
              f"({session.engine.doc_count():,} articles)", file=sys.stderr)
        for r in range(rounds):
            for q in queries:
                for path in ("typed", "enter"):
                    box.focus()
                    box.value = ""
                    while not (screen.shown is not None and screen.shown.query == ""):
                        await asyncio.sleep(0.005)  # the empty box is settled
                    start, cpu = time.perf_counter(), time.process_time()
                    box.value = q
                    if path == "enter":
                        await pilot.press("enter")  # runs it now, moves focus to the list
                    else:
                        while screen.issued_at < start:  # the debounce: it is not latency
                            await asyncio.sleep(0.001)
                        start, cpu = screen.issued_at, screen.issued_cpu
                    while not (screen.painted[0] == screen.gen and screen.shown is not None
                               and screen.shown.query == q or screen.error):
                        await asyncio.sleep(0.001)
                    if screen.error:
                        print(f"  {q!r}: {screen.error}", file=sys.stderr)
                        break
                    shown, shown_cpu = screen.painted[1] - start, screen.painted[2] - cpu
                    total = screen.result.total
                    while screen.facets_gen < screen.shown_gen:
                        await asyncio.sleep(0.005)
                    facets = time.perf_counter() - start
                    rows.append({"round": r, "path": path, "query": q, "total": total,
                                 "shown": shown, "cpu": shown_cpu, "engine": screen.latency,
                                 "facets": facets})
                    print(f"  {path:5} {q:26} {total:6,} matches  shown {shown * 1000:6.1f} ms "
                          f"(cpu {shown_cpu * 1000:5.1f})  engine {screen.latency * 1000:6.1f}"
                          f" ms  facets {facets * 1000:7.1f} ms", file=sys.stderr)
    return rows


def summary(rows: list[dict], key: str) -> str:
    ms = sorted(r[key] * 1000 for r in rows)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return f"median {statistics.median(ms):6.1f} ms  p95 {p95:6.1f} ms  max {ms[-1]:6.1f} ms"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=Path("../shared"))
    ap.add_argument("--index", type=Path, help="an existing index (default: build 5k)")
    ap.add_argument("--rounds", type=int, default=2, help="times through the queries")
    ap.add_argument("--keep", action="store_true", help="keep the index it builds")
    ap.add_argument("--size", default="120x40", help="terminal COLSxROWS (default 120x40)")
    args = ap.parse_args()
    tmp = None
    index = args.index
    if index is None:
        tmp = Path(tempfile.mkdtemp(prefix="bench-browse-"))
        index = build_index(args.shared, tmp)
    try:
        cols, lines = (int(n) for n in args.size.split("x"))
        rows = asyncio.run(measure(index, QUERIES, args.rounds, (cols, lines)))
    finally:
        if tmp is not None and not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        elif tmp is not None:
            print(f"index kept in {index}", file=sys.stderr)
    print(f"{len(rows) // 2} queries x 2 paths over {index}")
    for path, title in (("typed", "as you type (from the debounce firing)"),
                        ("enter", "Enter (runs at once; focus moves to the list)")):
        print(title)
        part = [r for r in rows if r["path"] == path]
        for key, what in (("shown", "results on screen"),
                          ("cpu", "  the same in CPU time (all threads)"),
                          ("engine", "  of which engine + table fill"),
                          ("facets", "facets and timeline in")):
            print(f"  {what:38} {summary(part, key)}")


if __name__ == "__main__":
    main()
