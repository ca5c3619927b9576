"""CPU per article of the MinHash signature (newsgrep/dedup.py, issue #13 Deliver 4):
datasketch's `MinHash.update_batch` over every shingle, as dedup.py did before, against
dedup.signature as checked out, on the same article files, in one process, rounds
interleaved so that the load of a shared machine falls on both alike.

    python -m scripts.bench_dedup FILE_OR_FOLDER... [--limit 2000] [--rounds 5]

Prints CPU ms per article (process time: user + sys) for each, best and median of the
rounds, their ratio, the 1-min load average, and whether the signatures are identical.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path


def _files(paths: list[str], limit: int) -> list[Path]:
    out: list[Path] = []
    for p in map(Path, paths):
        out.extend(sorted(f for f in p.rglob("*") if f.is_file()) if p.is_dir() else [p])
    return out[:limit]


def datasketch_signature(text: str) -> bytes | None:
    """dedup.signature as it was: datasketch over the list of all shingles."""
    from datasketch import MinHash

    from newsgrep.dedup import NUM_PERM, SEED, SHINGLE
    from newsgrep.engine.analysis import fold

    words = [fold(w) for w in re.findall(r"\w+", text.lower())]
    if not words:
        return None
    if len(words) < SHINGLE:
        shingles = [" ".join(words).encode()]
    else:
        shingles = [" ".join(words[i:i + SHINGLE]).encode()
                    for i in range(len(words) - SHINGLE + 1)]
    m = _template(MinHash, NUM_PERM, SEED)
    m.update_batch(shingles)
    return m.hashvalues.astype("<u4").tobytes()


_TEMPLATE: dict = {}


def _template(cls, num_perm: int, seed: int):
    """A fresh MinHash sharing the permutations (as dedup.py's old _template did)."""
    if "t" not in _TEMPLATE:
        _TEMPLATE["t"] = cls(num_perm=num_perm, seed=seed)
    t = _TEMPLATE["t"]
    return cls(num_perm=num_perm, permutations=t.permutations, scheme=t.scheme)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--limit", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args(argv)

    from newsgrep.dedup import signature

    texts = [f.read_text(encoding="utf-8", errors="replace")
             for f in _files(args.paths, args.limit)]
    if not texts:
        sys.exit("no files")
    runs = {"datasketch": datasketch_signature, "numpy": signature}
    for fn in runs.values():  # imports and permutations outside the timing
        fn("warm up")
    same = all(datasketch_signature(t) == signature(t) for t in texts)
    times: dict[str, list[float]] = {k: [] for k in runs}
    load0 = os.getloadavg()[0]
    for _ in range(args.rounds):
        for name, fn in runs.items():
            t0 = time.process_time()
            for t in texts:
                fn(t)
            times[name].append((time.process_time() - t0) * 1000 / len(texts))
    load1 = os.getloadavg()[0]
    chars = statistics.mean(len(t) for t in texts)
    print(f"{len(texts)} articles, {chars:,.0f} characters on average; load (1 min) "
          f"{load0:.2f} -> {load1:.2f}; signatures identical: {same}")
    for name, ts in times.items():
        print(f"  {name:<10} CPU ms per article: best {min(ts):.3f}, median "
              f"{statistics.median(ts):.3f} ({args.rounds} rounds)")
    a, b = times["datasketch"], times["numpy"]
    print(f"  numpy / datasketch: best {min(b) / min(a):.2f}x, median "
          f"{statistics.median(b) / statistics.median(a):.2f}x")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
