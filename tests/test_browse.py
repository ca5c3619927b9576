"""`newsgrep browse`: the Textual app driven headless by its pilot over real indexes
built through the CLI (no mocks of the library)."""

from __future__ import annotations

import asyncio
import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsgrep.browse import have_textual
from newsgrep.browse.session import Filters, month_counts
from newsgrep.cli.browse_cmd import browse_cmd
from newsgrep.errors import NewsgrepError
from newsgrep.query import SearchRequest
from newsgrep.search import count, search

from .conftest import SEED_000, SEED_004, run

needs_textual = pytest.mark.skipif(
    not have_textual(), reason="Textual is not installed: pip install 'newsgrep[browse]'")

TROOPS_TITLE = "The military conflict in the Baltics will lead to the destruction"
WIDE = (150, 40)  # the filter panel shows from 100 columns


@pytest.fixture(scope="module")
def reprint_index(tmp_path_factory) -> Path:
    """The two seeds and two reprints of the BalticWord troops article by other outlets."""
    base = tmp_path_factory.mktemp("browse")
    folder = base / "articles"
    folder.mkdir()
    for seed in (SEED_000, SEED_004):
        shutil.copy(seed, folder / seed.name)
    text = SEED_000.read_text(encoding="utf-8")
    for i, outlet in enumerate(["Rigapost.example", "Tallinnnews.example"]):
        copy = text.replace("Source: [BalticWord.com](https://www.balticword.com)",
                            f"Source: [{outlet}](https://www.{outlet.lower()}/{i})")
        copy = copy.replace("Joe Biden", "President Biden" if i else "Mr Biden", 1)
        (folder / f"reprint_{i}.txt").write_text(copy, encoding="utf-8")
    idx = base / "idx"
    assert run("index", "-q", str(folder), index=idx).exit_code == 0
    return idx


def _app(index: Path, filters: Filters | None = None):
    from newsgrep.browse.app import BrowseApp
    from newsgrep.browse.session import Session

    return BrowseApp(Session(index), filters or Filters())


async def _until(pilot, cond, what: str, tries: int = 500) -> None:
    """Let the app run until cond() holds (workers answer in their own time)."""
    for _ in range(tries):
        if cond():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"the app never got to: {what}")


def _titles(app) -> list[str]:
    from textual.coordinate import Coordinate

    table = app.search_screen.query_one("#results")
    return [str(table.get_cell_at(Coordinate(r, 1))) for r in range(table.row_count)]


def _status(app) -> str:
    return str(app.search_screen.query_one("#status").content)


async def _results_for(pilot, app, gen_before: int) -> None:
    screen = app.search_screen
    await _until(pilot, lambda: screen.shown_gen > gen_before or screen.error,
                 "results of a new query")


@needs_textual
def test_typing_a_query_lists_the_matching_titles(demo_index):
    total = count(SearchRequest("troops"), demo_index)

    async def scenario():
        app = _app(demo_index)
        async with app.run_test(size=WIDE) as pilot:
            await pilot.press(*"troops")
            screen = app.search_screen
            await _until(pilot, lambda: screen.shown and screen.shown.query == "troops",
                         "results for troops")
            await pilot.pause()
            assert TROOPS_TITLE in _titles(app)
            assert len(_titles(app)) == total
            assert f"{total} matches" in _status(app)

    asyncio.run(scenario())


@needs_textual
def test_the_list_fetches_more_hits_at_its_end(demo_index):
    from newsgrep.browse.session import PAGE

    total = count(SearchRequest("москва"), demo_index)
    assert total > PAGE  # else the test shows nothing

    async def scenario():
        app = _app(demo_index, Filters(query="москва"))
        async with app.run_test(size=(80, 24)) as pilot:
            screen = app.search_screen
            await _until(pilot, lambda: screen.shown_gen, "results")
            assert len(_titles(app)) == PAGE
            assert f"first {PAGE} shown" in _status(app)
            await pilot.press("down", "end")
            await _until(pilot, lambda: len(_titles(app)) > PAGE, "the next page")
            ranks = [h.rank for h in screen.result.hits]
            assert ranks == list(range(1, len(ranks) + 1))
            assert len(set(h.id for h in screen.result.hits)) == len(ranks)

    asyncio.run(scenario())


@needs_textual
def test_choosing_a_source_in_the_facets_narrows_the_count(demo_index):
    from textual.widgets import SelectionList

    async def scenario():
        app = _app(demo_index, Filters(query="troops"))
        async with app.run_test(size=WIDE) as pilot:
            screen = app.search_screen
            await _until(pilot, lambda: screen.facets_gen and screen.facets, "facets")
            before = screen.result.total
            sources = dict(screen.facets.sources)
            assert sources["BalticWord.com"] == 1  # the facet's count for the source
            assert sum(sources.values()) <= before
            facet = screen.query_one("#sources", SelectionList)
            facet.focus()
            facet.highlighted = [facet.get_option_at_index(i).value
                                 for i in range(facet.option_count)].index("BalticWord.com")
            gen = screen.shown_gen
            await pilot.press("space")
            await _results_for(pilot, app, gen)
            await pilot.pause()
            assert screen.filters.sources == ["BalticWord.com"]
            assert screen.result.total == 1 < before
            assert _titles(app) == [TROOPS_TITLE]
            assert "1 match " in _status(app)

    asyncio.run(scenario())


@needs_textual
def test_reading_an_article_shows_the_matches_and_jumps_between_them(demo_index):
    async def scenario():
        app = _app(demo_index, Filters(query="troops", sources=["BalticWord.com"]))
        async with app.run_test(size=(80, 24)) as pilot:
            await _until(pilot, lambda: app.search_screen.shown_gen, "results")
            await pilot.press("down", "enter")  # query box -> results -> open
            await _until(pilot, lambda: type(app.screen).__name__ == "ArticleScreen",
                         "the article")
            await pilot.pause()
            screen = app.screen
            assert str(screen.query_one("#art-title").content) == TROOPS_TITLE
            pane = screen.query_one("#reading")
            assert len(pane.marks) >= 2
            assert {pane.text[s:e].lower() for s, e in pane.marks} == {"troops"}
            shown = pane.query_one("#body").content  # the rich Text on screen
            styled = {(span.start, span.end) for span in shown.spans}
            assert set(pane.marks) <= styled
            assert f"match 1 of {len(pane.marks)}" in str(screen.query_one("#art-meta").content)
            await pilot.press("n")
            assert pane.current == 1
            assert f"match 2 of {len(pane.marks)}" in str(screen.query_one("#art-meta").content)
            await pilot.press("N")
            assert pane.current == 0
            await pilot.press("escape")
            assert app.screen is app.search_screen

    asyncio.run(scenario())


@needs_textual
def test_brackets_step_through_the_listed_articles_while_reading(demo_index):
    async def scenario():
        app = _app(demo_index, Filters(query="troops"))
        async with app.run_test(size=(80, 24)) as pilot:
            screen = app.search_screen
            await _until(pilot, lambda: screen.shown_gen, "results")
            hits = screen.result.hits
            await pilot.press("down", "enter")
            await _until(pilot, lambda: type(app.screen).__name__ == "ArticleScreen",
                         "the article")
            reading = app.screen
            assert reading.article_id == hits[0].id
            await pilot.press("right_square_bracket")
            assert reading.article_id == hits[1].id
            assert str(reading.query_one("#art-title").content) == hits[1].title
            assert reading.query_one("#reading").marks  # troops marked in this one too
            await pilot.press("left_square_bracket", "left_square_bracket")
            assert reading.article_id == hits[0].id  # no further back than the first

    asyncio.run(scenario())


@needs_textual
def test_jumping_to_a_match_scrolls_it_into_view(demo_index):
    """A long article at 80x24: the last match is below the first screen until jumped to."""
    async def scenario():
        app = _app(demo_index, Filters(query="москва"))
        async with app.run_test(size=(80, 24)) as pilot:
            await _until(pilot, lambda: app.search_screen.shown_gen, "results")
            await pilot.press("down", "enter")
            await _until(pilot, lambda: type(app.screen).__name__ == "ArticleScreen",
                         "the article")
            await pilot.pause()
            pane = app.screen.query_one("#reading")
            last = pane.line_of(pane.marks[-1][0])
            if last < pane.size.height:
                pytest.skip("the first hit's matches all fit on one screen")
            await pilot.press("N")  # from the first match back round to the last
            await pilot.pause()
            assert pane.scroll_offset.y <= last < pane.scroll_offset.y + pane.size.height

    asyncio.run(scenario())


@needs_textual
def test_reprints_of_an_article_open_from_the_reading_pane(reprint_index):
    async def scenario():
        app = _app(reprint_index, Filters(query="troops", sources=["BalticWord.com"]))
        async with app.run_test(size=WIDE) as pilot:
            await _until(pilot, lambda: app.search_screen.shown_gen, "results")
            await pilot.press("down", "enter")
            await _until(pilot, lambda: type(app.screen).__name__ == "ArticleScreen",
                         "the article")
            await pilot.press("r")
            await _until(pilot, lambda: type(app.screen).__name__ == "RelatedScreen"
                         and app.screen.hits, "the related list")
            hits = app.screen.hits
            reprints = [h for h in hits if h.similarity is not None]
            assert {Path(h.path).name for h in reprints} == {"reprint_0.txt", "reprint_1.txt"}
            assert hits[:2] == reprints
            first = reprints[0]
            await pilot.press("enter")
            await _until(pilot, lambda: type(app.screen).__name__ == "ArticleScreen"
                         and app.screen.article_id == first.id, "the reprint")
            await pilot.pause()
            meta = str(app.screen.query_one("#art-meta").content)
            assert first.source in meta
            assert app.screen.query_one("#reading").marks  # troops highlighted there too

    asyncio.run(scenario())


@needs_textual
def test_a_broken_query_shows_the_parser_error_inline_and_recovers(demo_index):
    broken = "date:>xx"
    with pytest.raises(NewsgrepError) as err:
        search(SearchRequest(broken), demo_index)

    async def scenario():
        app = _app(demo_index)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = app.search_screen
            await pilot.press(*broken, "enter")
            await _until(pilot, lambda: screen.error and broken in screen.error, "the error")
            assert screen.error == str(err.value)
            assert str(err.value) in _status(app)
            assert screen.query_one("#status").has_class("-error")
            await pilot.press("escape")  # back to the box from the results
            await pilot.press(*["backspace"] * len(broken), *"troops")
            await _until(pilot, lambda: not screen.error and screen.result.total,
                         "results after the fix")
            assert not screen.query_one("#status").has_class("-error")

    asyncio.run(scenario())


@needs_textual
def test_a_bad_date_in_the_filter_panel_is_an_inline_error(demo_index):
    async def scenario():
        app = _app(demo_index, Filters(query="troops"))
        async with app.run_test(size=WIDE) as pilot:
            screen = app.search_screen
            await _until(pilot, lambda: screen.shown_gen, "results")
            screen.query_one("#date-from").focus()
            await pilot.press(*"2022-13")
            await _until(pilot, lambda: screen.error and "2022-13" in screen.error,
                         "the error")
            assert "invalid date '2022-13'" in _status(app)
            await pilot.press("backspace", "backspace", "2")
            await _until(pilot, lambda: not screen.error and
                         screen.filters.date_from == "2022-2", "results after the fix")
            assert _titles(app) == [TROOPS_TITLE]  # the only troops article of 2022

    asyncio.run(scenario())


@needs_textual
def test_at_80_columns_the_filters_open_on_f_and_no_color_is_respected(demo_index,
                                                                         monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")

    async def scenario():
        app = _app(demo_index, Filters(query="troops"))
        async with app.run_test(size=(80, 24)) as pilot:
            assert app.no_color
            screen = app.search_screen
            await _until(pilot, lambda: screen.shown_gen, "results")
            panel = screen.query_one("#filters")
            assert not panel.display or panel.has_class("-hidden")
            await pilot.press("down", "f")
            assert not panel.has_class("-hidden")
            await pilot.press("f1")
            assert type(app.screen).__name__ == "HelpScreen"
            await pilot.press("escape", "enter")
            await _until(pilot, lambda: type(app.screen).__name__ == "ArticleScreen",
                         "the article")
            await pilot.pause()
            shown = app.screen.query_one("#reading").query_one("#body").content
            assert shown.spans and all("reverse" in str(s.style) for s in shown.spans)

    asyncio.run(scenario())


def test_without_textual_browse_says_how_to_install_it(monkeypatch, demo_index):
    monkeypatch.setattr("newsgrep.browse.have_textual", lambda: False)
    res = CliRunner().invoke(browse_cmd, ["--index", str(demo_index), "troops"])
    assert res.exit_code == 2
    assert res.output.strip() == "newsgrep browse needs Textual: pip install 'newsgrep[browse]'"


def test_filters_make_the_request_a_search_would():
    req = Filters(query="troops", date_from="2022-01", date_to="2022", sources=["x"],
                  lang="EN", sort="newest").request()
    assert (req.date_from, req.date_to) == (date(2022, 1, 1), date(2022, 12, 31))
    assert (req.sources, req.lang, req.sort) == (["x"], "en", "newest")
    with pytest.raises(NewsgrepError, match="after"):
        Filters(query="troops", date_from="2023", date_to="2022").request()


def test_timeline_counts_every_month_between_the_first_and_last_match():
    buckets, undated = month_counts([date(2021, 11, 3), date(2022, 2, 1), date(2022, 2, 9),
                                     None])
    assert buckets == [("2021-11", 1), ("2021-12", 0), ("2022-01", 0), ("2022-02", 2)]
    assert undated == 1
    years, _ = month_counts([date(2000, 5, 1), date(2020, 1, 1)])
    assert years[0] == ("2000", 1) and years[-1] == ("2020", 1) and len(years) == 21


def test_source_facets_by_scan_and_by_count_agree(demo_index, monkeypatch):
    """Big result sets are counted source by source; both ways give the same numbers."""
    from newsgrep.browse import session as sess

    filters = Filters(query="election OR москва")
    s = sess.Session(demo_index)
    total = count(filters.request(), demo_index)
    scanned = s.facets(filters, total)
    monkeypatch.setattr(sess, "FACET_SCAN_LIMIT", 0)
    counted = s.facets(filters, total)
    assert scanned.sources_complete and counted.sources_complete  # 3 sources < 10
    assert counted.sources == scanned.sources
    assert {name for name, _ in scanned.sources} == {"Meduza", "Wikinews (English)"}
    assert sum(n for _, n in scanned.sources) == total
    assert dict(scanned.langs) == {"en": count(replace_lang(filters, "en"), demo_index),
                                   "ru": count(replace_lang(filters, "ru"), demo_index)}


def replace_lang(filters: Filters, lang: str) -> SearchRequest:
    req = filters.request()
    req.lang = lang
    return req
