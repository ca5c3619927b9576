"""`newsgrep browse [QUERY]`: the interactive front end (newsgrep/browse/)."""

from __future__ import annotations

import click

from .common import index_option, resolved_index
from .search_cmd import filter_options, request_from_options


@click.command("browse")
@click.argument("query", nargs=-1)
@index_option
@filter_options
@click.option("--sort", type=click.Choice(["relevance", "newest", "oldest"]),
              default="relevance", show_default=True)
@click.pass_context
def browse_cmd(ctx: click.Context, query: tuple[str, ...], sort: str, **filters) -> None:
    """Search interactively: results follow as you type; filter by date, source and
    language (with match counts), read articles with the matches highlighted, and jump
    to their reprints. Press ? or F1 inside for the keys.

    \b
    newsgrep browse
    newsgrep browse troops --source balticword.com
    """
    from ..browse import INSTALL_HINT, have_textual

    if not have_textual():
        click.echo(INSTALL_HINT, err=True)
        ctx.exit(2)
    from ..browse.app import BrowseApp
    from ..browse.session import Filters, Session

    text = " ".join(query)
    if filters.get("paths"):
        from ..errors import NewsgrepError

        raise NewsgrepError("browse does not take --path yet: use path:GLOB in the query")
    # Check the options as `search` would (a bad date fails here, before the screen).
    request_from_options(text or "x", limit=None, sort=sort, **filters)
    session = Session(resolved_index(ctx))
    names = {s["source"].casefold(): s["source"] for s in session.all_sources()}
    BrowseApp(session, Filters(
        query=text,
        date_from=filters["date_from"] or filters["since"] or "",
        date_to=filters["date_to"] or filters["until"] or "",
        # A source as the user typed it, or the index's spelling of it: the filter
        # panel lists the index's names.
        sources=[names.get(s.casefold(), s) for s in filters["sources"]],
        lang=filters["lang"], sort=sort, any_words=filters["any_words"],
    )).run()
