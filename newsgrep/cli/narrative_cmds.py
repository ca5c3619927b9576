"""`newsgrep terms`, `origin`, `alert` and `watch`: following a narrative as it spreads.
A thin layer over newsgrep.narrative (the library)."""

from __future__ import annotations

import click

from .common import (
    QueryCommand,
    color_option,
    index_option,
    json_option,
    open_index,
    pager_option,
    resolved_index,
)
from .search_cmd import filter_options, no_match_note, request_from_options


def _no_matches(ctx: click.Context, req, filters: dict, color: str) -> None:
    from rich.text import Text

    from ..render import make_console

    note = no_match_note(req, open_index(ctx), filters)
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
    newsgrep terms голунов
    newsgrep terms impeachment --from 2019-09 -n 15 --json
    """
    from ..narrative.terms import significant_terms
    from ..render import make_console, paging

    req = request_from_options(" ".join(query), limit=None, snippets=0, **filters)
    index = resolved_index(ctx)
    kt = significant_terms(req, index, n=limit, phrases=not no_phrases)
    if kt.matches == 0:
        _no_matches(ctx, req, filters, color)
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
        _no_matches(ctx, req, filters, color)
    console = make_console(color)
    if as_json:
        from ..printers.jsonl import dumps

        console.file.write(dumps(o.to_dict()) + "\n")
        ctx.exit(0)
    from ..narrative.terminal import print_origin

    with paging(console, not no_pager and len(o.rows) + 6 > console.height):
        print_origin(o, console)
    ctx.exit(0)


@click.group("alert")
def alert_group() -> None:
    """Saved searches that report each new match once: add one, then `alert run` (or
    `watch --alerts`) prints the articles that match and were not reported before.

    \b
    newsgrep alert add golunov 'голунов OR golunov' --source meduza
    newsgrep alert run                 # every alert; exit 1 when nothing is new
    newsgrep alert run golunov --json | jq -r .title
    """


@alert_group.command("add", cls=QueryCommand)
@click.argument("name")
@click.argument("query", nargs=-1, required=True)
@index_option
@filter_options
@click.option("--skip-existing", is_flag=True,
              help="Count today's matches as reported: report only articles that come later.")
@click.pass_context
def alert_add_cmd(ctx: click.Context, name: str, query: tuple[str, ...], skip_existing: bool,
                  **filters) -> None:
    """Save QUERY (with search's filters) as the alert NAME. --since/--until stay
    relative: counted from the day of each run."""
    from ..narrative.alerts import AlertStore

    request_from_options(" ".join(query), **filters)  # the same checks as search
    with AlertStore(resolved_index(ctx)) as store:
        store.add(name, " ".join(query), filters)
        skipped = store.skip_existing(name) if skip_existing else 0
    note = f"alert {name!r} saved"
    if skip_existing:
        note += f"; {skipped} current matches count as reported"
    click.echo(note, err=True)


@alert_group.command("list")
@index_option
@json_option
@color_option
@click.pass_context
def alert_list_cmd(ctx: click.Context, as_json: bool, color: str) -> None:
    """The saved alerts, with how many articles each has reported."""
    from ..narrative.alerts import AlertStore
    from ..render import make_console

    with AlertStore(resolved_index(ctx)) as store:
        alerts = store.list()
    console = make_console(color)
    if as_json:
        from ..printers.jsonl import dumps

        console.file.write(dumps([a.to_dict() for a in alerts]) + "\n")
    elif alerts:
        from ..narrative.terminal import print_alerts

        print_alerts(alerts, console)
    ctx.exit(0 if alerts else 1)


@alert_group.command("rm")
@click.argument("names", nargs=-1, required=True, metavar="NAME...")
@index_option
@click.pass_context
def alert_rm_cmd(ctx: click.Context, names: tuple[str, ...]) -> None:
    """Delete alerts (and what they reported)."""
    from ..narrative.alerts import AlertStore

    with AlertStore(resolved_index(ctx)) as store:
        for n in names:
            store.get(n)
        for n in names:
            store.remove(n)
    click.echo(f"removed {', '.join(map(repr, names))}", err=True)


def alert_emitter(as_json: bool, color: str):
    """emit(name, hit) for AlertStore.run: one line per match, flushed at once (the
    match is marked reported only after it is out)."""
    from ..render import make_console

    console = make_console(color)
    out = console.file
    if as_json:
        from ..printers.jsonl import dumps, hit_to_dict

        def emit_json(name, hit) -> None:
            out.write(dumps({"alert": name, **hit_to_dict(hit)}) + "\n")
            out.flush()
        return emit_json
    from ..narrative.terminal import alert_hit_line
    from ..printers.console import print_wrapped

    def emit(name, hit) -> None:
        print_wrapped(console, alert_hit_line(name, hit), wrap=False)
        out.flush()
    return emit


@alert_group.command("run")
@click.argument("names", nargs=-1, metavar="[NAME...]")
@index_option
@click.option("--json", "as_json", is_flag=True,
              help="JSON Lines: one object per new match (search --json's, plus `alert`).")
@color_option
@click.pass_context
def alert_run_cmd(ctx: click.Context, names: tuple[str, ...], as_json: bool,
                  color: str) -> None:
    """Print the matches of each alert (all, or NAME...) that it has not reported
    before, oldest first, one line each; then remember them as reported. Exit 0 when
    something was new, 1 when nothing was."""
    from ..narrative.alerts import AlertStore

    with AlertStore(resolved_index(ctx)) as store:
        if not names and not store.list():
            from ..errors import NewsgrepError

            raise NewsgrepError("no alerts yet: 'newsgrep alert add NAME QUERY' saves one")
        counts = store.run_all(names, alert_emitter(as_json, color))
    ctx.exit(0 if any(counts.values()) else 1)


@click.command("watch")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True),
                metavar="PATH...")
@index_option
@click.option("--alerts", "with_alerts", is_flag=True,
              help="After each batch, run every alert and print its new matches.")
@click.option("--debounce", type=click.IntRange(50, 60_000), default=1600, show_default=True,
              metavar="MS", help="Gather a burst of changes for at most MS milliseconds.")
@click.option("--json", "as_json", is_flag=True,
              help="JSON Lines: one object per batch (event: batch), per alert match (as "
                   "alert run --json) and a summary at the end (event: summary).")
@color_option
@click.pass_context
def watch_cmd(ctx: click.Context, paths: tuple[str, ...], with_alerts: bool, debounce: int,
              as_json: bool, color: str) -> None:
    """Keep the index current as files under PATH... appear, change or disappear:
    index them now, then after each burst of changes (a file still being written is
    read once its size settles); one line per batch. Ctrl-C ends it with a summary.

    \b
    newsgrep watch ~/articles --alerts
    newsgrep watch ~/articles --alerts --json | jq -c 'select(.alert)'
    """
    from ..narrative.watch import watch
    from ..render import make_console

    console = make_console(color)
    err = make_console(color, stderr=True)
    out = console.file
    if as_json:
        from ..printers.jsonl import dumps

        def on_batch(b) -> None:
            out.write(dumps(b.to_dict()) + "\n")
            out.flush()
    else:
        from ..narrative.terminal import batch_line

        def on_batch(b) -> None:
            console.print(batch_line(b))
            out.flush()
    emit = alert_emitter(as_json, color) if with_alerts else None
    index = resolved_index(ctx)
    if not as_json:
        from rich.text import Text

        err.print(Text(f"watching {', '.join(paths)} (Ctrl-C ends)", style="dim"))
    _term_as_interrupt()
    total = watch(paths, index, on_batch=on_batch, alerts=with_alerts, emit=emit,
                  debounce_ms=debounce)
    if as_json:
        out.write(dumps(total.to_dict()) + "\n")
    else:
        from ..narrative.terminal import summary_line

        err.print(summary_line(total))
    ctx.exit(0)


def _term_as_interrupt() -> None:
    """SIGTERM (a service manager, `kill`) ends a watch as Ctrl-C does, with its summary."""
    import signal

    def stop(_sig, _frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
