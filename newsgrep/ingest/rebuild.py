"""`index --full` for a local index: a new index built beside the old one, then swapped
in."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ..engine import EngineSpec, is_disk_full, open_engine
from ..errors import NewsgrepError
from ..manifest import Manifest, ManifestDamaged
from .interrupt import IndexInterrupted
from .lock import run_lock
from .options import RunOptions
from .run import _disk_full, _run
from .summary import IndexSummary
from .swap import _swap

REBUILD_SUFFIX = ".rebuild"


def rebuild_dir(index_dir: Path) -> Path:
    """Where `index --full` builds the new index: beside the old one, on the same file
    system, so that the two can be swapped by a rename."""
    return index_dir.parent / f".{index_dir.name}{REBUILD_SUFFIX}"


def _rebuild(spec: EngineSpec, roots: list[str], summary: IndexSummary, opts: RunOptions
             ) -> None:
    """`index --full` for a local index: read everything into a new folder, then swap it
    with the old one. Until the swap the old index is untouched and searchable; an
    interrupted or failed rebuild leaves it as it was and removes the new folder."""
    # Through a symlinked index folder: swap the real folder, keep the link.
    spec = EngineSpec(Path(os.path.realpath(spec.path)), kind=spec.kind, url=spec.url)
    build = rebuild_dir(spec.path)
    shutil.rmtree(build, ignore_errors=True)  # left by a rebuild that did not finish
    try:
        build.mkdir(parents=True)
    except OSError as e:
        raise NewsgrepError(f"cannot create {build} to rebuild the index in "
                            f"({e.strerror}): the folder that holds the index must be "
                            "writable") from None
    try:
        # The old manifest says which files were indexed (and from which folders); a
        # damaged one can only cost the files outside the folders given now.
        old: Manifest | None = None
        try:
            old = Manifest(spec.path)
            old.all(), old.roots()  # read now: a damaged one shows itself here
        except ManifestDamaged as e:
            summary.warnings.append({"path": str(spec.path), "reason": (
                f"{e}; only the folders given now are read into the new index")})
            if old is not None:
                old.close()
            old = None
        new_spec = EngineSpec(build, kind=spec.kind, url=spec.url)
        manifest = Manifest(build)
        try:
            engine = open_engine(new_spec, create=True)
            _run(engine, new_spec, manifest, roots, summary, opts,
                 previous=old if old is not None else manifest)
            if old is not None:
                manifest.copy_roots_from(old)
        finally:
            manifest.close()
            if old is not None:
                old.close()
        # The lock of the new folder is taken before the swap, so that no other run
        # can start on it between the swap and the end of this one.
        with run_lock(build, IndexSummary()):
            _swap(build, spec.path)
    except IndexInterrupted as e:
        e.kept = False
        raise
    except Exception as e:
        if is_disk_full(e):
            raise NewsgrepError(_disk_full(spec.path)) from None
        raise
    finally:
        # Before the swap: the unfinished new index; after it: the old one.
        shutil.rmtree(build, ignore_errors=True)
