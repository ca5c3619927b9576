"""The reference systems `make eval` measures newsgrep against, in the same run: plain
Whoosh 2.7 BM25F and tantivy BM25, configured as the collections' READMEs describe.

These deliberately use the libraries directly, with their stock settings, rather than
newsgrep's engine: they are the "what anyone would get out of the box" anchors.

* Whoosh: ``StemmingAnalyzer`` (Porter, Whoosh's stopwords) on title and body, title boost
  2, ``MultifieldParser`` with ``OrGroup`` (any word), stock ``BM25F`` (B=0.75, K1=1.2).
* tantivy: ``en_stem`` tokenizer on title and body, the default (any word) query parser,
  BM25 (k1=1.2, b=0.75); in memory, rebuilt each run (a second or two).
"""

from __future__ import annotations

import time
from pathlib import Path

WHOOSH_KEY = "whoosh27-stem-v1"  # cache key of the plain Whoosh index

Run = dict[str, dict[str, float]]


def build_whoosh(docs: list[tuple[str, str, str]], path: Path) -> None:
    from whoosh import fields, index
    from whoosh.analysis import StemmingAnalyzer

    schema = fields.Schema(docno=fields.ID(stored=True),
                           title=fields.TEXT(analyzer=StemmingAnalyzer()),
                           body=fields.TEXT(analyzer=StemmingAnalyzer()))
    ix = index.create_in(str(path), schema)
    w = ix.writer()
    for docno, title, text in docs:
        w.add_document(docno=docno, title=title, body=text)
    w.commit()


def run_whoosh(path: Path, queries: dict[str, str], depth: int) -> tuple[Run, list[float]]:
    from whoosh import index, scoring
    from whoosh.qparser import MultifieldParser, OrGroup

    ix = index.open_dir(str(path))
    parser = MultifieldParser(["title", "body"], ix.schema,
                              fieldboosts={"title": 2.0, "body": 1.0}, group=OrGroup)
    run: Run = {}
    lat: list[float] = []
    with ix.searcher(weighting=scoring.BM25F()) as s:
        for qid, text in queries.items():
            t0 = time.perf_counter()
            hits = s.search(parser.parse(text), limit=depth)
            run[qid] = {h["docno"]: h.score for h in hits}
            lat.append(time.perf_counter() - t0)
    return run, lat


def tantivy_available() -> bool:
    try:
        import tantivy  # noqa: F401
    except ImportError:
        return False
    return True


def run_tantivy(docs: list[tuple[str, str, str]], queries: dict[str, str], depth: int
                ) -> tuple[Run, list[float]]:
    import tantivy

    sb = tantivy.SchemaBuilder()
    sb.add_text_field("docno", stored=True, tokenizer_name="raw")
    sb.add_text_field("title", tokenizer_name="en_stem")
    sb.add_text_field("body", tokenizer_name="en_stem")
    ix = tantivy.Index(sb.build())
    w = ix.writer()
    for docno, title, text in docs:
        w.add_document(tantivy.Document(docno=docno, title=title, body=text))
    w.commit()
    w.wait_merging_threads()
    ix.reload()
    s = ix.searcher()
    run: Run = {}
    lat: list[float] = []
    for qid, text in queries.items():
        t0 = time.perf_counter()
        res = s.search(ix.parse_query(text, ["title", "body"]), depth)
        run[qid] = {s.doc(addr)["docno"][0]: score for score, addr in res.hits}
        lat.append(time.perf_counter() - t0)
    return run, lat
