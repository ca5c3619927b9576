"""The progress a run reports to its caller."""

from __future__ import annotations

from collections.abc import Callable


def _monotonic(progress: Callable[[float, int, int], None] | None
               ) -> Callable[[float, int, int], None] | None:
    """`progress` that never moves back: the workers' finished files are shown before
    their outcomes arrive, and those then count up from where the bar was."""
    if progress is None:
        return None
    high = [0.0]

    def report(done: float, total: int, articles: int) -> None:
        high[0] = max(high[0], done)
        progress(high[0], total, articles)

    return report
