"""CPU seconds of the bulk writer's own work in one `newsgrep index -j 1` run (issue #13):
segment writing (bulk.write_segment: add_document + finish) and merges
(merge.merge_segments), timed with process_time around each call, beside the run's
total. Batches are cut by file count only, as in scripts/index_fixed_batches.py. Runs
the newsgrep importable from the current directory's environment.

    python scripts/writer_cpu.py INDEX COMMIT_EVERY PATH...
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Callable

from newsgrep.engine.whoosh import bulk, merge
from newsgrep.ingest import update

spent: Counter = Counter()


def _timed(name: str, fn: Callable) -> Callable:
    def run(*args, **kwargs):
        t0 = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[name] += time.process_time() - t0
    return run


def main(argv: list[str]) -> int:
    index, every, *paths = argv
    bulk.write_segment = _timed("write", bulk.write_segment)  # type: ignore[assignment]
    merge.merge_segments = _timed("merge", merge.merge_segments)  # type: ignore[assignment]
    t0 = time.process_time()
    update.index_paths(paths, index, jobs=1, commit_every=int(every), commit_seconds=1e9)
    total = time.process_time() - t0
    print(f"write {spent['write']:.2f} merge {spent['merge']:.2f} total {total:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
