"""`newsgrep watch` in a real process over a real folder: files created, changed and
deleted reach the index, alerts report new matches, SIGINT ends it with a summary."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading

import pytest

from .conftest import ROOT, jsonl
from .narrative_support import build_index, run, write_articles

pytest.importorskip("watchfiles")

TIMEOUT = 120  # seconds to wait for any one line: generous, never a measured bound


def _article(path, title: str, body: str, day: str = "2021-05-01") -> None:
    path.write_text(json.dumps({"title": title, "body": body, "date": day,
                                "source": "alpha.example"}), encoding="utf-8")


class Watch:
    """`newsgrep watch --json` in its own process; lines read by a thread."""

    def __init__(self, index, folder, *extra: str):
        env = dict(os.environ, NO_COLOR="1")
        self.p = subprocess.Popen(
            [sys.executable, "-m", "newsgrep", "--index", str(index), "watch",
             str(folder), "--json", "--debounce", "200", *extra],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.p.stdout:
            self.lines.put(json.loads(line))
        self.lines.put(None)

    def until(self, pred) -> list[dict]:
        """Lines up to and including the first one `pred` accepts."""
        seen = []
        while True:
            try:
                obj = self.lines.get(timeout=TIMEOUT)
            except queue.Empty:
                raise AssertionError(f"nothing after {seen}") from None
            assert obj is not None, f"watch ended: {seen} {self.p.stderr.read()}"
            seen.append(obj)
            if pred(obj):
                return seen

    def batch(self) -> list[dict]:
        return self.until(lambda o: o.get("event") == "batch")

    def stop(self) -> list[dict]:
        self.p.send_signal(signal.SIGINT)
        rest = self.until(lambda o: o.get("event") == "summary")
        assert self.p.wait(timeout=TIMEOUT) == 0
        return rest

    def kill(self) -> None:
        if self.p.poll() is None:
            self.p.kill()
            self.p.wait()


@pytest.fixture()
def watched(tmp_path):
    folder = write_articles(tmp_path / "articles", [
        {"name": "old", "body": "An old zorblat report.", "date": "2021-01-01",
         "source": "alpha.example"}])
    index = build_index(folder, tmp_path / "index")
    return index, folder


def test_watch_indexes_created_changed_and_deleted_files(watched):
    index, folder = watched
    w = Watch(index, folder)
    try:
        first = w.batch()
        assert first[-1]["batch"] == 0 and first[-1]["indexed"] == 0  # caught up already
        _article(folder / "new.json", "Fresh report", "A new quibbleflux story.")
        got = w.until(lambda o: o.get("event") == "batch" and o["indexed"])
        assert got[-1]["indexed"] == 1
        assert run("search", "quibbleflux", "-c", index=index).output.strip() == "1"
        _article(folder / "new.json", "Fresh report", "Now a grommetwax story instead.")
        w.until(lambda o: o.get("event") == "batch" and o["updated"])
        assert run("search", "grommetwax", "-c", index=index).output.strip() == "1"
        assert run("search", "quibbleflux", "-c", index=index).exit_code == 1
        (folder / "old.json").unlink()
        w.until(lambda o: o.get("event") == "batch" and o["removed"])
        assert run("search", "zorblat", "-c", index=index).exit_code == 1
        summary = w.stop()[-1]
        assert (summary["indexed"], summary["updated"], summary["removed"]) == (1, 1, 1)
    finally:
        w.kill()
    # The watch released the index: a one-off run works at once.
    assert run("index", str(folder), index=index).exit_code == 0


def test_watch_alerts_report_new_matches_as_they_land(watched):
    index, folder = watched
    assert run("alert", "add", "z", "zorblat", "--skip-existing", index=index).exit_code == 0
    w = Watch(index, folder, "--alerts")
    try:
        assert w.batch()[-1]["alerts"] == {"z": 0}
        _article(folder / "a1.json", "Zorblat lands", "The zorblat landed today.")
        _article(folder / "b1.json", "Unrelated", "Nothing to see here today.")
        lines = w.until(lambda o: o.get("event") == "batch" and o["indexed"] >= 1)
        # Both files may come in one batch or two: wait until both are in.
        indexed = sum(o["indexed"] for o in lines if o.get("event") == "batch")
        while indexed < 2:
            more = w.batch()
            lines += more
            indexed += more[-1]["indexed"]
        matches = [o for o in lines if "alert" in o]
        assert [(m["alert"], m["title"]) for m in matches] == [("z", "Zorblat lands")]
        summary = w.stop()[-1]
        assert summary["alert_matches"] == 1
    finally:
        w.kill()
    # Reported once: a later run has nothing new.
    assert run("alert", "run", "z", index=index).exit_code == 1


def test_watch_without_watchfiles_says_how_to_install(watched, tmp_path):
    index, folder = watched
    # A directory that shadows the package with one that cannot be imported.
    shadow = tmp_path / "shadow" / "watchfiles"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("raise ImportError('no watchfiles here')\n")
    env = dict(os.environ, NO_COLOR="1",
               PYTHONPATH=os.pathsep.join([str(tmp_path / "shadow"), str(ROOT)]))
    p = subprocess.run([sys.executable, "-m", "newsgrep", "--index", str(index),
                        "watch", str(folder)], cwd=ROOT, env=env, capture_output=True,
                       text=True, timeout=TIMEOUT)
    assert p.returncode == 2
    assert p.stderr.strip().splitlines()[-1] == (
        "newsgrep: error: `newsgrep watch` needs the watchfiles package: pip install "
        "watchfiles (or pip install 'newsgrep[watch]')")
    assert jsonl(p.stdout) == []


def test_a_file_being_written_is_read_once_its_size_settles(tmp_path):
    from newsgrep.narrative.watch import wait_until_settled

    path = tmp_path / "growing.json"
    path.write_text('{"title": "Half')
    pieces = [' wr', 'itten", "body": "still', ' coming"}']
    naps = []

    def writer_meanwhile(seconds: float) -> None:  # each wait, the writer adds a piece
        naps.append(seconds)
        if pieces:
            with path.open("a") as f:
                f.write(pieces.pop(0))

    assert wait_until_settled([str(path)], interval=0.01, sleep=writer_meanwhile)
    assert len(naps) == 4  # three waits saw it grow, the fourth saw it hold still
    assert json.loads(path.read_text()) == {"title": "Half written", "body": "still coming"}
    # A file that never stops growing is read after max_wait anyway.
    assert not wait_until_settled([str(path)], interval=0.01, max_wait=0.0)
    # A file deleted while it settles is no reason to wait.
    assert wait_until_settled([str(tmp_path / "gone.json")], interval=0.01, sleep=lambda s: None)


def test_a_one_off_index_run_says_a_watch_holds_the_index(watched):
    index, folder = watched
    w = Watch(index, folder)
    try:
        w.batch()
        res = run("index", str(folder), index=index)
        assert res.exit_code == 2
        assert f"watch (PID {w.p.pid})" in res.output
        w.stop()
    finally:
        w.kill()
    assert run("index", str(folder), index=index).exit_code == 0
