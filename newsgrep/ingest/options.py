"""The settings of one index run, fixed before it starts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

BATCH_FILES = 5000  # files per commit: bounds the work an interruption can lose
COMMIT_SECONDS = 30.0  # ...and so does time: a slow run commits at least this often


@dataclass(frozen=True)
class RunOptions:
    """index_paths' keyword arguments, as one run uses them (commit bounds clamped)."""

    full: bool
    jobs: int | None
    max_bytes: int
    progress: Callable[[float, int, int], None] | None
    commit_every: int
    commit_seconds: float
