"""Terminal manners with real files and real terminals (issues 11.6, 12.12, 12.13):
hostile file names never reach the terminal raw, the pager keeps colours whatever $LESS
holds, and terminal output wraps under its indent without splitting a path."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

from newsgrep.printers.console import less_env

from .conftest import jsonl, run

# A window-title OSC, a screen clear, and a C1 CSI (\x9b) in file names.
HOSTILE = ["st\x1b]0;title\x1b\\.txt", "clear\x1b[2J.txt", "c1\x9b31m.txt"]
RAW = ("\x1b", "\x9b", "\x07")


@pytest.fixture(scope="module")
def hostile_index(tmp_path_factory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("hostile")
    folder = base / "articles"
    folder.mkdir()
    for i, name in enumerate(HOSTILE):
        (folder / name).write_text(
            f"Zebrafinch sighting {i}\n\n2021-0{i + 1}-10\n\nA zebrafinch was seen near the "
            f"old mill by birdwatchers on a cold morning, the society said in note {i}.\n",
            encoding="utf-8")
    idx = base / "idx"
    assert run("index", "-q", str(folder), index=idx).exit_code == 0
    return idx, folder


def _no_raw(text: str) -> None:
    for ch in RAW:
        assert ch not in text, repr(text)


def test_hostile_file_names_are_escaped_in_every_output(hostile_index):
    idx, folder = hostile_index
    for args in (["search", "zebrafinch"], ["search", "zebrafinch", "-l"],
                 ["search", "zebrafinch", "--csv"], ["search", "zebrafinch", "--json"],
                 ["search", "zebrafinch", "--collapse"],
                 ["similar", str(folder / HOSTILE[0])],
                 ["similar", str(folder / HOSTILE[0]), "-l"],
                 ["similar", str(folder / HOSTILE[0]), "--json"],
                 ["show", str(folder / HOSTILE[0])], ["show", str(folder / HOSTILE[1]), "--json"]):
        res = run(*args, index=idx)
        assert res.exit_code == 0, (args, res.output)
        _no_raw(res.output)
    listed = run("search", "zebrafinch", "-l", index=idx).output
    assert str(folder / "st\\e]0;title\\e\\.txt") in listed.splitlines()
    assert str(folder / "clear\\e[2J.txt") in listed.splitlines()
    assert str(folder / "c1\\x9b31m.txt") in listed.splitlines()
    out = run("search", "zebrafinch", index=idx).output
    assert "clear\\e[2J.txt" in out
    rows = list(csv.DictReader(io.StringIO(run("search", "zebrafinch", "--csv",
                                               index=idx).output)))
    assert {Path(r["path"]).name for r in rows} == {"st\\e]0;title\\e\\.txt",
                                                    "clear\\e[2J.txt", "c1\\x9b31m.txt"}


def test_json_escapes_controls_but_decodes_to_the_exact_path(hostile_index):
    idx, folder = hostile_index
    res = run("search", "zebrafinch", "--json", index=idx)
    assert "\\u009b" in res.output and "\\u001b" in res.output
    assert {h["path"] for h in jsonl(res.output)} == {str(folder / n) for n in HOSTILE}
    rec = json.loads(run("show", str(folder / HOSTILE[2]), "--json", index=idx).output)
    assert rec["path"] == str(folder / HOSTILE[2])


def test_less_env_adds_r_f_x_to_whatever_the_user_has():
    assert less_env(None) == "-FRX"
    assert less_env("") == "-FRX"
    assert less_env("-i") == "-i -R -F -X"
    assert less_env("-S") == "-S -R -F -X"
    assert less_env("-RFX") == "-RFX"
    assert less_env("-r -i") == "-r -i -F -X"  # raw control chars already pass
    assert less_env("-x4 --mouse") == "-x4 --mouse -R -F -X"
    assert less_env("FRSX") == "FRSX"


def _in_terminal(args: list[str], env: dict, cwd: Path) -> str:
    """Run newsgrep with stdin and stdout on a pseudo-terminal; what it wrote there."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "newsgrep", *args], stdin=follower,
                            stdout=follower, stderr=subprocess.PIPE, cwd=cwd,
                            env={**os.environ, **env})
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            break
        try:
            data = os.read(leader, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(leader)
    assert proc.returncode == 0, proc.stderr.read()
    return b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")


@pytest.mark.parametrize("user_less", ["-i", "-S"])
@pytest.mark.parametrize("command", [["search", "said"], ["show", "__seed__"],
                                     ["timeline", "said", "--by", "day"]])
def test_pager_keeps_colours_under_the_users_less(demo_index, tmp_path, user_less, command):
    from .conftest import SEED_000

    command = [str(SEED_000) if a == "__seed__" else a for a in command]
    env = {"PAGER": "printenv LESS > less.txt; cat > paged.txt", "LESS": user_less,
           "NO_COLOR": "", "TERM": "xterm-256color", "LINES": "24", "COLUMNS": "100"}
    _in_terminal(["--index", str(demo_index), *command], env, tmp_path)
    less = (tmp_path / "less.txt").read_text().split()
    assert less[0] == user_less and {"-R", "-F", "-X"} <= set(less)
    paged = (tmp_path / "paged.txt").read_text()
    assert "\x1b[" in paged  # styles reach the pager


def test_terminal_wraps_under_the_indent_and_never_inside_a_path(hostile_index, tmp_path):
    idx, folder = hostile_index
    env = {"NO_COLOR": "1", "COLUMNS": "40", "LINES": "200", "TERM": "xterm"}
    out = _in_terminal(["--index", str(idx), "search", "zebrafinch", "--no-pager"], env,
                       tmp_path)
    lines = out.splitlines()
    # Snippets wrap at 40 columns, each continuation under the text, not at column 0.
    snippet = [i for i, ln in enumerate(lines) if ln.startswith("    … ")]
    assert snippet
    first = snippet[0]
    assert len(lines[first]) <= 40 and lines[first + 1].startswith("      ")
    # Paths (longer than the terminal) are printed whole on one line.
    path = str(folder / "clear\\e[2J.txt")
    assert len(path) > 40 and any(ln.strip() == path for ln in lines)
