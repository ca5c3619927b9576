"""The `newsgrep` command: a thin click layer over the library (one module per family)."""

from __future__ import annotations

import os
import sys

import click

from .. import __version__
from ..errors import IndexDamaged, NewsgrepError
from .browse_cmd import browse_cmd
from .common import engine_options, index_option
from .explore_cmds import similar_cmd, timeline_cmd
from .index_cmd import index_cmd
from .maintenance_cmds import check_cmd, forget_cmd, roots_cmd
from .narrative_cmds import alert_group, origin_cmd, terms_cmd, watch_cmd
from .read_cmds import show_cmd, sources_cmd, stats_cmd
from .search_cmd import search_cmd


class NewsgrepGroup(click.Group):
    """Turns library errors into one line on stderr and exit status 2 (like grep), and
    so does an index that cannot be read (damaged files, a full disk)."""

    def invoke(self, ctx: click.Context):
        ctx.ensure_object(dict)  # shared with the command, which records --index in it
        try:
            return super().invoke(ctx)
        except NewsgrepError as e:
            from ..render import print_error

            # A command may have worded an engine failure as its own ("cannot run
            # query ..."); if a damaged index was behind it, say that instead.
            cause = e.__cause__ or e.__context__
            line = _index_failure(ctx, cause) if isinstance(cause, Exception) else None
            if line is None and isinstance(e, IndexDamaged):
                from ..damage import damage_line

                line = damage_line(e.path, e.problem)
            print_error(line or str(e))
            ctx.exit(2)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as e:
            line = _index_failure(ctx, e)
            if line is None:
                raise
            from ..render import print_error

            print_error(line)
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


def _index_failure(ctx: click.Context, e: Exception) -> str | None:
    """The one line for an exception caused by the index, else None (a bug)."""
    from ..damage import damage_line
    from ..engine import damage_behind, is_disk_full
    from .common import resolved_index

    try:
        spec = resolved_index(ctx)
    except NewsgrepError:
        return None
    if is_disk_full(e):
        return f"no space left on device while writing the index at {spec.path}"
    try:
        problem = damage_behind(e, spec)
    except Exception:  # noqa: BLE001 - the original exception is the one to show
        return None
    return damage_line(spec, problem) if problem else None


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
cli.add_command(check_cmd)
cli.add_command(roots_cmd)
cli.add_command(forget_cmd)
cli.add_command(terms_cmd)
cli.add_command(origin_cmd)
cli.add_command(alert_group)
cli.add_command(watch_cmd)
cli.add_command(browse_cmd)


def main() -> None:
    cli(prog_name="newsgrep")
