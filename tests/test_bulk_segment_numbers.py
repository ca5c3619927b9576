"""SegmentBuilder's term numbering (segment._numbers) against a plain loop."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsgrep.engine.whoosh.segment import _numbers

docs = st.lists(st.lists(st.text(max_size=3), unique=True, max_size=12), max_size=8)


@given(docs)
def test_numbers_give_each_new_word_the_next_number_in_order_of_first_sight(
        batch: list[list[str]]) -> None:
    ids: dict = {}
    ref: dict = {}
    for words in batch:
        expect = [ref.setdefault(w, len(ref)) for w in words]
        assert _numbers(ids, words) == expect
        assert ids == ref and list(ids) == list(ref)
