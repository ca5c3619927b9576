"""`newsgrep show`, `sources`, `stats`: reading what is in the index."""

from __future__ import annotations

import click

from .common import color_option, index_option, json_option, open_index, pager_option


@click.command("show")
@click.argument("ref", metavar="ID|PATH")
@index_option
@click.option("--query", "-q", "query", metavar="QUERY", help="Highlight these matches.")
@json_option
@pager_option
@color_option
@click.pass_context
def show_cmd(ctx: click.Context, ref: str, query: str | None, as_json: bool, no_pager: bool,
             color: str) -> None:
    """Print one normalized article (title, date, source, url, language, body).

    \b
    newsgrep show 3f2a9c0d1e4b
    newsgrep show corpus/seeds/000_2af2d4676b6d9f59.txt --json
    """
    from ..render import make_console, paging, print_article

    index = open_index(ctx)
    article = index.show(ref)
    marks = index.highlight(article, query) if query and not as_json else None
    console = make_console(color)
    with paging(console, not as_json and not no_pager):
        print_article(article, console, as_json=as_json, marks=marks)


@click.command("sources")
@index_option
@json_option
@color_option
@click.pass_context
def sources_cmd(ctx: click.Context, as_json: bool, color: str) -> None:
    """Every source with its article count and date range."""
    from ..render import make_console, print_sources

    print_sources(open_index(ctx).sources(), make_console(color), as_json=as_json)


@click.command("stats")
@index_option
@json_option
@color_option
@click.pass_context
def stats_cmd(ctx: click.Context, as_json: bool, color: str) -> None:
    """Articles, sources, languages, date range and size of the index."""
    from ..render import make_console, print_stats

    print_stats(open_index(ctx).stats(), make_console(color), as_json=as_json)
