"""Byte comparison of two index folders' segment files (issue #13, writer CPU work).

Segment names are random (each worker's own id), so the files are compared by kind (the
part after the segment name: .trm, .pst, _stored.col, ...): each kind's file contents,
sorted, must be equal in both folders.

    python scripts/cmp_segments.py INDEX_A INDEX_B
"""

from __future__ import annotations

import hashlib
import sys
from collections import defaultdict
from pathlib import Path


def kinds(folder: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for p in folder.iterdir():
        name = p.name
        if not name.startswith("MAIN_") or name == "MAIN_WRITELOCK":
            continue
        # MAIN_<segid>.<ext> or MAIN_<segid>.<field>.col
        kind = name.split(".", 1)[1]
        out[kind].append(hashlib.sha256(p.read_bytes()).hexdigest())
    return {k: sorted(v) for k, v in out.items()}


def main(argv: list[str]) -> int:
    a, b = kinds(Path(argv[0])), kinds(Path(argv[1]))
    bad = 0
    for kind in sorted(set(a) | set(b)):
        same = a.get(kind) == b.get(kind)
        bad += not same
        print(f"{'same' if same else 'DIFFERENT'} {kind}: {len(a.get(kind, []))} file(s)"
              f" / {len(b.get(kind, []))}")
    print("identical" if not bad and a else "NOT identical")
    return 1 if bad or not a else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
