"""Ingest speed of the bulk segment writer (issue #13) against plain Whoosh and today's
newsgrep, all in one run on scripts/bench.py's generated corpus.

Three full ingests per size, each one process tree started from here:

1. plain Whoosh defaults (scripts/bench.py's `plain_whoosh_index`: one writer, one commit);
2. today's newsgrep: `newsgrep --index DIR index CORPUS`;
3. the bulk path (`bulk_ingest` below): the same parsing and preparation as `newsgrep
   index` (ingest._articles + prepare_article) in a pool of one worker per core, each
   worker writing its share of a 5,000-file batch as one segment (whoosh_bulk.
   write_segment); the parent commits each batch's segments (commit_segments), merges by
   tiers (whoosh_merge.merge_step) and settles at the end. No manifest: that is ingest's,
   not the engine's, and costs the same on both newsgrep paths.

Reported per path: wall seconds, CPU seconds (user + sys of the whole process tree, from
RUSAGE_CHILDREN), articles/s wall, CPU ms per article, index size / corpus size, segment
count; and the ratios to plain Whoosh from the same run, with the load average.

    python -m scripts.bench_bulk --shared ../shared --sizes 5000,20000
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scripts.bench import (
    MB,
    CorpusBuilder,
    corpus_files,
    load_pool,
    loadavg,
    log,
    newsgrep_exe,
    tree_bytes,
)

BATCH_FILES = 5000  # as ingest.BATCH_FILES


# -- the bulk path (run as `python -m scripts.bench_bulk _bulk CORPUS INDEX`) -----------

def _parse_group(paths: list[str]) -> tuple[int, object]:
    """Worker: parse and prepare a group of files, write them as one staged segment."""
    from newsgrep import ingest
    from newsgrep.engine import whoosh_bulk
    from newsgrep.readers import read_bytes

    docs = []
    for path in paths:
        try:
            arts = ingest._articles(path, read_bytes(path, 50_000_000))
        except Exception:  # skipped as `index` skips it
            continue
        docs += [a.prepared for a in arts]
    return len(docs), whoosh_bulk.write_segment(_INDEX, docs)


_INDEX = ""


def bulk_ingest(corpus: str, index_dir: str, jobs: int) -> dict:
    import multiprocessing as mp

    from newsgrep import ingest
    from newsgrep.engine import whoosh_bulk, whoosh_merge
    from newsgrep.engine.whoosh_engine import WhooshEngine
    from newsgrep.engine.whoosh_store import prepare_article

    global _INDEX
    _INDEX = index_dir
    WhooshEngine(index_dir, create=True)
    whoosh_bulk.discard_staging(index_dir)
    ingest._PREPARE = prepare_article
    ingest._warm_up()
    files = corpus_files(Path(corpus))
    group = max(1, BATCH_FILES // jobs)
    groups = [files[i:i + group] for i in range(0, len(files), group)]
    per_batch = max(1, BATCH_FILES // group)
    n = 0
    t_merge = 0.0
    staged: list = []
    with mp.get_context("fork").Pool(jobs) as pool:
        for k, (count, st) in enumerate(pool.imap(_parse_group, groups), 1):
            n += count
            if st is not None:
                staged.append(st)
            if k % per_batch == 0 or k == len(groups):
                whoosh_bulk.commit_segments(index_dir, staged)
                staged = []
                t0 = time.perf_counter()
                whoosh_merge.merge_step(index_dir)
                t_merge += time.perf_counter() - t0
    t0 = time.perf_counter()
    whoosh_merge.settle(index_dir)
    t_merge += time.perf_counter() - t0
    return {"articles": n, "merge_seconds": t_merge}


# -- measuring ---------------------------------------------------------------------------

def measured(cmd: list[str]) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=Path(__file__).parent.parent)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode:
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}: {proc.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"seconds": wall, "cpu_seconds": cpu, "stdout": proc.stdout}


def segments_of(index_dir: Path) -> int:
    from whoosh.filedb.filestore import FileStorage
    from whoosh.index import TOC

    return len(TOC.read(FileStorage(str(index_dir)), "MAIN").segments)


def bench_size(n: int, pool, work: Path, seed: int, jobs: int) -> dict:
    corpus, pending = work / f"n{n}" / "corpus", work / f"n{n}" / "pending"
    corpus.mkdir(parents=True)
    pending.mkdir()
    log(f"{n:,}: writing the corpus")
    info = CorpusBuilder(pool, seed).build(n, corpus, pending)
    res: dict = {"articles": n, "corpus_bytes": info["bytes"], "load": {"start": loadavg()}}
    py = sys.executable
    paths = {
        "plain_whoosh": lambda d: [py, "-m", "scripts.bench", "_worker", "whoosh",
                                   str(corpus), str(d)],
        "newsgrep_today": lambda d: [newsgrep_exe(), "--index", str(d), "index", "--json",
                                     str(corpus)],
        "bulk": lambda d: [py, "-m", "scripts.bench_bulk", "_bulk", str(corpus), str(d),
                           str(jobs)],
    }
    for name, cmd in paths.items():
        d = work / f"n{n}" / name
        log(f"{n:,}: {name}")
        r = measured(cmd(d))
        out = r.pop("stdout").strip()
        if name == "bulk" and out:
            r["merge_seconds"] = json.loads(out.splitlines()[-1])["merge_seconds"]
        r["index_bytes"] = tree_bytes(d)
        r["index_ratio"] = r["index_bytes"] / info["bytes"]
        r["segments"] = segments_of(d)
        r["articles_per_s"] = n / r["seconds"]
        r["cpu_ms_per_article"] = 1000 * r["cpu_seconds"] / n
        r["load_after"] = loadavg()
        res[name] = r
        shutil.rmtree(d, ignore_errors=True)
    base = res["plain_whoosh"]
    for name in ("newsgrep_today", "bulk"):
        r = res[name]
        r["wall_speedup_vs_whoosh"] = base["seconds"] / r["seconds"]
        r["cpu_speedup_vs_whoosh"] = base["cpu_seconds"] / r["cpu_seconds"]
    res["load"]["end"] = loadavg()
    return res


def print_size(res: dict) -> None:
    n = res["articles"]
    print(f"\n=== {n:,} articles, corpus {res['corpus_bytes'] / MB:.1f} MB; 1-min load "
          f"{res['load']['start']} at start, {res['load']['end']} at end ===")
    print("  path                 wall s  articles/s   CPU s  CPU ms/art  index/corpus  "
          "segments  wall x  CPU x")
    for name in ("plain_whoosh", "newsgrep_today", "bulk"):
        r = res[name]
        wx = r.get("wall_speedup_vs_whoosh")
        cx = r.get("cpu_speedup_vs_whoosh")
        print(f"  {name:<18} {r['seconds']:8.1f}  {r['articles_per_s']:10.0f}  "
              f"{r['cpu_seconds']:6.1f}  {r['cpu_ms_per_article']:10.2f}  "
              f"{r['index_ratio']:11.2f}x  {r['segments']:8d}  "
              f"{f'{wx:.2f}x' if wx else '  1.00x':>6}  {f'{cx:.2f}x' if cx else '1.00x':>5}")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "_bulk":
        print(json.dumps(bulk_ingest(argv[1], argv[2], int(argv[3]))))
        return 0
    ap = argparse.ArgumentParser(prog="python -m scripts.bench_bulk",
                                 description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] /
                    "shared")
    ap.add_argument("--sizes", default="5000,20000")
    ap.add_argument("--seed", type=int, default=20240501)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    pool = load_pool(args.shared.resolve())
    work = Path(tempfile.mkdtemp(prefix="newsgrep-bench-bulk-"))
    out = {}
    try:
        for n in sorted(int(s) for s in args.sizes.split(",")):
            out[n] = bench_size(n, pool, work, args.seed, args.jobs)
            print_size(out[n])
            sys.stdout.flush()
            shutil.rmtree(work / f"n{n}", ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("  (bulk: parent wall seconds spent merging: "
          + ", ".join(f"{n:,}: {r['bulk'].get('merge_seconds', 0):.1f}" for n, r in out.items())
          + ")")
    print(f"\n{len(os.sched_getaffinity(0))} cores; CPU = user+sys of each process tree; "
          "ratios are plain Whoosh / path, measured in the same run.")
    if args.out:
        args.out.write_text(json.dumps(out, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
