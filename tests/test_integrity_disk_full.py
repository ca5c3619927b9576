"""A full disk while writing the index: one line, exit 2, the partial segment removed,
the previous index intact, and the next run (with room) completes. On a real small
file system (a tmpfs of a few MB), in a real process."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import run


@pytest.fixture()
def small_disk(tmp_path) -> Path:
    mnt = tmp_path / "small"
    mnt.mkdir()
    res = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mnt)],
                         capture_output=True, text=True)
    if res.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root): disk-full test skipped")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def _write(folder: Path, start: int, n: int, words: int) -> None:
    folder.mkdir(exist_ok=True)
    rnd = random.Random(start)
    for i in range(start, start + n):
        body = " ".join(f"w{rnd.randrange(10**6)}" for _ in range(words))
        (folder / f"a{i:05d}.txt").write_text(f"Report uniq{i:05d}\n\n{body}\n", encoding="utf-8")


def _index_files(idx: Path) -> set[str]:
    return {n for n in os.listdir(idx) if n not in ("index-run.lock",)}


def test_disk_full_is_one_line_and_keeps_the_previous_index(small_disk, tmp_path):
    idx = small_disk / "idx"
    folder = tmp_path / "articles"
    _write(folder, 0, 20, 50)
    assert run("index", "-q", str(folder), index=idx).exit_code == 0
    before = _index_files(idx)
    _write(folder, 20, 400, 800)  # a few MB of distinct words: more than the disk holds

    res = subprocess.run([sys.executable, "-m", "newsgrep", "--index", str(idx), "index",
                          "-q", str(folder)], capture_output=True, text=True, timeout=600)
    assert res.returncode == 2, res.stderr
    assert res.stderr.strip() == (f"newsgrep: error: no space left on device while "
                                  f"writing the index at {idx}")
    # The partial segment and Whoosh's temporary files are gone; the old index answers.
    assert _index_files(idx) == before
    assert run("check", index=idx).exit_code == 0
    assert run("search", "uniq00007", "-c", index=idx).stdout.strip() == "1"
    stats = json.loads(run("stats", "--json", index=idx).stdout)
    assert stats["articles"] == 20

    # With room again, the next run completes.
    for f in sorted(folder.glob("a*.txt"))[25:]:
        f.unlink()
    res = run("index", "--json", str(folder), index=idx)
    assert res.exit_code == 0, res.output
    assert json.loads(run("stats", "--json", index=idx).stdout)["articles"] == 25
    assert run("check", index=idx).exit_code == 0


def test_disk_full_during_a_full_rebuild_keeps_the_old_index(small_disk, tmp_path):
    idx = small_disk / "idx"
    folder = tmp_path / "articles"
    _write(folder, 0, 20, 50)
    assert run("index", "-q", str(folder), index=idx).exit_code == 0
    _write(folder, 20, 400, 800)
    res = subprocess.run([sys.executable, "-m", "newsgrep", "--index", str(idx), "index",
                          "--full", "-q", str(folder)], capture_output=True, text=True,
                         timeout=600)
    assert res.returncode == 2
    assert "no space left on device while writing the index" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
    assert not (small_disk / ".idx.rebuild").exists()
    assert run("check", index=idx).exit_code == 0
    assert json.loads(run("stats", "--json", index=idx).stdout)["articles"] == 20


def test_disk_full_injected_where_no_small_disk_can_be_mounted(tmp_path, monkeypatch):
    # The same promise without root: the commit writes part of a segment, then fails
    # with ENOSPC as a full disk makes it.
    import errno

    from newsgrep.engine.whoosh.bulk import BulkWriter
    from newsgrep.engine.whoosh.classic_writer import WhooshWriter

    idx = tmp_path / "idx"
    folder = tmp_path / "articles"
    _write(folder, 0, 5, 30)
    assert run("index", "-q", str(folder), index=idx).exit_code == 0
    before = _index_files(idx)
    _write(folder, 5, 5, 30)

    def full_disk(self, optimize=False, merge=True):
        (idx / "MAIN_partialsegment0.pst").write_bytes(b"\0" * 4096)
        raise OSError(errno.ENOSPC, "No space left on device")

    # Whichever writer commits: the bulk writer, or Whoosh's own (NEWSGREP_WHOOSH_WRITER=1).
    monkeypatch.setattr(WhooshWriter, "commit", full_disk)
    monkeypatch.setattr(BulkWriter, "commit", full_disk)
    res = run("index", "-q", str(folder), index=idx)
    assert res.exit_code == 2
    assert res.stderr == ("newsgrep: error: no space left on device while writing the "
                          f"index at {idx}\n")
    assert _index_files(idx) == before
    monkeypatch.undo()
    assert json.loads(run("stats", "--json", index=idx).stdout)["articles"] == 5
    assert run("index", "-q", str(folder), index=idx).exit_code == 0
    assert json.loads(run("stats", "--json", index=idx).stdout)["articles"] == 10
