"""Options shared by several commands."""

from __future__ import annotations

import click

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


def resolved_index(ctx: click.Context):
    obj = ctx.find_root().ensure_object(dict)
    own = ctx.ensure_object(dict).get("index")
    return index_dir(own or obj.get("index"))


def color_option(f):
    return click.option(
        "--color", type=click.Choice(["auto", "always", "never"]), default="auto",
        show_default=True, help="Colour output (never when NO_COLOR is set).",
    )(f)


def json_option(f):
    return click.option("--json", "as_json", is_flag=True, help="Print JSON.")(f)
