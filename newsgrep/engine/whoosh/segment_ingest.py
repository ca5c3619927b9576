"""How an index run writes this engine's index (issue #13): segments staged by the
parsing workers, committed by the run, merged in the same workers."""

from __future__ import annotations

from pathlib import Path

from whoosh import index

from ...article import Article
from .bulk import BulkWriter, SegmentStream, write_articles
from .commit import discard_staging
from .folder import record_sums
from .merge import Merger, run_inline


class SegmentIngest:
    """An index run's way to write this index (issue #13): the parsing workers write
    their share of each batch as a staged segment (`write`, called in a worker), the run
    commits them with `writer()`'s BulkWriter (one TOC per batch, atomically, then the
    manifest), and the merge policy runs in the same workers (`begin(submit)`).

    Crash safety is Whoosh's: a staged segment is invisible until a TOC (written to a
    temporary file and renamed) names it; what a killed run staged is removed by the
    next run's `start()`, stray segment files by the next commit's clean-up."""

    def __init__(self, ix: index.Index, path: Path):
        self.ix, self.path = ix, path
        self.index_dir = str(path)
        self.merger: Merger | None = None

    def _record(self) -> None:
        record_sums(self.ix, self.path)

    def start(self) -> None:
        """Before any work, under the run lock: drop what a killed run staged."""
        discard_staging(self.index_dir)

    def write(self, articles: list[Article]):
        """Worker side: `articles` as one staged segment (None when empty)."""
        return write_articles(self.index_dir, articles)

    def stream(self):
        """Worker side: a segment filled one file's articles at a time (`add`), staged by
        `finish()` (None when empty); `cancel()` drops it."""
        return SegmentStream(self.index_dir)

    def begin(self, submit=None) -> None:
        """Merges from here on go to `submit(fn, args)` (a pool's apply_async); None
        runs them in this process."""
        self.merger = Merger(self.index_dir, submit or run_inline)

    def writer(self):
        return BulkWriter(self.index_dir, merger=self.merger, on_commit=self._record)

    def settle(self, stop=None) -> None:
        """At the end of a run: publish the merges in flight and merge until the policy
        is satisfied (the last merges run side by side on the workers); `stop()` ends
        it early."""
        if self.merger is not None:
            self.merger.settle(on_commit=self._record, stop=stop)

    def close(self) -> None:
        """After the workers have stopped: forget unfinished merges, drop staged files."""
        if self.merger is not None:
            self.merger.discard()
            self.merger = None
        discard_staging(self.index_dir)
