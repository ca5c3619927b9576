"""One index run: reconcile, discover, decide what to read, parse on the workers, write
and commit in batches, remove what is gone."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import nullcontext
from pathlib import Path

from ..discover import FileInfo, Skipped, discover
from ..engine import EngineSpec
from ..manifest import Manifest
from .batch import _Batch
from .interrupt import IndexInterrupted, _deferred_interrupt
from .jobs import _Outcome
from .options import RunOptions
from .parse import _current
from .progress import _monotonic
from .reconcile import _reconcile
from .splitting import _any_split, _expand
from .summary import IndexSummary
from .workers import _grouped, _parallel, _pool, _use_segments, _warm_up


def _run(engine, spec: EngineSpec, manifest: Manifest, roots: list[str],
         summary: IndexSummary, opts: RunOptions, previous: Manifest | None = None) -> None:
    """One index run into `engine`. `previous`: in a rebuild, the manifest of the index
    being replaced, which says what was indexed before (written to: nothing)."""
    max_bytes, progress = opts.max_bytes, _monotonic(opts.progress)
    if previous is not None:
        recorded = previous.all()
        suspect, stray = set(recorded), list[str]()
        fresh = True
    else:
        suspect, stray = _reconcile(engine, spec, manifest, summary)
        recorded = manifest.all() if suspect else {}
        fresh = engine.doc_count() == 0
    source = previous if previous is not None else manifest
    known = source.under(roots)
    # Files recorded outside the folders given now whose articles must be written
    # again (a rebuild, a lost index): read them one by one.
    extra = sorted(p for p in suspect if p not in known and os.path.lexists(p))
    for p in suspect:
        if p not in known and p in recorded:
            known[p] = recorded[p]
    found: list[FileInfo] = []
    for item in discover(roots + extra):
        if isinstance(item, Skipped):
            summary.skipped.append({"path": item.path, "reason": item.reason})
        else:
            found.append(item)
    found_paths = {f.path for f in found}
    gone = [p for p in known if p not in found_paths]
    del found_paths  # not inherited by the workers forked below (RSS at 100k files)

    todo: list[tuple[FileInfo, str | None, int]] = []
    stale = 0
    for info in found:
        old = known.get(info.path)
        same = old is not None and old.size == info.size and old.mtime_ns == info.mtime_ns
        if info.path in suspect:
            todo.append((info, None, max_bytes))
        elif old is not None and not _current(old.digest):
            stale += same  # unchanged, but read by an older newsgrep: read it again
            todo.append((info, None, max_bytes))
        elif not opts.full and same:
            summary.unchanged += 1
        else:
            todo.append((info, None if opts.full or old is None else old.digest, max_bytes))
    if stale:
        summary.reread = stale
    del found

    total = len(todo)
    if progress:
        progress(0, total, 0)
    n_jobs = opts.jobs or os.cpu_count() or 1
    splitting = _any_split(todo)
    if len(todo) < 64 and not splitting:
        n_jobs = 1  # starting a pool costs more than it saves
    if todo:
        _warm_up()
    # Engines that can (Whoosh) have the parsing workers write the index: each writes
    # its group of files as a segment, the parent only commits (SegmentIngest).
    seg = getattr(engine, "segment_ingest", lambda: None)()
    _use_segments(seg.stream if seg is not None else None)
    grouped = seg is not None and n_jobs > 1
    batch = _Batch(engine, manifest, known, summary, fresh=fresh,
                   rebuilding=previous is not None,
                   new_writer=seg.writer if seg is not None else None)
    done = 0
    try:
        if seg is not None:
            seg.start()
        if stray:
            batch.drop(stray)
        with _deferred_interrupt() as interrupted, \
                (_pool(n_jobs) if grouped else nullcontext()) as pool:
            units: Iterator[tuple[list[_Outcome], object]]
            if seg is not None and pool is not None:  # grouped
                seg.begin(pool.apply_async)
                # A worker's group is its share of one commit (larger segments merge
                # less), and no more than its share of the run (both workers get work).
                size = max(1, min(opts.commit_every // n_jobs, -(-total // n_jobs)))
                tick = None
                if progress:
                    def tick(ahead: int) -> None:
                        progress(min(total, done + ahead), total, summary.articles)
                units = _grouped(pool, _expand(todo), size, n_jobs + 1, interrupted, tick)
            else:
                if seg is not None:
                    seg.begin()  # merges in this process
                # Jobs go to workers one at a time when a file is split: in 8s, one
                # worker got all chunks of a 2 MB file.
                units = (([o], None) for o in _parallel(_expand(todo), n_jobs,
                                                        chunksize=1 if splitting else 8))
            for outcomes, staged in units:
                if staged is not None:
                    batch.add_segment(staged)
                for outcome in outcomes:
                    batch.add(outcome)  # the writer files this while workers parse ahead
                    part = 1.0
                    if outcome.chunk is not None:
                        index, count = outcome.chunk
                        part = (index + 1) / count
                    if part == 1.0:
                        done += 1
                    if progress:
                        progress(done if part == 1.0 else done + part, total,
                                 summary.articles)
                if interrupted():
                    break
                if batch.files and (batch.files >= opts.commit_every
                                    or batch.age() >= opts.commit_seconds):
                    batch.commit()
            stopped = interrupted()
            if not stopped:
                batch.remove(gone)
            batch.commit()
            if seg is not None and not stopped:
                seg.settle(interrupted)  # the last merges, on every worker at once
        if stopped:
            raise IndexInterrupted(summary)
        manifest.add_roots(roots)
    except IndexInterrupted:
        raise
    except BaseException:
        batch.cancel()
        raise
    finally:
        if seg is not None:
            seg.close()  # the workers are stopped: what they staged and left goes


def _disk_full(path: Path) -> str:
    """The one-line error of a run (in place or a rebuild) that filled the disk."""
    return f"no space left on device while writing the index at {path}"
