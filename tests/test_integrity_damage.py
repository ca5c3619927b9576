"""A damaged index: each kind of index file truncated, overwritten or deleted, then every
command run on it. Nothing may print a traceback; a damaged index is named in one line
with what to run; `check` finds the damage; `index --full` restores exactly the articles
of the files on disk."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from newsgrep.engine import open_engine, path_counts

from .conftest import run

KINDS = {  # index file -> how to find it in the folder
    "toc": "_MAIN_*.toc",
    "terms": "MAIN_*.trm",
    "postings": "MAIN_*.pst",
    "stored": "MAIN_*._stored.col",
    "lengths": "MAIN_*._body_len.col",
    "dates": "MAIN_*.date.col",
    "format": "newsgrep-format",
    "manifest": "manifest.db",
}
HOW = ("truncate", "flip", "delete")


def _articles(folder: Path) -> None:
    folder.mkdir()
    for i in range(24):
        (folder / f"a{i:02d}.txt").write_text(
            f"Harbour report {i}\n\n2021-03-{1 + i % 28:02d}\n\nCranes unloaded "
            f"{i * 7} containers of grain near the quay uniq{i:02d}.\n", encoding="utf-8")
    with open(folder / "feed.jsonl", "w", encoding="utf-8") as fh:
        for i in range(5):
            fh.write(json.dumps({"title": f"Feed story {i}", "text": f"Ferries and tugs {i}."})
                     + "\n")


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> tuple[Path, Path, dict]:
    base = tmp_path_factory.mktemp("pristine")
    folder = base / "articles"
    _articles(folder)
    idx = base / "idx"
    res = run("index", "--json", str(folder), index=idx)
    assert res.exit_code == 0, res.output
    counts = path_counts(open_engine(idx))
    assert sum(counts.values()) == 29
    return folder, idx, counts


def _damage(idx: Path, kind: str, how: str) -> Path:
    file = sorted(idx.glob(KINDS[kind]))[0]
    size = file.stat().st_size
    if how == "truncate":
        os.truncate(file, size // 2 if size > 8 else 0)
    elif how == "flip":
        with open(file, "r+b") as fh:
            # The middle, or for manifest.db its second page (the middle may be free space).
            at = 4096 if file.name == "manifest.db" else max(0, min(size // 2, size - 64))
            fh.seek(at)
            data = fh.read(64)
            fh.seek(at)
            fh.write(bytes(b ^ 0xFF for b in data))
    else:
        file.unlink()
    return file


def _one_line_error(res) -> str:
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr
    assert lines[0].startswith("newsgrep: error: "), lines
    return lines[0]


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("kind", list(KINDS))
def test_damage_is_reported_in_one_line_checked_and_repaired(pristine, tmp_path, kind, how):
    folder, original, counts = pristine
    idx = tmp_path / "idx"
    shutil.copytree(original, idx)
    _damage(idx, kind, how)

    res = run("check", index=idx)
    assert res.exit_code == 1, res.output
    assert "damaged" in res.output
    # The command that repairs it, with the indexed folders when the manifest can say.
    assert f"newsgrep index --full {folder if kind != 'manifest' else ''}" in res.output

    # Reading commands: the answer, or one line naming the damage and the repair.
    # (catch_exceptions=False in run(): a traceback fails the test.)
    sure = how != "flip" and kind not in ("manifest",)  # a look at the files shows it
    for args in (["stats"], ["sources"], ["search", "grain", "-c"], ["search", "grain"],
                 ["show", str(folder / "a03.txt")]):
        res = run(*args, index=idx)
        if res.exit_code != 0 or sure:
            assert res.exit_code == 2, (args, res.output)
            line = _one_line_error(res)
            assert "damaged" in line and "--full" in line, line

    if kind == "manifest" and how == "delete":
        pass  # a lost manifest: `index` reads every file again (not damage to the index)
    res = run("index", "--json", str(folder), index=idx)
    if res.exit_code != 0:
        line = _one_line_error(res)
        assert "--full" in line, line
    elif kind == "toc" and how == "delete":  # made again: every file is read again
        assert json.loads(res.stdout)["updated"] == 25

    res = run("index", "--full", "--json", str(folder), index=idx)
    assert res.exit_code == 0, res.output
    assert run("check", index=idx).exit_code == 0
    assert path_counts(open_engine(idx)) == counts  # each article once, none missing
    assert run("search", "uniq03", "-c", index=idx).stdout.strip() == "1"
    assert not list(tmp_path.glob(".idx.rebuild*"))


def test_a_truncated_table_of_contents_is_one_line_in_a_real_process(pristine, tmp_path):
    # click reads an EOFError as Ctrl-D and printed a bare "Aborted!".
    _, original, _ = pristine
    idx = tmp_path / "idx"
    shutil.copytree(original, idx)
    toc = sorted(idx.glob("_MAIN_*.toc"))[0]
    os.truncate(toc, 10)
    for args in (["stats"], ["search", "grain"], ["check"], ["index", "-q", str(original)]):
        res = subprocess.run([sys.executable, "-m", "newsgrep", "--index", str(idx), *args],
                             capture_output=True, text=True, timeout=120)
        assert "Traceback" not in res.stderr and "Aborted" not in res.stderr, res.stderr
        if args == ["check"]:
            assert res.returncode == 1 and toc.name in res.stdout
        else:
            assert res.returncode == 2
            assert f"{toc.name} has 10 bytes" in _one_line_error(res)
    # An index written before newsgrep kept checksums: Whoosh's own error (an EOFError
    # from pickle) is recognised as damage all the same.
    (idx / "newsgrep-sums.json").unlink()
    for args in (["stats"], ["search", "grain"]):
        res = subprocess.run([sys.executable, "-m", "newsgrep", "--index", str(idx), *args],
                             capture_output=True, text=True, timeout=120)
        assert "Traceback" not in res.stderr and "Aborted" not in res.stderr, res.stderr
        assert res.returncode == 2
        assert "table of contents cannot be read" in _one_line_error(res)


def test_a_deleted_table_of_contents_is_not_an_empty_index(pristine, tmp_path):
    # It gave "unchanged 400", exit 0, and an empty index.
    folder, original, counts = pristine
    idx = tmp_path / "idx"
    shutil.copytree(original, idx)
    for toc in idx.glob("_MAIN_*.toc"):
        toc.unlink()
    res = run("search", "grain", index=idx)
    assert res.exit_code == 2 and "table of contents" in _one_line_error(res)
    res = run("index", "--json", str(folder), index=idx)
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)
    assert summary["unchanged"] == 0 and summary["updated"] == 25
    assert any("reading those files again" in w["reason"] for w in summary["warnings"])
    assert path_counts(open_engine(idx)) == counts
    assert run("check", index=idx).exit_code == 0


def test_articles_missing_from_the_index_are_read_again(pristine, tmp_path):
    # The engine lost some articles (here: deleted behind newsgrep's back); the manifest
    # still lists their files as indexed. `index` must notice and read them again.
    folder, original, counts = pristine
    idx = tmp_path / "idx"
    shutil.copytree(original, idx)
    engine = open_engine(idx)
    w = engine.writer()
    w.delete_path(str(folder / "a05.txt"))
    w.delete_path(str(folder / "feed.jsonl"))
    w.commit()
    res = run("check", index=idx)
    assert res.exit_code == 1 and "2 files in the manifest have no articles" in res.output
    res = run("index", "--json", str(folder), index=idx)
    assert res.exit_code == 0
    summary = json.loads(res.stdout)
    assert summary["updated"] == 2 and summary["unchanged"] == 23
    assert path_counts(open_engine(idx)) == counts
    assert run("check", index=idx).exit_code == 0


def test_check_on_a_healthy_index_and_on_none(pristine, tmp_path):
    _, idx, _ = pristine
    res = run("check", "--json", index=idx)
    assert res.exit_code == 0
    report = json.loads(res.stdout)
    assert report["healthy"] and report["articles"] == 29 and report["files"] == 25
    res = run("check", index=tmp_path / "none")
    assert res.exit_code == 2 and "no index" in _one_line_error(res)


def test_an_interrupted_full_rebuild_leaves_the_old_index(pristine, tmp_path):
    folder, original, counts = pristine
    idx = tmp_path / "idx"
    shutil.copytree(original, idx)
    many = tmp_path / "many"
    many.mkdir()
    for i in range(1500):
        (many / f"m{i:04d}.txt").write_text(f"Title {i}\n\nBody words {i} " * 20)
    proc = subprocess.Popen([sys.executable, "-m", "newsgrep", "--index", str(idx), "index",
                             "--full", "-j", "1", str(folder), str(many)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    rebuild = tmp_path / ".idx.rebuild"
    import time

    deadline = time.monotonic() + 300
    while not list(rebuild.glob("_MAIN_*.toc")):  # the new index exists: it is building
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.01)
    proc.kill()
    proc.wait()
    assert path_counts(open_engine(idx)) == counts
    assert run("check", index=idx).exit_code == 0
    res = run("index", "--full", "--json", str(folder), index=idx)  # clears the leftover
    assert res.exit_code == 0 and not rebuild.exists()
    assert path_counts(open_engine(idx)) == counts
