"""fastskip's W3LeafMatcher.skip_to ends where Whoosh's own does: replayed on the demo
index's posting lists (long ones span many blocks), with skips of every size, the
matchers agree on activity, id, weight and score after each step."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from newsgrep.engine.whoosh import fastskip
from newsgrep.engine.whoosh.folder import open_index


def _replay(reader, field: str, text: str, steps: list[tuple[str, int]]):
    """The matcher's state after each step (('skip', delta) or ('next', 0))."""
    m = reader.postings(field, text)
    out = []
    for op, delta in steps:
        if not m.is_active():
            break
        if op == "next":
            m.next()
        else:
            m.skip_to(m.id() + delta)
        out.append((m.id(), m.weight()) if m.is_active() else None)
    return out


def _long_terms(reader, field: str, n: int = 8) -> list[str]:
    terms = sorted(((reader.doc_frequency(field, t), t) for t in reader.lexicon(field)),
                   reverse=True)
    return [t.decode("utf-8") if isinstance(t, bytes) else t for _, t in terms[:n]]


steps = st.lists(st.tuples(st.sampled_from(["skip", "skip", "next"]),
                           st.integers(min_value=-3, max_value=400)), max_size=60)



def _whoosh_replay(reader, field, text, steps):
    """_replay with Whoosh's own skip_to (fastskip uninstalled for the call)."""
    fastskip.uninstall()
    try:
        return _replay(reader, field, text, steps)
    finally:
        fastskip.install()

@settings(max_examples=60, deadline=None)
@given(steps, st.integers(min_value=0, max_value=7))
def test_same_postings_as_whoosh_skip_to(demo_index, steps, which):
    ix = open_index(demo_index)
    with ix.reader() as reader:
        for r, _ in reader.leaf_readers():
            terms = _long_terms(r, "body")
            text = terms[which % len(terms)]
            want = _whoosh_replay(r, "body", text, steps)
            assert _replay(r, "body", text, steps) == want


def test_skipping_to_each_document_in_turn(demo_index):
    ix = open_index(demo_index)
    rng = random.Random(7)
    with ix.searcher() as s:
        reader = s.reader()
        for text in _long_terms(reader, "body", 4):
            docs = sorted(rng.sample(range(reader.doc_count_all()), 200))
            results = []
            for install in (False, True):
                (fastskip.install if install else fastskip.uninstall)()
                m = reader.postings("body", text)
                got = []
                for d in docs:
                    if not m.is_active():
                        break
                    m.skip_to(d)
                    if m.is_active():
                        got.append((d, m.id(), m.weight()))
                results.append(got)
            fastskip.install()
            assert results[0] == results[1]


def test_many_blocks(tmp_path):
    """A Whoosh-written index whose posting lists span dozens of 128-posting blocks."""
    from whoosh import fields, index

    ix = index.create_in(str(tmp_path), fields.Schema(body=fields.TEXT()))
    rng = random.Random(3)
    with ix.writer() as w:
        for i in range(6000):
            words = ["common"] + (["half"] if i % 2 else []) + (["rare"] if i % 97 == 0 else [])
            w.add_document(body=" ".join(words * rng.randint(1, 3)))
    with ix.reader() as reader:
        for text in ("common", "half", "rare"):
            for _trial in range(20):
                steps = [("skip", rng.choice([1, 2, 50, 127, 128, 129, 300, 1000]))
                         if rng.random() < 0.8 else ("next", 0) for _ in range(40)]
                want = _whoosh_replay(reader, "body", text, steps)
                assert _replay(reader, "body", text, steps) == want
                assert want  # the lists are long enough to replay
