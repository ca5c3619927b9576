"""Looking after an index: `check` (is it whole?), `roots` (what is in it), `forget`
(take a folder out of it)."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field

from .damage import rebuild_command
from .engine import (
    EngineSpec,
    as_spec,
    duplicate_ids,
    has_index,
    identity_of,
    open_engine,
    path_counts,
    verify,
)
from .errors import IndexDamaged, NewsgrepError
from .manifest import MANIFEST, Manifest, ManifestDamaged, Root


@dataclass
class CheckReport:
    index: str
    articles: int | None = None  # held by the engine (None: it cannot be read)
    files: int | None = None  # listed in the manifest (None: it cannot be read)
    problems: list[str] = field(default_factory=list)
    roots: list[str] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        return not self.problems

    @property
    def repair(self) -> str:
        """The command that rebuilds the index from the article files."""
        return rebuild_command(self.roots)

    def to_dict(self) -> dict:
        return {**asdict(self), "healthy": self.healthy,
                "repair": None if self.healthy else self.repair}


def check_index(target: EngineSpec | str | os.PathLike, deep: bool = False) -> CheckReport:
    """Verify the index: every file of it readable and as written, its article counts
    equal to what the manifest recorded per file, no article held twice.

    Raises NewsgrepError when there is no index to check."""
    spec = as_spec(target)
    if not spec.path.is_dir() or not (has_index(spec) or (spec.path / MANIFEST).exists()):
        raise NewsgrepError(f"no index at {spec.path}: nothing to check")
    report = CheckReport(index=str(spec.path))
    problems = report.problems
    manifest = None
    try:
        manifest = Manifest(spec.path)
        problems += [f"manifest.db: {p}" for p in manifest.integrity_problems()]
        recorded = manifest.all()
        meta = manifest.meta()
        report.roots = [r.path for r in manifest.roots() if r.path]
        report.files = len(recorded)
    except ManifestDamaged:
        problems.append("manifest.db cannot be read")
        recorded, meta = None, {}
    finally:
        if manifest is not None:
            manifest.close()
    if not has_index(spec):
        if recorded:
            problems.append(f"the index files are missing, though the manifest lists "
                            f"{len(recorded):,} files")
        return report
    problems += verify(spec, deep=deep)
    if problems:
        return report
    try:
        engine = open_engine(spec)
        report.articles = engine.doc_count()
        counts = path_counts(engine)
        dups = duplicate_ids(engine)
        ident = identity_of(engine)
    except IndexDamaged as e:
        problems.append(e.problem)
        return report
    except NewsgrepError as e:
        problems.append(str(e))
        return report
    except Exception as e:  # noqa: BLE001 - any failure to read it is the finding
        problems.append(f"the index cannot be read ({type(e).__name__}: {e})")
        return report
    if recorded is None:
        return report
    if ident and meta.get("identity") and ident != meta["identity"]:
        problems.append("the index is not the one the manifest describes (it was deleted "
                        "or made again)")
    if dups:
        problems.append(f"{dups:,} articles are held more than once")
    if counts is not None:
        missing = [p for p, st in recorded.items() if counts.get(p, 0) == 0
                   and st.articles != 0]
        wrong = [p for p, st in recorded.items() if st.articles is not None
                 and counts.get(p, 0) not in (0, st.articles)]
        stray = [p for p in counts if p not in recorded]
        if missing:
            problems.append(f"{len(missing):,} files in the manifest have no articles in "
                            f"the index (e.g. {_show(missing[0])})")
        if wrong:
            p = wrong[0]
            problems.append(f"{len(wrong):,} files have a different number of articles "
                            f"than recorded (e.g. {_show(p)}: {counts.get(p, 0)} held, "
                            f"{recorded[p].articles} recorded)")
        if stray:
            problems.append(f"{len(stray):,} files have articles in the index but no "
                            f"row in the manifest (e.g. {_show(stray[0])})")
    elif "articles" in meta and int(meta["articles"]) != report.articles:
        problems.append(f"the index holds {report.articles:,} articles, the manifest "
                        f"recorded {int(meta['articles']):,}")
    return report


def _show(path: str) -> str:
    from .display import safe

    return safe(path)


def list_roots(target: EngineSpec | str | os.PathLike) -> list[Root]:
    """The folders indexed into `target`, with their files, articles and last run."""
    spec = as_spec(target)
    if not (spec.path / MANIFEST).exists():
        raise NewsgrepError(f"no index at {spec.path}: run 'newsgrep index FOLDER' first")
    m = Manifest(spec.path)
    try:
        return m.roots()
    finally:
        m.close()


def forget(path: str | os.PathLike, target: EngineSpec | str | os.PathLike) -> dict:
    """Remove every article of the files at or below `path` from the index, and their
    manifest rows (the files themselves are not touched). Returns the counts."""
    from .ingest import IndexSummary, run_lock

    spec = as_spec(target)
    if not (spec.path / MANIFEST).exists():
        raise NewsgrepError(f"no index at {spec.path}: nothing to forget")
    root = os.path.realpath(path)
    with run_lock(spec.path, IndexSummary()):
        engine = open_engine(spec)
        manifest = Manifest(spec.path)
        try:
            rows = manifest.under([root])
            counts = path_counts(engine) or {}
            prefix = root.rstrip("/") + "/"
            paths = set(rows) | {p for p in counts if p == root or p.startswith(prefix)}
            if not paths:
                raise NewsgrepError(
                    f"nothing is indexed from {path}: 'newsgrep roots' lists what is")
            articles = sum(counts.get(p, 0) for p in paths)
            w = engine.writer()
            try:
                for p in sorted(paths):
                    w.delete_path(p)
                w.commit()
            except BaseException:
                w.cancel()
                raise
            manifest.forget(root)
            manifest.apply([], [], {"articles": str(engine.doc_count()),
                                    "identity": identity_of(engine)})
        finally:
            manifest.close()
    return {"path": root, "files": len(rows), "articles": articles}
