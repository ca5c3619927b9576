"""Where HTML pages state their publication date (issue 11, item 13): every fixture in
tests/fixtures/html_dates/ is published on 2022-02-01, and carries distractor dates (an
aside's related article, the footer, ld+json dateModified) that must not win."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from .conftest import jsonl, run

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "html_dates"
PAGES = sorted(p.name for p in FIXTURES.glob("*.html"))


@pytest.fixture(scope="module")
def dated(tmp_path_factory) -> dict[str, dict]:
    """Each fixture page as `search --json` returns it, after one `index` of the folder."""
    root = tmp_path_factory.mktemp("html_dates")
    folder = root / "pages"
    shutil.copytree(FIXTURES, folder, ignore=shutil.ignore_patterns("*.md"))
    idx = root / "idx"
    res = run("index", "--json", str(folder), index=idx)
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["indexed"] == len(PAGES)
    hits = jsonl(run("search", "--json", "--limit", "100", "council", index=idx).output)
    return {Path(h["path"]).name: h for h in hits}


def test_every_kind_has_a_fixture():
    kinds = ("meta_article_published_time", "meta_og_published_time",
             "meta_itemprop_datepublished", "meta_dc_date", "meta_sailthru_date",
             "meta_parsely_pub_date", "ldjson_datepublished", "time_datetime", "url_path",
             "byline_en", "byline_de")
    assert PAGES == sorted(f"{k}.html" for k in kinds)


@pytest.mark.parametrize("name", PAGES)
def test_publication_date_found(dated, name):
    hit = dated[name]
    assert hit["date"] == "2022-02-01", name
    assert hit["title"] == "Council approves the budget"


def test_time_in_aside_or_footer_is_not_the_date(tmp_path):
    # No date anywhere but in the aside and the footer: better no date than theirs.
    page = (FIXTURES / "byline_en.html").read_text(encoding="utf-8")
    page = page.replace("Published February 1, 2022, 10:15 a.m.", "Staff writer")
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "a.html").write_text(page, encoding="utf-8")
    assert run("index", str(tmp_path / "p"), index=tmp_path / "idx").exit_code == 0
    [hit] = jsonl(run("search", "--json", "council", index=tmp_path / "idx").output)
    assert hit["date"] not in ("2019-05-05", "2024-12-31")


def test_time_without_a_date_does_not_hide_the_url_date():
    from newsgrep.readers import parse_bytes

    page = (FIXTURES / "url_path.html").read_text(encoding="utf-8").replace(
        "<h1>", '<p>Reading time <time datetime="PT5M">5 min</time></p><h1>')
    [raw] = parse_bytes("/x/a.html", page.encode())
    assert raw.date == "2022-02-01"
