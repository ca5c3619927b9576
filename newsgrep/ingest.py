"""`newsgrep index`: discover -> read/decode -> normalize -> write to the engine.

Incremental: a file whose size and mtime match the manifest is not opened; one whose
bytes hash to the manifest's digest is not re-parsed. Parsing runs on all cores; the
single engine writer commits in batches, each followed by the manifest update, so an
interrupted run keeps every finished batch and the next run picks up the rest.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .article import Article
from .discover import FileInfo, Skipped, discover
from .engine import open_engine
from .errors import NewsgrepError, SkipFile
from .manifest import FileState, Manifest
from .readers import DEFAULT_MAX_BYTES, parse_bytes, read_bytes

BATCH_FILES = 5000  # files per commit: bounds the work an interruption can lose


@dataclass
class IndexSummary:
    indexed: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    skipped: list[dict] = field(default_factory=list)  # {"path", "reason"}
    warnings: list[dict] = field(default_factory=list)  # {"path", "reason"}: kept, with a note
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return {"indexed": self.indexed, "updated": self.updated, "unchanged": self.unchanged,
                "removed": self.removed, "skipped": self.skipped, "warnings": self.warnings,
                "seconds": round(self.seconds, 3)}


@dataclass
class _Outcome:
    info: FileInfo
    digest: str | None = None
    articles: list[Article] | None = None
    skip: str | None = None
    same_content: bool = False


def _process(job: tuple[FileInfo, str | None, int]) -> _Outcome:
    """Worker: read, hash and (if the content changed) parse one file. Never raises."""
    info, old_digest, max_bytes = job
    try:
        data = read_bytes(info.path, max_bytes)
        digest = hashlib.blake2b(data, digest_size=16).hexdigest()
        if digest == old_digest:
            return _Outcome(info, digest, same_content=True)
        from .normalize import normalize

        articles = [normalize(raw) for raw in parse_bytes(info.path, data)]
        if not articles:
            return _Outcome(info, digest, skip="no articles in file")
        return _Outcome(info, digest, articles=articles)
    except SkipFile as e:
        return _Outcome(info, skip=str(e))
    except RecursionError:
        return _Outcome(info, skip="unparsable (nesting too deep)")
    except Exception as e:  # a bug in one parser must not stop the run
        return _Outcome(info, skip=f"unparsable: {type(e).__name__}: {e}")


def _warm_up() -> None:
    # Load the language model and parsers once in the parent so forked workers share them.
    from .language import detect_language
    from .normalize import normalize  # noqa: F401

    detect_language("warm up the language identifier with a short english sentence")


def _parallel(jobs: list[tuple[FileInfo, str | None, int]], n_jobs: int) -> Iterator[_Outcome]:
    if n_jobs <= 1 or len(jobs) < 64:
        yield from map(_process, jobs)
        return
    import multiprocessing as mp

    ctx = mp.get_context("fork") if hasattr(os, "fork") else mp.get_context()
    with ctx.Pool(n_jobs) as pool:
        yield from pool.imap(_process, jobs, chunksize=16)


def index_paths(
    paths: Iterable[str | os.PathLike],
    index_dir: str | os.PathLike,
    *,
    full: bool = False,
    jobs: int | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: Callable[[int, int], None] | None = None,
) -> IndexSummary:
    """Bring the index up to date with the article files under `paths`.

    `progress(done, total)` is called as files are processed. Raises NewsgrepError only
    when nothing can be done (a missing path, an index that cannot be written).
    """
    t0 = time.perf_counter()
    roots = []
    for p in paths:
        if not os.path.exists(p):
            raise NewsgrepError(f"no such file or folder: {p}")
        roots.append(os.path.realpath(p))
    engine = open_engine(index_dir, create=True)
    manifest = Manifest(Path(index_dir))
    summary = IndexSummary()
    try:
        known = manifest.under(roots)
        found: list[FileInfo] = []
        for item in discover(roots):
            if isinstance(item, Skipped):
                summary.skipped.append({"path": item.path, "reason": item.reason})
            else:
                found.append(item)
        found_paths = {f.path for f in found}
        gone = [p for p in known if p not in found_paths]

        todo: list[tuple[FileInfo, str | None, int]] = []
        for info in found:
            old = known.get(info.path)
            if (not full and old is not None and old.size == info.size
                    and old.mtime_ns == info.mtime_ns):
                summary.unchanged += 1
            else:
                todo.append((info, None if full or old is None else old.digest, max_bytes))

        total = len(todo)
        if progress:
            progress(0, total)
        n_jobs = jobs or os.cpu_count() or 1
        if todo:
            _warm_up()
        fresh_index = engine.doc_count() == 0
        batch: list[_Outcome] = []
        done = 0
        for outcome in _parallel(todo, n_jobs):
            batch.append(outcome)
            done += 1
            if progress:
                progress(done, total)
            if len(batch) >= BATCH_FILES:
                _commit(engine, manifest, batch, [], known, summary, fresh_index)
                fresh_index = False
                batch = []
        if batch or gone:
            _commit(engine, manifest, batch, gone, known, summary, fresh_index)
    finally:
        manifest.close()
    summary.seconds = time.perf_counter() - t0
    return summary


def _commit(engine, manifest: Manifest, batch: list[_Outcome], gone: list[str],
            known: dict[str, FileState], summary: IndexSummary, fresh_index: bool) -> None:
    upserts: list[FileState] = []
    deletes: list[str] = []
    writer = engine.writer()
    try:
        for path in gone:
            writer.delete_path(path)
            deletes.append(path)
        for o in batch:
            info = o.info
            if o.same_content:
                summary.unchanged += 1
                upserts.append(FileState(info.path, info.size, info.mtime_ns, o.digest or ""))
                continue
            if o.skip is not None:
                summary.skipped.append({"path": info.path, "reason": o.skip})
                if info.path in known:  # it was indexed before: its old record is stale now
                    writer.delete_path(info.path)
                    deletes.append(info.path)
                continue
            if info.path in known:
                writer.delete_path(info.path)
                summary.updated += 1
            else:
                if not fresh_index:  # a crashed run may have left records without a manifest row
                    writer.delete_path(info.path)
                summary.indexed += 1
            for a in o.articles or []:
                writer.add(a)
                for w in a.warnings:
                    summary.warnings.append({"path": info.path, "reason": w})
            upserts.append(FileState(info.path, info.size, info.mtime_ns, o.digest or ""))
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    manifest.apply(upserts, deletes)
    summary.removed += len(gone)
