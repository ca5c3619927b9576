"""Build newsgrep's sample corpus (`corpus/`) from the shared article sets.

Why this exists: the sample corpus is committed to the repository, so nobody has to fetch
anything to try newsgrep or to run the tests against real articles. This script records
exactly how those files were made, so the corpus can be checked and regenerated. It is not
used by newsgrep itself.

What it writes under ``--out`` (default ``corpus``), from ``--shared`` (default ``../shared``):

* ``seeds/``: the two seed articles, copied byte for byte.
* ``wikinews-en/`` and ``meduza-ru/``: one ``<id>.txt`` file per record of the Wikinews
  (``corpora/wikinews-en-2019-2020/articles.jsonl``) and Meduza
  (``corpora/meduza-golunov-ru/articles.jsonl``) sets, in the seeds' shape::

      <title>
      <blank line>
      <date, YYYY-MM-DD>
      <blank line>
      <body>
      <blank line>
      Source: [<source>](<url>)     (or "Source: <source>" when url is null)

  UTF-8, ``\\n`` line ends, ending in a single newline. Title, date, source and url are
  written exactly as in the record. The body is written exactly as in the record except
  that line breaks (``\\n``) at its very start and very end are left out, so that exactly
  one blank line separates it from the date line and from the Source line. Nothing else
  is touched: the 2019 Wikinews datelines, the paragraph breaks (``\\n\\n\\n`` or ``\\n\\n``),
  spaces and no-break spaces all stay as they are.
* ``LICENSE-wikinews.md`` and ``LICENSE-meduza.txt``: the sets' licence files, copied byte
  for byte.

``corpus/README.md`` is written by hand and is not touched.

The output is deterministic and the script is idempotent: files whose content is already
right are not rewritten, and stray ``.txt`` files in the three generated folders (e.g.
from an older run) are removed. Run from the repository root::

    python -m scripts.build_corpus --shared ../shared --out corpus
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

SEEDS = ("000_2af2d4676b6d9f59.txt", "004_15117f6641672c6c.txt")

# (folder under <shared>/corpora, output folder, expected number of records)
JSONL_SETS = (
    ("wikinews-en-2019-2020", "wikinews-en", 293),
    ("meduza-golunov-ru", "meduza-ru", 100),
)

# (file under <shared>/corpora, file under --out)
LICENSES = (
    ("wikinews-en-2019-2020/LICENSE-source.md", "LICENSE-wikinews.md"),
    ("meduza-golunov-ru/LICENSE-source.txt", "LICENSE-meduza.txt"),
)

DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*")


def render(record: dict) -> str:
    """The text of one article file, built from one JSONL record."""
    title, date, body = record["title"], record["date"], record["body"]
    source, url = record["source"], record["url"]
    if "\n" in title or "\r" in title or not title.strip():
        raise ValueError(f"{record['id']}: title must be one non-empty line: {title!r}")
    if not isinstance(date, str) or not DATE_RE.fullmatch(date):
        raise ValueError(f"{record['id']}: date is not YYYY-MM-DD: {date!r}")
    if "\r" in body:
        raise ValueError(f"{record['id']}: body contains a carriage return")
    body = body.strip("\n")
    if not body.strip():
        raise ValueError(f"{record['id']}: empty body")
    source_line = f"Source: {source}" if url is None else f"Source: [{source}]({url})"
    return f"{title}\n\n{date}\n\n{body}\n\n{source_line}\n"


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write `data` to `path` unless it already holds exactly that. True if written."""
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def sync_folder(folder: Path, files: dict[str, bytes]) -> tuple[int, int]:
    """Make `folder`'s .txt files exactly `files`. Returns (written, removed)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = sum(write_if_changed(folder / name, data) for name, data in sorted(files.items()))
    removed = 0
    for stray in sorted(folder.glob("*.txt")):
        if stray.name not in files:
            stray.unlink()
            removed += 1
    return written, removed


def load_set(path: Path, expected: int) -> dict[str, bytes]:
    """Render every record of one JSONL set: {file name: file bytes}."""
    files: dict[str, bytes] = {}
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            record = json.loads(line)
            rid = record["id"]
            if not isinstance(rid, str) or not ID_RE.fullmatch(rid):
                raise ValueError(f"{path}:{lineno}: unusable id {rid!r}")
            name = f"{rid}.txt"
            if name in files:
                raise ValueError(f"{path}:{lineno}: duplicate id {rid!r}")
            files[name] = render(record).encode("utf-8")
    if len(files) != expected:
        raise ValueError(f"{path}: {len(files)} records, expected {expected}")
    return files


def build(shared: Path, out: Path) -> None:
    corpora = shared / "corpora"
    if not corpora.is_dir():
        raise FileNotFoundError(f"{corpora} not found (is --shared right?)")

    seeds = {name: (corpora / "seeds" / name).read_bytes() for name in SEEDS}
    written, removed = sync_folder(out / "seeds", seeds)
    print(f"seeds: {len(seeds)} files ({written} written, {removed} removed)")

    for src, dest, expected in JSONL_SETS:
        files = load_set(corpora / src / "articles.jsonl", expected)
        written, removed = sync_folder(out / dest, files)
        print(f"{dest}: {len(files)} files ({written} written, {removed} removed)")

    for src, dest in LICENSES:
        written = write_if_changed(out / dest, (corpora / src).read_bytes())
        print(f"{dest}: {'written' if written else 'unchanged'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--shared", type=Path, default=Path("../shared"), help="shared folder (has corpora/)"
    )
    parser.add_argument("--out", type=Path, default=Path("corpus"), help="output folder")
    args = parser.parse_args(argv)
    try:
        build(args.shared, args.out)
    except (OSError, ValueError, KeyError) as exc:
        print(f"build_corpus: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
