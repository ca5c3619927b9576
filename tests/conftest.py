"""Shared fixtures: a demo index built once per test session from corpus/ through the CLI."""

from __future__ import annotations

import json
import os
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


# -- the OpenSearch suite (tests/test_opensearch_*.py) ----------------------------------
# NEWSGREP_TEST_OPENSEARCH picks what it runs against: unset/"auto" a real node started
# here if Java and Maven are found (scripts/opensearch_node.py), "node" the same but
# required, "osmem" the in-memory emulator (quick, not what CI trusts), an http(s):// URL
# an existing cluster, "off" nothing. When it cannot run, the files are not collected and
# the session ends with one line saying why.
OPENSEARCH_MODE = os.environ.get("NEWSGREP_TEST_OPENSEARCH", "auto").strip() or "auto"


def _opensearch_skip_reason() -> str | None:
    mode = OPENSEARCH_MODE
    if mode == "off":
        return "NEWSGREP_TEST_OPENSEARCH=off (`make test-opensearch` runs it on a real node)"
    try:
        import opensearchpy  # noqa: F401
    except ImportError:
        return "opensearch-py is not installed (dev dependency)"
    if mode == "osmem":
        try:
            import osmem_server  # noqa: F401
        except ImportError:
            return "osmem-server is not installed"
        return None
    if mode == "auto":
        from scripts.opensearch_node import missing_tools

        if why := missing_tools():
            return why + "; `make test-opensearch` runs it where Java and Maven are"
    return None


def pytest_ignore_collect(collection_path, config):
    if collection_path.name.startswith("test_opensearch_") and _opensearch_skip_reason():
        return True
    return None


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if why := _opensearch_skip_reason():
        terminalreporter.write_line(f"OpenSearch suite not run: {why}")


@pytest.fixture(scope="session")
def opensearch():
    """(kind, base URL) of the OpenSearch the suite runs against: kind is "node" (a real
    node started for this session, stopped at its end), "osmem" or "url"."""
    if why := _opensearch_skip_reason():  # a file named on the command line
        pytest.skip(f"OpenSearch suite not run: {why}")
    mode = OPENSEARCH_MODE
    if mode.startswith(("http://", "https://")):
        yield "url", mode.rstrip("/")
    elif mode == "osmem":
        import osmem_server

        srv = osmem_server.OsmemServer.start(japanese=False)
        os.environ["NEWSGREP_OPENSEARCH_FLAT_SPANS"] = "1"  # osmem rejects nested span_near
        yield "osmem", srv.url
        srv.close()
    else:
        from scripts.opensearch_node import Cluster, NodeError

        try:
            cluster = Cluster(1).start()
        except NodeError as e:
            pytest.fail(str(e), pytrace=False)
        yield "node", cluster.url
        cluster.stop()


@pytest.fixture(scope="module")
def real(opensearch) -> str:
    """The base URL of a real OpenSearch node (Lucene's scoring); skips on osmem."""
    kind, url = opensearch
    if kind == "osmem":
        pytest.skip("needs a real OpenSearch node (osmem emulates the API, not Lucene)")
    return url
