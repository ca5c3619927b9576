"""The listing of hits on a pipe: the plain printer (no rich) prints what the rich
terminal printer prints there, and the machine and piped paths never import rich."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

from newsgrep.index import Index
from newsgrep.printers.console import make_console
from newsgrep.printers.plain import PlainPrinter
from newsgrep.printers.terminal import TerminalPrinter
from newsgrep.query import SearchRequest

from .conftest import ROOT


def _both(result) -> tuple[str, str]:
    plain, rich = io.StringIO(), io.StringIO()
    PlainPrinter(plain).print(result)
    TerminalPrinter(make_console("auto", file=rich)).print(result)
    return plain.getvalue(), rich.getvalue()


@pytest.mark.parametrize("req", [
    SearchRequest("troops", limit=10, snippets=3),
    SearchRequest("said", limit=30, snippets=3, collapse=True),
    SearchRequest("москва OR anusauskas", limit=None, snippets=3),
    SearchRequest("covid", limit=5, snippets=3, sort="newest"),
])
def test_plain_listing_is_the_terminal_listing_on_a_pipe(demo_index, req):
    result = Index(demo_index).search(req)
    assert result.hits
    plain, rich = _both(result)
    assert plain == rich
    assert f"{result.total} match" in plain.splitlines()[-1]


def test_plain_listing_of_similar_articles(demo_index):
    ix = Index(demo_index)
    first = ix.search(SearchRequest("troops", limit=1)).hits[0]
    result = ix.similar(first.id)
    plain, rich = _both(result)
    assert plain == rich and first.id not in plain.splitlines()[0]


@pytest.mark.parametrize("args", [["--json"], ["-l"], ["--count"], ["--csv"], []])
def test_piped_search_never_imports_rich(demo_index, args):
    code = ("import sys\nfrom newsgrep.cli import cli\n"
            "try:\n    cli(sys.argv[1:], prog_name='newsgrep')\n"
            "except SystemExit:\n    pass\n"
            "sys.stderr.write(' '.join(m for m in sys.modules if m.split('.')[0] in "
            "('rich', 'datasketch') or m.startswith('newsgrep.cli.') and "
            "m != 'newsgrep.cli.common' and m != 'newsgrep.cli.search_cmd'))\n")
    out = subprocess.run([sys.executable, "-c", code, "--index", str(demo_index), "search",
                          "troops", *args], cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert out.stdout.strip()  # it printed its hits (a pipe: no terminal)
    assert out.stderr.strip() == ""
