"""The `newsgrep` command: a thin click layer over the library (one module per family)."""

from __future__ import annotations

import os
import sys

import click

from .. import __version__
from ..errors import NewsgrepError
from .common import engine_options, index_option
from .explore_cmds import similar_cmd, timeline_cmd
from .index_cmd import index_cmd
from .read_cmds import show_cmd, sources_cmd, stats_cmd
from .search_cmd import search_cmd


class NewsgrepGroup(click.Group):
    """Turns library errors into one line on stderr and exit status 2 (like grep)."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except NewsgrepError as e:
            from ..render import print_error

            print_error(str(e))
            ctx.exit(2)
        except KeyboardInterrupt:
            sys.stderr.write("newsgrep: interrupted\n")
            ctx.exit(130)
        except BrokenPipeError:
            # `newsgrep search x | head`: the reader went away; that is not an error.
            try:
                sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the final flush
            except OSError:
                pass
            ctx.exit(0)


@click.group(cls=NewsgrepGroup, context_settings={"help_option_names": ["-h", "--help"]})
@index_option
@engine_options
@click.version_option(__version__, prog_name="newsgrep")
def cli() -> None:
    """Full-text search for folders of news articles.

    \b
    newsgrep index ~/articles          read every article into the index
    newsgrep search 'troops baltic'    ranked, highlighted results
    newsgrep search '"exact phrase"' --from 2022-01 --source bbc.co.uk --json

    The index lives in --index DIR, else $NEWSGREP_INDEX, else
    $XDG_DATA_HOME/newsgrep/index (~/.local/share/newsgrep/index).
    """


cli.add_command(index_cmd)
cli.add_command(search_cmd)
cli.add_command(show_cmd)
cli.add_command(sources_cmd)
cli.add_command(stats_cmd)
cli.add_command(timeline_cmd)
cli.add_command(similar_cmd)


def main() -> None:
    cli(prog_name="newsgrep")
