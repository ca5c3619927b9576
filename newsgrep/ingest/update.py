"""`index_paths`: bring an index up to date with the article files under some folders."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from contextlib import nullcontext

from ..discover import printable_path
from ..engine import (
    EngineSpec,
    as_spec,
    clean_uncommitted,
    is_disk_full,
    open_engine,
    preparer,
    quick_problems,
    stores_locally,
)
from ..errors import NewsgrepError
from ..manifest import Manifest
from ..readers import DEFAULT_MAX_BYTES
from .lock import run_lock
from .options import BATCH_FILES, COMMIT_SECONDS, RunOptions
from .parse import _use_preparer
from .rebuild import _rebuild
from .run import _disk_full, _run
from .summary import IndexSummary


def index_paths(
    paths: Iterable[str | os.PathLike],
    index_dir: EngineSpec | str | os.PathLike,
    *,
    full: bool = False,
    jobs: int | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: Callable[[float, int, int], None] | None = None,
    commit_every: int = BATCH_FILES,
    commit_seconds: float = COMMIT_SECONDS,
    lock: bool = True,
) -> IndexSummary:
    """Bring the index up to date with the article files under `paths`.

    `progress(done, total, articles)` is called as files are processed (`done` has a
    fraction while a big .jsonl file is parsed in chunks; `articles` so far). Raises
    NewsgrepError only when nothing can be done (a missing path, an index that cannot
    be written, a full disk) and IndexInterrupted on Ctrl-C, after committing what was
    read. `lock=False`: the caller holds `run_lock` already (`newsgrep watch` holds it
    for as long as it runs). `full` re-reads everything; for a local index it builds a
    new one beside the old and swaps it in only when complete, so it also repairs a
    damaged index.
    """
    t0 = time.perf_counter()
    roots = []
    for p in paths:
        if not os.path.exists(p):
            raise NewsgrepError(f"no such file or folder: {printable_path(p)}")
        roots.append(os.path.realpath(p))
    spec = as_spec(index_dir)
    if spec.path.exists() and not spec.path.is_dir():
        raise NewsgrepError(f"the index {spec.path} is a file, not a folder")
    try:
        spec.path.mkdir(parents=True, exist_ok=True)  # manifest + lock, whatever the engine
    except OSError as e:
        raise NewsgrepError(f"cannot create index folder {spec.path}: {e.strerror}") from None
    summary = IndexSummary()
    home = os.path.realpath(spec.path)
    for root in roots:
        if _within(home, root):
            summary.warnings.append({"path": str(spec.path), "reason": (
                f"the index lives inside {root}, which is being indexed: keep it in a "
                "folder of its own (the default, or --index DIR elsewhere)")})
    _use_preparer(preparer(spec))
    opts = RunOptions(full, jobs, max_bytes, progress, max(1, commit_every),
                    max(0.0, commit_seconds))
    with run_lock(spec.path, summary) if lock else nullcontext():
        if full and stores_locally(spec):
            _rebuild(spec, roots, summary, opts)
        else:
            # Files missing or cut short: the index cannot be updated in place, and the
            # manifest must not be trusted. (A missing table of contents only is made
            # again, empty; then every recorded file is read again, below.)
            damage = [p for p in quick_problems(spec) if "table of contents" not in p]
            if damage:
                from ..damage import damage_line

                raise NewsgrepError(damage_line(spec, damage[0]))  # names the folders
            try:
                engine = open_engine(spec, create=True)
                manifest = Manifest(spec.path)
                try:
                    _run(engine, spec, manifest, roots, summary, opts)
                finally:
                    manifest.close()
            except Exception as e:
                if not is_disk_full(e):
                    raise
                clean_uncommitted(spec)
                raise NewsgrepError(_disk_full(spec.path)) from None
    summary.seconds = time.perf_counter() - t0
    return summary


def _within(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")
