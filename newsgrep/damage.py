"""The one line a command prints when it meets a damaged index, with the command that
rebuilds it from the folders the manifest lists. Below ingest and maintenance, which
both report damage."""

from __future__ import annotations

import os

from .engine import EngineSpec, as_spec
from .errors import NewsgrepError
from .manifest import MANIFEST, Manifest


def rebuild_command(roots: list[str]) -> str:
    from .display import safe

    folders = " ".join(_quote(safe(r)) for r in roots) if roots else "FOLDER..."
    return f"newsgrep index --full {folders}"


def _quote(path: str) -> str:
    import shlex

    return shlex.quote(path)


def manifest_roots(spec: EngineSpec) -> list[str]:
    """The folders the manifest lists, or [] when it cannot tell."""
    if not (spec.path / MANIFEST).exists():
        return []
    try:
        m = Manifest(spec.path)
        try:
            return [r.path for r in m.roots() if r.path]
        finally:
            m.close()
    except (NewsgrepError, OSError):
        return []


def damage_line(spec: EngineSpec | str | os.PathLike, problem: str) -> str:
    """The one line for a command that met a damaged index: what, and what to run."""
    spec = as_spec(spec)
    return (f"the index at {spec.path} is damaged: {problem}; run "
            f"'{rebuild_command(manifest_roots(spec))}' to rebuild it from the article files "
            "('newsgrep check' lists what is wrong)")
