"""Options shared by several commands."""

from __future__ import annotations

import click

from ..engine import engine_names
from ..location import index_dir


def _store_index(ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is not None:
        ctx.ensure_object(dict)["index"] = value
    return value


def index_option(f):
    """--index DIR, accepted before or after the command name."""
    return click.option(
        "--index", "index", metavar="DIR", default=None, expose_value=False,
        callback=_store_index, is_eager=True,
        help="Index folder (default: $NEWSGREP_INDEX or ~/.local/share/newsgrep/index).",
    )(f)


def _store(key: str):
    def callback(ctx: click.Context, _param: click.Parameter, value):
        if value is not None:
            ctx.ensure_object(dict)[key] = value
        return value
    return callback


def engine_options(f):
    """--engine and --url (global options)."""
    f = click.option(
        "--url", metavar="URL", envvar="NEWSGREP_URL", expose_value=False,
        callback=_store("url"), is_eager=True,
        help="With --engine opensearch: the cluster and index, e.g. "
             "https://user:pass@host:9200/newsgrep ($NEWSGREP_URL).")(f)
    return click.option(
        "--engine", type=click.Choice(engine_names()), envvar="NEWSGREP_ENGINE",
        expose_value=False, callback=_store("engine"), is_eager=True,
        help="Search engine (default: whoosh, a local index folder; $NEWSGREP_ENGINE).")(f)


def resolved_index(ctx: click.Context):
    """The EngineSpec the options and environment name."""
    from ..engine import EngineSpec

    obj = ctx.ensure_object(dict)
    return EngineSpec(index_dir(obj.get("index")), kind=obj.get("engine") or "whoosh",
                      url=obj.get("url"))


def open_index(ctx: click.Context):
    """The library's Index for the options and environment, opened once per command."""
    from ..index import Index

    obj = ctx.ensure_object(dict)
    if "opened" not in obj:
        obj["opened"] = Index(resolved_index(ctx))
    return obj["opened"]


def color_option(f):
    return click.option(
        "--color", type=click.Choice(["auto", "always", "never"]), default="auto",
        show_default=True,
        help="Colour output: auto colours a terminal unless NO_COLOR is set; always wins "
             "over NO_COLOR.",
    )(f)


def pager_option(f):
    return click.option("--no-pager", is_flag=True,
                        help="Never page long output on a terminal.")(f)


class QueryCommand(click.Command):
    """A command whose arguments are a query: `search -trump impeachment` would be read
    as an option -t; say how to pass a query that starts with '-'."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        original = list(args)  # the parser consumes `args`
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as e:
            word = _dash_word(self, ctx, original)
            if word is None:
                raise
            path = ctx.command_path
            # click marks `message` Final, but rewording the caught error keeps its ctx
            # and exit code; a new UsageError would have to rebuild both.
            e.message = (  # type: ignore[misc]
                f"no such option: {word}. To leave out articles with a word, put the query "
                f"after '--' ({path} -- {word} other words) or quote it whole "
                f"({path} 'other words {word}')")
            raise


def _dash_word(cmd: click.Command, ctx: click.Context, args: list[str]) -> str | None:
    """The first argument that looks like `-word` and is not one of the options."""
    known = {name for p in cmd.get_params(ctx) for name in p.opts + p.secondary_opts}
    for a in args:
        if a == "--":
            return None
        if len(a) > 2 and a[0] == "-" and a[1] != "-" and a not in known and a[1:].isalpha():
            return a
    return None


def json_option(f):
    return click.option("--json", "as_json", is_flag=True, help="Print JSON.")(f)
