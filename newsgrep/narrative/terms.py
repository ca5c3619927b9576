"""`newsgrep terms QUERY`: the words and two-word phrases that characterise the articles
matching a query against the whole index, as Elasticsearch's significant_terms does.

Score: JLH, (fg% - bg%) * fg% / bg%, where fg% is the share of matching articles that
contain the term and bg% the share of all articles that do. A word frequent everywhere
("said") has fg% close to bg% and scores near zero; a name that is rare in the archive but
in most matches scores high. Counting is engine-side (engine/whoosh/stats.py): document
frequencies in the matches from their stored text, re-analysed as the index analyses it,
and in the whole index from its postings. Each term is shown in the form most often
written in the matches (`Голунова`, not the stem `голунов`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

from ..engine import open_engine
from ..query import SearchRequest
from ..search import Target
from .stats import term_stats

SAMPLE = 2000  # at most this many best-ranked matches are read for the foreground
PAIR_CANDIDATES = 300  # two-word phrases looked up in the background (most frequent first)


@dataclass
class Term:
    text: str  # as written in the matches
    key: str  # the indexed form: a stem, or two stems joined by a space
    phrase: bool
    fg: int  # matching articles (of those read) containing it
    bg: int  # articles in the whole index containing it
    score: float

    def to_dict(self) -> dict:
        return {"term": self.text, "indexed": self.key,
                "kind": "phrase" if self.phrase else "word", "score": round(self.score, 6),
                "fg": self.fg, "bg": self.bg}


@dataclass
class KeyTerms:
    query: str
    matches: int  # articles matching the query
    foreground: int  # matching articles read (all, or the SAMPLE best ranked)
    background: int  # articles in the index
    terms: list[Term]

    def to_dict(self) -> dict:
        return {"query": self.query, "matches": self.matches, "foreground": self.foreground,
                "background": self.background, "terms": [t.to_dict() for t in self.terms]}


def jlh(fg: int, fg_total: int, bg: int, bg_total: int) -> float:
    """Elasticsearch's JLH score; 0 when the term is no more common in the foreground."""
    if not fg_total or not bg_total:
        return 0.0
    fg_pct = fg / fg_total
    bg_pct = max(bg, fg) / bg_total  # the background holds the foreground
    if fg_pct <= bg_pct:
        return 0.0
    return (fg_pct - bg_pct) * fg_pct / bg_pct


def _surface(forms: Counter) -> str:
    """The most written form; ties: the one with capitals (a name), then the shorter."""
    return min(forms.items(), key=lambda kv: (-kv[1], not kv[0][:1].isupper(), len(kv[0]),
                                              kv[0]))[0]


def min_docs(fg_total: int) -> int:
    """A term must be in this many matching articles: 1 in a handful, else 2-3, so one
    article's quirks do not fill the list (significant_terms' min_doc_count is 3)."""
    return 1 if fg_total < 4 else 2 if fg_total < 20 else 3


def significant_terms(req: SearchRequest, index_dir: Target, n: int = 30,
                      sample: int = SAMPLE, phrases: bool = True) -> KeyTerms:
    """The `n` terms (words and, with phrases, two-word phrases) most characteristic of
    the request's matches against the whole index, best first."""
    engine = open_engine(index_dir)
    stats = term_stats(engine)
    req = replace(req, limit=None, snippets=0, collapse=False)
    total, texts = stats.matching_texts(engine, req, sample=sample)
    fg_total, df, pair_df, surfaces = stats.count_terms(texts)
    floor = min_docs(fg_total)
    words = [t for t, c in df.items() if c >= floor]
    pairs = sorted((p for p, c in pair_df.items() if c >= floor),
                   key=lambda p: (-pair_df[p], p))[:PAIR_CANDIDATES] if phrases else []
    bg_total, bg, pair_bg = stats.background(engine, words, pairs)
    out: list[Term] = []
    for t in words:
        score = jlh(df[t], fg_total, bg.get(t, 0), bg_total)
        if score > 0:
            out.append(Term(_surface(surfaces[t]), t, False, df[t], max(bg.get(t, 0), df[t]),
                            score))
    for p in pairs:
        score = jlh(pair_df[p], fg_total, pair_bg.get(p, 0), bg_total)
        if score > 0:
            out.append(Term(_surface(surfaces[p]), " ".join(p), True, pair_df[p],
                            max(pair_bg.get(p, 0), pair_df[p]), score))
    out.sort(key=lambda t: (-t.score, -t.fg, t.key))
    return KeyTerms(req.query, total, fg_total, bg_total, out[:n])
