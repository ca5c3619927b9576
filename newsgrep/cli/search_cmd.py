"""`newsgrep search QUERY`"""

from __future__ import annotations

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
Exit status: 0 some match, 1 none, 2 error.
"""


@click.command("search", help=QUERY_HELP)
@click.argument("query", nargs=-1, required=True)
@index_option
@click.option("--from", "date_from", metavar="DATE", help="On or after DATE (YYYY[-MM[-DD]]).")
@click.option("--to", "date_to", metavar="DATE", help="On or before DATE (YYYY[-MM[-DD]]).")
@click.option("--since", metavar="WHEN", help="Like --from; also '3 days', 'last month'...")
@click.option("--until", metavar="WHEN", help="Like --to; also 'yesterday', '2 weeks'...")
@click.option("-s", "--source", "sources", multiple=True, metavar="NAME",
              help="Only this outlet (name or domain, any case); repeatable.")
@click.option("--lang", metavar="CODE", help="Only articles in this language (ISO 639-1).")
@click.option("--any", "any_words", is_flag=True,
              help="Any word may match, ranked as a bag of words (for pasted text).")
@click.option("-n", "--limit", type=click.IntRange(1), default=10, show_default=True,
              help="Show at most N hits.")
@click.option("--sort", type=click.Choice(["relevance", "newest", "oldest"]),
              default="relevance", show_default=True)
@click.option("--json", "fmt", flag_value="json", help="JSON Lines, one object per hit.")
@click.option("--csv", "fmt", flag_value="csv", help="CSV with a header row.")
@click.option("-l", "--files-with-matches", "fmt", flag_value="paths",
              help="Only the paths of matching files.")
@click.option("-c", "--count", "fmt", flag_value="count", help="Only the number of matches.")
@color_option
@click.pass_context
def search_cmd(ctx: click.Context, query: tuple[str, ...], date_from: str | None,
               date_to: str | None, since: str | None, until: str | None,
               sources: tuple[str, ...], lang: str | None, any_words: bool, limit: int,
               sort: str, fmt: str | None, color: str) -> None:
    from ..errors import NewsgrepError
    from ..query import SearchRequest, date_bound
    from ..render import make_console, print_count, print_hits, print_no_hits
    from ..search import count, search

    if date_from and since:
        raise NewsgrepError("give either --from or --since, not both")
    if date_to and until:
        raise NewsgrepError("give either --to or --until, not both")
    lo = date_bound(date_from or since, end=False, relative=bool(since)) \
        if (date_from or since) else None
    hi = date_bound(date_to or until, end=True, relative=bool(until)) if (date_to or until) \
        else None
    fmt = fmt or "terminal"
    req = SearchRequest(
        query=" ".join(query), any_words=any_words, date_from=lo, date_to=hi,
        sources=list(sources), lang=lang, limit=None if fmt == "paths" else limit, sort=sort,
        snippets=3 if fmt in ("terminal", "json", "csv") else 0,
    )
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
    print_hits(result, console, fmt)
    ctx.exit(0)
