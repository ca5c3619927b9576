"""A whole `newsgrep search` process against `rg -c -i` over the raw files (issue #13
Deliver 5), and against another checkout of newsgrep (the baseline), in one run.

Each case is run as a fresh process, its stdout a pipe (as a script or `| less` has
it), rounds interleaved (rg, baseline, this checkout, for each case) so that the load of
a shared machine falls on all alike. Reported per case: p50 and p95 wall ms, p50 CPU ms
(user + sys of the process, from wait4), the ratios to rg and to the baseline, and the
1-min load average before and after.

    python -m scripts.bench_search --index IDX --corpus DIR [--baseline-tree DIR] [--runs 7]

--baseline-tree: a checkout (e.g. `git worktree add --detach /tmp/ng-base main`, or
`git archive main | tar -x -C /tmp/ng-base`) run as `python -m newsgrep` from its folder
with this interpreter; this checkout is run the same way, so both pay the same start-up.

Bytecode: an installed newsgrep runs from cached .pyc files, so the processes run with
PYTHONPYCACHEPREFIX set to a scratch folder (and PYTHONDONTWRITEBYTECODE unset), after
one untimed warm-up run of each command, and no checkout is written to. --no-pycache
runs them with the environment as it is (with PYTHONDONTWRITEBYTECODE=1, every process
compiles newsgrep's modules from source: ~0.1 CPU-s more each).
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


@dataclass
class Case:
    name: str
    args: list[str]  # after `newsgrep --index IDX search`
    rg: str  # the pattern rg -c -i greps for


def cases(source: str) -> list[Case]:
    return [
        Case("one word", ["government"], "government"),
        Case("two words", ["trade", "deal"], "trade deal"),
        Case("phrase", ['"prime minister"'], "prime minister"),
        Case("rare word", ["referendum"], "referendum"),
        Case("--from/--to", ["police", "--from", "2020-03-01", "--to", "2020-03-31"], "police"),
        Case("--since", ["police", "--since", "2 years"], "police"),
        Case("--source", ["election", "--source", source], "election"),
        Case("--json", ["government", "--json"], "government"),
        Case("--json -n 10", ["government", "--json", "-n", "10"], "government"),
        Case("--count", ["government", "--count"], "government"),
        # A filtered count (issue #13: filtered queries no slower than unfiltered ones).
        Case("--source -c", ["election", "--source", source, "--count"], "election"),
        Case("-l", ["government", "-l"], "government"),
    ]


ENV: dict[str, str] | None = None  # the processes' environment (None: this one's)


def run(cmd: list[str], cwd: Path | None = None) -> tuple[float, float, int]:
    """Wall ms, CPU ms (user + sys), exit status of one process."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         env=ENV)
    assert p.stdout is not None
    while p.stdout.read(1 << 16):
        pass
    _, status, ru = os.wait4(p.pid, 0)
    wall = (time.perf_counter() - t0) * 1000
    p.returncode = os.waitstatus_to_exitcode(status)
    return wall, (ru.ru_utime + ru.ru_stime) * 1000, p.returncode


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(q / 100 * (len(s) - 1)))]


def top_source(index: Path, tree: Path) -> str:
    out = subprocess.run([sys.executable, "-m", "newsgrep", "--index", str(index), "sources",
                          "--json"], cwd=tree, capture_output=True, text=True, check=True,
                         env=ENV)
    rows = json.loads(out.stdout)
    return max(rows, key=lambda r: r["articles"])["source"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--baseline-tree", type=Path)
    ap.add_argument("--tree", action="append", default=[], metavar="LABEL=DIR",
                    help="one more checkout to run alike (repeatable)")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--only", help="comma-separated case names")
    ap.add_argument("--out", type=Path, help="write the figures as JSON")
    ap.add_argument("--no-pycache", action="store_true",
                    help="run with this environment's bytecode settings as they are")
    args = ap.parse_args(argv)
    global ENV
    if not args.no_pycache:
        ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        ENV["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="bench-search-pyc-")
        atexit.register(shutil.rmtree, ENV["PYTHONPYCACHEPREFIX"], True)

    rg = shutil.which("rg")
    py = sys.executable
    trees = {"newsgrep": REPO}
    if args.baseline_tree:
        trees = {"baseline": args.baseline_tree.resolve(), **trees}
    for spec in args.tree:
        label, _, folder = spec.partition("=")
        trees[label] = Path(folder).resolve()
    todo = cases(top_source(args.index, REPO))
    if args.only:
        keep = set(args.only.split(","))
        todo = [c for c in todo if c.name in keep]
    results: dict = {"load_1min": {"start": os.getloadavg()[0]}, "runs": args.runs,
                     "cases": {}}
    # Start-up floors, in the same rounds.
    floors = {"python -c pass": ([py, "-c", "pass"], None),
              "newsgrep --help": ([py, "-m", "newsgrep", "--help"], REPO)}
    for c in todo:
        results["cases"][c.name] = {k: {"wall": [], "cpu": []}
                                    for k in (["rg"] if rg else []) + list(trees)}
    results["floors"] = {k: {"wall": [], "cpu": []} for k in floors}
    results["pycache"] = not args.no_pycache
    if not args.no_pycache:  # untimed: fills the bytecode cache
        for cmd, cwd in floors.values():
            run(cmd, cwd)
        for c in todo:
            for tree in trees.values():
                run([py, "-m", "newsgrep", "--index", str(args.index), "search", *c.args],
                    cwd=tree)
    for _ in range(args.runs):
        for name, (cmd, cwd) in floors.items():
            w, c_, _rc = run(cmd, cwd)
            results["floors"][name]["wall"].append(w)
            results["floors"][name]["cpu"].append(c_)
        for c in todo:
            row = results["cases"][c.name]
            if rg:
                w, cpu, _rc = run([rg, "-c", "-i", c.rg, str(args.corpus)])
                row["rg"]["wall"].append(w)
                row["rg"]["cpu"].append(cpu)
            for label, tree in trees.items():
                w, cpu, rc = run([py, "-m", "newsgrep", "--index", str(args.index), "search",
                                  *c.args], cwd=tree)
                if rc not in (0, 1):
                    raise SystemExit(f"{label}: search {c.args} exited {rc}")
                row[label]["wall"].append(w)
                row[label]["cpu"].append(cpu)
    results["load_1min"]["end"] = os.getloadavg()[0]

    def stat(d: dict) -> dict:
        return {"p50_ms": pct(d["wall"], 50), "p95_ms": pct(d["wall"], 95),
                "cpu_p50_ms": pct(d["cpu"], 50)}

    load = results["load_1min"]
    print(f"whole processes, {args.runs} runs each, rounds interleaved, "
          f"{'cached bytecode' if results['pycache'] else 'bytecode as the environment has it'}"
          f"; load (1 min) {load['start']:.2f} -> {load['end']:.2f}")
    for name, d in results["floors"].items():
        s = stat(d)
        print(f"  {name:<22} p50 {s['p50_ms']:6.0f} ms wall, {s['cpu_p50_ms']:6.0f} ms CPU")
    head = f"  {'case':<14}"
    labels = list(next(iter(results["cases"].values())))
    for label in labels:
        head += f" | {label + ' p50 wall/CPU ms':>30}"
    extra = [k for k in trees if k not in ("baseline", "newsgrep")]
    head += " | newsgrep/rg wall (CPU)" + (" | newsgrep/baseline wall (CPU)"
                                           if "baseline" in trees else "")
    head += "".join(f" | {k}/rg wall (CPU)" for k in extra)
    print(head)
    summary = {}
    for name, row in results["cases"].items():
        stats = {label: stat(d) for label, d in row.items()}
        summary[name] = stats
        line = f"  {name:<14}"
        for label in labels:
            s = stats[label]
            line += f" | {s['p50_ms']:>20.0f} / {s['cpu_p50_ms']:>7.0f}"
        ng = stats["newsgrep"]
        if "rg" in stats:
            r = stats["rg"]
            line += (f" | {ng['p50_ms'] / r['p50_ms']:>10.2f}x "
                     f"({ng['cpu_p50_ms'] / r['cpu_p50_ms']:.2f}x)")
        if "baseline" in stats:
            b = stats["baseline"]
            line += (f" | {ng['p50_ms'] / b['p50_ms']:>10.2f}x "
                     f"({ng['cpu_p50_ms'] / b['cpu_p50_ms']:.2f}x)")
        for k in extra:
            if "rg" in stats:
                e, r = stats[k], stats["rg"]
                line += (f" | {e['p50_ms'] / r['p50_ms']:>10.2f}x "
                         f"({e['cpu_p50_ms'] / r['cpu_p50_ms']:.2f}x)")
        print(line)
    if args.out:
        results["summary"] = summary
        args.out.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
