"""Whoosh's side of newsgrep's analysis: the tokenizer and filter that put
engine/analysis.py's words, folding, stemming and stopwords into Whoosh fields, for the
Whoosh index's schema and for the query language's parser (built on Whoosh's qparser).
Everything engine-neutral (terms, positions, stems, sound keys) stays in analysis.py,
which the OpenSearch engine uses too.

Both classes are pickled into each index's schema (Whoosh stores it); the index is read
with the code's schema (engine/whoosh/schema.py: read_toc), so moving them is safe."""

from __future__ import annotations

from collections.abc import Iterable

from whoosh.analysis import Filter, LowercaseFilter, Token, Tokenizer

from ..words import fold, words
from .analysis import STOPWORDS, _fold_cached, normalize_term


class FoldStemFilter(Filter):
    """Accent-fold and stem each token, dropping `stops` (see module docstring).

    The filter is pickled into the index's schema, so an index keeps the behaviour it was
    built with; indexes made before stopwords existed unpickle without `stops` and fall
    back to the class default (no stopwords), at indexing and query time alike.
    """

    stops: frozenset[str] = frozenset()

    def __init__(self, stem: bool = True, stops: Iterable[str] = ()):
        # At query time ("query" mode) the word is only lower-cased: the query parser
        # expands it to its stems under each language the index holds
        # (engine/querylang/nodes.py), each language folding and stemming it its own way.
        self.stem = stem
        self.stops = frozenset(stops)

    def __eq__(self, other):
        return (isinstance(other, FoldStemFilter) and other.stem == self.stem
                and other.stops == self.stops)

    def __call__(self, tokens):
        norm = normalize_term if self.stem else fold
        stops = self.stops
        pos = None
        for t in tokens:
            if t.mode == "query" and self.stem:
                norm = str  # kept as typed (lower-cased): see __init__
            if t.stopped:
                yield t
                continue
            if stops and _fold_cached(t.text) in stops:
                if not t.removestops:
                    t.stopped = True
                    yield t
                continue
            t.text = norm(t.text)
            if t.positions:  # close the gaps stopwords leave, as StopFilter(renumber=True)
                pos = t.pos if pos is None else pos + 1
                t.pos = pos
            yield t


class WordTokenizer(Tokenizer):
    """newsgrep's words (newsgrep/words.py: `U.S.` and `AT&T` kept whole, CJK runs as
    character bigrams) as Whoosh tokens, one position each."""

    def __eq__(self, other):
        return isinstance(other, WordTokenizer)

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True, mode="",
                 **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = value
            t.boost = 1.0
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        for pos, (start, end, text) in enumerate(words(value)):
            t.text = text
            t.boost = 1.0
            if keeporiginal:
                t.original = text
            t.stopped = False
            if positions:
                t.pos = start_pos + pos
            if chars:
                t.startchar, t.endchar = start_char + start, start_char + end
            yield t


def text_analyzer(stem: bool = True, stopwords: Iterable[str] | None = None):
    """Tokenize into newsgrep's words (WordTokenizer), lower-case, fold, stem.

    `stopwords`: None means STOPWORDS when stemming (title and body) and none otherwise;
    pass () to keep every word.
    """
    if stopwords is None:
        stopwords = STOPWORDS if stem else ()
    return WordTokenizer() | LowercaseFilter() | FoldStemFilter(stem=stem, stops=stopwords)
