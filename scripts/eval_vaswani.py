"""Ranking quality check: newsgrep's own search on the NPL (Vaswani) test collection.

Indexes ``relevance/vaswani-npl/corpus/doc-text.trec`` (11,429 abstracts) from ``--shared``
through newsgrep's library path (``open_engine(...).writer()`` with ``Article`` records, so
the real schema and analyzers), runs the 93 queries as ``search --any --expand`` does
(``SearchRequest(q, any_words=True, expand=True, limit=1000, snippets=0)``) and again as
plain ``search --any``, scores the runs with ``ir_measures`` and prints them next to the
published Terrier BM25 figures. The last line, for the ``--expand`` run, is
machine-readable::

    vaswani MAP=0.xxxx nDCG=0.xxxx nDCG@10=0.xxxx P@10=0.xxxx

Run from the repository root (``make eval``)::

    python -m scripts.eval_vaswani --shared ../shared

``--k1`` and ``--b`` are for experiments only: they set the Whoosh engine's ranking
(``ranking.DEFAULT`` with those BM25 values) for this process, so a proposed change can be
measured through the real search path before anyone makes it. ``--write-fixture DIR``
instead writes the small subset that tests/test_ranking.py ships
(see ``write_fixture``).

Choices (see docs/ranking.md):

* The documents have no titles, so every ``Article`` gets ``title=""``: the title field then
  holds no terms, the title clause of the query matches nothing and ranking is the body's
  BM25 alone (a placeholder word would be a term in every document, harmless but pointless).
* Queries are upper-case free text. Whoosh reads upper-case ``AND``/``OR``/``NOT``/``TO`` as
  operators (18 of the 93 queries contain ``AND``), so each query is lower-cased (the
  analyzer lower-cases anyway, so this changes no term) and every non-word character (a
  superset of the parser's syntax) is replaced by a space. Nothing else is touched.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

COLLECTION = Path("relevance") / "vaswani-npl"
TERRIER_BM25 = {"MAP": 0.2965, "nDCG": 0.6212}  # PyTerrier experiment notebook (README there)
MEASURES = ("AP", "nDCG", "nDCG@10", "P@10")  # ir_measures names
LABELS = {"AP": "MAP", "nDCG": "nDCG", "nDCG@10": "nDCG@10", "P@10": "P@10"}
DEPTH = 1000  # results per query, as Terrier's run

_DOC = re.compile(r"<DOC>\s*<DOCNO>\s*(.*?)\s*</DOCNO>(.*?)</DOC>", re.S)
_TOPIC = re.compile(r"<num>\s*(.*?)\s*</num>\s*<title>(.*?)</title>", re.S)
# Any non-word character: a superset of what the query parser treats as syntax
# (quotes, brackets, ~ * ^ : + - ...). Only one `.` occurs in the 93 queries.
_SYNTAX = re.compile(r"[^\w\s]")


@dataclass
class EvalResult:
    scores: dict[str, float]  # keyed by LABELS values
    per_query: dict[str, dict[str, float]]
    index_seconds: float
    query_seconds: list[float]
    # The same queries as plain `search --any` (no pseudo-relevance feedback).
    plain: EvalResult | None = None

    @property
    def mean_latency_ms(self) -> float:
        return 1000 * sum(self.query_seconds) / max(1, len(self.query_seconds))

    def summary_line(self) -> str:
        s = self.scores
        return (f"vaswani MAP={s['MAP']:.4f} nDCG={s['nDCG']:.4f} "
                f"nDCG@10={s['nDCG@10']:.4f} P@10={s['P@10']:.4f}")


def read_docs(path: Path) -> Iterator[tuple[str, str]]:
    """(docno, text) for each <DOC> of a TREC text file."""
    for m in _DOC.finditer(path.read_text(encoding="utf-8")):
        yield m.group(1), " ".join(m.group(2).split())


def read_queries(path: Path) -> dict[str, str]:
    """qid -> query text of a TREC topics file (the <title> only)."""
    return {m.group(1): " ".join(m.group(2).split())
            for m in _TOPIC.finditer(path.read_text(encoding="utf-8"))}


def read_qrels(path: Path) -> dict[str, dict[str, int]]:
    qrels: dict[str, dict[str, int]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            qid, _, docno, rel = line.split()
            qrels.setdefault(qid, {})[docno] = int(rel)
    return qrels


def sanitize(query: str) -> str:
    """Free text -> a query the parser reads as plain words (see module docstring)."""
    return " ".join(_SYNTAX.sub(" ", query.lower()).split())


def build_index(docs: Iterable[tuple[str, str]], index_dir: Path, procs: int = 1):
    """Index (docno, text) pairs the way ingest writes articles; returns the engine."""
    from newsgrep.article import Article
    from newsgrep.engine import open_engine

    engine = open_engine(index_dir, create=True)
    writer = engine.writer(procs=procs) if procs > 1 else engine.writer()
    try:
        for docno, text in docs:
            writer.add(Article(id=docno, path=f"vaswani/{docno}", title="", body=text,
                               lang="en"))
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    return open_engine(index_dir)


def run_queries(engine, queries: dict[str, str], depth: int = DEPTH,
                expand: bool = True
                ) -> tuple[dict[str, dict[str, float]], list[float]]:
    """qid -> {docno: score} through engine.search, plus the latency of each query.
    expand=True is `search --any --expand` (feedback), False is plain `search --any`."""
    from newsgrep.query import SearchRequest

    run: dict[str, dict[str, float]] = {}
    latencies: list[float] = []
    for qid, text in queries.items():
        req = SearchRequest(sanitize(text), any_words=True, limit=depth, snippets=0,
                            expand=expand)
        t0 = time.perf_counter()
        result = engine.search(req)
        latencies.append(time.perf_counter() - t0)
        run[qid] = {h.id: h.score for h in result.hits}
    return run, latencies


def score(run: dict[str, dict[str, float]], qrels: dict[str, dict[str, int]]
          ) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    import ir_measures

    measures = [ir_measures.parse_measure(m) for m in MEASURES]
    agg = ir_measures.calc_aggregate(measures, qrels, run)
    per_query: dict[str, dict[str, float]] = {}
    for m in ir_measures.iter_calc(measures, qrels, run):
        per_query.setdefault(m.query_id, {})[LABELS[str(m.measure)]] = m.value
    return {LABELS[str(m)]: float(v) for m, v in agg.items()}, per_query


def evaluate(docs: Iterable[tuple[str, str]], queries: dict[str, str],
             qrels: dict[str, dict[str, int]], procs: int = 1,
             index_dir: Path | None = None, plain: bool = True) -> EvalResult:
    """Index, search and score; the index lives in a temp dir unless index_dir is given.
    With plain=True the queries also run without feedback (EvalResult.plain)."""
    with tempfile.TemporaryDirectory(prefix="newsgrep-eval-") as tmp:
        t0 = time.perf_counter()
        engine = build_index(docs, Path(index_dir or Path(tmp) / "index"), procs=procs)
        index_seconds = time.perf_counter() - t0
        run, latencies = run_queries(engine, queries, expand=True)
        plain_run = run_queries(engine, queries, expand=False) if plain else None
    # Queries without judgements would count as zero in ir_measures' mean; there are none
    # in this collection, but keep the two sides aligned anyway.
    qrels = {q: r for q, r in qrels.items() if q in queries}
    scores, per_query = score(run, qrels)
    result = EvalResult(scores, per_query, index_seconds, latencies)
    if plain_run is not None:
        result.plain = EvalResult(*score(plain_run[0], qrels), index_seconds, plain_run[1])
    return result


def analysis_label() -> str:
    from newsgrep.engine import analysis

    return (f"Snowball English (Porter2) stemming, {len(analysis.STOPWORDS)} English "
            "stopwords")


def format_table(result: EvalResult, n_docs: int, n_queries: int) -> str:
    s = result.scores
    def row(label: str, r: EvalResult) -> tuple[str, ...]:
        x = r.scores
        return (label, f"{x['MAP']:.4f}", f"{x['nDCG']:.4f}", f"{x['nDCG@10']:.4f}",
                f"{x['P@10']:.4f}")

    rows = [("system", "MAP", "nDCG", "nDCG@10", "P@10"),
            row("newsgrep search --any --expand", result)]
    if result.plain is not None:
        rows.append(row("newsgrep search --any", result.plain))
    rows += [
        ("Terrier BM25 (published)", f"{TERRIER_BM25['MAP']:.4f}",
         f"{TERRIER_BM25['nDCG']:.4f}", "-", "-"),
        ("difference", f"{s['MAP'] - TERRIER_BM25['MAP']:+.4f}",
         f"{s['nDCG'] - TERRIER_BM25['nDCG']:+.4f}", "", ""),
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                       for i, (c, w) in enumerate(zip(r, widths, strict=True)))
             for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append("")
    lines.append(f"{n_docs} documents indexed in {result.index_seconds:.1f} s; "
                 f"{n_queries} queries, top {DEPTH}, mean latency "
                 f"{result.mean_latency_ms:.1f} ms/query")
    if result.plain is not None:
        lines.append(f"(without --expand: {result.plain.mean_latency_ms:.1f} ms/query)")
    return "\n".join(lines)


def patch_engine(k1: float | None = None, b: float | None = None) -> str:
    """Experiment only: rank with ranking.DEFAULT's BM25 k1/b replaced, in this process.

    Returns a label describing the ranking settings in effect."""
    from newsgrep.engine import ranking
    from newsgrep.engine.whoosh.engine import WhooshEngine

    r = ranking.DEFAULT.with_(**{k: v for k, v in (("k1", k1), ("b", b)) if v is not None})
    WhooshEngine.ranking = r
    return f"BM25F K1={r.k1} B={r.b}"


FIXTURE_QUERIES = 10  # every 9th query: 1, 10, 19, ... 82
FIXTURE_DISTRACTORS = 30  # per query: unjudged documents sharing the most query terms


def write_fixture(docs: list[tuple[str, str]], queries: dict[str, str],
                  qrels: dict[str, dict[str, int]], out: Path) -> tuple[int, int]:
    """Write a small, deterministic subset of the collection in the same three formats.

    Queries 1, 10, 19, ... (ten of them); every document judged for them; and for each
    query the FIXTURE_DISTRACTORS unjudged documents that contain the most distinct query
    terms (analyzed as newsgrep indexes them, ties by docno), so the subset is hard to
    rank, not a needle among random haystack.
    """
    from newsgrep.engine.analyzers import text_analyzer

    analyzer = text_analyzer()

    def terms(text: str) -> set[str]:
        return {t.text for t in analyzer(text)}

    qids = sorted(queries, key=int)[::9][:FIXTURE_QUERIES]
    judged = {d for q in qids for d in qrels.get(q, {})}
    doc_terms = {docno: terms(text) for docno, text in docs}
    keep = set(judged)
    for q in qids:
        qt = terms(queries[q])
        ranked = sorted((d for d in doc_terms if d not in judged),
                        key=lambda d: (-len(qt & doc_terms[d]), int(d)))
        keep.update(ranked[:FIXTURE_DISTRACTORS])
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "doc-text.trec", "w", encoding="utf-8") as f:
        for docno, text in docs:
            if docno in keep:
                f.write(f"<DOC>\n<DOCNO>{docno}</DOCNO>\n{text}\n</DOC>\n")
    with open(out / "query-text.trec", "w", encoding="utf-8") as f:
        for q in qids:
            f.write(f"<top>\n<num>{q}</num><title>\n{queries[q]}\n</title>\n</top>\n")
    with open(out / "qrels", "w", encoding="utf-8") as f:
        for q in qids:
            for docno, rel in sorted(qrels.get(q, {}).items(), key=lambda x: int(x[0])):
                f.write(f"{q} 0 {docno} {rel}\n")
    return len(keep), len(qids)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", default="../shared", type=Path,
                    help="folder holding relevance/vaswani-npl (default ../shared)")
    ap.add_argument("--procs", type=int, default=2,
                    help="indexing processes (engine.writer(procs=N)); default 2")
    ap.add_argument("--k1", type=float, help="experiment: rank with this BM25 k1")
    ap.add_argument("--b", type=float, help="experiment: rank with this BM25 b")
    ap.add_argument("--write-fixture", type=Path, metavar="DIR",
                    help="write the test subset to DIR instead of evaluating")
    args = ap.parse_args(argv)

    root = args.shared / COLLECTION
    files = {"documents": root / "corpus" / "doc-text.trec",
             "queries": root / "query-text.trec", "qrels": root / "qrels"}
    missing = [str(p) for p in files.values() if not p.is_file()]
    if missing:
        print(f"eval_vaswani: collection not found: {missing[0]} is missing "
              f"(pass --shared DIR holding {COLLECTION}/)", file=sys.stderr)
        return 2

    t0 = time.perf_counter()
    docs = list(read_docs(files["documents"]))
    queries = read_queries(files["queries"])
    qrels = read_qrels(files["qrels"])
    if args.write_fixture:
        n_docs, n_queries = write_fixture(docs, queries, qrels, args.write_fixture)
        print(f"wrote {n_docs} documents and {n_queries} queries to {args.write_fixture}")
        return 0
    settings = patch_engine(args.k1, args.b)
    result = evaluate(docs, queries, qrels, procs=args.procs)
    print(format_table(result, len(docs), len(queries)))
    print(f"ranking: {settings}; analysis: {analysis_label()}")
    print(f"total {time.perf_counter() - t0:.1f} s")
    print(result.summary_line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
