"""`newsgrep index PATH...`"""

from __future__ import annotations

import sys

import click

from .common import index_option, json_option, open_index


@click.command("index")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@index_option
@click.option("--full", is_flag=True,
              help="Re-read every file into a new index and swap it in when complete: "
                   "repairs a damaged index; until then the old one stays searchable.")
@click.option("-j", "--jobs", type=click.IntRange(1), default=None,
              help="Processes for parsing (default: every core).")
@click.option("--max-size", "max_mb", type=click.FloatRange(0.001), default=50, show_default=True,
              help="Skip files larger than this many MB.")
@click.option("--commit-every", type=click.IntRange(1), default=5000, show_default=True,
              help="Commit after this many files, and at least every 30 s (Ctrl-C also "
                   "commits what was read).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar, no skipped-file list.")
@click.option("-v", "--verbose", is_flag=True, help="List every skipped file.")
@json_option
@click.pass_context
def index_cmd(ctx: click.Context, paths: tuple[str, ...], full: bool, jobs: int | None,
              max_mb: float, commit_every: int, quiet: bool, verbose: bool, as_json: bool) -> None:
    """Read the articles under PATH... (files or folders) into the index.

    Reads .txt, .md, .html/.htm, .json and .jsonl; hidden files are skipped.
    A second run re-reads only changed files and drops articles whose files are gone;
    it also re-reads files whose articles the index has lost. Bad files are skipped
    with a reason; the run always ends with a summary. Ctrl-C keeps what was read.

    \b
    newsgrep index ~/articles
    newsgrep index --json new-batch/ > summary.json
    newsgrep index --full ~/articles     # rebuild (after 'newsgrep check' found damage)
    """
    from ..ingest import IndexInterrupted
    from ..render import make_console
    from ..render_index import print_index_summary, print_interrupted, progress_bar

    show_bar = not quiet and not as_json and sys.stderr.isatty()
    try:
        with progress_bar(show_bar) as progress:
            summary = open_index(ctx).update(paths, full=full, jobs=jobs,
                                              max_bytes=int(max_mb * 1024 * 1024),
                                              progress=progress,
                                              commit_every=commit_every)
    except IndexInterrupted as e:
        print_interrupted(e.summary.to_dict(), e.kept)
        ctx.exit(130)
    limit = 0 if quiet else (None if verbose else 10)
    print_index_summary(summary.to_dict(), make_console(), make_console(stderr=True),
                        as_json=as_json, limit=limit)
