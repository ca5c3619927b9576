"""What a search imports (issue #13): engine/whoosh/__init__.py loads whoosh.compat and
whoosh.reading without urllib.request and asyncio, and Whoosh behaves as before."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SEARCH = """
import json, runpy, sys
sys.argv = ["newsgrep", "--index", sys.argv[1], "search", *sys.argv[2:], "--json"]
try:
    runpy.run_module("newsgrep", run_name="__main__")
except SystemExit as e:
    assert not e.code, e.code
print(json.dumps(sorted(m for m in ("urllib.request", "asyncio", "whoosh.reading")
                        if m in sys.modules)), file=sys.stderr)
"""


def _search(index_dir: Path, *args: str) -> tuple[list[dict], list[str]]:
    res = subprocess.run([sys.executable, "-c", SEARCH, str(index_dir), *args],
                         capture_output=True, text=True, check=True)
    hits = [json.loads(line) for line in res.stdout.splitlines() if line.strip()]
    return hits, json.loads(res.stderr.strip().splitlines()[-1])


def test_a_search_loads_neither_urllib_request_nor_asyncio(demo_index):
    hits, loaded = _search(demo_index, "troops", "--source", "balticword.com")
    assert len(hits) == 1 and "troops" in hits[0]["snippet"].lower()
    # whoosh.reading was loaded (the search read the index), its stand-ins were not.
    assert loaded == ["whoosh.reading"]


SHIMMED = """
import functools, sys
from pathlib import Path
import newsgrep.engine.whoosh  # first, as in a newsgrep process
import whoosh.compat, whoosh.reading
from whoosh import fields, index
tmp = Path(sys.argv[1])
# whoosh.compat.urlretrieve is the stand-in, and it works (the real one, loaded now).
assert whoosh.compat.urlretrieve.__module__ == "newsgrep.engine.whoosh"
src = tmp / "a.txt"
src.write_text("payload")
dest, _ = whoosh.compat.urlretrieve(src.as_uri(), str(tmp / "b.txt"))
assert Path(dest).read_text() == "payload"
# A later import anywhere gets the real modules, not the stand-ins.
import urllib.request
import cached_property
assert urllib.request.urlretrieve.__module__ == "urllib.request"
assert hasattr(cached_property, "threaded_cached_property")

# whoosh.reading's @cached_property is functools' and still computes once per reader.
assert whoosh.reading.cached_property is functools.cached_property
ix = index.create_in(str(tmp / "ix"), fields.Schema(k=fields.ID(stored=True)))
with ix.writer() as w:
    for k in "abc":
        w.add_document(k=k)
with ix.writer() as w:
    w.delete_by_term("k", "b")
with ix.reader() as r:
    assert r.deleted_docs_set == frozenset({1})
    assert "deleted_docs_set" in vars(r)
    assert [d["k"] for _, d in r.iter_docs()] == ["a", "c"]
print("ok")
"""


def test_whoosh_behaves_as_before_with_the_stand_ins(tmp_path):
    (tmp_path / "ix").mkdir()
    res = subprocess.run([sys.executable, "-c", SHIMMED, str(tmp_path)],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert res.stdout.split() == ["ok"]


# What else a plain search leaves alone (issue #13.5): the CJK character classes are
# compiled only for text that needs them, index.py's `show FILE:LINE` helpers (discover,
# shlex) are not imported, nor iuliia (romanizes Cyrillic query words only).
LEFT_ALONE = """
import json, runpy, sys
sys.argv = ["newsgrep", "--index", sys.argv[1], "search", *sys.argv[2:]]
try:
    runpy.run_module("newsgrep", run_name="__main__")
except SystemExit as e:
    assert not e.code, e.code
import newsgrep.words
print(json.dumps({"loaded": sorted(m for m in ("newsgrep.discover", "shlex", "iuliia",
                                                "newsgrep.index") if m in sys.modules),
                  "cjk": newsgrep.words._cjk.cache_info().currsize > 0}), file=sys.stderr)
"""


def _left_alone(index_dir: Path, *args: str) -> tuple[str, dict]:
    res = subprocess.run([sys.executable, "-c", LEFT_ALONE, str(index_dir), *args],
                         capture_output=True, text=True, check=True)
    return res.stdout, json.loads(res.stderr.strip().splitlines()[-1])


def test_a_search_compiles_no_cjk_class_and_loads_no_show_helpers(demo_index):
    for args in (["troops", "-n", "3"], ["troops", "--json"], ["troops", "--count"]):
        out, seen = _left_alone(demo_index, *args)
        assert "troop" in out.lower() or out.strip().isdigit()
        assert seen == {"loaded": ["newsgrep.index"], "cjk": False}, args
    # A Cyrillic query word is romanized (iuliia, loaded for it) and finds its articles.
    out, seen = _left_alone(demo_index, "Навальный", "--count")
    assert int(out) > 0 and "iuliia" in seen["loaded"]


def test_cjk_classes_compile_on_first_use():
    code = """
import sys
import newsgrep.words as w
compiled = lambda f: f.cache_info().currsize > 0
assert not compiled(w._cjk) and not compiled(w._cjk_run)
assert [t for _, _, t in w.words("iPhone手机 x")] == ["iPhone", "手机", "x"]
assert compiled(w._cjk_run)
assert w.has_cjk("ab平") and compiled(w._cjk) and not w.has_cjk("ab")
print("ok")
"""
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert res.stdout.split() == ["ok"]


def test_article_module_loads_no_hashlib_but_ids_are_unchanged():
    code = """
import sys
import newsgrep.article as a
assert "hashlib" not in sys.modules
import hashlib
assert a.article_id("/x/y.jsonl", 3) == hashlib.sha1(b"/x/y.jsonl#3").hexdigest()[:12]
assert a.article_id("/x/y.txt") == hashlib.sha1(b"/x/y.txt").hexdigest()[:12]
print("ok")
"""
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert res.stdout.split() == ["ok"]
