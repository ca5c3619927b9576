"""`newsgrep search QUERY`, and the filter options other commands share."""

from __future__ import annotations

import sys

import click

from .common import QueryCommand, color_option, index_option, open_index, pager_option

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
                         author: domain: path:
  date:[2022-01 TO 2022-02]  date:>2022-01-15
  path:'*/bbc/*'         a file path glob (as --path)
  =Kind  exact:Kind      exact word: case, accents and ending as written
Matching ignores case and accents (Anusauskas finds Anušauskas) and
word endings (tunnels finds tunnel). A query that starts with -word goes
after --:  newsgrep search -- -trump impeachment

\b
Examples:
  newsgrep search troops --source balticword.com --from 2022-01
  newsgrep search '"Baltic states" NOT Galkins' --sort newest --json
  newsgrep search --any 'paste a paragraph here to find articles like it'
  newsgrep search --any --expand 'dielectric constant of liquids'
  newsgrep search impeachment --json --fields date,source,title,url > all.jsonl
  newsgrep search impeachment -C 8 -n 3
  newsgrep search impeachment --facets source,lang,year
  newsgrep search ukraine --path '*/bbc/*' -l
  newsgrep search '=Kind author:baumann'

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
        click.option("--path", "paths", multiple=True, metavar="GLOB",
                     help="Only articles whose file path matches: a folder or file, a glob "
                          "('*/bbc/*'; * also matches /) or text the path contains. "
                          "Repeatable."),
        click.option("--any", "any_words", is_flag=True,
                     help="Any word may match, ranked as a bag of words (for pasted text)."),
    ]
    for opt in reversed(opts):
        f = opt(f)
    return f


def request_from_options(query: str, *, date_from: str | None, date_to: str | None,
                         since: str | None, until: str | None, sources: tuple[str, ...],
                         lang: str | None, any_words: bool, paths: tuple[str, ...] = (),
                         **rest):
    from ..errors import NewsgrepError
    from ..query import SearchRequest, date_bound

    if date_from and since:
        raise NewsgrepError("give either --from or --since, not both")
    if date_to and until:
        raise NewsgrepError("give either --to or --until, not both")
    start, end = date_from or since, date_to or until
    lo = date_bound(start, end=False, relative=bool(since)) if start else None
    hi = date_bound(end, end=True, relative=bool(until)) if end else None
    return SearchRequest(query=query, any_words=any_words, date_from=lo, date_to=hi,
                         sources=list(sources), lang=lang, paths=list(paths), **rest)


def no_match_note(req, index, filters: dict) -> str | None:
    """Why nothing matched, if a filter is the reason (an unknown source or language is
    an error); relative dates say they counted from today. `index`: an index.Index."""
    note = index.why_no_matches(req)
    if note and (filters.get("since") or filters.get("until")):
        note += " (--since/--until count from today)"
    return note


TERMINAL_LIMIT = 10  # hits a terminal listing shows without -n


@click.command("search", help=QUERY_HELP, cls=QueryCommand)
@click.argument("query", nargs=-1, required=True)
@index_option
@filter_options
@click.option("-n", "--limit", type=click.IntRange(0), default=None, metavar="N",
              help=f"Show at most N hits (0: all). Default: {TERMINAL_LIMIT} on the terminal, "
                   "every match with --json, --csv and -l.")
@click.option("--all", "show_all", is_flag=True, help="Show every match (as -n 0).")
@click.option("--sort", type=click.Choice(["relevance", "newest", "oldest"]),
              default="relevance", show_default=True)
@click.option("--expand", is_flag=True,
              help="Re-rank with words from the best hits (pseudo-relevance feedback) "
                   "whatever the number of matches; by default it runs only when at least 20 "
                   "articles match, since on fewer it can drift off topic. Changes only the "
                   "order (of --sort relevance), never which articles match.")
@click.option("--collapse", is_flag=True,
              help="Show each story once, with its reprints by other outlets under it.")
@click.option("-C", "--context", type=click.IntRange(0), default=None, metavar="N",
              help="Snippets: every match with N words either side (as grep -C).")
@click.option("--fields", metavar="A,B,...",
              help="With --json/--csv: only these fields, in this order (id, path, title, "
                   "date, source, url, lang, score, rank, snippet, highlights, body...).")
@click.option("--body", is_flag=True, help="With --json/--csv: add each article's full text.")
@click.option("--facets", metavar="F,...",
              help="Instead of hits: the top values among all matches of each facet "
                   "(source, lang, year, month); a table, or --json/--csv.")
@click.option("--json", "fmt", flag_value="json", help="JSON Lines, one object per hit.")
@click.option("--csv", "fmt", flag_value="csv", help="CSV with a header row.")
@click.option("-l", "--files-with-matches", "fmt", flag_value="paths",
              help="Only the paths of matching files.")
@click.option("-c", "--count", "fmt", flag_value="count", help="Only the number of matches.")
@pager_option
@color_option
@click.pass_context
def search_cmd(ctx: click.Context, query: tuple[str, ...], limit: int | None, show_all: bool,
               sort: str, expand: bool, collapse: bool, context: int | None,
               fields: str | None, body: bool, facets: str | None, fmt: str | None,
               no_pager: bool, color: str, **filters) -> None:
    from ..errors import NewsgrepError
    from ..printers import parse_fields
    from ..printers.plain import wants_plain, write_note

    fmt = fmt or "terminal"
    if (fields or body) and fmt not in ("json", "csv"):
        raise NewsgrepError("--fields and --body need --json or --csv")
    field_list = parse_fields(fields, body=body)
    if show_all or limit == 0:
        limit = None
    elif limit is None and fmt == "terminal" and not facets:
        limit = TERMINAL_LIMIT  # machine formats print every match, as grep does
    want_snippets = fmt in ("terminal", "json", "csv") and not facets
    if field_list is not None and not {"snippet", "highlights"} & set(field_list):
        want_snippets = False
    req = request_from_options(
        " ".join(query), limit=limit, sort=sort, expand=expand, collapse=collapse,
        snippets=3 if want_snippets else 0, **filters)
    index = open_index(ctx)
    out, err = sys.stdout, sys.stderr
    if facets:
        _facets(ctx, req, index, facets, fmt, color, filters)
    if fmt == "count":
        from ..printers.count import print_count

        n = index.count(req)
        print_count(n, out)
        if n == 0 and (note := no_match_note(req, index, filters)):
            write_note(err, f"no matches: {note}")
        ctx.exit(0 if n else 1)
    with_body = body or bool(field_list and "body" in field_list)
    result = index.search(req, body=with_body, context=context if want_snippets else None)
    # rich only for a terminal (or forced colours): a pipe or file gets plain text.
    plain = fmt != "terminal" or wants_plain(out, color)
    if result.total == 0:
        note = no_match_note(req, index, filters)
        if fmt != "terminal":
            if note:
                write_note(err, f"no matches: {note}")
        elif plain:
            from ..printers.plain import print_no_hits

            print_no_hits(result, err, note)
        else:
            from ..printers.console import make_console
            from ..printers.terminal import print_no_hits as print_no_hits_rich

            print_no_hits_rich(result, make_console(color), note)
        ctx.exit(1)
    if len(req.sources) > 1:  # the others matched: say which --source names nothing
        for msg in index.unknown_sources(req):
            write_note(err, f"newsgrep: warning: {msg}")
    if plain:
        from ..printers import hit_printer

        hit_printer(fmt, out, field_list, body=with_body, color=color).print(result)
        ctx.exit(0)
    from ..printers.console import make_console, paging
    from ..printers.terminal import TerminalPrinter

    console = make_console(color)
    with paging(console, not no_pager and len(result.hits) > 2):
        TerminalPrinter(console).print(result)
    ctx.exit(0)


def _facets(ctx: click.Context, req, index, names: str, fmt: str, color: str,
            filters: dict) -> None:
    from ..errors import NewsgrepError
    from ..facets import parse_facets
    from ..printers.plain import write_note

    if fmt not in ("terminal", "json", "csv"):
        raise NewsgrepError("--facets prints a table, --json or --csv, not -l or -c")
    result = index.facets(req, parse_facets(names))
    if result.total == 0:
        note = no_match_note(req, index, filters)
        write_note(sys.stderr, "no matches" + (f": {note}" if note else ""))
        ctx.exit(1)
    if fmt == "terminal":
        from ..printers.console import make_console
        from ..render import print_facets

        print_facets(result, make_console(color), fmt)
    else:
        from ..render import write_facets

        write_facets(result, sys.stdout, fmt)
    ctx.exit(0)
