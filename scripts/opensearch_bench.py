"""Measure the OpenSearch engine on a real node against the Whoosh engine, in one run.

    .venv/bin/python -m scripts.opensearch_bench [--shared ../shared] [--out FILE.json]

Corpus: the .txt articles of ../shared/corpora (bbc-zitros, wikinews-en-2019-2020,
meduza-golunov-ru: about 2,500 files), or corpus/ when ../shared is missing. Measured:

* node start: exec of the JVM to cluster health green, and its RSS then and after ingest;
* full ingest through the CLI (`newsgrep index`, a subprocess) into a new Whoosh index and
  into a new index on the node: wall seconds, articles/s, CPU seconds of newsgrep (its
  process tree) and of the node's JVM, the 1-minute load average before and after;
* query latency through the CLI (a `newsgrep search` subprocess per query, interpreter
  start included, the median of REPEAT runs) for both engines.

The figures go into docs/scaling-out.md; this script is not used by newsgrep itself.
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
import time
from pathlib import Path

from scripts.opensearch_node import Cluster, http_json

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ["troops", '"prime minister"', "econom* growth", "election OR vote", "bank~1",
           '"said police"~5']
REPEAT = 5


def _corpus(shared: Path, dest: Path) -> int:
    sets = ["bbc-zitros", "wikinews-en-2019-2020", "meduza-golunov-ru"]
    roots = [shared / "corpora" / s for s in sets if (shared / "corpora" / s).is_dir()]
    if not roots:
        roots = [ROOT / "corpus"]
    n = 0
    for root in roots:
        for f in sorted(root.rglob("*.txt")):
            if f.name.upper().startswith(("README", "LICENSE")):
                continue
            target = dest / root.name / f.relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(f, target)
            n += 1
    return n


def _jvm_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _newsgrep(args: list[str]) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "newsgrep", *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ,
                                                                        NO_COLOR="1"))


def _ingest(args: list[str], corpus: Path, node_pid: int | None) -> dict:
    load0 = os.getloadavg()[0]
    cpu0, jvm0 = _children_cpu(), _jvm_cpu(node_pid) if node_pid else 0.0
    t0 = time.perf_counter()
    res = _newsgrep([*args, "index", "--json", str(corpus)])
    wall = time.perf_counter() - t0
    if res.returncode != 0:
        raise SystemExit(f"index failed: {res.stderr.strip()}")
    n = json.loads(res.stdout)["indexed"]
    out = {"articles": n, "wall_s": round(wall, 2), "articles_per_s": round(n / wall, 1),
           "newsgrep_cpu_s": round(_children_cpu() - cpu0, 2),
           "load_before": round(load0, 2), "load_after": round(os.getloadavg()[0], 2)}
    if node_pid:
        out["node_cpu_s"] = round(_jvm_cpu(node_pid) - jvm0, 2)
    return out


def _latency(args: list[str]) -> dict:
    out = {}
    for q in QUERIES:
        times = []
        for _ in range(REPEAT):
            t0 = time.perf_counter()
            res = _newsgrep([*args, "search", q, "-n", "10"])
            times.append(time.perf_counter() - t0)
            if res.returncode not in (0, 1):
                raise SystemExit(f"search {q!r} failed: {res.stderr.strip()}")
        out[q] = round(statistics.median(times) * 1000)
    out["median_ms"] = round(statistics.median(out.values()))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="newsgrep-osbench-"))
    result: dict = {"cpus": os.cpu_count()}
    try:
        corpus = work / "corpus"
        result["files"] = _corpus(args.shared, corpus)
        print(f"corpus: {result['files']} files", file=sys.stderr)
        t0 = time.perf_counter()
        with Cluster(1) as cluster:
            node = cluster.nodes[0]
            result["node"] = {"start_s": round(time.perf_counter() - t0, 1),
                              "heap": cluster.heap, "rss_mb_started": round(node.rss_mb())}
            print(f"node: {result['node']}", file=sys.stderr)
            wh = ["--index", str(work / "whoosh")]
            os_ = ["--engine", "opensearch", "--url", f"{cluster.url}/bench",
                   "--index", str(work / "os-local")]
            # Alternate the order effect away: Whoosh, OpenSearch, then each once more.
            runs: dict[str, list[dict]] = {"whoosh": [], "opensearch": []}
            for rnd in range(2):
                for name, a in (("whoosh", wh), ("opensearch", os_)):
                    if rnd:
                        shutil.rmtree(work / ("whoosh" if name == "whoosh" else "os-local"))
                        if name == "opensearch":
                            http_json(f"{cluster.url}/bench", method="DELETE")
                    r = _ingest(a, corpus, node.proc.pid if name == "opensearch" else None)
                    runs[name].append(r)
                    print(f"ingest {name}: {r}", file=sys.stderr)
            result["ingest"] = runs
            result["node"]["rss_mb_after_ingest"] = round(node.rss_mb())
            result["latency_ms"] = {"whoosh": _latency(wh), "opensearch": _latency(os_)}
            print(f"latency: {result['latency_ms']}", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = json.dumps(result, indent=1)
    if args.out:
        args.out.write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
