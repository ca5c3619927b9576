"""MinHash signatures (newsgrep/dedup.py): the numpy implementation gives datasketch's
MinHash(num_perm=64, seed=7) signature byte for byte, so indexes built before it and
after it compare alike, and reprints are still found."""

from __future__ import annotations

import re

from datasketch import MinHash
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgrep import dedup
from newsgrep.engine.analysis import fold

from .conftest import CORPUS


def datasketch_signature(text: str) -> bytes | None:
    """The signature as dedup.py computed it with datasketch (every shingle, in order)."""
    words = [fold(w) for w in re.findall(r"\w+", text.lower())]
    if not words:
        return None
    if len(words) < dedup.SHINGLE:
        shingles = [" ".join(words).encode()]
    else:
        shingles = [" ".join(words[i:i + dedup.SHINGLE]).encode()
                    for i in range(len(words) - dedup.SHINGLE + 1)]
    m = MinHash(num_perm=dedup.NUM_PERM, seed=dedup.SEED)
    m.update_batch(shingles)
    return m.hashvalues.astype("<u4").tobytes()


def test_signatures_equal_datasketch_on_the_corpus():
    files = sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.suffix != ".md")
    assert len(files) > 100
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert dedup.signature(text) == datasketch_signature(text), path


words = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)),
                min_size=0, max_size=12)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(words, st.sampled_from(
    ["Anušauskas", "ŁÓDŹ", "Straße", "ёлка", "йод", "ﷺ", "½", "U.S.", "  ", "\n"])),
    max_size=40))
def test_signatures_equal_datasketch_on_any_text(parts):
    text = " ".join(parts)
    assert dedup.signature(text) == datasketch_signature(text)


def test_a_reprint_is_similar_and_another_story_is_not():
    story = ("The minister said on Tuesday that the new bridge over the river would open "
             "in the spring, two years later than planned, after the contractor ran out "
             "of money and the council had to find another one to finish the work. ") * 3
    reprint = "Reprinted by the Evening Post. " + story.replace("Tuesday", "Wednesday")
    other = ("Fishermen in the northern harbour caught twice as much cod this winter as "
             "last, which the agency put down to colder water and fewer trawlers. ") * 3
    a, b, c = (dedup.signature(t) for t in (story, reprint, other))
    assert a and b and c and len(a) == 4 * dedup.NUM_PERM
    assert dedup.similarity(a, b) >= dedup.REPRINT_SIMILARITY
    assert set(dedup.band_keys(a)) & set(dedup.band_keys(b))
    assert dedup.similarity(a, c) < 0.1
    assert dedup.signature("") is None and dedup.signature(" ,.; ") is None
