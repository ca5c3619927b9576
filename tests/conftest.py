"""Shared fixtures: a demo index built once per test session from corpus/ through the CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsgrep.cli import cli

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SEEDS = CORPUS / "seeds"
SEED_000 = SEEDS / "000_2af2d4676b6d9f59.txt"
SEED_004 = SEEDS / "004_15117f6641672c6c.txt"


def run(*args: str, index: Path | None = None, env: dict | None = None):
    """Invoke the CLI the way a user would; returns click's Result."""
    argv = (["--index", str(index)] if index else []) + list(args)
    return CliRunner().invoke(cli, argv, env=env or {"NO_COLOR": "1"}, catch_exceptions=False)


def jsonl(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


@pytest.fixture(scope="session")
def demo_index(tmp_path_factory) -> Path:
    """The shipped corpus (seeds, Wikinews, Meduza) indexed once."""
    idx = tmp_path_factory.mktemp("demo") / "index"
    res = run("index", "--json", str(CORPUS), index=idx)
    assert res.exit_code == 0, res.output
    summary = json.loads(res.output)
    assert summary["indexed"] >= 395
    return idx


@pytest.fixture()
def seeds_copy(tmp_path) -> Path:
    """A private copy of the seeds that a test may edit."""
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS, folder, ignore=shutil.ignore_patterns("*.md"))
    return folder
