"""An index keeps opening when the code that defines its field classes moves.

Whoosh pickles the schema into every table of contents, naming each field's format class
by module path; newsgrep's re-layout moved `ExactFrequency` (from engine/whoosh_store.py),
which would have made every index made before it unreadable. The engine reads a TOC with
the code's own schema instead (FORMAT_VERSION says when that schema changes)."""

from __future__ import annotations

from pathlib import Path

from newsgrep.article import Article
from newsgrep.engine import open_engine
from newsgrep.query import SearchRequest

HERE = b"newsgrep.engine.whoosh.schema"
GONE = b"newsgrep.engine.whoosh.gone__"  # the same length: the pickle stays well formed


def _article(n: int) -> Article:
    return Article(id=f"a{n}", path=f"/news/{n}.txt", title=f"Harbour strike day {n}",
                   body="Dockers in Riga walked out over pay. " * 3)


def _orphan_the_toc(idx: Path) -> None:
    toc = max(idx.glob("_MAIN_*.toc"), key=lambda p: int(p.stem.split("_")[-1]))
    data = toc.read_bytes()
    assert HERE in data
    toc.write_bytes(data.replace(HERE, GONE))


def test_an_index_whose_toc_names_a_moved_module_still_opens_and_writes(tmp_path):
    idx = tmp_path / "idx"
    eng = open_engine(idx, create=True)
    w = eng.writer()
    w.add(_article(1))
    w.commit()
    _orphan_the_toc(idx)

    eng = open_engine(idx)
    assert eng.doc_count() == 1
    assert [h.id for h in eng.search(SearchRequest("dockers")).hits] == ["a1"]
    w = eng.writer()  # reads the TOC again to commit (bulk writer), then merges
    w.add(_article(2))
    w.commit()
    assert open_engine(idx).count(SearchRequest("harbour")) == 2
