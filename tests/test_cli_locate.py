"""Issue 12, items 7 and 9, through the CLI on real files: records of a .jsonl/.json file
have their own location (`file.jsonl:LINE`), `show` takes it; `--path`/`path:`,
`author:` and exact words (`=Kind`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgrep.engine.querylang.parser import exact_scopes, parse_user_query
from newsgrep.query import SearchRequest, path_glob

from .conftest import jsonl, run

BODY = "The committee met on Tuesday to discuss the budget for the coming year in detail."


def _record(title: str, text: str, **extra) -> dict:
    return {"title": title, "text": f"{text} {BODY}", "date": "2021-03-04",
            "source": "Example News", **extra}


def write_folder(base: Path) -> Path:
    """news/feed.jsonl (records on lines 1, 3 and 5; line 4 is not a record),
    news/list.json (two records), bbc/story.txt, other/page.html."""
    news = base / "news"
    news.mkdir(parents=True)
    lines = [
        json.dumps(_record("Budget talks open", "Talks about zebras began.",
                           authors=["Ann Lee", "Bo Chan"])),
        "",
        json.dumps(_record("Das Kind", "Das Kind spielt im Garten mit einem Ball.",
                           author="Karl Weber")),
        "{not json",
        json.dumps(_record("What kind of budget", "A kind of compromise on zebras.",
                           date="1066-10-14")),
    ]
    (news / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (news / "list.json").write_text(json.dumps([
        _record("First listed", "Listed one mentions Kinds of things.",
                author={"name": "Dee Ray"}),
        _record("Second listed", "Listed two mentions nothing else.",
                author=[{"givenName": "Eve", "familyName": "Stone"}]),
    ], indent=2), encoding="utf-8")
    (base / "bbc").mkdir()
    (base / "bbc" / "story.txt").write_text(
        "Zebras at the zoo\n\n2021-05-06\n\nThe zoo's zebras are kind to visitors. "
        + BODY + "\n", encoding="utf-8")
    (base / "other").mkdir()
    (base / "other" / "page.html").write_text(
        "<html><head><title>Zebra crossing rules change</title>"
        '<meta name="author" content="By Fay Moss">'
        '<meta property="article:published_time" content="2021-06-07"></head><body>'
        "<article><h1>Zebra crossing rules change</h1>"
        + "".join(f"<p>Paragraph {i}: zebra crossings get new rules this year. {BODY}</p>"
                  for i in range(4))
        + "</article></body></html>", encoding="utf-8")
    return base


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return write_folder(tmp_path_factory.mktemp("locate") / "data")


@pytest.fixture(scope="module")
def index(folder: Path, tmp_path_factory) -> Path:
    idx = tmp_path_factory.mktemp("locate-idx") / "index"
    res = run("index", "--json", str(folder), index=idx)
    assert res.exit_code == 0, res.output
    summary = json.loads(res.output)
    assert summary["articles"] == 7, summary
    return idx


def _hits(index: Path, *args: str) -> list[dict]:
    res = run("search", *args, "--json", index=index)
    assert res.exit_code in (0, 1), res.output
    return jsonl(res.output)


# -- item 7: locations ------------------------------------------------------------------

def test_json_hits_carry_the_line_of_their_record(index: Path, folder: Path) -> None:
    hits = {h["title"]: h for h in _hits(index, "budget")}
    feed = str(folder / "news" / "feed.jsonl")
    assert hits["Budget talks open"]["path"] == feed
    assert hits["Budget talks open"]["line"] == 1
    assert hits["Das Kind"]["line"] == 3
    assert hits["What kind of budget"]["line"] == 5
    # A .json list: the record's number (1-based); a one-article file: null.
    assert hits["Second listed"]["line"] == 2
    assert hits["Zebras at the zoo"]["line"] is None
    assert list(hits["Das Kind"])[:3] == ["id", "path", "line"]


def test_files_with_matches_prints_one_location_per_record(index: Path, folder: Path
                                                           ) -> None:
    res = run("search", "zebras", "-l", index=index)
    assert res.exit_code == 0
    feed = folder / "news" / "feed.jsonl"
    assert sorted(res.output.split()) == sorted([
        f"{feed}:1", f"{feed}:5", str(folder / "bbc" / "story.txt"),
        str(folder / "other" / "page.html")])


def test_terminal_and_csv_show_the_location(index: Path, folder: Path) -> None:
    res = run("search", "Kind", "-n", "50", "--no-pager", index=index)
    assert f"{folder / 'news' / 'feed.jsonl'}:3" in res.output
    res = run("search", "garten", "--csv", index=index)
    header, row = res.output.splitlines()[:2]
    assert header.split(",")[:3] == ["id", "path", "line"]
    assert row.split(",")[2] == "3"


def test_show_takes_a_location_and_a_bare_multi_record_file_says_how(index: Path,
                                                                    folder: Path,
                                                                    monkeypatch) -> None:
    monkeypatch.chdir(folder)
    res = run("show", "news/feed.jsonl:3", "--json", index=index)
    assert res.exit_code == 0, res.output
    got = json.loads(res.output)
    assert got["title"] == "Das Kind" and got["line"] == 3 and got["author"] == "Karl Weber"
    res = run("show", "news/list.json:2", index=index)
    assert res.exit_code == 0 and "Second listed" in res.output
    assert "news/list.json:2" in res.output
    # The location printed by search is what show takes, id and all.
    hit = _hits(index, "garten")[0]
    shown = json.loads(run("show", f"{hit['path']}:{hit['line']}", "--json",
                           index=index).output)
    assert shown["id"] == hit["id"]
    res = run("show", "news/feed.jsonl", index=index)
    assert res.exit_code == 2
    assert "holds 3 articles" in res.output and "news/feed.jsonl:1" in res.output
    assert "news/feed.jsonl:5" in res.output and " more" not in res.output
    res = run("show", "news/feed.jsonl:2", index=index)  # a blank line: no record
    assert res.exit_code == 2 and "no record of news/feed.jsonl starts at line 2" in res.output
    res = run("show", "bbc/story.txt", index=index)  # one article: as before
    assert res.exit_code == 0 and "Zebras at the zoo" in res.output


def test_ids_stay_what_they_were(index: Path, folder: Path) -> None:
    """The id of a .jsonl record is still keyed by its line, and a .json record's by its
    list index (article.article_id), so ids printed before this change still work."""
    from newsgrep.article import article_id

    feed, lst = str(folder / "news" / "feed.jsonl"), str(folder / "news" / "list.json")
    ids = {(h["path"], h["line"]): h["id"] for h in _hits(index, "budget")}
    assert ids[(feed, 3)] == article_id(feed, 3)
    assert ids[(lst, 1)] == article_id(lst, 0)


def test_index_warnings_name_the_record(folder: Path, tmp_path: Path) -> None:
    res = run("index", "--json", str(folder / "news"), index=tmp_path / "idx")
    warnings = json.loads(res.output)["warnings"]
    reasons = [w["reason"] for w in warnings]
    assert any(r.startswith("line 5: ") and "1066" in r for r in reasons), reasons
    assert any("line 4" in r and "dropped" in r for r in reasons), reasons


# -- item 9a: paths -----------------------------------------------------------------------

def test_path_option_and_scope(index: Path, folder: Path, monkeypatch) -> None:
    def paths(*args: str) -> set[str]:
        res = run("search", *args, "-l", index=index)
        assert res.exit_code in (0, 1), res.output
        return {p.split(":")[0] for p in res.output.split()}

    story = str(folder / "bbc" / "story.txt")
    assert paths("zebras", "--path", "*/bbc/*") == {story}
    assert paths("zebras", "--path", "bbc/*") == {story}
    assert paths("path:*/bbc/* zebras") == {story}
    assert paths("zebras", "--path", "bbc/*", "--path", "*.html") == {
        story, str(folder / "other" / "page.html")}
    assert paths("zebras -path:*/news/*") == {story, str(folder / "other" / "page.html")}
    monkeypatch.chdir(folder)
    assert paths("zebras", "--path", "news") == {str(folder / "news" / "feed.jsonl")}
    assert paths("*", "--path", "news/list.json") == {str(folder / "news" / "list.json")}
    res = run("search", "zebras", "--path", "*/nowhere/*", index=index)
    assert res.exit_code == 2 and "no indexed file's path matches --path" in res.output
    assert run("timeline", "zebras", "--path", "bbc", "--json",
               index=index).exit_code == 0


# -- item 9b: author ----------------------------------------------------------------------

def test_author_is_a_field(index: Path) -> None:
    by_title = {h["title"]: h for h in _hits(index, "*", "-n", "0")}
    assert by_title["Budget talks open"]["author"] == "Ann Lee, Bo Chan"
    assert by_title["First listed"]["author"] == "Dee Ray"
    assert by_title["Second listed"]["author"] == "Eve Stone"
    assert by_title["Zebra crossing rules change"]["author"] == "Fay Moss"
    assert by_title["Zebras at the zoo"]["author"] is None
    assert [h["title"] for h in _hits(index, "author:chan")] == ["Budget talks open"]
    assert [h["title"] for h in _hits(index, 'author:"eve stone"')] == ["Second listed"]
    assert _hits(index, "author:stone zebras") == []
    res = run("show", "--json", by_title["Zebra crossing rules change"]["id"], index=index)
    assert json.loads(res.output)["author"] == "Fay Moss"
    res = run("search", "garten", "--no-pager", index=index)
    assert "by Karl Weber" in res.output


# -- item 9c: exact words -----------------------------------------------------------------

def test_exact_word_keeps_case_and_ending(index: Path) -> None:
    def titles(q: str) -> set[str]:
        return {h["title"] for h in _hits(index, q, "-n", "0")}

    assert titles("kind") == {"Das Kind", "What kind of budget", "Zebras at the zoo",
                              "First listed"}  # folded and stemmed: Kinds too
    assert titles("=Kind") == {"Das Kind"}
    assert titles("exact:Kind") == {"Das Kind"}
    assert titles("=kind") == {"What kind of budget", "Zebras at the zoo"}
    assert titles("=Kinds") == {"First listed"}
    assert titles("budget -=Kind") == titles("budget") - {"Das Kind"}
    assert titles('="Kind spielt"') == {"Das Kind"}
    assert titles('="kind spielt"') == set()
    assert titles('"=Kind"') == titles("kind")  # in quotes, = is not the operator
    assert titles("=Kind*") == {"Das Kind", "First listed"}  # Kind, Kinds; not kind
    assert titles("=K?nd") == {"Das Kind"}
    res = run("search", "=Kind", "-c", index=index)
    assert res.output.strip() == "1"
    hit = _hits(index, "=Kind")[0]
    marked = {hit["snippet"][a:b] for a, b in hit["highlights"]}
    assert marked == {"Kind"}, hit  # the word as written, not "kind"
    hit = _hits(index, "=kind zebras")[0]
    assert {hit["snippet"][a:b] for a, b in hit["highlights"]} == {"kind", "zebras"}
    res = run("show", hit["id"], "-q", "=Kind", index=index)  # show marks as search does
    assert res.exit_code == 0


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('=ab "()-:K ')), max_size=20))
def test_exact_marks_become_scopes_only_at_word_starts(text: str) -> None:
    out = exact_scopes(text)
    # Only `=` signs are rewritten, and quoted text is left as it was.
    assert out.replace("exact:", "=") == text
    for i, ch in enumerate(text):
        if ch == "=" and text.count('"', 0, i) % 2 == 0 and (
                i == 0 or text[i - 1] in " (" or (text[i - 1] == "-" and (
                    i == 1 or text[i - 2] in " ("))) and i + 1 < len(text) and \
                (text[i + 1].isalnum() or text[i + 1] in '"_'):
            assert "exact:" in out
    try:
        q = parse_user_query(SearchRequest(text))
    except Exception as e:  # an error must be newsgrep's one-line kind
        from newsgrep.errors import NewsgrepError

        assert isinstance(e, NewsgrepError), repr(e)
    else:
        for leaf in q.leaves():  # an exact term is never folded
            if getattr(leaf, "fieldname", None) == "exact":
                assert leaf.text in text


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab/*?.[] ")), min_size=1, max_size=15))
def test_path_globs_are_idempotent_and_anchored(pattern: str) -> None:
    if not pattern.strip():
        return
    glob = path_glob(pattern)
    assert path_glob(glob) == glob
    assert glob.startswith(("/", "*"))


def test_an_index_of_the_format_before_locations_is_told_to_rebuild(folder: Path,
                                                                      tmp_path: Path) -> None:
    """Format 3 added the line, author and exact fields (format 4 with per-language
    analysis): a format-2 index lacks them."""
    from newsgrep.engine.whoosh.schema import FORMAT_VERSION

    idx = tmp_path / "idx"
    assert run("index", "-q", str(folder / "bbc"), index=idx).exit_code == 0
    (idx / "newsgrep-format").write_text("2\n")
    res = run("search", "=Zebras", index=idx)
    assert res.exit_code == 2
    assert f"format 2, this one reads {FORMAT_VERSION}" in res.output
    assert "index' again" in res.output
