"""Interrupted and concurrent index runs, with real processes and SIGKILL (no mocks)."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import run

WORDS = ("minister troops border budget parliament election court police storm river "
         "harbour railway vaccine hospital school market energy grain summit treaty").split()


def _make_articles(folder: Path, start: int, n: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(start)
    for i in range(start, start + n):
        body = "\n\n".join(
            " ".join(rnd.choice(WORDS) for _ in range(60)) + "." for _ in range(4))
        (folder / f"a{i:05d}.txt").write_text(
            f"Report number uniq{i:05d}\n\n2021-{1 + i % 12:02d}-{1 + i % 28:02d}\n\n{body}\n\n"
            f"Source: [Outlet {i % 7}](https://outlet{i % 7}.example.com/a/{i})\n",
            encoding="utf-8")


def _cli(idx: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "newsgrep", "--index", str(idx), *args]


def _articles(idx: Path) -> int:
    res = run("stats", "--json", index=idx)
    assert res.exit_code == 0, res.output
    return json.loads(res.output)["articles"]


def _wait_for_run(idx: Path, proc: subprocess.Popen, timeout: float = 300) -> None:
    """Until the index run holds its lock (its pid is in the lock file)."""
    lock = idx / "index-run.lock"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if lock.exists() and lock.read_text().strip() == str(proc.pid):
            return
        assert proc.poll() is None, "index run ended before it could be interrupted"
        time.sleep(0.02)
    raise AssertionError("index run did not start")


@pytest.fixture()
def big_folder(tmp_path) -> Path:
    folder = tmp_path / "articles"
    _make_articles(folder, 0, 200)
    return folder


def _wait_for_commits(idx: Path, proc: subprocess.Popen, generation: int) -> None:
    """Until Whoosh has written table of contents number `generation` (one per commit)."""
    deadline = time.monotonic() + 300
    while not list(idx.glob(f"_MAIN_{generation}.toc")):
        assert proc.poll() is None, "index run ended before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.005)


@pytest.mark.parametrize("commits,delay", [(0, 0.0), (0, 1.0), (2, 0.0), (3, 0.3), (5, 0.15)])
def test_sigkill_leaves_previous_index_searchable_and_next_run_finishes(big_folder, tmp_path,
                                                                        commits, delay):
    idx = tmp_path / "idx"
    assert run("index", "-q", str(big_folder), index=idx).exit_code == 0
    assert _articles(idx) == 200
    _make_articles(big_folder, 200, 1200)

    proc = subprocess.Popen(_cli(idx, "index", "--commit-every", "150", "-j", "2",
                                 str(big_folder)),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _wait_for_run(idx, proc)
    # The first index is generation 1; each commit of 150 files adds one.
    _wait_for_commits(idx, proc, 1 + commits)
    time.sleep(delay)  # then into the middle of adding or committing the next batch
    proc.send_signal(signal.SIGKILL)
    proc.wait()

    # The previous state and every batch committed before the kill are searchable.
    n = _articles(idx)
    assert 200 + 150 * commits <= n < 1400
    res = run("search", "uniq00042", "-c", index=idx)
    assert res.output.strip() == "1"

    # The lock of the dead run does not block; the next run completes the work.
    res = run("index", "--json", str(big_folder), index=idx)
    assert res.exit_code == 0, res.output
    assert _articles(idx) == 1400
    for i in (0, 199, 200, 777, 1399):  # each article exactly once
        assert run("search", f"uniq{i:05d}", "-c", index=idx).output.strip() == "1"
    res = run("index", "--json", str(big_folder), index=idx)
    assert json.loads(res.output)["unchanged"] == 1400


def test_a_second_run_while_one_is_active_says_so_and_searches_still_work(big_folder,
                                                                          tmp_path):
    idx = tmp_path / "idx"
    assert run("index", "-q", str(big_folder), index=idx).exit_code == 0
    _make_articles(big_folder, 200, 1200)
    proc = subprocess.Popen(_cli(idx, "index", "-j", "1", str(big_folder)),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for_run(idx, proc)
        second = subprocess.run(_cli(idx, "index", str(big_folder)), capture_output=True,
                                text=True, timeout=60)
        assert second.returncode == 2
        assert f"another newsgrep index run (PID {proc.pid})" in second.stderr
        assert len(second.stderr.strip().splitlines()) == 1
        # Searching during the run sees the last committed state.
        res = subprocess.run(_cli(idx, "search", "uniq00010", "-c"), capture_output=True,
                             text=True, timeout=60)
        assert res.returncode == 0 and res.stdout.strip() == "1"
    finally:
        proc.wait(timeout=300)
    assert proc.returncode == 0
    assert _articles(idx) == 1400


def test_ctrl_c_keeps_the_index_consistent(big_folder, tmp_path):
    idx = tmp_path / "idx"
    _make_articles(big_folder, 200, 800)
    proc = subprocess.Popen(_cli(idx, "index", "--commit-every", "100", str(big_folder)),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    _wait_for_run(idx, proc)
    time.sleep(1.5)
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C sends: the whole group
    _, err = proc.communicate(timeout=120)
    assert proc.returncode in (0, 130), err
    assert "Traceback" not in err
    res = run("index", "--json", str(big_folder), index=idx)
    assert res.exit_code == 0
    assert _articles(idx) == 1000
