"""What only a real OpenSearch node can show (see conftest.py for how one is started):
BM25 as Lucene computes it with newsgrep's parameters, exact sloppy phrases through
nested span_near, the same ranking on a 3-shard index as on a 1-shard one, gzip bulk
bodies, and the index identity that ingest records."""

from __future__ import annotations

import json
import math

import pytest
from opensearchpy import OpenSearch

from newsgrep.engine.opensearch.engine import OpenSearchEngine
from newsgrep.engine.opensearch.mapping import MAPPING, SETTINGS, _analysed
from newsgrep.engine.ranking import DEFAULT as RANKING
from newsgrep.query import SearchRequest

from .conftest import CORPUS, SEEDS, jsonl, run
from .opensearch_support import FaultyProxy, run_os, with_auth

BM25_K1, BM25_B = RANKING.k1, RANKING.b  # the shipped ranking's (engine/ranking.py)


def _create(base: str, index: str, **settings) -> OpenSearchEngine:
    """An index made as the engine makes it, with extra index settings (shards...)."""
    OpenSearch(hosts=[base]).indices.create(index=index, body={
        "settings": dict(SETTINGS, **settings), "mappings": MAPPING})
    return OpenSearchEngine(with_auth(base, index))


def _find(node: dict, prefix: str) -> dict:
    """The first node of an _explain tree whose description starts with `prefix`."""
    if node["description"].startswith(prefix):
        return node
    for d in node.get("details", []):
        if found := _find(d, prefix):
            return found
    return {}


def test_bm25_scores_are_lucenes_formula_with_newsgreps_k1_and_b(real, tmp_path):
    local = tmp_path / "local"
    url = with_auth(real, "bm25")
    assert run_os(url, local, "index", "-q", str(CORPUS / "wikinews-en")).exit_code == 0
    engine = OpenSearchEngine(url)
    term = "troop"
    hits = jsonl(run_os(url, local, "search", "troops", "--json", "-n", "3").stdout)
    assert hits
    n_docs = engine.doc_count()
    n_with = engine.client.count(index="bm25", body={"query": {"term": {
        "body_terms": term}}})["count"]
    for hit in hits:
        exp = engine.client.explain(index="bm25", id=hit["id"], body={
            "query": {"term": {"body_terms": term}}})
        assert exp["matched"]
        top = exp["explanation"]
        k1 = _find(top, "k1")["value"]
        b = _find(top, "b,")["value"]
        assert (round(k1, 6), round(b, 6)) == (BM25_K1, BM25_B)
        freq = _find(top, "freq")["value"]
        dl = _find(top, "dl")["value"]
        avgdl = _find(top, "avgdl")["value"]
        # OpenSearch's "BM25" is Lucene's LegacyBM25Similarity: the classic formula
        # (k1 + 1) * idf * tf / (tf + k1 * (1 - b + b * dl / avgdl)), with
        # idf = ln(1 + (N - n + 0.5) / (n + 0.5)) over the field's documents. (Lucene 9's
        # BM25Similarity drops the constant k1 + 1: same order, smaller numbers.)
        assert _find(top, "n,")["value"] == n_with
        big_n = _find(top, "N,")["value"]
        assert big_n <= n_docs
        idf = math.log(1 + (big_n - n_with + 0.5) / (n_with + 0.5))
        want = (BM25_K1 + 1) * idf * freq / (freq + BM25_K1 * (1 - BM25_B + BM25_B * dl / avgdl))
        assert top["value"] == pytest.approx(want, rel=1e-5)
        # ... and not what OpenSearch's defaults (1.2 / 0.75) would give.
        default = 2.2 * idf * freq / (freq + 1.2 * (1 - 0.75 + 0.75 * dl / avgdl))
        assert top["value"] != pytest.approx(default, rel=1e-3)
        # The frequency is that of newsgrep's analysed terms (pre-analysed field).
        article = engine.get(hit["id"])
        assert freq == _analysed(article.body).count(term)
    # The CLI's score for a one-term query is that explained score (title boost aside).
    only_body = engine.client.search(index="bm25", body={"query": {"term": {
        "body_terms": term}}, "size": 1}, params={"search_type": "dfs_query_then_fetch"})
    assert only_body["hits"]["max_score"] > 0


def test_sloppy_phrases_of_three_words_are_exact_with_nested_spans(real, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    # "alpha beta gamma"~2 wants beta within 2 of alpha and gamma within 2 of beta.
    # trap.txt has each pair close somewhere, but never all three in one place: the
    # flat translation (for osmem) matches it, Whoosh and nested span_near do not.
    (folder / "trap.txt").write_text(
        "Trap\n\nalpha filler filler beta gamma. zulu zulu zulu zulu zulu alpha beta.\n",
        encoding="utf-8")
    (folder / "hit.txt").write_text(
        "Hit\n\nalpha filler beta filler gamma and more words after it.\n", encoding="utf-8")
    (folder / "far.txt").write_text(
        "Far\n\nalpha filler filler beta filler filler gamma, too far apart.\n",
        encoding="utf-8")
    url = with_auth(real, "spans")
    local = tmp_path / "local"
    assert run_os(url, local, "index", "-q", str(folder)).exit_code == 0
    assert run("index", "-q", str(folder), index=tmp_path / "wh").exit_code == 0
    for q, want in (('"alpha beta gamma"~2', {"hit.txt"}),
                    ('"alpha beta gamma"~3', {"hit.txt", "trap.txt", "far.txt"}),
                    ('"alpha beta"~2', {"hit.txt", "trap.txt"})):
        ours = {p.rsplit("/", 1)[-1] for p in run_os(url, local, "search", q, "-l").stdout.split()}
        theirs = {p.rsplit("/", 1)[-1]
                  for p in run("search", q, "-l", index=tmp_path / "wh").output.split()}
        assert ours == theirs == want, q
    engine = OpenSearchEngine(url)
    engine.flat_spans = True  # what the osmem fallback would do: one extra match
    req = SearchRequest('"alpha beta gamma"~2', limit=None, snippets=0)
    assert {h.path.rsplit("/", 1)[-1] for h in engine.search(req).hits} == {
        "hit.txt", "trap.txt"}


def test_a_three_shard_index_ranks_as_a_one_shard_index(real, tmp_path):
    one = with_auth(real, "shards-1")
    three = with_auth(real, "shards-3")
    _create(real, "shards-3", number_of_shards=3)
    for url in (one, three):
        assert run_os(url, tmp_path / url[-8:], "index", "-q", str(CORPUS)).exit_code == 0
    assert OpenSearchEngine(three).client.indices.get_settings(index="shards-3")[
        "shards-3"]["settings"]["index"]["number_of_shards"] == "3"
    for args in (("troops",), ("president trump",), ("police OR court",),
                 ('"said police"~5',), ("Москве",), ("election", "--source", "Wikinews")):
        a = jsonl(run_os(one, tmp_path / "a", "search", *args, "--json", "-n", "30").stdout)
        b = jsonl(run_os(three, tmp_path / "b", "search", *args, "--json", "-n", "30").stdout)
        assert [h["path"] for h in a] == [h["path"] for h in b], args
        assert [h["score"] for h in a] == pytest.approx([h["score"] for h in b], rel=1e-4)
    # Not a vacuous check: without dfs the shards' own statistics do change the scores.
    engine = OpenSearchEngine(three)
    body = {"query": {"term": {"body_terms": "troop"}}, "size": 20}
    plain = engine.client.search(index="shards-3", body=body)["hits"]["hits"]
    dfs = engine.client.search(index="shards-3", body=body,
                               params={"search_type": "dfs_query_then_fetch"})["hits"]["hits"]
    assert {h["_id"]: h["_score"] for h in plain} != pytest.approx(
        {h["_id"]: h["_score"] for h in dfs}, rel=1e-4)


def test_bulk_bodies_go_gzip_compressed_and_the_node_takes_them(real, tmp_path):
    proxy = FaultyProxy(real)
    try:
        url = with_auth(proxy.url, "gzip")
        res = run_os(url, tmp_path / "local", "index", "--json", str(SEEDS))
        assert res.exit_code == 0 and json.loads(res.stdout)["indexed"] == 2
        assert proxy.bulk_encodings and set(proxy.bulk_encodings) == {"gzip"}
        assert run_os(url, tmp_path / "local", "search", "troops", "--count").stdout.strip() == "2"
    finally:
        proxy.close()


def test_identity_is_the_index_uuid_and_changes_when_the_index_is_made_again(real, tmp_path):
    url = with_auth(real, "ident")
    local = tmp_path / "local"
    assert run_os(url, local, "index", "-q", str(SEEDS)).exit_code == 0
    engine = OpenSearchEngine(url)
    # auto_expand_replicas 0-1: no unassignable replica on a single node, so green.
    assert engine.client.cluster.health(index="ident")["status"] == "green"
    first = engine.identity()
    uuid = engine.client.indices.get_settings(index="ident")["ident"]["settings"]["index"]["uuid"]
    assert first == uuid and OpenSearchEngine(url).identity() == first  # stable
    engine.client.indices.delete(index="ident")
    assert engine.identity() is None
    again = OpenSearchEngine(url, create=True).identity()
    assert again and again != first


def test_similar_lists_articles_sharing_one_key_term_as_whoosh_does(real, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    words = ["apple", "banana", "cherry", "damson", "elderberry", "fig", "grape", "hazel",
             "iris", "juniper"]
    (folder / "source.txt").write_text("Orchard\n\n" + " ".join(words) + ".\n",
                                       encoding="utf-8")
    for i, w in enumerate(words):  # each shares exactly one term with source.txt
        (folder / f"other{i}.txt").write_text(
            f"Other {i}\n\nzebra yak walrus {w} vulture.\n", encoding="utf-8")
    url = with_auth(real, "mlt")
    local = tmp_path / "local"
    assert run_os(url, local, "index", "-q", str(folder)).exit_code == 0
    assert run("index", "-q", str(folder), index=tmp_path / "wh").exit_code == 0
    src = str(folder / "source.txt")
    ours = jsonl(run_os(url, local, "similar", src, "--json", "-n", "20").stdout)
    theirs = jsonl(run("similar", src, "--json", "-n", "20", index=tmp_path / "wh").output)
    # Lucene's default minimum_should_match (30% of the key terms) would find none.
    assert {h["path"] for h in ours} == {h["path"] for h in theirs}
    assert len(ours) == len(words)
