"""`-l`: the location of each match, once, in rank order: a file's path, or
`file.jsonl:LINE` for a record of a file of several (what `newsgrep show` takes)."""

from __future__ import annotations

from typing import IO

from ..display import safe
from ..hits import SearchResult


class PathsPrinter:
    def __init__(self, out: IO[str]):
        self.out = out

    def print(self, result: SearchResult) -> None:
        seen: set[str] = set()
        for hit in result.hits:
            where = hit.location
            if where not in seen:
                seen.add(where)
                # Escaped as `ls -b` does: a file name must not drive the terminal.
                self.out.write(safe(where) + "\n")
