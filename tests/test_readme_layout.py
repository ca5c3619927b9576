"""README.md stays true to the code: its Layout section names every module under
newsgrep/, and every command (with each of its options) is written up.

How the Layout block is read: it is an indented tree; a line's first word is a file
(`x.py`) or a folder (`x/`) at that depth, and further `x.py` names on the line (or on
the lines that continue it) sit beside it. A folder's description may also name its
modules by stem ("printers/  one printer per format: terminal, jsonl, ..."). A package's
`__init__.py` and `__main__.py` are covered by the folder itself.
"""

from __future__ import annotations

import re
from pathlib import Path

import click

from newsgrep.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
PACKAGE = ROOT / "newsgrep"


def _layout_block() -> list[str]:
    section = README.split("\n## Layout", 1)[1].split("\n## ", 1)[0]
    block = section.split("```", 2)[1]
    return [line for line in block.splitlines()[1:] if line.strip()]


def _named_in_layout() -> tuple[set[str], dict[str, str]]:
    """(paths the tree names, relative to the checkout; folder -> its description)."""
    named: set[str] = set()
    described: dict[str, str] = {}
    stack: list[tuple[int, str]] = []  # (indent, folder path) of the open folders
    here = ""  # the folder the last entry's extra names belong to
    folder_entry = False  # whether that entry was the folder itself (then its description)
    for line in _layout_block():
        indent = len(line) - len(line.lstrip())
        first, _, rest = line.strip().partition(" ")
        first = first.rstrip(",")
        if first.endswith(("/", ".py")):
            while stack and stack[-1][0] >= indent:
                stack.pop()
            parent = stack[-1][1] if stack else ""
            path = parent + first
            named.add(path)
            if first.endswith("/"):
                stack.append((indent, path))
                described[path] = rest
                here, folder_entry = path, True
            else:
                here, folder_entry = parent, False
        else:  # a continuation of the entry above
            rest = line
            if folder_entry:
                described[here] += " " + line.strip()
        named.update(here + name for name in re.findall(r"[\w.]+\.py\b", rest))
    return named, described


def _modules() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in PACKAGE.rglob("*.py")
                  if "__pycache__" not in p.parts)


def test_layout_names_every_module() -> None:
    named, described = _named_in_layout()
    missing = []
    for module in _modules():
        folder, _, name = module.rpartition("/")
        folder += "/"
        if name in ("__init__.py", "__main__.py") and folder in named:
            continue
        stem = name.removesuffix(".py")
        if module in named or re.search(rf"(?<![\w-]){re.escape(stem)}\b",
                                          described.get(folder, "")):
            continue
        missing.append(module)
    assert not missing, "README's Layout does not name: " + ", ".join(missing)


def test_layout_names_only_what_exists() -> None:
    named, _ = _named_in_layout()
    gone = sorted(p for p in named if p.startswith("newsgrep/") and not (ROOT / p).exists())
    assert not gone, "README's Layout names what is not in the tree: " + ", ".join(gone)


def _commands(group: click.Group, prefix: str = "newsgrep"
              ) -> list[tuple[str, click.Command]]:
    out = []
    for name, cmd in sorted(group.commands.items()):
        path = f"{prefix} {name}"
        out.append((path, cmd))
        if isinstance(cmd, click.Group):
            out.extend(_commands(cmd, path))
    return out


def test_every_command_is_documented() -> None:
    missing = [path for path, _ in _commands(cli) if path not in README]
    assert not missing, "README.md does not show: " + ", ".join(missing)


def test_every_option_is_documented() -> None:
    missing = []
    for path, cmd in [("newsgrep", cli), *_commands(cli)]:
        for param in cmd.params:
            if not isinstance(param, click.Option) or param.hidden:
                continue
            flags = [f for f in param.opts + param.secondary_opts if f.startswith("--")]
            if flags and not any(re.search(rf"{re.escape(f)}(?![\w-])", README)
                                 for f in flags):
                missing.append(f"{path} {flags[0]}")
    assert not missing, "README.md does not mention: " + ", ".join(missing)
