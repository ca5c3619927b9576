"""Relevance ranking as settings, engine-neutral: BM25F parameters, guarded
pseudo-relevance feedback (RM3) and an optional term-proximity bonus, measured on three
test collections (docs/ranking.md, scripts/eval_ranking.py). Engines take a `Ranking`
(the Whoosh engine runs all of it, engine/whoosh_rank.py; OpenSearch the BM25F part).

Every re-ranking pass only re-orders the articles the user's query matches, so the
matches, the count and the highlighted words are those of the query.

`Ranking` is frozen: one value describes a complete ranking, so an evaluation can compare
candidates through the same code path the CLI uses.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Ranking:
    """One complete relevance ranking."""

    k1: float = 0.9  # BM25 term-frequency saturation
    b: float = 0.4  # BM25 length normalisation (body, and title unless title_b is set)
    title_b: float | None = None  # the title field's own length normalisation
    title_weight: float = 2.0  # BM25F weight of a title match relative to a body match
    # Pseudo-relevance feedback (RM3); fb_docs=0 turns it off.
    fb_docs: int = 0  # best first-pass hits taken as relevant
    fb_terms: int = 10  # feedback words added (optional terms)
    fb_weight: float = 0.5  # weight of the heaviest feedback word relative to a query word
    fb_title: bool = True  # feedback words also searched in titles
    # How much each feedback document counts: None, in proportion to its first-pass
    # score (RM3 over BM25 as Anserini does); a number t, in proportion to
    # exp(t * score / best score) (Indri's exp(log-likelihood), sharpened by t; 0 is
    # uniform).
    fb_doc_temp: float | None = None
    # Feedback words are chosen and weighted by p(word | feedback docs) * idf**fb_idf
    # (0: plain RM3, which favours words common everywhere).
    fb_idf: float = 0.0
    # "max": the heaviest feedback word weighs fb_weight of a query word. "sum": RM3's
    # interpolation as Anserini does it: the feedback words together weigh fb_weight
    # times the query's words together (1.0 is Anserini's lambda 0.5), so a long query
    # gets as much feedback, relative to its words, as a short one.
    fb_norm: str = "max"
    # How the feedback words are scored. "rescore": one pass of the query to depth
    # max(limit, fb_depth), then the feedback words' BM25F scores are added to those hits
    # only (term matchers skipped to each hit). "requery": Anserini's way, a second full
    # query AndMaybe(query, words) over every match (about twice the time).
    fb_mode: str = "rescore"
    fb_depth: int = 100
    # Drift guard: feed back only when the first pass matched at least this many articles
    # (on a handful of matches the "best hits" are mostly off topic) ...
    fb_min_matches: int = 0
    # ... and only when the query has at least this many distinct words (one- or two-word
    # queries are usually names or precise terms that feedback dilutes).
    fb_min_words: int = 1
    # Term proximity: a bonus for adjacent query words within `prox_window` positions of
    # each other (the unordered-window part of the sequential dependence model), added to
    # the best `prox_depth` matches. prox_weight=0 turns it off.
    prox_weight: float = 0.0
    prox_window: int = 8
    prox_depth: int = 100
    # ... only for queries of at most this many distinct words (0: any): a keyword
    # query's words are one concept, a pasted sentence's adjacent words often are not,
    # and its many pairs cost the most.
    prox_max_words: int = 0
    # "sum": Whoosh's BM25F, a BM25 score per field summed (a word in the title and the
    # body saturates twice). "combined": the matches the other passes re-order (at least
    # the best `bm25f_depth`) are rescored by BM25F proper: per word, the field-weighted,
    # length-normalised term frequencies are added first and saturated once (Robertson &
    # Zaragoza 2009); feedback words too.
    bm25f: str = "sum"
    bm25f_depth: int = 100
    # A word typed n times in the query (a pasted sentence) weighs (k3+1)*n/(k3+n) of a
    # word typed once: BM25's query-term-frequency factor (Robertson et al., TREC-3;
    # Terrier's k3 is 8). 0: a repeated word counts once; math.inf: n times.
    qtf_k3: float = 0.0

    def with_(self, **changes) -> Ranking:
        return replace(self, **changes)

    @property
    def rerank_depth(self) -> int:
        """How many of the best first-pass matches the re-ranking passes re-order (the
        same whatever the limit, so the top k of a search are the first k of all)."""
        return max(self.fb_depth if self.fb_docs else 0,
                   self.prox_depth if self.prox_weight else 0,
                   self.bm25f_depth if self.bm25f == "combined" else 0)

    @property
    def reranks(self) -> bool:
        """Whether anything beyond one BM25F pass runs."""
        return self.fb_docs > 0 or self.prox_weight > 0 or self.bm25f == "combined"

    def label(self) -> str:
        parts = [f"k1={self.k1:g}", f"b={self.b:g}"]
        if self.title_b is not None:
            parts.append(f"title_b={self.title_b:g}")
        parts.append(f"title={self.title_weight:g}")
        if self.fb_docs:
            fb = f"rm3({self.fb_docs}d,{self.fb_terms}t,w{self.fb_weight:g}"
            if not self.fb_title:
                fb += ",body"
            fb += f",{self.fb_mode}" + (f"{self.fb_depth}" if self.fb_mode == "rescore"
                                        else "")
            if self.fb_min_matches:
                fb += f",min{self.fb_min_matches}"
            if self.fb_min_words > 1:
                fb += f",words>={self.fb_min_words}"
            if self.fb_doc_temp is not None:
                fb += f",exp{self.fb_doc_temp:g}"
            if self.fb_idf:
                fb += f",idf^{self.fb_idf:g}"
            if self.fb_norm != "max":
                fb += f",{self.fb_norm}"
            parts.append(fb + ")")
        if self.prox_weight:
            parts.append(f"prox(w{self.prox_weight:g},win{self.prox_window},"
                         f"top{self.prox_depth}"
                         + (f",words<={self.prox_max_words})" if self.prox_max_words
                            else ")"))
        if self.bm25f == "combined":
            parts.append(f"bm25f(top{self.rerank_depth})")
        if self.qtf_k3:
            parts.append(f"qtf(k3={self.qtf_k3:g})")
        return " ".join(parts)

    def repeat_weight(self, n: int) -> float:
        """The weight of a word typed n times relative to one typed once."""
        k3 = self.qtf_k3
        if n <= 1 or not k3:
            return 1.0
        return float(n) if math.isinf(k3) else (k3 + 1.0) * n / (k3 + n)


# The shipped ranking before issue #14: BM25F 0.9/0.4, title weight 2, no re-ranking.
BASELINE = Ranking()
# The ranking chosen in issue #14 over NPL, CISI and CACM together (docs/ranking.md):
# BM25F k1 0.9, b 0.5 (titles 0.75), title weight 2, Whoosh's per-field sum (a headline
# match keeps its own BM25 score and idf; BM25F proper, bm25f="combined", scored CACM
# higher but let long digests repeating the query words outrank the articles whose
# headline matches); a word typed n times weighs 9n/(8+n) (BM25's query-term factor,
# k3 8); RM3 feedback from the 20 best hits weighted by exp(5 * score / best score), 20
# words at up to half a query word, over the best 200 matches, when the query matches
# at least 20 articles; a small proximity bonus for adjacent query words within 8
# positions, for keyword queries only (at most 4 words: on pasted sentences, with the
# query-term factor, it moved MAP by -0.0012..+0.0001 and cost a fifth of a query).
DEFAULT = Ranking(k1=0.9, b=0.5, title_b=0.75, title_weight=2.0, bm25f="sum",
                  fb_docs=20, fb_terms=20, fb_weight=0.5, fb_doc_temp=5.0, fb_depth=200,
                  fb_min_matches=20, qtf_k3=8.0, prox_weight=0.25, prox_window=8,
                  prox_depth=100, prox_max_words=4)


def robertson_idf(n: int, df: int) -> float:
    """The standard (Robertson/Sparck Jones) idf, log((N-df+0.5)/(df+0.5)), floored just
    above zero so a word in most articles adds ~nothing: the idf of every ranking pass."""
    return max(1e-6, math.log((n - df + 0.5) / (df + 0.5)))
