"""`newsgrep search QUERY`, and the filter options other commands share."""

from __future__ import annotations

import os
import sys

import click

from .common import color_option, index_option, resolved_index

QUERY_HELP = """Find articles matching QUERY, best first, with matches highlighted.

\b
Query syntax:
  troops baltic          all words must match (title or body)
  "exact phrase"         words in this order
  "troops baltic"~5      words within 5 positions of each other
  nato OR otan           either word;  NOT word / -word excludes
  (a OR b) c             grouping
  deploy*  budgt~        prefix; fuzzy (one edit; budgt~2: two)
  title:latvia           field scopes: title: source: lang: date:
  date:[2022-01 TO 2022-02]  date:>2022-01-15
Matching ignores case and accents (Anusauskas finds Anušauskas) and
word endings (tunnels finds tunnel).

\b
Examples:
  newsgrep search troops --source balticword.com --from 2022-01
  newsgrep search '"Baltic states" NOT Galkins' --sort newest --json
  newsgrep search --any 'paste a paragraph here to find articles like it'
  newsgrep search --any --expand 'dielectric constant of liquids'

\b
Exit status: 0 some match, 1 none, 2 error.
"""


def filter_options(f):
    """--from/--to/--since/--until/--source/--lang/--any, shared by search and timeline."""
    opts = [
        click.option("--from", "date_from", metavar="DATE",
                     help="On or after DATE (YYYY, YYYY-MM or YYYY-MM-DD)."),
        click.option("--to", "date_to", metavar="DATE",
                     help="On or before DATE (YYYY, YYYY-MM or YYYY-MM-DD)."),
        click.option("--since", metavar="WHEN",
                     help="Like --from; also '3 days', '2 weeks', 'last month'."),
        click.option("--until", metavar="WHEN", help="Like --to; also 'yesterday'..."),
        click.option("-s", "--source", "sources", multiple=True, metavar="NAME",
                     help="Only this outlet (name, a word of it, or domain; any case). "
                          "Repeatable."),
        click.option("--lang", metavar="CODE", help="Only articles in this language (en, ru…)."),
        click.option("--any", "any_words", is_flag=True,
                     help="Any word may match, ranked as a bag of words (for pasted text)."),
    ]
    for opt in reversed(opts):
        f = opt(f)
    return f


def request_from_options(query: str, *, date_from: str | None, date_to: str | None,
                         since: str | None, until: str | None, sources: tuple[str, ...],
                         lang: str | None, any_words: bool, **rest):
    from ..errors import NewsgrepError
    from ..query import SearchRequest, date_bound

    if date_from and since:
        raise NewsgrepError("give either --from or --since, not both")
    if date_to and until:
        raise NewsgrepError("give either --to or --until, not both")
    lo = date_bound(date_from or since, end=False, relative=bool(since)) \
        if (date_from or since) else None
    hi = date_bound(date_to or until, end=True, relative=bool(until)) \
        if (date_to or until) else None
    return SearchRequest(query=query, any_words=any_words, date_from=lo, date_to=hi,
                         sources=list(sources), lang=lang, **rest)


@click.command("search", help=QUERY_HELP)
@click.argument("query", nargs=-1, required=True)
@index_option
@filter_options
@click.option("-n", "--limit", type=click.IntRange(1), default=10, show_default=True,
              help="Show at most N hits.")
@click.option("--sort", type=click.Choice(["relevance", "newest", "oldest"]),
              default="relevance", show_default=True)
@click.option("--expand", is_flag=True,
              help="Re-rank using words from the 10 best hits (pseudo-relevance feedback): "
                   "better rankings for --any over a large archive, but on a small folder "
                   "it can drift off topic. Changes only the order (of --sort relevance), never "
                   "which articles match.")
@click.option("--collapse", is_flag=True,
              help="Show each story once, with its reprints by other outlets under it.")
@click.option("--json", "fmt", flag_value="json", help="JSON Lines, one object per hit.")
@click.option("--csv", "fmt", flag_value="csv", help="CSV with a header row.")
@click.option("-l", "--files-with-matches", "fmt", flag_value="paths",
              help="Only the paths of matching files.")
@click.option("-c", "--count", "fmt", flag_value="count", help="Only the number of matches.")
@click.option("--no-pager", is_flag=True, help="Never page long output on a terminal.")
@color_option
@click.pass_context
def search_cmd(ctx: click.Context, query: tuple[str, ...], limit: int, sort: str,
               expand: bool, collapse: bool, fmt: str | None, no_pager: bool,
               color: str, **filters) -> None:
    from ..render import make_console, print_count, print_hits, print_no_hits
    from ..search import count, search

    fmt = fmt or "terminal"
    req = request_from_options(
        " ".join(query), limit=None if fmt == "paths" else limit, sort=sort, expand=expand,
        collapse=collapse,
        snippets=3 if fmt in ("terminal", "json", "csv") else 0, **filters)
    index = resolved_index(ctx)
    console = make_console(color)
    if fmt == "count":
        n = count(req, index)
        print_count(n, console)
        ctx.exit(0 if n else 1)
    result = search(req, index)
    if result.total == 0:
        if fmt == "terminal":
            print_no_hits(result, make_console(color, stderr=not sys.stdout.isatty()))
        ctx.exit(1)
    if fmt == "terminal" and not no_pager and sys.stdout.isatty() and len(result.hits) > 2:
        # less: keep colours, quit at once if it fits one screen, leave it on screen.
        os.environ.setdefault("LESS", "-RFX")
        with console.pager(styles=True):
            print_hits(result, console, fmt)
    else:
        print_hits(result, console, fmt)
    ctx.exit(0)
