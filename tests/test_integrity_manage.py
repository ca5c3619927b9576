"""Index management (`roots`, `forget`), the engine's identity in the manifest, and the
small cases: --index naming a file, a command-line path that is not UTF-8, articles
counted in the summary."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from newsgrep.engine import open_engine, path_counts
from newsgrep.manifest import Manifest

from .conftest import jsonl, run


def _folder(base: Path, name: str, n: int, word: str) -> Path:
    folder = base / name
    folder.mkdir()
    for i in range(n):
        (folder / f"{name}{i}.txt").write_text(f"{word} story {i}\n\nAbout {word} {i}.\n")
    return folder


def _index(idx: Path, *paths: Path, extra: tuple[str, ...] = ()) -> dict:
    res = run("index", "--json", *extra, *map(str, paths), index=idx)
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_roots_lists_folders_and_forget_removes_one(tmp_path):
    a = _folder(tmp_path, "alpha", 3, "walrus")
    b = _folder(tmp_path, "beta", 2, "narwhal")
    with open(b / "feed.jsonl", "w") as fh:
        for i in range(4):
            fh.write(json.dumps({"title": f"Feed {i}", "text": f"narwhal feed {i}"}) + "\n")
    idx = tmp_path / "idx"
    _index(idx, a)
    _index(idx, b)
    roots = jsonl(run("roots", "--json", index=idx).stdout)
    assert [(r["path"], r["files"], r["articles"]) for r in roots] == [
        (str(a), 3, 3), (str(b), 3, 6)]
    assert all(r["last_indexed"] for r in roots)
    res = run("roots", index=idx)
    assert res.exit_code == 0 and f"{b}\t3 files\t6 articles" in res.stdout

    res = run("forget", str(b), index=idx)
    assert res.exit_code == 0, res.output
    assert res.stdout.strip() == f"forgot 6 articles from 3 files under {b}"
    assert run("search", "narwhal", index=idx).exit_code == 1
    assert run("search", "walrus", "-c", index=idx).stdout.strip() == "3"
    assert [r["path"] for r in jsonl(run("roots", "--json", index=idx).stdout)] == [str(a)]
    assert run("check", index=idx).exit_code == 0
    assert (b / "feed.jsonl").exists()  # the files are never touched

    res = run("forget", str(b), index=idx)
    assert res.exit_code == 2 and "nothing is indexed from" in res.stderr
    # Indexing it again brings it back, as new files.
    assert _index(idx, b)["indexed"] == 3


def test_a_subfolder_is_not_listed_twice(tmp_path):
    a = _folder(tmp_path, "alpha", 2, "walrus")
    sub = _folder(a, "sub", 2, "otter")
    idx = tmp_path / "idx"
    _index(idx, sub)
    _index(idx, a)
    roots = jsonl(run("roots", "--json", index=idx).stdout)
    assert [(r["path"], r["files"]) for r in roots] == [(str(a), 4)]
    res = run("forget", str(sub), index=idx)
    assert res.stdout.strip() == f"forgot 2 articles from 2 files under {sub}"
    assert run("search", "walrus", "-c", index=idx).stdout.strip() == "2"


def test_an_index_inside_the_folder_being_indexed_is_warned_about(tmp_path):
    a = _folder(tmp_path, "alpha", 2, "walrus")
    s = _index(a / "index", a)
    assert s["indexed"] == 2
    assert any("the index lives inside" in w["reason"] for w in s["warnings"])
    s = _index(tmp_path / "idx", a)
    assert not any("the index lives inside" in w["reason"] for w in s["warnings"])


def test_a_replaced_index_is_noticed_and_everything_read_again(tmp_path):
    a = _folder(tmp_path, "alpha", 3, "walrus")
    idx = tmp_path / "idx"
    _index(idx, a)
    # Another index put in its place (a restore of something else), the manifest kept.
    other = tmp_path / "other"
    _index(other, _folder(tmp_path, "gamma", 1, "otter"))
    for f in idx.iterdir():
        if f.name not in ("manifest.db", "index-run.lock"):
            f.unlink()
    for f in other.iterdir():
        if f.name not in ("manifest.db", "index-run.lock"):
            shutil.copy(f, idx / f.name)
    s = _index(idx, a)
    assert s["updated"] == 3 and s["unchanged"] == 0
    assert any("not the one the manifest describes" in w["reason"] for w in s["warnings"])
    assert run("search", "walrus", "-c", index=idx).stdout.strip() == "3"


def test_an_index_emptied_behind_newsgreps_back_is_read_again(tmp_path):
    a = _folder(tmp_path, "alpha", 3, "walrus")
    b = _folder(tmp_path, "beta", 2, "narwhal")
    idx = tmp_path / "idx"
    _index(idx, a)
    _index(idx, b)
    engine = open_engine(idx)
    w = engine.writer()
    for p in path_counts(engine):
        w.delete_path(p)
    w.commit()
    # Only `a` is named: the files of `b`, outside it, are read again too.
    s = _index(idx, a)
    assert any("held no articles, though 5 files were recorded" in w["reason"]
               for w in s["warnings"])
    assert s["updated"] == 5
    assert run("search", "narwhal", "-c", index=idx).stdout.strip() == "2"
    assert run("check", index=idx).exit_code == 0


def test_the_manifest_records_the_engines_identity(tmp_path):
    idx = tmp_path / "idx"
    _index(idx, _folder(tmp_path, "alpha", 1, "walrus"))
    m = Manifest(idx)
    try:
        meta = m.meta()
    finally:
        m.close()
    assert meta["identity"] == (idx / "newsgrep-id").read_text().strip()
    assert meta["articles"] == "1"


def test_index_option_naming_a_file(tmp_path):
    f = tmp_path / "afile"
    f.write_text("x")
    for args in (["index", str(tmp_path)], ["search", "x"], ["stats"]):
        res = run(*args, index=f)
        assert res.exit_code == 2
        assert res.stderr.strip() == f"newsgrep: error: the index {f} is a file, not a folder"


@pytest.mark.skipif(os.name != "posix", reason="byte file names")
def test_a_command_line_path_that_is_not_utf8_does_not_crash_the_manifest(tmp_path):
    idx = tmp_path / "idx"
    _index(idx, _folder(tmp_path, "alpha", 1, "walrus"))
    bad = os.path.join(os.fsencode(tmp_path), b"bad\xff\xfedir")
    os.mkdir(bad)
    m = Manifest(idx)
    try:
        assert m.under([os.fsdecode(bad)]) == {}
        m.apply([], [os.fsdecode(bad)])  # ignored, not an error
        m.add_roots([os.fsdecode(bad)])
    finally:
        m.close()
    res = run("index", "--json", os.fsdecode(bad), index=idx)
    assert res.exit_code == 0, res.output


def test_the_summary_counts_articles(tmp_path):
    a = _folder(tmp_path, "alpha", 2, "walrus")
    with open(a / "feed.jsonl", "w") as fh:
        for i in range(7):
            fh.write(json.dumps({"title": f"Feed {i}", "text": f"walrus feed {i}"}) + "\n")
    idx = tmp_path / "idx"
    s = _index(idx, a)
    assert s["indexed"] == 3 and s["articles"] == 9
    res = run("index", "--full", str(a), index=idx)
    assert "(9 articles written)" in res.stdout
