"""`-l`: the path of each matching file, once, in rank order."""

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
            if hit.path not in seen:
                seen.add(hit.path)
                # Escaped as `ls -b` does: a file name must not drive the terminal.
                self.out.write(safe(hit.path) + "\n")
