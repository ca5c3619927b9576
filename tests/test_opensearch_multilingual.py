"""Cross-script matching ranks on OpenSearch as on the Whoosh engine: a word's sound keys
and romanisations are weighed by the same rule (querylang.nodes.weigh_forms), with the
document frequencies read from the node and Lucene's idf (docs/multilingual.md)."""

from __future__ import annotations

import json

from newsgrep.engine.opensearch.engine import OpenSearchEngine
from newsgrep.engine.opensearch.translate import _dsl, form_terms
from newsgrep.engine.querylang import parse_query
from newsgrep.query import SearchRequest

from .conftest import jsonl, run
from .opensearch_support import run_os, with_auth

TOPICS = ("harbour", "miners", "election", "forest", "orchestra", "river")


def _films(tmp_path):
    """Six English articles saying `film` and one Russian article saying `фильм`."""
    folder = tmp_path / "articles"
    folder.mkdir()
    with open(folder / "a.jsonl", "w", encoding="utf-8") as f:
        for i, topic in enumerate(TOPICS):
            f.write(json.dumps({"title": f"en{i}", "lang": "en",
                                "url": f"https://example.org/en{i}",
                                "body": f"The film about the {topic} was shown at the "
                                        "festival."}) + "\n")
        f.write(json.dumps({"title": "ru", "lang": "ru", "url": "https://example.org/ru",
                            "body": "Новый фильм показали в Москве вчера вечером."},
                           ensure_ascii=False) + "\n")
    return folder


def _names(hits: list[dict]) -> list[str]:
    return [h["url"].rsplit("/", 1)[-1] for h in hits]


def test_a_common_word_outranks_its_rare_sound_key_as_in_whoosh(real, tmp_path):
    folder = _films(tmp_path)
    url = with_auth(real, "xscript")
    assert run_os(url, tmp_path / "local", "index", "-q", str(folder)).exit_code == 0
    assert run("index", "-q", str(folder), index=tmp_path / "wh").exit_code == 0
    ours = _names(jsonl(run_os(url, tmp_path / "local", "search", "film", "--json").stdout))
    theirs = _names(jsonl(run("search", "film", "--json", index=tmp_path / "wh").output))
    # Found across scripts, but below every English article that has the word itself.
    assert ours[-1] == theirs[-1] == "ru" and sorted(ours) == sorted(theirs), (ours, theirs)
    # Not vacuous: with its own (high) idf the rare key `~film` puts the Russian article
    # first. The rule reads each form's frequency from the node.
    engine = OpenSearchEngine(url)
    q = parse_query(SearchRequest("film"))
    assert ("body", "film") in form_terms(q) and ("body", "~film") in form_terms(q)
    stats = engine._form_stats(q)
    assert stats is not None and stats.df[("body", "film")] == len(TOPICS)
    assert stats.df[("body", "~film")] == 1 and stats.docs["body"] == len(TOPICS) + 1
    plain = engine.client.search(index="xscript", body={"query": _dsl(q), "size": 10},
                                 params={"search_type": "dfs_query_then_fetch"})
    assert plain["hits"]["hits"][0]["_source"]["url"].endswith("/ru")


def test_a_name_only_in_the_other_script_keeps_its_weight(real, tmp_path):
    # `golunov` is no English word here: its sound key is all there is of it, and it is
    # not weighed down (the English article matches `journalist` only).
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "ru.txt").write_text("Голунов\n\nЖурналиста Ивана Голунова освободили.\n",
                                   encoding="utf-8")
    (folder / "en.txt").write_text("Press\n\nThe journalist was freed after a week, a "
                                   "journalist said.\n", encoding="utf-8")
    url = with_auth(real, "xname")
    assert run_os(url, tmp_path / "local", "index", "-q", str(folder)).exit_code == 0
    hits = jsonl(run_os(url, tmp_path / "local", "search", "--any", "golunov journalist",
                        "--json").stdout)
    assert [h["path"].rsplit("/", 1)[-1] for h in hits][0] == "ru.txt"
    q = parse_query(SearchRequest("golunov journalist", any_words=True))
    stats = OpenSearchEngine(url)._form_stats(q)
    assert stats is not None and stats.df.get(("body", "golunov"), 0) == 0


def test_a_common_word_outranks_its_rare_stem_in_another_language_as_in_whoosh(
        real, tmp_path):
    # French `president` (from `président`) is in two articles, English `presid` in six:
    # the French stem is capped at the English form's idf on both engines.
    folder = tmp_path / "articles"
    folder.mkdir()
    rows = [(f"en{i}", f"The president visited the {w}.", "en") for i, w in
            enumerate(("harbour", "miners", "forest", "orchestra", "river", "farm"))]
    rows += [(f"fr{i}", f"Le président a parlé de la {w} de la ville hier soir avec les "
                        "habitants du quartier.", "fr") for i, w in enumerate(("gare", "mairie"))]
    rows += [(f"x{i}", f"The {w} reopened on Monday after the repairs.", "en")
             for i, w in enumerate(("museum", "bridge", "library", "stadium", "harbour"))]
    with open(folder / "a.jsonl", "w", encoding="utf-8") as f:
        for name, body, lang in rows:
            f.write(json.dumps({"title": name, "body": body, "lang": lang,
                                "url": f"https://example.org/{name}"},
                               ensure_ascii=False) + "\n")
    url = with_auth(real, "xlang")
    assert run_os(url, tmp_path / "local", "index", "-q", str(folder)).exit_code == 0
    assert run("index", "-q", str(folder), index=tmp_path / "wh").exit_code == 0
    ours = _names(jsonl(run_os(url, tmp_path / "local", "search", "president",
                               "--json").stdout))
    theirs = _names(jsonl(run("search", "president", "--json", index=tmp_path / "wh").output))
    assert set(ours[-2:]) == set(theirs[-2:]) == {"fr0", "fr1"}, (ours, theirs)
    # Not vacuous: with its own idf the French stem puts the French articles first.
    engine = OpenSearchEngine(url)
    q = parse_query(SearchRequest("president"))
    assert ("body", "president") in form_terms(q)
    plain = engine.client.search(index="xlang", body={"query": _dsl(q), "size": 10},
                                 params={"search_type": "dfs_query_then_fetch"})
    assert {h["_source"]["url"][-3:] for h in plain["hits"]["hits"][:2]} == {"fr0", "fr1"}
