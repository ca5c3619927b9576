"""Before a run trusts the manifest: does the engine hold what it says?"""

from __future__ import annotations

from ..engine import EngineSpec, identity_of, path_counts
from ..manifest import Manifest
from .summary import IndexSummary


def _reconcile(engine, spec: EngineSpec, manifest: Manifest, summary: IndexSummary
               ) -> tuple[set[str], list[str]]:
    """Check that the engine holds what the manifest says before trusting it.

    Returns the recorded files to read again (their articles are missing or doubled)
    and the paths the engine holds that no row accounts for (to be removed). Cheap when
    all is well: the engine's identity and article count against the recorded ones.
    """
    meta = manifest.meta()
    rows = manifest.count()
    if not rows:
        return set(), []
    held = engine.doc_count()
    ident, recorded_ident = identity_of(engine), meta.get("identity")
    reason = None
    if ident and recorded_ident and ident != recorded_ident:
        reason = (f"the index at {spec.path} is not the one the manifest describes (it "
                  "was deleted or made again)")
    elif held == 0:
        reason = f"the index held no articles, though {rows:,} files were recorded"
    if reason:
        summary.warnings.append({"path": str(spec.path),
                                 "reason": f"{reason}: reading those files again"})
        return set(manifest.all()), []
    if "articles" not in meta or int(meta["articles"]) == held:
        return set(), []
    counts = path_counts(engine)
    if counts is None:
        return set(), []
    recorded = manifest.all()
    suspect = {p for p, st in recorded.items()
               if (counts.get(p, 0) != st.articles if st.articles is not None
                   else counts.get(p, 0) == 0)}
    stray = [p for p in counts if p not in recorded]
    if suspect or stray:
        summary.warnings.append({"path": str(spec.path), "reason": (
            f"the index held {held:,} articles where {int(meta['articles']):,} were "
            f"recorded: reading {len(suspect):,} files again, removing "
            f"{len(stray):,} paths no file accounts for")})
    return suspect, stray
