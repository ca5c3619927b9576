"""A faster posting format for Whoosh's TEXT fields at index time.

Whoosh analyses each field value through a chain of generators that create and mutate a
Token object per word (tokenizer -> lowercase -> fold/stem): about half of its indexing
time. `FastPositions` produces the same terms and positions with one regex pass and the
cached term normaliser, and falls back to the analyzer whenever it is asked for anything
else (queries and highlighting still use the analyzer). tests/test_analysis.py checks
that both give identical terms and positions.
"""

from __future__ import annotations

from whoosh.formats import Positions

from . import analysis


class FastPositions(Positions):
    def word_values(self, value, analyzer, **kwargs):
        if not isinstance(value, str) or kwargs.get("mode") not in (None, "index"):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        fb = self.field_boost
        encode = self.encode
        for word, poslist in analysis.term_positions(value).items():
            yield (word, len(poslist), len(poslist) * fb, encode(poslist))
