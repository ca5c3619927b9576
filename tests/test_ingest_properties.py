"""Property tests: no input bytes crash ingest; every record has a title; furniture goes.

readers.parse_bytes may refuse a file (SkipFile, with a reason); anything else it returns
must normalize without error, into an Article with a non-empty title.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgrep.errors import SkipFile
from newsgrep.normalize import normalize
from newsgrep.readers import parse_bytes

SUFFIXES = [".txt", ".md", ".html", ".htm", ".json", ".jsonl"]
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1251", "cp1257", "latin-1"]
_SETTINGS = settings(max_examples=120, deadline=None,
                     suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Pieces that drive the normalizer into its branches: date, source and URL lines, Markdown,
# furniture, markup, control characters.
_PIECES = st.sampled_from([
    "Title line", "# Heading", "**Bold title**", "1 lutego 2022", "2022. gada 14. februāris",
    "Tue, 25 Jan 2022 10:15:00 GMT", "0001-11-30", "30.09.2050", "9/28/16", "24.01.2022",
    "Source: [Site](https://www.site.example)", "Quelle: https://x.example/a", "Источник: ТАСС",
    "Source:", "Source: [](", "https://www.example.com/a", "[link](https://a.example)",
    "Advertisement", "Leave a Reply", "Read also", "Others are currently reading",
    "Sign up for our newsletter", "<p>", "</div>", "<h1>Head</h1>", "<script>x</script>",
    '<meta property="og:title" content="T">', "{", "}", '"title":', '"text":', "[", "]",
    "\x1b[31m", "\u202e", "\ufeff", "\r\n", "\n", "\n\n", " ", "Text of the article.",
    "Текст статьи.", "---", "title: x", "date: 2022-02-01",
])
_TEXTY = st.lists(st.one_of(_PIECES, st.text(max_size=30)), max_size=25).map("".join)


def _check(path: str, data: bytes) -> None:
    try:
        raws = parse_bytes(path, data)
    except SkipFile:
        return
    for raw in raws:
        art = normalize(raw)
        assert isinstance(art.title, str) and art.title.strip(), raw
        assert not any(w.startswith("normalizer error") for w in art.warnings), art.warnings
        assert isinstance(art.body, str)
        assert art.date is None or 1800 <= art.date.year


@_SETTINGS
@given(st.binary(max_size=3000), st.sampled_from(SUFFIXES))
def test_random_bytes_never_crash(data, suffix):
    _check("article" + suffix, data)


@_SETTINGS
@given(_TEXTY, st.sampled_from(SUFFIXES), st.sampled_from(ENCODINGS))
def test_texty_input_never_crashes(text, suffix, encoding):
    _check("x/article" + suffix, text.encode(encoding, errors="replace"))


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | _TEXTY,
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(
        st.sampled_from(["title", "text", "body", "date", "published", "url", "source",
                         "lang", "articles", "maintext", "headline", "source_domain", "x"]),
        kids, max_size=6),
    max_leaves=20,
)


@_SETTINGS
@given(_JSON, st.booleans())
def test_json_shapes_never_crash(value, as_lines):
    if as_lines:
        items = value if isinstance(value, list) else [value]
        data = "\n".join(json.dumps(v) for v in items).encode()
        _check("a.jsonl", data)
    else:
        _check("a.json", json.dumps(value).encode())


# --- furniture ----------------------------------------------------------------------------

FURNITURE = [
    "Advertisement", "Sign up for our newsletter", "Share this article", "Anzeige", "Реклама",
    "We use cookies to improve your experience.", "Accept all cookies", "Share on Facebook",
    "Subscribe to our newsletter", "© 2022 Example News. All rights reserved.",
    "Czytaj także: Nowy most w Gdańsku", "Читайте также: Новый мост в Москве",
    "Lesen Sie auch: Neue Brücke in Hamburg", "Read also: New bridge opens in Riga",
]
TAIL = ["Others are currently reading", "Ministers meet in Riga", "New ferry line opens",
        "Leave a Reply", "Your email address will not be published.",
        "This site uses Akismet to reduce spam."]
_WORDS = st.sampled_from(
    "the council approved a plan for new bridge river city mayor said on Monday that "
    "workers would begin building in spring and finish within two years residents "
    "welcomed decision budget million euros traffic".split()
)
_SENTENCE = st.lists(_WORDS, min_size=8, max_size=25).map(
    lambda ws: " ".join(ws).capitalize() + "."
)


@_SETTINGS
@given(
    st.lists(_SENTENCE, min_size=1, max_size=8),
    st.lists(st.sampled_from(FURNITURE), max_size=5),
    st.data(),
    st.sampled_from([".txt", ".md"]),
)
def test_furniture_goes_article_stays(paragraphs, furniture, data, suffix):
    body = list(paragraphs)
    for line in furniture:  # furniture lines anywhere between the paragraphs
        body.insert(data.draw(st.integers(0, len(body))), line)
    text = "\n\n".join(["City approves bridge", "1 February 2022", *body, *TAIL])
    [raw] = parse_bytes("a" + suffix, text.encode())
    art = normalize(raw)
    assert art.title == "City approves bridge"
    lines = art.body.split("\n\n")
    assert lines == paragraphs  # every article paragraph, in order, and nothing else
    for line in furniture + TAIL:
        assert line not in lines
