"""`-c`: the number of matches, alone on a line."""

from __future__ import annotations

from typing import IO


def print_count(n: int, out: IO[str]) -> None:
    out.write(f"{n}\n")
