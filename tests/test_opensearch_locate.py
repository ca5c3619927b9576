"""Issue 12, items 7 and 9 on the OpenSearch engine: record locations, `show FILE:LINE`,
`--path`/`path:`, `author:` and exact words give what the Whoosh engine gives on the
same files (tests/test_cli_locate.py has the folder and the Whoosh side)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import jsonl, run
from .opensearch_support import run_os, with_auth
from .test_cli_locate import write_folder


@pytest.fixture(scope="module")
def both(opensearch, tmp_path_factory) -> tuple[str, Path, Path, Path]:
    """The folder indexed by both engines: (url, local dir, Whoosh index, folder)."""
    base = tmp_path_factory.mktemp("os-locate")
    folder = write_folder(base / "data")
    url = with_auth(opensearch[1], "locate")
    local = base / "local"
    res = run_os(url, local, "index", "--json", str(folder))
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["articles"] == 7
    idx = base / "whoosh"
    assert run("index", "-q", str(folder), index=idx).exit_code == 0
    return url, local, idx, folder


QUERIES = [
    ("zebras",), ("budget",), ("*",), ("=Kind",), ("exact:Kind",), ("=kind",), ("=Kinds",),
    ("=Kind*",), ("=K?nd",),
    ("kind",), ("budget -=Kind",), ('="Kind spielt"',), ("author:chan",),
    ('author:"eve stone"',), ("path:*/bbc/* zebras",), ("zebras -path:*/news/*",),
    ("zebras", "--path", "*/bbc/*"), ("zebras", "--path", "bbc/*", "--path", "*.html"),
    ("*", "--path", "*/news/*"),
]


def test_locations_and_filters_agree_with_whoosh(both) -> None:
    url, local, idx, _ = both
    for args in QUERIES:
        ours = run_os(url, local, "search", *args, "-l")
        theirs = run("search", *args, "-l", index=idx)
        assert ours.exit_code == theirs.exit_code, (args, ours.output, theirs.output)
        assert sorted(ours.stdout.split()) == sorted(theirs.output.split()), args
        assert ours.stdout.strip(), args  # each query finds something


def test_json_carries_line_and_author_as_whoosh(both) -> None:
    url, local, idx, folder = both
    ours = jsonl(run_os(url, local, "search", "*", "--json").stdout)
    theirs = {h["id"]: h for h in jsonl(run("search", "*", "--json", index=idx).output)}
    assert len(ours) == len(theirs) == 7
    for h in ours:
        assert (h["path"], h["line"], h["author"]) == (
            theirs[h["id"]]["path"], theirs[h["id"]]["line"], theirs[h["id"]]["author"])
    hit = jsonl(run_os(url, local, "search", "=Kind", "--json").stdout)[0]
    assert (hit["line"], hit["author"]) == (3, "Karl Weber")
    assert {hit["snippet"][a:b] for a, b in hit["highlights"]} == {"Kind"}


def test_show_by_location(both) -> None:
    url, local, _, folder = both
    feed = folder / "news" / "feed.jsonl"
    res = run_os(url, local, "show", f"{feed}:3", "--json")
    assert res.exit_code == 0, res.output
    got = json.loads(res.stdout)
    assert (got["title"], got["line"], got["author"]) == ("Das Kind", 3, "Karl Weber")
    res = run_os(url, local, "show", str(feed))
    assert res.exit_code == 2 and "holds 3 articles" in res.output
