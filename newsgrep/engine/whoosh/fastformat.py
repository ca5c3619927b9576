"""A faster posting format for Whoosh's TEXT fields at index time.

Whoosh analyses each field value through a chain of generators that create and mutate a
Token object per word (tokenizer -> lowercase -> fold/stem): about half of its indexing
time. `FastPositions` produces the same terms and positions with one regex pass and the
cached term normaliser, and falls back to the analyzer whenever it is asked for anything
else (queries and highlighting still use the analyzer). tests/test_analysis.py checks
that both give identical terms and positions.
"""

from __future__ import annotations

import sys
from array import array
from operator import sub

from whoosh.formats import Positions

from .. import analysis

_SWAP = sys.byteorder != "little"  # stored little-endian whatever the machine


def _pack(typecode: str, values: list[int]) -> bytes:
    a = array(typecode, values)
    if _SWAP:
        a.byteswap()
    return a.tobytes()


def encode_positions(poslist: list[int]) -> bytes:
    if len(poslist) == 1:
        return _single(poslist[0])
    deltas = [poslist[0], *map(sub, poslist[1:], poslist)]
    top = max(deltas)
    if top < 256:
        payload = b"B" + bytes(deltas)
    elif top < 65536:
        payload = b"H" + _pack("H", deltas)
    else:
        payload = b"I" + _pack("I", deltas)
    return payload  # the count follows from the length: no 4-byte header per posting


# Most postings of an article are one position: their bytes, made once per position.
_SINGLES: dict[int, bytes] = {}


def _single(pos: int) -> bytes:
    enc = _SINGLES.get(pos)
    if enc is None:
        if pos < 256:
            enc = b"B" + bytes((pos,))
        else:
            enc = (b"H" if pos < 65536 else b"I") + _pack("H" if pos < 65536 else "I", [pos])
        if pos < 65536:  # bounded: positions past it are rare
            _SINGLES[pos] = enc
    return enc


class Analyzed(str):
    """Text whose postings were already computed (in an ingest worker process), so the
    single index writer only has to file them: analysis moves to the other cores.

    The postings include the Latin sound key of each Cyrillic word, at that word's
    position (analysis.translit_key). They count in the field's length like words, so a
    Russian article's length is about twice its words: the bulk writer
    (segment.py) takes both a posting's weight and the length from its freq
    and must write the same bytes as Whoosh, so a key cannot be weighted but left out of
    the length (see docs/multilingual.md)."""

    postings: list[tuple[str, int, bytes]]


def analyzed(text: str, lang: str | None = None, tokens: list[str] | None = None
             ) -> Analyzed:
    """`text` of an article in language `lang` with its postings (analysis.term_positions,
    with the sound keys of Cyrillic words). `tokens`: the text's words.word_list(), if
    already made."""
    out = Analyzed(text)
    single, encode = _SINGLES.get, encode_positions
    out.postings = [(word, len(poslist),
                     (len(poslist) == 1 and single(poslist[0])) or encode(poslist))
                    for word, poslist in analysis.term_positions(
                        text, lang=lang, keys=True, tokens=tokens).items()]
    return out


class FastPositions(Positions):
    """Positions encoded compactly: the position deltas as bytes, 16- or 32-bit
    integers (a one-byte tag says which) instead of Whoosh's pickled list, which made
    the postings the largest part of the index."""

    def encode(self, poslist):
        return encode_positions(poslist)

    def decode_frequency(self, valuestring):
        width = {b"B": 1, b"H": 2}.get(valuestring[:1], 4)
        return (len(valuestring) - 1) // width

    def decode_weight(self, valuestring):
        return self.decode_frequency(valuestring) * self.field_boost

    def decode_positions(self, valuestring):
        tag = valuestring[:1]
        raw = valuestring[1:]
        if tag == b"B":
            deltas = list(raw)
        else:
            a = array("H" if tag == b"H" else "I")
            a.frombytes(raw)
            if _SWAP:
                a.byteswap()
            deltas = a.tolist()
        positions = []
        position = 0
        for d in deltas:
            position += d
            positions.append(position)
        return positions

    def word_values(self, value, analyzer, **kwargs):
        if not isinstance(value, str) or kwargs.get("mode") not in (None, "index"):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        fb = self.field_boost
        if isinstance(value, Analyzed):
            for word, freq, encoded in value.postings:
                yield (word, freq, freq * fb, encoded)
            return
        encode = self.encode
        for word, poslist in analysis.term_positions(value).items():
            yield (word, len(poslist), len(poslist) * fb, encode(poslist))
