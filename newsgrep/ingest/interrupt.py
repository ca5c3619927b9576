"""Ctrl-C during an index run: the first stops it after the file in hand, and the run
ends with IndexInterrupted once what was read is committed."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from .summary import IndexSummary


class IndexInterrupted(KeyboardInterrupt):
    """Ctrl-C during a run: what was read before it and committed is in `summary`
    (`kept` False when nothing could be kept, as in an interrupted --full rebuild)."""

    def __init__(self, summary: IndexSummary, kept: bool = True):
        super().__init__()
        self.summary, self.kept = summary, kept


@contextmanager
def _deferred_interrupt() -> Iterator[Callable[[], bool]]:
    """Within: the first Ctrl-C asks the run to stop after the file in hand and commit
    what was read (a KeyboardInterrupt raised anywhere in the writer could leave a
    half-added record); a second Ctrl-C stops at once, keeping only earlier commits."""
    if threading.current_thread() is not threading.main_thread():
        yield lambda: False
        return
    hits: list[int] = []  # signals received

    def handler(signum, frame):
        if hits:
            raise KeyboardInterrupt
        hits.append(signum)

    old = signal.signal(signal.SIGINT, handler)
    try:
        yield lambda: bool(hits)
    finally:
        signal.signal(signal.SIGINT, old)
