"""`newsgrep watch PATH...`: keep an index current as article files appear, change or
disappear, and (with alerts) report new matches as they land.

File events come from watchfiles (Rust `notify`: inotify, FSEvents...), which groups a
burst into one set (debounce). Before a batch is indexed, the files it touched must stop
changing (size and mtime equal over SETTLE seconds), so a file still being written is
read once, whole. Each batch is one `ingest.index_paths()` over the watched roots: it is
incremental (unchanged files are not opened) and crash-safe, and it notices deletions.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..engine import as_spec
from ..errors import NewsgrepError
from ..hits import Hit
from ..ingest import IndexSummary, index_paths
from ..search import Target

DEBOUNCE_MS = 1600  # watchfiles' default: the longest a burst is gathered
SETTLE = 0.5  # seconds a file's size must hold still before it is read
MAX_SETTLE = 30.0  # a file growing for longer is read as it is (its next change re-reads it)
STEP_MS = 500  # the watcher wakes this often without events (start-up, stop_event)
INSTALL_HINT = ("`newsgrep watch` needs the watchfiles package: pip install watchfiles "
                "(or pip install 'newsgrep[watch]')")


@dataclass
class Batch:
    number: int  # 0: the catch-up run at start
    changes: int  # file events in the batch
    summary: IndexSummary
    alerts: dict[str, int] = field(default_factory=dict)  # alert -> new matches

    def to_dict(self) -> dict:
        s = self.summary
        return {"event": "batch", "batch": self.number, "changes": self.changes,
                "indexed": s.indexed, "updated": s.updated, "removed": s.removed,
                "skipped": len(s.skipped), "warnings": len(s.warnings),
                "seconds": round(s.seconds, 3), "alerts": self.alerts}


@dataclass
class WatchSummary:
    batches: int = 0
    indexed: int = 0
    updated: int = 0
    removed: int = 0
    skipped: int = 0
    alert_matches: int = 0
    seconds: float = 0.0

    def add(self, b: Batch) -> None:
        self.batches += 1
        self.indexed += b.summary.indexed
        self.updated += b.summary.updated
        self.removed += b.summary.removed
        self.skipped += len(b.summary.skipped)
        self.alert_matches += sum(b.alerts.values())

    def to_dict(self) -> dict:
        return {"event": "summary", "batches": self.batches, "indexed": self.indexed,
                "updated": self.updated, "removed": self.removed, "skipped": self.skipped,
                "alert_matches": self.alert_matches, "seconds": round(self.seconds, 3)}


def _stat(paths: Iterable[str]) -> dict[str, tuple[int, int] | None]:
    out: dict[str, tuple[int, int] | None] = {}
    for p in paths:
        try:
            st = os.stat(p)
            out[p] = (st.st_size, st.st_mtime_ns)
        except OSError:
            out[p] = None
    return out


def wait_until_settled(paths: Iterable[str], interval: float = SETTLE,
                       max_wait: float = MAX_SETTLE,
                       sleep: Callable[[float], None] = time.sleep) -> bool:
    """Wait until none of `paths` changes size or mtime over `interval` seconds (True),
    or `max_wait` passes (False)."""
    paths = list(paths)
    deadline = time.monotonic() + max_wait
    last = _stat(paths)
    while time.monotonic() < deadline:
        sleep(interval)
        now = _stat(paths)
        if now == last:
            return True
        last = now
    return False


def _load_watchfiles():
    try:
        import watchfiles
    except ImportError:
        raise NewsgrepError(INSTALL_HINT) from None
    return watchfiles


def watch(paths: Iterable[str | os.PathLike], index_dir: Target, *,
          on_batch: Callable[[Batch], None] | None = None, alerts: bool = False,
          emit: Callable[[str, Hit], None] | None = None, debounce_ms: int = DEBOUNCE_MS,
          settle: float = SETTLE, stop_event=None) -> WatchSummary:
    """Index `paths` now, then again after each burst of changes under them, until
    Ctrl-C (KeyboardInterrupt) or `stop_event` is set; returns what was done. With
    alerts, after each batch that changed the index, every alert runs and hands its new
    matches to `emit(alert, hit)` (see alerts.AlertStore.run)."""
    watchfiles = _load_watchfiles()
    roots = []
    for p in paths:
        if not os.path.exists(p):
            raise NewsgrepError(f"no such file or folder: {p}")
        roots.append(os.path.realpath(p))
    index_path = Path(os.path.realpath(as_spec(index_dir).path))
    total = WatchSummary()
    t0 = time.monotonic()

    def one_batch(number: int, changes: int) -> None:
        b = Batch(number, changes, index_paths(roots, index_dir, **per_batch))
        s = b.summary
        if alerts and (number == 0 or s.indexed or s.updated or s.removed):
            b.alerts = _run_alerts(index_dir, emit)
        total.add(b)
        if on_batch:
            on_batch(b)

    # The index (and its alerts.db) may live under a watched folder: its own writes
    # must not start another batch.
    flt = watchfiles.DefaultFilter(ignore_paths=[str(index_path)])
    hold, per_batch = _writer_lock(index_dir)
    try:
        with hold:
            _loop(watchfiles, roots, flt, debounce_ms, settle, stop_event, one_batch)
    except KeyboardInterrupt:
        pass  # Ctrl-C ends a watch; an interrupted batch was rolled back by ingest
    total.seconds = time.monotonic() - t0
    return total


def _loop(watchfiles, roots: list[str], flt, debounce_ms: int, settle: float, stop_event,
          one_batch: Callable[[int, int], None]) -> None:
    number = -1
    # The watcher starts at the first step of the generator: catch up (batch 0) only once
    # it runs, so a file that lands meanwhile is in the catch-up or in an event.
    for changes in watchfiles.watch(*roots, watch_filter=flt, debounce=debounce_ms,
                                    stop_event=stop_event, raise_interrupt=True,
                                    yield_on_timeout=True, rust_timeout=STEP_MS):
        if number < 0:
            number = 0
            one_batch(0, 0)
            continue
        if not changes:
            continue  # a timeout, so that stop_event is seen
        touched = {p for _, p in changes}
        wait_until_settled([p for p in touched if os.path.isfile(p)], settle)
        number += 1
        one_batch(number, len(changes))


def _writer_lock(index_dir: Target):
    """(context holding the index's writer lock for the whole watch, index_paths options):
    the lock file names the watch, so a one-off `index` says a watch keeps the index."""
    from .. import ingest

    spec = as_spec(index_dir)
    spec.path.mkdir(parents=True, exist_ok=True)
    return ingest.run_lock(spec.path, IndexSummary(), role="watch"), {"lock": False}


def _run_alerts(index_dir: Target, emit: Callable[[str, Hit], None] | None
                ) -> dict[str, int]:
    from .alerts import AlertStore

    with AlertStore(index_dir) as store:
        if not store.list():
            return {}
        return store.run_all(None, emit or (lambda _n, _h: None))
