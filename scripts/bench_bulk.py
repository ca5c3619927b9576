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

Memory is reported twice: the peak of the tree's summed RSS (a page the forked workers
share with the parent counts once per process) and the peak of its summed PSS (each
shared page divided among the processes that map it: what the tree really holds).

`--corpus DIR` measures an existing corpus instead: `--old-tree`'s newsgrep and this one
alternately (old, new, old, new, ...), `--runs` times each, for each `--jobs` value, with
no plain Whoosh run; medians and every run are printed.

    python -m scripts.bench_bulk --corpus /tmp/c2k --old-tree /work/wt-base --jobs 0,1
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from scripts.bench import (
    MB,
    REPO,
    CorpusBuilder,
    _children,
    load_pool,
    loadavg,
    log,
    proc_bytes,
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


class TreeMemory(threading.Thread):
    """Polls the process tree under `pid`: the peak of its summed VmRSS and of its summed
    Pss (/proc/PID/smaps_rollup), each the largest total seen at one moment; and, to say
    which process holds the memory, the peak Pss of the root process alone and of the
    largest other process."""

    def __init__(self, pid: int, interval: float = 0.05):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.rss = self.pss = 0
        self.root_pss = self.child_pss = 0
        self.done = threading.Event()

    def run(self) -> None:
        while True:
            rss = pss = 0
            todo, seen = [self.pid], set()
            while todo:
                p = todo.pop()
                if p in seen:
                    continue
                seen.add(p)
                r, q = _rss_pss(p)
                rss, pss = rss + r, pss + q
                if p == self.pid:
                    self.root_pss = max(self.root_pss, q)
                else:
                    self.child_pss = max(self.child_pss, q)
                todo.extend(_children(p))
            self.rss, self.pss = max(self.rss, rss), max(self.pss, pss)
            if self.done.wait(self.interval):
                return


def _rss_pss(pid: int) -> tuple[int, int]:
    """(Rss, Pss) of one process in bytes; (0, 0) if it is gone."""
    try:
        rss, pss = proc_bytes(f"/proc/{pid}/smaps_rollup", "Rss", "Pss")
    except (OSError, ValueError, IndexError):
        return 0, 0
    return rss, pss


def _run(cmd: list[str], cwd: Path, env: dict | None) -> dict:
    """Run `cmd` to the end: wall and CPU seconds (user + sys of the whole tree, the
    workers included), peak tree RSS and PSS, its stdout."""
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                cwd=cwd, env=env)
        mem = TreeMemory(proc.pid)
        mem.start()
        proc.wait()
        seconds = time.perf_counter() - t0
        mem.done.set()
        mem.join()
        ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode("utf-8", "replace"), err.read().decode()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}:\n{stderr[-2000:]}")
    cpu = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
    return {"seconds": seconds, "cpu_seconds": cpu, "peak_rss_mb": mem.rss / MB,
            "peak_pss_mb": mem.pss / MB, "parent_pss_mb": mem.root_pss / MB,
            "worker_pss_mb": mem.child_pss / MB, "stdout": stdout}


def compare_trees(corpus: Path, old_tree: Path, jobs: list[int], runs: int) -> dict:
    """`newsgrep index --json` of `corpus` by the newsgrep in `old_tree` and by this one,
    alternately, `runs` times each per jobs value (0: the default)."""
    n = sum(1 for p in corpus.rglob("*") if p.is_file())
    res: dict = {"corpus": str(corpus), "files": n, "old_tree": str(old_tree), "jobs": {}}
    for j in jobs:
        rows: dict[str, list[dict]] = {"old": [], "new": []}
        for _ in range(runs):
            for name, tree in (("old", old_tree), ("new", REPO)):
                py = tree / ".venv" / "bin" / "python"
                with tempfile.TemporaryDirectory(prefix="newsgrep-bench-ix-") as d:
                    cmd = [str(py if py.exists() else sys.executable), "-m", "newsgrep",
                           "--index", d, "index", "--json", *(["-j", str(j)] if j else []),
                           str(corpus)]
                    load = loadavg()
                    r = _run(cmd, tree, None)
                r["load"] = load
                r["indexed"] = json.loads(r.pop("stdout").strip().splitlines()[-1])["indexed"]
                rows[name].append(r)
                log(f"-j {j or 'default'} {name}: {r['cpu_seconds']:.1f} CPU s, "
                    f"{r['seconds']:.1f} s, RSS {r['peak_rss_mb']:.0f} MB, "
                    f"PSS {r['peak_pss_mb']:.0f} MB (parent {r['parent_pss_mb']:.0f}, "
                    f"largest worker {r['worker_pss_mb']:.0f}), load {load}")
        res["jobs"][j] = rows
    return res


def print_compare(res: dict) -> None:
    print(f"\n=== {res['corpus']} ({res['files']:,} files); old = {res['old_tree']}; "
          "medians of the runs, interleaved ===")
    print("  jobs     path  CPU s  CPU ms/art  wall s  RSS MB  PSS MB  1-min load")
    for j, rows in res["jobs"].items():
        for name in ("old", "new"):
            rs = rows[name]
            arts = rs[0]["indexed"] or 1

            def med(key: str, rs: list[dict] = rs) -> float:
                return statistics.median(r[key] for r in rs)
            print(f"  {j or 'default':<8} {name:<4} {med('cpu_seconds'):6.1f}  "
                  f"{1000 * med('cpu_seconds') / arts:10.2f}  {med('seconds'):6.1f}  "
                  f"{med('peak_rss_mb'):6.0f}  {med('peak_pss_mb'):6.0f}  "
                  f"{', '.join(str(r['load']) for r in rs)}")


def print_size(res: dict) -> None:
    n = res["articles"]
    print(f"\n=== {n:,} articles, corpus {res['corpus_bytes'] / MB:.1f} MB; 1-min load "
          f"{res['load']['start']} at start, {res['load']['end']} at end; old = "
          f"{res['old_tree']} ===")
    print("  path            wall s  art/s   CPU s  CPU ms/art  RSS MB  PSS MB  index/corpus"
          "  segs  wall xWhoosh  CPU xWhoosh  wall xOld  CPU xOld  load before/after")
    for name in PATHS:
        r = res[name]
        print(f"  {name:<14} {r['seconds']:7.1f}  {r['articles_per_s']:5.0f}  "
              f"{r['cpu_seconds']:6.1f}  {r['cpu_ms_per_article']:10.2f}  "
              f"{r['peak_rss_mb']:6.0f}  {r['peak_pss_mb']:6.0f}  "
              f"{r['index_ratio']:11.2f}x  {r['segments']:4d}  "
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
    ap.add_argument("--corpus", type=Path, help="measure this corpus: --old-tree and this "
                    "checkout alternately, no plain Whoosh (see the module docstring)")
    ap.add_argument("--jobs", default="0", help="with --corpus: -j values, 0 = default")
    ap.add_argument("--runs", type=int, default=3, help="with --corpus: runs of each")
    args = ap.parse_args(argv)
    if args.corpus:
        if not args.old_tree:
            ap.error("--corpus needs --old-tree")
        res = compare_trees(args.corpus.resolve(), args.old_tree.resolve(),
                            [int(j) for j in args.jobs.split(",")], args.runs)
        print_compare(res)
        if args.out:
            args.out.write_text(json.dumps(res, indent=1) + "\n")
        return 0
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
