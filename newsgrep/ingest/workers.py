"""The parsing workers: a process pool started once per run (warmed up, quiet on Ctrl-C,
dying with their parent), fed jobs one by one or in groups that each worker writes as a
segment of the index, with bounded memory."""

from __future__ import annotations

import gc
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from .jobs import Job, _Chunk, _Outcome
from .parse import _process

MAX_IN_FLIGHT = 256  # parsed files (or chunks) waiting for the writer, at most

# The engine's segment writer (SegmentIngest.stream), set before the workers are forked
# when they write the index themselves.
_SEGMENTS: Callable[[], Any] | None = None
# Whole files the workers have finished (a shared counter): the parent receives a group's
# outcomes only when the group is done, and the progress bar moves in between.
_FILES_DONE: Any = None


def _use_segments(stream: Callable[[], Any] | None) -> None:
    """Set the engine's segment writer (before the workers are forked: they inherit it)."""
    global _SEGMENTS
    _SEGMENTS = stream


def _process_group(group: list[Job]) -> tuple[list[_Outcome], object]:
    """Worker: `_process` each job of the group, then write all their articles as one
    segment of the index (staged: invisible until the parent commits it). The outcomes
    go back with their articles emptied (the parent needs only counts and warnings)."""
    assert _SEGMENTS is not None
    segment = _SEGMENTS()
    outcomes = []
    try:
        for job in group:
            o = _process(job)
            if o.articles:
                segment.add(o.articles)  # filed now, and emptied: memory stays small
            o.written = True
            outcomes.append(o)
            if _FILES_DONE is not None and o.chunk is None:
                with _FILES_DONE.get_lock():  # for the progress bar, between groups
                    _FILES_DONE.value += 1
        staged = segment.finish()
    except BaseException:
        segment.cancel()
        raise
    return outcomes, staged


def _group_jobs(jobs: Iterable[Job], size: int) -> Iterator[list[Job]]:
    """Groups of `size` jobs; each chunk of a split file is a group of its own, so that
    all workers share a big file (its small segments are what the merge policy absorbs)."""
    group: list[Job] = []
    for job in jobs:
        if isinstance(job, _Chunk):
            if group:
                yield group
                group = []
            yield [job]
            continue
        group.append(job)
        if len(group) >= size:
            yield group
            group = []
    if group:
        yield group


def _warm_up() -> None:
    """Import the parsers once in the parent, so that forked workers share those pages.
    Not the language model: the parent parses nothing when workers do, and a model it
    loaded counted again in each worker's RSS; each process that needs it maps the one
    unpacked copy (language._load)."""
    from ..dedup import signature
    from ..normalize import normalize  # noqa: F401

    signature("warm up the minhash permutations")


PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def _init_worker(parent: int) -> None:
    # Ctrl-C reaches the whole process group: let the parent stop the run cleanly
    # (it terminates the pool) instead of every worker printing a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A parent killed outright (kill -9, OOM) cannot terminate its pool: the workers
    # went on for seconds and printed BrokenPipeError tracebacks. Ask the kernel to kill
    # each worker with its parent (Linux); elsewhere, at least keep them quiet.
    # Should one outlive it all the same (seen once in 22 trials under heavy load), it
    # exits within half a second and says nothing: multiprocessing prints the
    # BrokenPipeError of a worker whose parent is gone straight to stderr.
    sys.stderr = _QuietOrphan(sys.stderr, parent)
    _die_with_parent()
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(ORPHAN_EXIT)
    # Not Linux, or the kernel's signal did not come: look twice a second.
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


ORPHAN_EXIT = 75  # a worker's exit status when it finds its parent gone


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(ORPHAN_EXIT)


class _QuietOrphan:
    """A worker's stderr that writes nothing once the parent has died."""

    def __init__(self, stream, parent: int):
        self._stream, self._parent = stream, parent

    def write(self, text: str) -> int:
        if os.getppid() != self._parent:
            return len(text)
        return self._stream.write(text)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def _die_with_parent() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _parallel(jobs: Iterable[Job], n_jobs: int, chunksize: int = 8) -> Iterator[_Outcome]:
    if n_jobs <= 1:
        yield from map(_process, jobs)
        return
    import multiprocessing as mp
    import threading

    # Pool.imap reads its input as fast as the workers go and buffers every result the
    # writer has not taken yet: parsing outruns the single index writer, so without this
    # bound a big run held most of its parsed articles in memory (1.2 GB at 20k).
    slots = threading.BoundedSemaphore(MAX_IN_FLIGHT)
    stop = threading.Event()

    def feed() -> Iterator[Job]:
        for job in jobs:
            while not slots.acquire(timeout=0.1):
                if stop.is_set():
                    return
            yield job

    ctx = mp.get_context("fork") if hasattr(os, "fork") else mp.get_context()
    gc.freeze()  # as in _pool: the workers' collector leaves the parent's pages shared
    with ctx.Pool(n_jobs, initializer=_init_worker, initargs=(os.getpid(),)) as pool:
        try:
            for outcome in pool.imap(_process, feed(), chunksize=chunksize):
                slots.release()
                yield outcome
        finally:
            stop.set()  # before the pool's exit joins the feeding thread


@contextmanager
def _pool(n_jobs: int) -> Iterator:
    import multiprocessing as mp

    global _FILES_DONE
    ctx = mp.get_context("fork") if hasattr(os, "fork") else mp.get_context()
    _FILES_DONE = ctx.Value("q", 0)  # before the fork: the workers inherit it
    # The objects alive now are never collected: the workers' collector then does not
    # write to them, so their pages stay shared with the parent instead of being copied.
    gc.freeze()
    try:
        with ctx.Pool(n_jobs, initializer=_init_worker, initargs=(os.getpid(),)) as pool:
            yield pool  # leaving terminates the workers (and a merge or group in hand)
    finally:
        _FILES_DONE = None


def _grouped(pool, jobs: Iterable[Job], size: int, window: int,
             stop: Callable[[], bool], tick: Callable[[int], None] | None = None
             ) -> Iterator[tuple[list[_Outcome], object]]:
    """(outcomes, staged segment) per group of jobs, in order, from `pool`; at most
    `window` groups in flight (bounds memory, and lets a merge the parent submits meanwhile
    start soon: a worker takes it before the groups queued after it). Returns early when
    `stop()` says so (a Ctrl-C), without waiting for the groups in hand."""
    from collections import deque

    groups = _group_jobs(jobs, size)
    pending: deque = deque()

    def fill() -> None:
        while len(pending) < window:
            group = next(groups, None)
            if group is None:
                return
            pending.append(pool.apply_async(_process_group, (group,)))

    fill()
    received = 0  # whole files whose outcomes came back
    while pending:
        head = pending[0]
        while not head.ready():
            head.wait(0.1)
            if stop():
                return
            if tick is not None and _FILES_DONE is not None:
                tick(max(0, _FILES_DONE.value - received))  # finished, not yet received
        pending.popleft()
        result = head.get()
        received += sum(1 for o in result[0] if o.chunk is None)
        fill()
        yield result
