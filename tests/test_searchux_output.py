"""Output a user can rely on (issue 12): every match in machine formats, context,
fields, facets, filters that explain themselves, timelines that fit, colour rules."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import SEED_000, jsonl, run

# `line` and `author`: issue 12, items 7 and 9 (null for a one-article file / no byline).
JSON_KEYS = ["id", "path", "line", "title", "date", "source", "url", "lang", "author",
             "score", "rank", "snippet", "highlights"]


def _count(index: Path, *args: str) -> int:
    return int(run("search", *args, "-c", index=index).output)


# -- 12.3: machine formats print every match ----------------------------------------------
def test_json_csv_and_l_print_every_match_unless_n_is_given(demo_index):
    n = _count(demo_index, "said")
    assert n > 10
    assert len(jsonl(run("search", "said", "--json", index=demo_index).output)) == n
    rows = list(csv.reader(io.StringIO(run("search", "said", "--csv", index=demo_index).output)))
    assert len(rows) == n + 1
    paths = run("search", "said", "-l", index=demo_index).output.split("\n")
    assert len([p for p in paths if p]) == n
    assert len(jsonl(run("search", "said", "--json", "-n", "5", index=demo_index).output)) == 5
    for every in (("-n", "0"), ("--all",)):
        hits = jsonl(run("search", "said", "--json", *every, index=demo_index).output)
        assert len(hits) == n


def test_terminal_keeps_ten_and_says_how_many_more(demo_index):
    n = _count(demo_index, "said")
    out = run("search", "said", index=demo_index).output
    assert "10. " in out and "11. " not in out
    assert f"{n} matches (showing 10; {n - 10} more" in out
    out = run("search", "said", "--all", index=demo_index).output
    assert f"{n:>2}. " in out and "more:" not in out


def test_json_objects_keep_their_keys_and_order(demo_index):
    hit = jsonl(run("search", "troops", "--source", "balticword.com", "--json",
                    index=demo_index).output)[0]
    assert list(hit) == JSON_KEYS


# -- 12.8: context, fields, body ----------------------------------------------------------
def test_context_gives_every_match_with_n_words_around_it(demo_index):
    hits = jsonl(run("search", "troops", "--json", "-C", "0", "-n", "3",
                     index=demo_index).output)
    for h in hits:
        parts = h["snippet"].split(" … ")
        assert all(p.lower().startswith("troop") and " " not in p for p in parts), parts
    hits = jsonl(run("search", "troops", "--json", "-C", "2", "-n", "3",
                     index=demo_index).output)
    plain = jsonl(run("search", "troops", "--json", "-n", "3", index=demo_index).output)
    assert [h["id"] for h in hits] == [h["id"] for h in plain]
    for h in hits:
        for part in h["snippet"].split(" … "):
            assert "troop" in part.lower() and len(part.split()) <= 2 * 2 + 3, part
        for s, e in h["highlights"]:
            assert h["snippet"][s:e].lower().startswith("troop")
    out = run("search", "troops", "--context", "1", "-n", "1", index=demo_index).output
    assert "    … States troops from …\n" in out


def test_fields_choose_and_order_the_columns(demo_index):
    res = run("search", "troops", "--json", "--fields", "date,title,url", "-n", "2",
              index=demo_index)
    assert [list(h) for h in jsonl(res.output)] == [["date", "title", "url"]] * 2
    res = run("search", "troops", "--csv", "--fields", "title,date", "-n", "2",
              index=demo_index)
    assert res.output.splitlines()[0] == "title,date"
    res = run("search", "troops", "--json", "--fields", "title,nosuch", index=demo_index)
    assert res.exit_code == 2 and "nosuch" in res.stderr and "snippet" in res.stderr
    res = run("search", "troops", "--fields", "title", index=demo_index)
    assert res.exit_code == 2 and "--json or --csv" in res.stderr


def test_body_carries_the_full_text_in_json_and_csv(demo_index):
    want = jsonl(run("show", str(SEED_000), "--json", index=demo_index).output)[0]["body"]
    hit = jsonl(run("search", "troops", "--source", "balticword.com", "--json", "--body",
                    index=demo_index).output)[0]
    assert list(hit) == JSON_KEYS + ["body"] and hit["body"] == want
    res = run("search", "troops", "--source", "balticword.com", "--csv", "--body",
              index=demo_index)
    rows = list(csv.DictReader(io.StringIO(res.output)))
    assert rows[0]["body"] == want


# -- 12.10: facets ------------------------------------------------------------------------
def test_facets_count_every_match_by_source_lang_and_year(demo_index):
    n = _count(demo_index, "said OR москва")
    res = run("search", "said OR москва", "--facets", "source,lang,year", "--json",
              index=demo_index)
    assert res.exit_code == 0
    f = json.loads(res.output)
    assert f["total"] == n
    for name in ("source", "lang", "year"):
        assert sum(v["count"] for v in f["facets"][name]) == n
    langs = {v["value"]: v["count"] for v in f["facets"]["lang"]}
    assert set(langs) == {"en", "ru"}
    assert langs["ru"] == _count(demo_index, "said OR москва", "--lang", "ru")
    out = run("search", "said", "--facets", "source,year", index=demo_index).output
    assert "Wikinews (English)" in out and "2019" in out and "source" in out
    rows = list(csv.reader(io.StringIO(run("search", "said", "--facets", "year", "--csv",
                                           index=demo_index).output)))
    assert rows[0] == ["facet", "value", "count"] and rows[1][0] == "year"
    res = run("search", "said", "--facets", "colour", index=demo_index)
    assert res.exit_code == 2 and "source, lang, year" in res.stderr


# -- 12.4: filters that cannot match say why ----------------------------------------------
def test_unknown_source_is_an_error_with_close_names(demo_index):
    res = run("search", "troops", "--source", "balticwrd.com", index=demo_index)
    assert res.exit_code == 2
    assert res.stderr.count("\n") == 1 and "did you mean: BalticWord.com" in res.stderr
    res = run("search", "troops", "--source", "zzzz", "-c", index=demo_index)
    assert res.exit_code == 2 and "newsgrep sources" in res.stderr
    res = run("search", "troops", "-s", "BalticWord.com", "-s", "balticwrd.com", "--json",
              index=demo_index)
    assert res.exit_code == 0 and len(jsonl(res.stdout)) == 1
    assert "warning: no source called 'balticwrd.com'" in res.stderr
    res = run("timeline", "troops", "--source", "meduzza", index=demo_index)
    assert res.exit_code == 2 and "Meduza" in res.stderr


def test_lang_must_be_a_code_and_one_the_index_has(demo_index):
    res = run("search", "said", "--lang", "english", index=demo_index)
    assert res.exit_code == 2 and "two-letter" in res.stderr and "en" in res.stderr
    res = run("search", "said", "--lang", "de", index=demo_index)
    assert res.exit_code == 2 and "en, ru" in res.stderr
    assert run("search", "said", "--lang", "EN", "-c", index=demo_index).exit_code == 0


# -- 12.16: relative dates anchored to the data -------------------------------------------
def test_a_date_filter_past_the_archive_says_where_its_dates_end(demo_index):
    for cmd in ("search", "timeline"):
        res = run(cmd, "said", "--since", "last week", index=demo_index)
        assert res.exit_code == 1
        assert "dates end on 2022-02-01" in res.stderr, res.stderr
    res = run("search", "said", "--to", "2001", "--json", index=demo_index)
    assert res.exit_code == 1 and res.stdout == ""
    assert "dates start on 2016-11-07" in res.stderr


# -- 12.17: a query that starts with -word ------------------------------------------------
def test_a_leading_minus_word_says_how_to_pass_it(demo_index):
    for args in (["-trump", "said"], ["-nato", "said"]):
        res = run("search", *args, index=demo_index)
        assert res.exit_code == 2
        assert f"search -- {args[0]}" in res.stderr and "quote" in res.stderr
    res = run("search", "--json", "--", "-trump", "said", index=demo_index)
    assert res.exit_code == 0
    assert len(jsonl(res.output)) == _count(demo_index, "said -trump")


# -- 12.15 / 12.14: timelines that fit and read without colour ----------------------------
@pytest.fixture(scope="module")
def long_span_index(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("span")
    folder = base / "articles"
    folder.mkdir()
    for i, (day, outlet) in enumerate([("2006-01-03", "Alpha"), ("2006-01-05", "Beta"),
                                       ("2013-05-01", "Alpha"), ("2020-03-01", "Gamma"),
                                       ("2020-03-02", "Beta")]):
        (folder / f"a{i}.txt").write_text(
            f"Harbour report number {i}\n\n{day}\n\nThe harbour master said the harbour "
            f"was busy with ships and cranes all week long, report {i}.\n\n"
            f"Source: [{outlet}](https://{outlet.lower()}.example/{i})\n", encoding="utf-8")
    idx = base / "idx"
    assert run("index", "-q", str(folder), index=idx).exit_code == 0
    return idx


def test_timeline_by_auto_picks_a_bucket_that_fits(long_span_index, demo_index):
    tl = json.loads(run("timeline", "harbour", "--json", index=long_span_index).output)
    assert tl["by"] == "quarter" and len(tl["buckets"]) == 57  # 2006-Q1 .. 2020-Q1
    assert tl["buckets"][0]["period"] == "2006-Q1" and tl["buckets"][0]["count"] == 2
    tl = json.loads(run("timeline", "harbour", "--json", "--from", "2020",
                        index=long_span_index).output)
    assert tl["by"] == "day" and [b["count"] for b in tl["buckets"]] == [1, 1]
    tl = json.loads(run("timeline", "said", "--json", index=demo_index).output)
    assert tl["by"] == "month" and 20 <= len(tl["buckets"]) <= 60


def test_by_source_is_readable_without_colour(long_span_index):
    res = run("timeline", "harbour", "--by", "year", "--by-source", index=long_span_index)
    lines = res.output.splitlines()
    bar_2006 = next(ln for ln in lines if ln.startswith("2006"))
    legend = next(ln for ln in lines if "Alpha" in ln)
    fills = {ch for ch in bar_2006.split()[1]}
    assert len(fills) == 2  # Alpha and Beta drawn differently
    for ch in fills:
        assert ch * 2 + " " in legend
    assert "\x1b[" not in res.output


# -- 12.12: piped output is never wrapped ---------------------------------------------------
def test_piped_output_is_not_wrapped(demo_index):
    env = {"NO_COLOR": "1", "COLUMNS": "40"}
    out = run("search", "troops", "-n", "3", index=demo_index, env=env).output
    lines = out.splitlines()
    assert any(len(ln) > 120 for ln in lines)
    for ln in lines:
        if "…" in ln:
            assert ln.startswith("    … ") and ln.endswith(" …")
    paths = [ln.strip() for ln in lines if ln.strip().startswith("/")]
    assert len(paths) == 3 and all(Path(p).is_file() for p in paths)


# -- 11.9: CSV formula injection ------------------------------------------------------------
def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    titles = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+cmd|' /C calc'!A0",
              "-2+3 and sums", "@SUM(1+1)*cmd"]
    for i, title in enumerate(titles):
        (folder / f"f{i}.txt").write_text(f"{title}\n\nThe spreadsheet exporter said the "
                                          f"lighthouse keeper counted {i} boats today.\n",
                                          encoding="utf-8")
    idx = tmp_path / "idx"
    assert run("index", "-q", str(folder), index=idx).exit_code == 0
    res = run("search", "lighthouse", "--csv", "--fields", "title,snippet", index=idx)
    rows = list(csv.DictReader(io.StringIO(res.output)))
    assert sorted(r["title"] for r in rows) == sorted("'" + t for t in titles)
    for r in rows:
        assert r["snippet"][:1] not in "=+-@\t\r"
    # JSON is data, not a spreadsheet: it keeps the text as is.
    hits = jsonl(run("search", "lighthouse", "--json", index=idx).output)
    assert sorted(h["title"] for h in hits) == sorted(titles)


def test_errors_stay_one_line(demo_index):
    for args in (["search", "troops", "--source", "nosuchplace"],
                 ["search", "troops", "--lang", "english"],
                 ["search", "said", "--facets", "nope"]):
        proc = subprocess.run([sys.executable, "-m", "newsgrep", "--index", str(demo_index),
                               *args], capture_output=True, text=True)
        assert proc.returncode == 2, (args, proc.stderr)
        assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("newsgrep: error:")
