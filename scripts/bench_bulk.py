"""Ingest speed of `newsgrep index` (issue #13) against the newsgrep it replaces and plain
Whoosh, all in one run on scripts/bench.py's generated corpus.

Three full ingests per size, each one process tree started from here, one after the other:

1. plain Whoosh defaults (scripts/bench.py's `plain_whoosh_index`: one writer, one commit);
2. newsgrep before the bulk writer ("old"): `python -m newsgrep index` run from another
   checkout (`--old-tree DIR`, e.g. `git worktree add --detach /tmp/ng-main main`), or,
   without one, this checkout with NEWSGREP_WHOOSH_WRITER=1 (Whoosh's own SegmentWriter,
   the same path);
3. newsgrep as checked out ("new"): `python -m newsgrep index`, the parsing workers
   writing segments, merges in the workers.

Reported per path: wall seconds, CPU seconds (user + sys of the whole process tree, the
parsing workers included), articles/s wall, CPU ms per article, peak RSS of the tree,
index size / corpus size, segment count; the ratios to plain Whoosh and to old newsgrep
from the same run; and the 1-min load average before and after each path.

    python -m scripts.bench_bulk --shared ../shared --sizes 5000,20000 --old-tree /tmp/ng-main
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from scripts.bench import (
    MB,
    REPO,
    CorpusBuilder,
    load_pool,
    loadavg,
    log,
    run_measured,
    tree_bytes,
)

PATHS = ("plain_whoosh", "newsgrep_old", "newsgrep_new")


# -- measuring ---------------------------------------------------------------------------

def segments_of(index_dir: Path) -> int:
    from whoosh.filedb.filestore import FileStorage
    from whoosh.index import TOC

    return len(TOC.read(FileStorage(str(index_dir)), "MAIN").segments)


def bench_size(n: int, pool, work: Path, seed: int, old_tree: Path | None) -> dict:
    corpus, pending = work / f"n{n}" / "corpus", work / f"n{n}" / "pending"
    corpus.mkdir(parents=True)
    pending.mkdir()
    log(f"{n:,}: writing the corpus")
    info = CorpusBuilder(pool, seed).build(n, corpus, pending)
    res: dict = {"articles": n, "corpus_bytes": info["bytes"], "load": {"start": loadavg()}}
    py = sys.executable
    env_old = None
    if old_tree is None:
        env_old = dict(os.environ, NEWSGREP_WHOOSH_WRITER="1")

    def newsgrep(d: Path) -> list[str]:
        return [py, "-m", "newsgrep", "--index", str(d), "index", "--json", str(corpus)]

    runs = {
        "plain_whoosh": (lambda d: [py, "-m", "scripts.bench", "_worker", "whoosh",
                                    str(corpus), str(d)], REPO, None),
        # `-m` puts the working directory first on sys.path: the old tree's package wins.
        "newsgrep_old": (newsgrep, old_tree or REPO, env_old),
        "newsgrep_new": (newsgrep, REPO, dict(os.environ, NEWSGREP_WHOOSH_WRITER="0")),
    }
    for name, (cmd, cwd, env) in runs.items():
        d = work / f"n{n}" / name
        log(f"{n:,}: {name}")
        load_before = loadavg()
        r = _run(cmd(d), cwd, env)
        if name != "plain_whoosh":
            summary = json.loads(r["stdout"].strip().splitlines()[-1])
            assert summary["indexed"] == n and not summary["skipped"], summary
        r.pop("stdout")
        r["index_bytes"] = tree_bytes(d)
        r["index_ratio"] = r["index_bytes"] / info["bytes"]
        r["segments"] = segments_of(d)
        r["articles_per_s"] = n / r["seconds"]
        r["cpu_ms_per_article"] = 1000 * r["cpu_seconds"] / n
        r["load_before"], r["load_after"] = load_before, loadavg()
        res[name] = r
        shutil.rmtree(d, ignore_errors=True)
    base, old = res["plain_whoosh"], res["newsgrep_old"]
    for name in PATHS:
        r = res[name]
        r["wall_x_whoosh"] = base["seconds"] / r["seconds"]
        r["cpu_x_whoosh"] = base["cpu_seconds"] / r["cpu_seconds"]
        r["wall_x_old"] = old["seconds"] / r["seconds"]
        r["cpu_x_old"] = old["cpu_seconds"] / r["cpu_seconds"]
    res["load"]["end"] = loadavg()
    res["old_tree"] = str(old_tree) if old_tree else "NEWSGREP_WHOOSH_WRITER=1"
    return res


def _run(cmd: list[str], cwd: Path, env: dict | None) -> dict:
    old_env = os.environ.copy()
    if env is not None:
        os.environ.clear()
        os.environ.update(env)
    try:
        run = run_measured(cmd, cwd=cwd)
    finally:
        os.environ.clear()
        os.environ.update(old_env)
    return {"seconds": run.seconds, "cpu_seconds": run.cpu_seconds,
            "peak_rss_mb": run.rss_bytes / MB, "stdout": run.stdout}


def print_size(res: dict) -> None:
    n = res["articles"]
    print(f"\n=== {n:,} articles, corpus {res['corpus_bytes'] / MB:.1f} MB; 1-min load "
          f"{res['load']['start']} at start, {res['load']['end']} at end; old = "
          f"{res['old_tree']} ===")
    print("  path            wall s  art/s   CPU s  CPU ms/art  RSS MB  index/corpus  segs"
          "  wall xWhoosh  CPU xWhoosh  wall xOld  CPU xOld  load before/after")
    for name in PATHS:
        r = res[name]
        print(f"  {name:<14} {r['seconds']:7.1f}  {r['articles_per_s']:5.0f}  "
              f"{r['cpu_seconds']:6.1f}  {r['cpu_ms_per_article']:10.2f}  "
              f"{r['peak_rss_mb']:6.0f}  {r['index_ratio']:11.2f}x  {r['segments']:4d}  "
              f"{r['wall_x_whoosh']:11.2f}x  {r['cpu_x_whoosh']:10.2f}x  "
              f"{r['wall_x_old']:8.2f}x  {r['cpu_x_old']:7.2f}x  "
              f"{r['load_before']}/{r['load_after']}")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    ap = argparse.ArgumentParser(prog="python -m scripts.bench_bulk",
                                 description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] /
                    "shared")
    ap.add_argument("--sizes", default="5000,20000")
    ap.add_argument("--seed", type=int, default=20240501)
    ap.add_argument("--old-tree", type=Path, help="a checkout of the newsgrep to compare "
                    "with (default: this one with NEWSGREP_WHOOSH_WRITER=1)")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    pool = load_pool(args.shared.resolve())
    work = Path(tempfile.mkdtemp(prefix="newsgrep-bench-bulk-"))
    out = {}
    try:
        for n in sorted(int(s) for s in args.sizes.split(",")):
            out[n] = bench_size(n, pool, work, args.seed, args.old_tree)
            print_size(out[n])
            sys.stdout.flush()
            shutil.rmtree(work / f"n{n}", ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\n{len(os.sched_getaffinity(0))} cores; CPU = user+sys of each process tree; "
          "ratios are plain Whoosh (or old newsgrep) / path, measured in the same run.")
    if args.out:
        args.out.write_text(json.dumps(out, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
