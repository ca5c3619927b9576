"""`newsgrep timeline` and `newsgrep similar`: following a story over time and outlets."""

from __future__ import annotations

import click

from .common import (
    QueryCommand,
    color_option,
    index_option,
    json_option,
    open_index,
    pager_option,
)
from .search_cmd import filter_options, no_match_note, request_from_options


@click.command("timeline", cls=QueryCommand)
@click.argument("query", nargs=-1, required=True)
@index_option
@click.option("--by", type=click.Choice(["auto", "day", "week", "month", "quarter", "year"]),
              default="auto", show_default=True,
              help="Period of each bar; auto: the finest that needs at most 60 bars.")
@click.option("--by-source", is_flag=True, help="Split each bar by the top sources.")
@click.option("--top", type=click.IntRange(1, 12), default=5, show_default=True,
              help="With --by-source: how many sources get their own colour.")
@click.option("--share", is_flag=True,
              help="Each period's matches as a share of all its articles (with --by-source: "
                   "of each source's articles), so more coverage is told apart from more "
                   "articles collected; --json adds the totals.")
@filter_options
@json_option
@pager_option
@color_option
@click.pass_context
def timeline_cmd(ctx: click.Context, query: tuple[str, ...], by: str, by_source: bool,
                 top: int, share: bool, as_json: bool, no_pager: bool, color: str,
                 **filters) -> None:
    """Matches of QUERY over time, as a bar chart (--json: the numbers).

    \b
    newsgrep timeline troops --by week --from 2022-01
    newsgrep timeline '"Baltic states"' --by-source --json
    newsgrep timeline golunov --share --by month
    """
    from rich.text import Text

    from ..render import make_console, paging, print_timeline

    req = request_from_options(" ".join(query), limit=None, snippets=0, **filters)
    index = open_index(ctx)
    if share:
        from ..narrative.share import share_timeline

        tl = share_timeline(req, index.spec, by=by, by_source=by_source, top_sources=top)
    else:
        tl = index.timeline(req, by=by, by_source=by_source, top_sources=top)
    if not tl.buckets and not tl.undated:
        note = no_match_note(req, index, filters)
        make_console(color, stderr=True).print(Text("no matches" + (f": {note}" if note
                                                                     else "")))
        ctx.exit(1)
    console = make_console(color)
    with paging(console, not as_json and not no_pager
                and len(tl.buckets) + 3 > console.height):
        if share and not as_json:
            from ..narrative.terminal import print_share_timeline

            print_share_timeline(tl, console)
        else:
            print_timeline(tl, console, as_json=as_json)
    ctx.exit(0)


@click.command("similar")
@click.argument("ref", metavar="ID|PATH")
@index_option
@click.option("-n", "--limit", type=click.IntRange(1), default=10, show_default=True)
@click.option("--json", "fmt", flag_value="json", help="JSON Lines, one object per article.")
@click.option("-l", "--files-with-matches", "fmt", flag_value="paths", help="Only paths.")
@color_option
@click.pass_context
def similar_cmd(ctx: click.Context, ref: str, limit: int, fmt: str | None, color: str) -> None:
    """Articles most like ID|PATH: reprints of the same story by other outlets first
    (with how alike they are), then articles on the same subject.

    \b
    newsgrep similar 3f2a9c0d1e4b
    newsgrep similar corpus/seeds/000_2af2d4676b6d9f59.txt --json
    """
    import sys

    from ..printers import hit_printer

    result = open_index(ctx).similar(ref, limit=limit)
    if not result.hits:
        ctx.exit(1)
    hit_printer(fmt or "terminal", sys.stdout, color=color).print(result)
