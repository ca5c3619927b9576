"""The `newsgrep` command: a thin click layer over the library (one module per family)."""

from __future__ import annotations

import importlib
import os
import sys

import click

from .. import __version__
from ..errors import IndexDamaged, NewsgrepError
from .common import engine_options, index_option

# Each command's module, imported only when that command runs (or --help lists them all):
# `newsgrep search` then loads neither the browser nor the narrative or maintenance code.
COMMANDS = {
    "index": "index_cmd:index_cmd",
    "search": "search_cmd:search_cmd",
    "show": "read_cmds:show_cmd",
    "sources": "read_cmds:sources_cmd",
    "stats": "read_cmds:stats_cmd",
    "timeline": "explore_cmds:timeline_cmd",
    "similar": "explore_cmds:similar_cmd",
    "check": "maintenance_cmds:check_cmd",
    "roots": "maintenance_cmds:roots_cmd",
    "forget": "maintenance_cmds:forget_cmd",
    "terms": "narrative_cmds:terms_cmd",
    "origin": "narrative_cmds:origin_cmd",
    "alert": "narrative_cmds:alert_group",
    "watch": "narrative_cmds:watch_cmd",
    "browse": "browse_cmd:browse_cmd",
}


class NewsgrepGroup(click.Group):
    """Turns library errors into one line on stderr and exit status 2 (like grep), and
    so does an index that cannot be read (damaged files, a full disk). Commands are
    loaded lazily from COMMANDS."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *super().list_commands(ctx)})  # as click lists them

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        spec = COMMANDS.get(cmd_name)
        if spec is None:
            return super().get_command(ctx, cmd_name)
        module, attr = spec.split(":")
        command: click.Command = getattr(importlib.import_module(f".{module}", __name__), attr)
        return command

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


def main() -> None:
    cli(prog_name="newsgrep")
