"""Known-item search across languages and scripts (issue #16): each article's own title
as the query, its body (indexed without the title) as the one right answer, among the
bodies of every other article.

Sets (../shared/corpora): fundus-multilingual (258 articles, 20+ languages, language
detected as ingest does), meduza-golunov-ru (100 Russian), wikinews-en-2019-2020 (293
English), and allsides-abp (5,000 English) as distractors only. For each language:
MRR@10 and success@10 with all title words required and with `--any`; and for
transliteration, each Russian title written in Latin letters (iuliia's Wikipedia scheme,
as the English-language press spells Russian names; a different scheme from the one the
index uses, so the test is not circular) as the query.

`--baseline-rev REV` (`make eval-multilingual`: main) also measures the analysis of git
revision REV (its `newsgrep` package, extracted to a temporary folder and run in a
subprocess with this script) in the same run, so before and after are measured alike.
It may be given more than once (e.g. the revision before issue #16 and main); cost
ratios are to the first.

`--ranking round1` ranks every analysis with the ranking the revision before #16
(`75e9b72`) shipped (#14's first round: BM25F 0.9/0.6, title 1.5, RM3 from 10 hits,
proximity), instead of each revision's own default: that revision's analysis and
today's are then compared under one ranking (today's default came later).

`--cost` also times the indexing work per article that analysis changes: the engine's
`prepare_article` (title and body analysed into postings, body compressed, as ingest's
parsing workers do it) over every article of the sets above with their detected language,
in fresh processes (cold term caches), alternating baseline and now, `--rounds` times
each; the median CPU seconds (user+sys) are reported with the machine's load average,
and the wall seconds alongside (on a loaded machine they measure the load).

Prints a table, then one JSON line per language group and analysis:
`{"analysis": ..., "group": ..., "n": ..., "mrr_all": ..., "s10_all": ..., ...}`
(group `ru-latin`: the transliterated Russian titles), and with --cost one
`{"cost": ..., "seconds": ..., "per_article_ms": ..., "ratio": ...}` line per analysis.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import defaultdict
from io import BytesIO
from pathlib import Path

DEPTH = 10
MIN_GROUP = 3  # languages with fewer known items are pooled as "other"
# ranking.DEFAULT at 75e9b72, the revision before #16 (--ranking round1).
ROUND1 = dict(k1=0.9, b=0.6, title_weight=1.5, fb_docs=10, fb_terms=10, fb_weight=0.5,
              fb_min_matches=20, prox_weight=0.25, prox_window=8, prox_depth=100)
RANKING_ENV = "NEWSGREP_EVAL_RANKING"


def _set_ranking(name: str) -> None:
    """Rank with the named ranking in this process: the Whoosh engine's class-wide
    ranking, wherever the package being measured keeps that class."""
    if name == "default":
        return
    import importlib

    from newsgrep.engine.ranking import Ranking

    for module in ("newsgrep.engine.whoosh.engine", "newsgrep.engine.whoosh_engine"):
        try:
            engine_class = importlib.import_module(module).WhooshEngine
        except (ImportError, AttributeError):
            continue
        engine_class.ranking = Ranking(**ROUND1)
        return
    sys.exit("--ranking: no Whoosh engine class found in the package measured")


def load(shared: Path) -> tuple[list[dict], list[dict]]:
    """(targets, distractors): dicts with id, title, body, lang."""
    from newsgrep.language import detect_language

    def read(name: str) -> list[dict]:
        with open(shared / "corpora" / name / "articles.jsonl", encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]

    targets = []
    for name in ("fundus-multilingual", "meduza-golunov-ru", "wikinews-en-2019-2020"):
        for a in read(name):
            if not (a.get("title") or "").strip() or not (a.get("body") or "").strip():
                continue
            lang = a.get("lang") or detect_language(a["body"])
            targets.append({"id": f"{name}/{a['id']}", "title": a["title"],
                            "body": a["body"], "lang": lang})
    distractors = [{"id": f"allsides/{i}", "title": "", "body": a["body"],
                    "lang": a.get("lang") or detect_language(a["body"])}
                   for i, a in enumerate(read("allsides-abp")) if (a.get("body") or "").strip()]
    return targets, distractors


def as_query(title: str) -> str:
    """The title's words, lower-cased so no word is read as an operator (AND, OR, NOT)
    and with the query language's punctuation (`-`, `:`, quotes) left out."""
    from newsgrep.words import words

    return " ".join(w.lower() for _, _, w in words(title))


def measure(shared: Path) -> dict:
    """Per-group reciprocal ranks with the analysis of the `newsgrep` importable now."""
    import iuliia

    from newsgrep.article import Article
    from newsgrep.engine import open_engine
    from newsgrep.errors import NewsgrepError
    from newsgrep.query import SearchRequest

    _set_ranking(os.environ.get(RANKING_ENV, "default"))
    targets, distractors = load(shared)
    with tempfile.TemporaryDirectory(prefix="newsgrep-evalml-") as tmp:
        engine = open_engine(Path(tmp) / "index", create=True)
        w = engine.writer()
        for a in targets + distractors:
            w.add(Article(id=a["id"], path=a["id"], title="", body=a["body"], lang=a["lang"]))
        w.commit()

        def rank_of(text: str, want: str, any_words: bool) -> int | None:
            if not text.strip():
                return None
            try:
                res = engine.search(SearchRequest(text, any_words=any_words, limit=DEPTH,
                                                  snippets=0))
            except NewsgrepError:
                return None
            for i, h in enumerate(res.hits):
                if h.id == want:
                    return i + 1
            return None

        by_lang: dict[str, int] = defaultdict(int)
        for a in targets:
            by_lang[a["lang"] or "?"] += 1
        out: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        for a in targets:
            lang = a["lang"] or "?"
            group = lang if by_lang[lang] >= MIN_GROUP else "other"
            q = as_query(a["title"])
            for mode, any_words in (("all", False), ("any", True)):
                out[group][mode].append(rank_of(q, a["id"], any_words))
            if lang == "ru":
                latin = as_query(iuliia.WIKIPEDIA.translate(a["title"]))
                for mode, any_words in (("all", False), ("any", True)):
                    out["ru-latin"][mode].append(rank_of(latin, a["id"], any_words))
    return {g: dict(m) for g, m in out.items()}


def summarise(ranks: list[int | None]) -> tuple[float, float]:
    n = len(ranks) or 1
    mrr = sum(1 / r for r in ranks if r) / n
    s10 = sum(1 for r in ranks if r) / n
    return mrr, s10


def _extract(rev: str, dest: str) -> None:
    """The `newsgrep` package of git revision `rev`, into `dest`. Only the package: this
    script may not exist at `rev`, and runs as it is now."""
    root = Path(__file__).resolve().parent.parent
    blob = subprocess.run(["git", "-C", str(root), "archive", "--format=tar", rev,
                           "newsgrep"], check=True, capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(blob)) as tar:
        tar.extractall(dest, filter="data")


def _run_self(code: str | None, shared: Path, flag: str) -> dict:
    """This script with `flag`, in a fresh process importing newsgrep from `code` (a
    folder holding an extracted package) or, with None, the one installed now."""
    env = dict(os.environ)
    if code is not None:
        env["PYTHONPATH"] = code
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()),
                           "--shared", str(shared), flag],
                          cwd=code or Path(__file__).resolve().parent.parent, env=env,
                          capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"the run with {flag} ({code or 'now'}) failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def cost_seconds(shared: Path) -> dict:
    """Seconds for prepare_article over every article (see the module docstring)."""
    import newsgrep
    from newsgrep.article import Article
    from newsgrep.engine.whoosh.schema import prepare_article

    targets, distractors = load(shared)
    articles = [Article(id=a["id"], path=a["id"], title=a["title"], body=a["body"],
                        lang=a["lang"]) for a in targets + distractors]
    start, wall = time.process_time(), time.perf_counter()
    for a in articles:
        prepare_article(a)
    return {"seconds": time.process_time() - start, "wall": time.perf_counter() - wall,
            "articles": len(articles), "package": str(Path(newsgrep.__file__).parent)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=Path("../shared"))
    ap.add_argument("--baseline-rev", action="append", default=[],
                    help="also measure the analysis of this git revision (repeatable)")
    ap.add_argument("--ranking", choices=("default", "round1"), default="default",
                    help="rank every analysis with its own default ranking, or with the "
                         "one the revision before #16 shipped")
    ap.add_argument("--cost", action="store_true", help="also time prepare_article per article")
    ap.add_argument("--rounds", type=int, default=3, help="--cost runs per analysis")
    ap.add_argument("--ranks-only", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--cost-only", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    shared = args.shared.resolve()
    if args.ranks_only:
        print(json.dumps(measure(shared)))
        return
    if args.cost_only:
        print(json.dumps(cost_seconds(shared)))
        return
    os.environ[RANKING_ENV] = args.ranking  # read by the --ranks-only processes
    with tempfile.TemporaryDirectory(prefix="newsgrep-baseline-") as tmp:
        # analysis name -> folder holding its extracted package (None: the one installed)
        code: dict[str, str | None] = {}
        for rev in dict.fromkeys(r for r in args.baseline_rev if r):
            folder = os.path.join(tmp, str(len(code)))
            _extract(rev, folder)
            code[f"before({rev})"] = folder
        code["now"] = None
        runs = {name: _run_self(where, shared, "--ranks-only")
                for name, where in code.items()}
        costs: dict[str, list[float]] = defaultdict(list)
        walls: dict[str, list[float]] = defaultdict(list)
        load_avg = []
        n_articles = 0
        if args.cost:
            for _ in range(args.rounds):
                load_avg.append(os.getloadavg()[0])
                for name, where in code.items():
                    done = _run_self(where, shared, "--cost-only")
                    costs[name].append(done["seconds"])
                    walls[name].append(done.get("wall", 0.0))
                    n_articles = done["articles"]
            load_avg.append(os.getloadavg()[0])
    report(runs, costs, walls, load_avg, n_articles, args.ranking)


def report(runs: dict, costs: dict[str, list[float]], walls: dict[str, list[float]],
           load_avg: list[float], n_articles: int, ranking: str = "default") -> None:
    print(f"ranking: {ranking}" + (" (each revision's own default)" if ranking == "default"
                                   else " (75e9b72's, for every analysis)"))
    groups = sorted({g for r in runs.values() for g in r},
                    key=lambda g: (g == "other", g == "ru-latin", g))
    print(f"{'group':<9} {'n':>4} {'analysis':<16} {'MRR@10 all':>10} {'S@10 all':>9} "
          f"{'MRR@10 any':>10} {'S@10 any':>9}")
    lines: list[dict] = []
    for g in groups:
        for name, r in runs.items():
            if g not in r:
                continue
            mrr_a, s_a = summarise(r[g]["all"])
            mrr_o, s_o = summarise(r[g]["any"])
            n = len(r[g]["all"])
            print(f"{g:<9} {n:>4} {name:<16} {mrr_a:>10.3f} {s_a:>9.3f} {mrr_o:>10.3f} "
                  f"{s_o:>9.3f}")
            lines.append({"analysis": name, "ranking": ranking, "group": g, "n": n,
                          "mrr_all": round(mrr_a, 4), "s10_all": round(s_a, 4),
                          "mrr_any": round(mrr_o, 4), "s10_any": round(s_o, 4)})
    if costs:
        first = next(iter(costs))
        print(f"\nprepare_article CPU seconds over {n_articles:,} articles (median of "
              f"{len(costs[first])}; load average {min(load_avg):.2f}-{max(load_avg):.2f}):")
        for name, secs in costs.items():
            med = statistics.median(secs)
            ratio = med / statistics.median(costs[first])
            wall = statistics.median(walls[name])
            print(f"  {name:<16} {med:7.2f} s  ({', '.join(f'{x:.2f}' for x in secs)})  "
                  f"{ratio:.3f}x {first}; wall {wall:.2f} s")
            lines.append({"cost": name, "seconds": round(med, 3), "runs": secs,
                          "wall": round(wall, 3),
                          "per_article_ms": round(1000 * med / n_articles, 4),
                          "ratio": round(ratio, 4), "load_avg": load_avg})
    for line in lines:
        print(json.dumps(line))


if __name__ == "__main__":
    main()
