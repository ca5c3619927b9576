"""`python -m newsgrep.browse [OPTIONS] [QUERY]` = `newsgrep browse ...`, for a checkout
whose `newsgrep` command does not list `browse` yet."""

from ..cli import cli
from ..cli.browse_cmd import browse_cmd

if "browse" not in cli.commands:
    cli.add_command(browse_cmd)

if __name__ == "__main__":
    import sys

    cli(["browse", *sys.argv[1:]], prog_name="newsgrep")
