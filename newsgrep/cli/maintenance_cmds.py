"""`newsgrep check`, `roots`, `forget`: looking after the index."""

from __future__ import annotations

import json
from datetime import datetime

import click

from .common import index_option, json_option, resolved_index


@click.command("check")
@index_option
@click.option("--deep", is_flag=True,
              help="Also read every record and posting list (slow on a big index).")
@json_option
@click.pass_context
def check_cmd(ctx: click.Context, deep: bool, as_json: bool) -> None:
    """Verify the index: its files are whole, and it holds what the manifest says.

    Every file of the index is compared with the size and checksum written with it;
    the articles held per file are compared with the manifest; no article may be held
    twice. Exit status 0: healthy; 1: damaged (the command that repairs it is shown;
    it re-reads the article files, which are never changed); 2: no index or an error.

    \b
    newsgrep check
    newsgrep check --json
    """
    from ..display import safe
    from ..maintenance import check_index

    report = check_index(resolved_index(ctx), deep=deep)
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False))
    elif report.healthy:
        click.echo(f"index at {safe(report.index)}: healthy: {report.articles or 0:,} "
                   f"articles from {report.files or 0:,} files")
    else:
        click.echo(f"index at {safe(report.index)}: damaged")
        for p in report.problems:
            click.echo(f"  - {safe(p)}")
        click.echo(f"'{report.repair}' rebuilds it from the article files: a new index is "
                   "built beside this one and replaces it only when complete.")
    ctx.exit(0 if report.healthy else 1)


@click.command("roots")
@index_option
@json_option
@click.pass_context
def roots_cmd(ctx: click.Context, as_json: bool) -> None:
    """The folders (and files) indexed, with their files, articles and last run.

    \b
    newsgrep roots
    newsgrep roots --json
    """
    from ..display import safe
    from ..maintenance import list_roots

    roots = list_roots(resolved_index(ctx))
    if as_json:
        for r in roots:
            click.echo(json.dumps({
                "path": r.path or None, "files": r.files, "articles": r.articles,
                "last_indexed": (datetime.fromtimestamp(r.last_indexed).isoformat(
                    timespec="seconds") if r.last_indexed else None)}, ensure_ascii=False))
        return
    if not roots:
        click.echo("nothing indexed yet")
        ctx.exit(1)
    for r in roots:
        when = (datetime.fromtimestamp(r.last_indexed).strftime("%Y-%m-%d %H:%M")
                if r.last_indexed else "-")
        name = safe(r.path) if r.path else "(files indexed by an older newsgrep)"
        click.echo(f"{name}\t{r.files:,} files\t{r.articles:,} articles\tlast indexed {when}")


@click.command("forget")
@click.argument("path", type=click.Path())
@index_option
@json_option
@click.pass_context
def forget_cmd(ctx: click.Context, path: str, as_json: bool) -> None:
    """Remove the articles of the files at or below PATH from the index.

    The files themselves are not touched; 'newsgrep index PATH' brings them back.

    \b
    newsgrep forget ~/articles/old-scrape
    """
    from ..display import safe
    from ..maintenance import forget

    res = forget(path, resolved_index(ctx))
    if as_json:
        click.echo(json.dumps(res, ensure_ascii=False))
    else:
        click.echo(f"forgot {res['articles']:,} articles from {res['files']:,} files "
                   f"under {safe(res['path'])}")
