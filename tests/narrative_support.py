"""Helpers for the narrative command tests: small article folders and indexes."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from newsgrep.cli import cli


def run(*args: str, index: Path | None = None, env: dict | None = None):
    """Invoke the CLI the way a user would; returns click's Result."""
    argv = (["--index", str(index)] if index else []) + list(args)
    return CliRunner().invoke(cli, argv, env=env or {"NO_COLOR": "1"}, catch_exceptions=False)


def write_articles(folder: Path, rows: list[dict]) -> Path:
    """One .json file per article (keys: name, title, body, date, source, url)."""
    import json

    folder.mkdir(parents=True, exist_ok=True)
    for i, row in enumerate(rows):
        row = dict(row)
        name = row.pop("name", f"a{i:03d}")
        row.setdefault("title", name)
        (folder / f"{name}.json").write_text(json.dumps(row), encoding="utf-8")
    return folder


def build_index(folder: Path, index: Path) -> Path:
    res = run("index", "--json", str(folder), index=index)
    assert res.exit_code == 0, res.output
    return index
