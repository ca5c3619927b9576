"""`*` and `field:*` (Whoosh's Every(field)) are matched from the field lengths
(engine._FieldPresent), not by reading every posting list of the field: the same
documents and scores, deleted ones left out, in milliseconds instead of the 35 CPU-s
`*` took at 20k articles (a search with two --source options ran it once per source)."""

from __future__ import annotations

from whoosh import query

from newsgrep.engine.whoosh.engine import WhooshEngine, _fast_every, _FieldPresent
from newsgrep.query import SearchRequest

from .conftest import SEED_000, jsonl, run


def _ids(engine: WhooshEngine, q: query.Query) -> list[tuple[int, float]]:
    with engine.ix.searcher() as s:
        out = []
        for sub, offset in s.leaf_searchers():
            m = q.matcher(sub)
            while m.is_active():
                out.append((m.id() + offset, m.score()))
                m.next()
        return out


def _check_same(index) -> None:
    engine = WhooshEngine(index)
    # Fields with lengths (TEXT), and without (ID: left to Whoosh's own matcher).
    for field, boost in (("title", 2.0), ("body", 1.0), ("source", 1.0), ("author", 1.0),
                         ("exact", 1.0), ("path", 1.0), ("lang", 1.0), ("domain", 1.0)):
        whoosh_own = _ids(engine, query.Every(field, boost=boost))
        assert whoosh_own or field not in ("title", "body")
        assert _ids(engine, _FieldPresent(field, boost=boost)) == whoosh_own


def test_same_documents_and_scores_as_whooshs_every(demo_index):
    _check_same(demo_index)


def test_deleted_documents_stay_out(seeds_copy, tmp_path):
    idx = tmp_path / "ix"
    assert run("index", str(seeds_copy), index=idx).exit_code == 0
    (seeds_copy / SEED_000.name).unlink()
    res = run("index", str(seeds_copy), index=idx)
    assert res.exit_code == 0 and "removed 1" in res.output
    _check_same(idx)
    engine = WhooshEngine(idx)
    assert engine.count(SearchRequest("*")) == engine.doc_count()


def test_every_is_rewritten_wherever_it_stands():
    q = query.And([query.Or([query.Every("title", boost=2.0), query.Every("body")]),
                   query.Not(query.Every("title")),
                   query.Require(query.Term("body", "x"), query.Every("body")),
                   query.Every()])
    new = _fast_every(q)
    assert new.subqueries[0].subqueries == [_FieldPresent("title", boost=2.0),
                                            _FieldPresent("body")]
    assert new.subqueries[1].query == _FieldPresent("title")
    assert new.subqueries[2].b == new.subqueries[2].subqueries[1] == _FieldPresent("body")
    assert type(new.subqueries[3]) is query.Every  # all documents: Whoosh's own is quick
    assert type(q.subqueries[0].subqueries[0]) is query.Every  # the original unchanged
    plain = query.And([query.Term("body", "x"), query.Term("title", "y")])
    assert _fast_every(plain) is plain


def test_a_star_search_and_several_sources(demo_index):
    every = jsonl(run("search", "*", "--json", "--fields", "id", index=demo_index).output)
    assert len(every) == WhooshEngine(demo_index).doc_count()
    res = run("search", "troops", "--source", "balticword.com", "--source", "nosuchsource",
              "--json", index=demo_index)
    assert res.exit_code == 0
    assert len(jsonl(res.stdout)) == 1
    assert "no source called 'nosuchsource'" in res.stderr


def test_same_with_whooshs_own_writer(tmp_path):
    """The lengths written by Whoosh's SegmentWriter (NEWSGREP_WHOOSH_WRITER=1) say the
    same: a field's length is the sum of its words' frequencies there."""
    idx = tmp_path / "ix"
    res = run("index", str(SEED_000.parent), index=idx,
              env={"NO_COLOR": "1", "NEWSGREP_WHOOSH_WRITER": "1"})
    assert res.exit_code == 0, res.output
    _check_same(idx)
