"""Did-you-mean: a query whose words the index does not know, with each replaced by a
close word it does know, as written in an article."""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata

from whoosh import query
from whoosh.support.levenshtein import damerau_levenshtein

from ...snippets import find_matches
from ..analysis import normalize_term
from .schema import stored_body

SUGGEST_MAX_LEN = 30  # longer unknown words get no suggestion
SUGGEST_MAX_QUERY = 200  # nor do queries longer than this (characters)
SUGGEST_SHORTLIST = 8  # closest stems looked up as written in an article, per word
SUGGEST_CANDIDATES = 3  # closest known words tried per unknown word
SUGGEST_TRIES = 12  # combinations of them tried against the index


def suggest(searcher, q: query.Query, text: str) -> str | None:
    """The query with each word the index does not know replaced by a close word it
    does know, written as it appears in an article rather than as its stem
    (`troopps` -> `troops`). Candidates are ranked by edit distance (a swap of two
    letters counts as one edit), then frequency: ranking by frequency alone turned
    `impechment` into `impact`. Of the best few per word, the first combination
    with which the whole query matches something wins, so `"hong kongg"` becomes
    `"hong kong"` (a phrase that exists) rather than `"hong king"`."""
    if len(text) > SUGGEST_MAX_QUERY:
        return None
    reader = searcher.reader()
    typed = {normalize_term(w.lower()): w.lower() for w in re.findall(r"\w+", text)}
    options: dict[str, list[tuple[str, str, int]]] = {}
    for stem in _text_words(q):
        if len(stem) > SUGGEST_MAX_LEN:  # not a typo; and the automaton gets slow
            continue
        if stem in options or reader.doc_frequency("body", stem) or \
                reader.doc_frequency("title", stem):
            continue
        # Also without an ending the stemmer would have stripped from a known word.
        variants = {stem} | {stem[:-len(end)] for end in _ENDINGS
                             if end and stem.endswith(end) and len(stem) > len(end) + 2}
        try:
            near = {t for v in variants for t in reader.terms_within("body", v, 2, prefix=1)}
        except Exception:
            continue
        freq = {t: reader.doc_frequency("body", t) for t in near}
        # Stems are compared first (cheap), then the best few as written in articles
        # with the word as typed: `chnage` is not stemmed, `change` is `chang`.
        word = typed.get(stem, stem)
        shortlist = sorted(near, key=lambda t: (_distance(t, stem), -freq[t], t))
        cands = []
        for t in shortlist[:SUGGEST_SHORTLIST]:
            surface = _surface(searcher, t, word) or t
            cands.append((t, surface, damerau_levenshtein(surface, word)))
        cands.sort(key=lambda c: (c[2], -freq[c[0]], c[0]))
        if cands:
            options[stem] = cands[:SUGGEST_CANDIDATES]
    if not options:
        return None
    stems = list(options)
    # Fewest edits in all, then the most frequent words (ranked first per word).
    combos = sorted(itertools.product(*(enumerate(options[st]) for st in stems)),
                    key=lambda c: (sum(d for _, (_, _, d) in c), sum(i for i, _ in c)))
    tries = [[(t, w) for _, (t, w, _) in c] for c in combos[:SUGGEST_TRIES]]
    shown = dict(zip(stems, (w for _, w in tries[0]), strict=True))
    for combo in tries:
        swap = {st: t for st, (t, _) in zip(stems, combo, strict=True)}
        try:
            fixed = q.accept(functools.partial(_swap_words, swap=swap))
            if searcher.search(fixed, limit=1, scored=False).scored_length():
                shown = dict(zip(stems, (w for _, w in combo), strict=True))
                break
        except Exception:
            break
    out: list[str] = []
    changed = False
    for piece in re.split(r"(\w+)", text):
        key = normalize_term(piece.lower()) if piece[:1].isalnum() else None
        if key is not None and key in shown:
            out.append(shown[key])
            changed = True
        else:
            out.append(piece)
    if not changed:
        return None
    # Printed on one line: no control or format characters, single spaces.
    text = "".join(c for c in "".join(out) if unicodedata.category(c)[0] != "C" or
                   c.isspace())
    return " ".join(text.split()) or None

def _surface(searcher, stem: str, near: str = "") -> str | None:
    """A word as written in an article whose indexed form is `stem` (of its forms in
    that article, the closest to `near`)."""
    for hit in searcher.search(query.Term("body", stem), limit=1):
        body = stored_body(hit)
        forms = {body[s:e].lower() for s, e, _ in find_matches(body, {stem},
                                                               normalize_term)}
        if forms:
            return min(forms, key=lambda w: (damerau_levenshtein(w, near), w))
    return None


def _distance(term: str, unknown: str) -> int:
    """Edits from an unknown word to an indexed stem. A misspelt word is often left
    unstemmed (`chnage`, while `change` is indexed as `chang`), so the stem plus an
    ending the stemmer strips counts too."""
    return min(damerau_levenshtein(term + end, unknown) for end in _ENDINGS)


_ENDINGS = ("", "e", "s", "es", "ed", "ing", "ment", "ion", "y")


def _text_words(q: query.Query) -> list[str]:
    """The title/body words of a query (terms and the words of phrases), not under NOT."""
    out: list[str] = []
    if isinstance(q, query.Not):
        return out
    if isinstance(q, query.AndNot):
        return _text_words(q.a)
    if isinstance(q, query.Term) and q.fieldname in ("title", "body"):
        out.append(q.text)
    elif isinstance(q, query.Phrase) and q.fieldname in ("title", "body"):
        out.extend(q.words)
    for child in q.children():
        out.extend(_text_words(child))
    return out


def _swap_words(node: query.Query, swap: dict[str, str]) -> query.Query:
    if isinstance(node, query.Term) and node.fieldname in ("title", "body") and \
            node.text in swap:
        return query.Term(node.fieldname, swap[node.text], boost=node.boost)
    if isinstance(node, query.Phrase) and node.fieldname in ("title", "body"):
        return query.Phrase(node.fieldname, [swap.get(w, w) for w in node.words],
                            slop=node.slop, boost=node.boost)
    return node
