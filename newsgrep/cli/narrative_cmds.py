"""`newsgrep terms`, `origin`, `alert` and `watch`: following a narrative as it spreads.
A thin layer over newsgrep.narrative (the library)."""

from __future__ import annotations

import click

from .common import (
    QueryCommand,
    color_option,
    index_option,
    json_option,
    pager_option,
    resolved_index,
)
from .search_cmd import filter_options, no_match_note, request_from_options


def _no_matches(ctx: click.Context, req, index, filters: dict, color: str) -> None:
    from rich.text import Text

    from ..render import make_console

    note = no_match_note(req, index, filters)
    make_console(color, stderr=True).print(Text("no matches" + (f": {note}" if note else "")))
    ctx.exit(1)


@click.command("terms", cls=QueryCommand)
@click.argument("query", nargs=-1, required=True)
@index_option
@click.option("-n", "--limit", type=click.IntRange(1), default=30, show_default=True,
              help="How many terms.")
@click.option("--no-phrases", is_flag=True, help="Only single words, no two-word phrases.")
@filter_options
@json_option
@pager_option
@color_option
@click.pass_context
def terms_cmd(ctx: click.Context, query: tuple[str, ...], limit: int, no_phrases: bool,
              as_json: bool, no_pager: bool, color: str, **filters) -> None:
    """Words and two-word phrases that characterise the articles matching QUERY, against
    the whole index (significance as Elasticsearch's significant_terms: common words
    such as "said" score nothing), with in how many matching / of all articles each
    occurs, as a bar chart (--json: the numbers).

    \b
    newsgrep terms golunov
    newsgrep terms impeachment --from 2019-09 -n 15 --json
    """
    from ..narrative.terms import significant_terms
    from ..render import make_console, paging

    req = request_from_options(" ".join(query), limit=None, snippets=0, **filters)
    index = resolved_index(ctx)
    kt = significant_terms(req, index, n=limit, phrases=not no_phrases)
    if kt.matches == 0:
        _no_matches(ctx, req, index, filters, color)
    console = make_console(color)
    if as_json:
        from ..printers.jsonl import dumps

        console.file.write(dumps(kt.to_dict()) + "\n")
        ctx.exit(0)
    from ..narrative.terminal import print_terms

    with paging(console, not no_pager and len(kt.terms) + 2 > console.height):
        print_terms(kt, console)
    ctx.exit(0)


@click.command("origin", cls=QueryCommand)
@click.argument("ref", nargs=-1, required=True, metavar="ID|PATH|QUERY")
@index_option
@filter_options
@json_option
@pager_option
@color_option
@click.pass_context
def origin_cmd(ctx: click.Context, ref: tuple[str, ...], as_json: bool, no_pager: bool,
               color: str, **filters) -> None:
    """Where a story started. For an article (ID or PATH): its reprints by other outlets
    in date order, the earliest first, with how alike each is and how many days after
    the first it ran. For a QUERY: the first matching article of each source, in date
    order (filters apply to a query).

    \b
    newsgrep origin 3f2a9c0d1e4b
    newsgrep origin '"Baltic states" troops' --from 2022
    """
    from ..narrative.origin import origin
    from ..render import make_console, paging

    text = " ".join(ref)
    req = request_from_options(text, limit=None, snippets=0, **filters)
    index = resolved_index(ctx)
    o = origin(text, index, req)
    if not o.rows:
        _no_matches(ctx, req, index, filters, color)
    console = make_console(color)
    if as_json:
        from ..printers.jsonl import dumps

        console.file.write(dumps(o.to_dict()) + "\n")
        ctx.exit(0)
    from ..narrative.terminal import print_origin

    with paging(console, not no_pager and len(o.rows) + 6 > console.height):
        print_origin(o, console)
    ctx.exit(0)
