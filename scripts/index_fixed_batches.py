"""`newsgrep index` with batches cut by file count only (no 30-second commits), so that
two trees write the same segments whatever the machine's load: for byte comparisons
(scripts/cmp_segments.py). Runs the newsgrep importable from the current directory.

    python scripts/index_fixed_batches.py INDEX COMMIT_EVERY JOBS PATH...
"""

from __future__ import annotations

import sys

from newsgrep.ingest import update


def main(argv: list[str]) -> int:
    index, every, jobs, *paths = argv
    s = update.index_paths(paths, index, jobs=int(jobs), commit_every=int(every),
                           commit_seconds=1e9)
    print(s)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
