"""Fuzzing the readers through `newsgrep index` (issue 11, "Also"): random bytes and random
file names for every format, in a real folder. Every run must end with exit 0/1/2, no
traceback (CliRunner re-raises any exception), one-line reasons, and at most one stderr
line per problem.

Bounded: few files per example, small contents, a fixed number of examples and no
deadline (an index run's time varies with the machine's load)."""

from __future__ import annotations

import gzip
import json
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import run as _run

# Wide enough that rich never wraps a skipped line: one line per problem is the contract.
_ENV = {"NO_COLOR": "1", "COLUMNS": "100000"}


def run(*args: str, index: Path):
    return _run(*args, index=index, env=_ENV)

FORMATS = (".txt", ".md", ".html", ".htm", ".json", ".jsonl")
KEYS = ("title", "headline", "text", "body", "content", "date", "published", "url", "source",
        "lang", "articles", "items", "@type", "datePublished")
LONE = ("\ud83d", "\udcff", "\ud800", "\udfff")
TAGS = ("<html>", "<head>", "</head>", "<body>", "</body>", "<p>", "</p>", "<h1>", "</h1>",
        "<article>", "</article>", "<nav>", "<aside>", "<footer>", "<title>", "</title>",
        '<meta charset="utf-8">', '<meta charset="x-unknown">', '<?xml encoding="utf-8"?>',
        '<meta property="article:published_time" content="', '<time datetime="', '">',
        '<script type="application/ld+json">', "</script>", "<![CDATA[", "<!--", "-->",
        "&#27;", "&#xd83d;", "&shy;", "<", ">", '"', "\x00", "\x1b[2J", "\r\n")

# Text with the characters that have broken readers before: controls, bidi marks, lone
# surrogates (only reachable through JSON escapes or a lax encoder), astral characters.
_chars = st.characters(codec="utf-8") | st.sampled_from(LONE + ("\u202e", "\x85", "😀"))
_text = st.text(_chars, max_size=200)
_encoded = st.tuples(_text, st.sampled_from(("utf-8", "utf-16", "cp1251", "latin-1"))).map(
    lambda t: t[0].encode(t[1], "surrogatepass" if t[1].startswith("utf") else "replace"))

_json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | _text,
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.sampled_from(KEYS) | _text, inner, max_size=5),
    max_leaves=12,
)
_json = _json_value.map(lambda v: json.dumps(v).encode())
_jsonl = st.lists(_json | _encoded, max_size=6).map(b"\n".join)
_html = st.lists(st.sampled_from(TAGS) | _text, max_size=30).map(
    lambda parts: "".join(parts).encode("utf-8", "surrogatepass"))
_content = st.one_of(st.binary(max_size=1500), _encoded, _json, _jsonl, _html)


def _gz(data: bytes, how: int) -> bytes:
    packed = gzip.compress(data)
    return (packed, packed[: len(packed) // 2], data)[how]  # whole, truncated, not gzip


# Names: any characters a file system allows in a name except controls (showing those is
# the output's job, tested there), or raw bytes that need not be UTF-8.
_name_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs"),
                                   exclude_characters="/"), min_size=1, max_size=30)
_name_bytes = st.binary(min_size=1, max_size=30).map(
    lambda b: bytes(c for c in b if c >= 0x20 and c not in (0x2F, 0x7F)) or b"x")
_file = st.tuples(
    st.one_of(_name_text.map(os.fsencode), _name_bytes),
    st.sampled_from(FORMATS),
    st.sampled_from((None, 0, 1, 2)),  # gzip: no, whole, truncated, not gzip at all
    _content,
)


@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(_file, min_size=1, max_size=4))
def test_index_survives_random_files(files):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        for i, (name, suffix, gz, data) in enumerate(files):
            fname = b"%d-" % i + name[:200] + suffix.encode()
            if gz is not None:
                fname, data = fname + b".gz", _gz(data, gz)
            with open(os.path.join(os.fsencode(folder), fname), "wb") as fh:
                fh.write(data)
        idx = Path(tmp) / "idx"

        res = run("index", "--json", str(folder), index=idx)
        assert res.exit_code in (0, 1, 2)
        assert res.exit_code == 0, res.output  # a folder of bad files is not an error
        summary = json.loads(res.stdout)
        problems = summary["skipped"] + summary["warnings"]
        for p in problems:
            assert "\n" not in p["reason"] and "Traceback" not in p["reason"], p
            assert p["path"].encode("utf-8")  # printable: no surrogates
        done = summary["indexed"] + len(summary["skipped"])
        assert done == len(files)

        # The plain summary (skipped list on stderr) and a search over what was indexed.
        res = run("index", "--full", "-v", str(folder), index=idx)
        assert res.exit_code == 0
        assert len(res.stderr.splitlines()) <= len(problems) + 2, res.stderr
        res = run("search", "--json", "the OR a OR 0", index=idx)
        assert res.exit_code in (0, 1)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.one_of(_json, _jsonl, _html, _encoded), st.sampled_from(FORMATS))
def test_every_field_of_every_record_is_clean_text(data, suffix):
    """What reaches the index writer: no lone surrogate or control character in any field
    (the writer process used to crash on a surrogate in `source`)."""
    from newsgrep.errors import SkipFile
    from newsgrep.normalize import normalize
    from newsgrep.readers import parse_bytes

    try:
        raws = parse_bytes(f"/fuzz/a{suffix}", data)
    except SkipFile as e:
        assert "\n" not in str(e)
        return
    for raw in raws:
        art = normalize(raw)
        for value in (art.title, art.body, art.source, art.url, art.lang, *art.warnings):
            if value is not None:
                value.encode("utf-8")  # raises on a lone surrogate
                assert not any(c in value for c in "\x00\x1b\x9b\u202e"), repr(value)
