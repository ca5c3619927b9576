"""The JSON output of a fixed set of commands on the demo index, byte for byte.

A guard for re-layouts: moving code between modules must not change one byte of what
`--json` prints. The expected files live in tests/fixtures/golden/; regenerate them
(only when a change of output is meant) with NEWSGREP_REGOLD=1.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from newsgrep.article import article_id

from .conftest import ROOT, run

GOLDEN = Path(__file__).resolve().parent / "fixtures" / "golden"
REGOLD = os.environ.get("NEWSGREP_REGOLD") == "1"

# name -> argv; the name is the golden file's stem. Nothing here depends on today's date.
COMMANDS: dict[str, list[str]] = {
    "search_words": ["search", "ukraine", "--json"],
    "search_phrase": ["search", '"special envoy"', "--json"],
    "search_any": ["search", "troops baltic latvia", "--any", "--json", "-n", "15"],
    "search_boolean": ["search", "trump AND (impeachment OR subpoena) -pelosi", "--json"],
    "search_prefix_field": ["search", "title:elect*", "--json", "-n", "20"],
    "search_filters": [
        "search", "police", "--from", "2019-01", "--to", "2020-06", "--lang", "en",
        "-s", "wikinews", "--json",
    ],
    "search_source_ru": ["search", "Путин", "--source", "meduza", "--json", "-n", "10"],
    "search_collapse": ["search", "ukraine", "--collapse", "--json"],
    "search_collapse_any": [
        "search", "election president", "--any", "--collapse", "--json", "-n", "12",
    ],
    "search_sort_newest": ["search", "election", "--sort", "newest", "--json", "-n", "10"],
    "search_sort_oldest": ["search", "election", "--sort", "oldest", "--json", "-n", "10"],
    "search_context": ["search", "ukraine", "-C", "4", "--json"],
    "search_fields_body": [
        "search", "volker", "--fields", "id,title,rank,body", "--body", "--json",
    ],
    "search_expand": ["search", "baltic troops", "--any", "--expand", "--json", "-n", "10"],
    "search_count": ["search", "ukraine", "-c"],
    "search_facets": ["search", "ukraine", "--facets", "source,lang,year,month", "--json"],
    "search_facets_any": ["search", "election", "--facets", "source,year", "--json"],
    "show": ["show", "cb64d7489ad2", "--json"],
    "show_query": ["show", "cb64d7489ad2", "-q", "volker", "--json"],
    "similar": ["similar", "cb64d7489ad2", "--json", "-n", "8"],
    "similar_seed": ["similar", "cf750bec1920", "--json", "-n", "5"],
    "sources": ["sources", "--json"],
    "stats": ["stats", "--json"],
    "timeline": ["timeline", "ukraine", "--json"],
    "timeline_year_sources": ["timeline", "election", "--by", "year", "--by-source", "--json"],
    "timeline_share": ["timeline", "police", "--by", "quarter", "--share", "--json"],
    "terms": ["terms", "ukraine", "--json", "-n", "15"],
    "terms_words": ["terms", "election", "--no-phrases", "--json", "-n", "10"],
    "origin_query": ["origin", "ukraine", "--json"],
    "origin_article": ["origin", "cb64d7489ad2", "--json"],
}


# An article's id is a hash of its absolute path, so it differs between checkouts. The
# golden files hold the ids the articles have in a checkout at GOLDEN_ROOT (where they
# were written); ids are translated to and from this checkout's.
GOLDEN_ROOT = "/work/wt-house"


def _id_maps() -> tuple[dict[str, str], dict[str, str]]:
    """(this checkout's id -> golden id, golden id -> this checkout's id) of the corpus."""
    here: dict[str, str] = {}
    for p in (ROOT / "corpus").rglob("*"):
        if p.is_file():
            there = str(p).replace(str(ROOT), GOLDEN_ROOT, 1)
            here[article_id(str(p))] = article_id(there)
    return here, {v: k for k, v in here.items()}


TO_GOLDEN, FROM_GOLDEN = _id_maps()


def _normalised(text: str, index: Path) -> str:
    """Absolute paths made relative to the checkout, ids as in GOLDEN_ROOT; the index's
    size (it varies with segment merging) blanked."""
    text = text.replace(str(index), "<INDEX>").replace(str(ROOT), "<ROOT>")
    text = re.sub(r"\b[0-9a-f]{12}\b", lambda m: TO_GOLDEN.get(m.group(), m.group()), text)
    return re.sub(r'"index_bytes": \d+', '"index_bytes": 0', text)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_json_output_is_unchanged(demo_index: Path, name: str) -> None:
    res = run(*(FROM_GOLDEN.get(a, a) for a in COMMANDS[name]), index=demo_index)
    assert res.exit_code in (0, 1), res.output
    got = _normalised(res.output, demo_index)
    for line in got.splitlines():  # every line is JSON (or the bare count)
        json.loads(line)
    path = GOLDEN / f"{name}.json"
    if REGOLD:
        path.write_text(got, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}: run with NEWSGREP_REGOLD=1"
    assert got == path.read_text(encoding="utf-8")
