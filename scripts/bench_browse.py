"""How long `newsgrep browse` takes to show a new query's results (issue 18: <= 100 ms at
20k articles, since the resident process opens nothing again).

Drives the real app headless with Textual's pilot: for each query, the query box is
emptied and the query typed in one go, then Enter is pressed (Enter runs the query at
once, skipping the ~180 ms debounce that only exists to wait out typing). Measured:

- **shown**: from Enter to the first screen refresh with the new rows in the list
  (the list remembers which query its rows are for), i.e. what the user waits for;
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


async def measure(index: Path, queries: list[str], rounds: int) -> list[dict]:
    from newsgrep.browse.app import BrowseApp
    from newsgrep.browse.session import Filters, Session

    t = time.perf_counter()
    session = Session(index)
    opened = time.perf_counter() - t
    app = BrowseApp(session, Filters())
    rows: list[dict] = []
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.search_screen
        box = screen.query_one("#query")
        print(f"index opened in {opened * 1000:.0f} ms "
              f"({session.engine.doc_count():,} articles)", file=sys.stderr)
        for r in range(rounds):
            for q in queries:
                box.focus()
                box.value = ""
                await pilot.pause()
                box.value = q
                gen = screen._gen
                start = time.perf_counter()
                await pilot.press("enter")
                while not (screen.shown_gen > gen or screen.error):
                    await pilot.pause(0.001)
                await pilot.pause()  # the refresh that paints the rows
                shown = time.perf_counter() - start
                if screen.error:
                    print(f"  {q!r}: {screen.error}", file=sys.stderr)
                    continue
                total = screen.result.total
                while screen.facets_gen < screen.shown_gen:
                    await pilot.pause(0.005)
                facets = time.perf_counter() - start
                rows.append({"round": r, "query": q, "total": total, "shown": shown,
                             "engine": screen.latency, "facets": facets})
                print(f"  {q:28} {total:6,} matches  shown {shown * 1000:6.1f} ms  "
                      f"engine {screen.latency * 1000:6.1f} ms  facets {facets * 1000:7.1f} ms",
                      file=sys.stderr)
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
    args = ap.parse_args()
    tmp = None
    index = args.index
    if index is None:
        tmp = Path(tempfile.mkdtemp(prefix="bench-browse-"))
        index = build_index(args.shared, tmp)
    try:
        rows = asyncio.run(measure(index, QUERIES, args.rounds))
    finally:
        if tmp is not None and not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        elif tmp is not None:
            print(f"index kept in {index}", file=sys.stderr)
    print(f"{len(rows)} queries over {index}")
    for key, what in (("shown", "results shown (Enter to rows on screen)"),
                      ("engine", "engine + table (no repaint)"),
                      ("facets", "facets and timeline in")):
        print(f"{what:42} {summary(rows, key)}")


if __name__ == "__main__":
    main()
