"""has_cjk's cheap pre-check (issue #13.5) never hides a CJK character: the same answer
as the full CJK class for any text, including the punctuation it skips and the edges of
every CJK range."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from newsgrep.words import _CJK_CHARS, has_cjk, words

FULL = re.compile(f"[{_CJK_CHARS}]")
EDGES = "".join(chr(c) for c in (0x10FF, 0x1100, 0x11FF, 0x1200, 0x1FFF, 0x2000, 0x201C,
                                 0x2BFF, 0x2C00, 0x303F, 0x3040, 0x30FF, 0x4E00, 0x9FFF,
                                 0xAC00, 0xD7AF, 0xFF65, 0xFF66, 0xFF9F, 0xFFA0, 0x1FFFF,
                                 0x20000, 0x3134F, 0x31350))


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.one_of(st.characters(), st.sampled_from(EDGES + "aé ж“”—")),
               max_size=40))
def test_has_cjk_is_the_full_class(text):
    assert has_cjk(text) == (FULL.search(text) is not None)


def test_every_character_of_the_full_class_is_seen():
    for c in range(0x1100, 0x32000):
        ch = chr(c)
        assert has_cjk("“" + ch) == (FULL.match(ch) is not None), hex(c)


def test_words_split_cjk_as_before():
    assert [w for _, _, w in words("iPhone手机 “习近平” ok")] == \
        ["iPhone", "手机", "习近", "近平", "ok"]
