"""Alerts across restarts and a real kill -9: every match is reported, none twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from .conftest import ROOT, jsonl
from .narrative_support import build_index, run, write_articles

MANY = 300  # matches whose JSON Lines overflow a pipe's buffer (64 KiB) several times


def _rows(start: int, n: int, word: str = "zorblat") -> list[dict]:
    long = "with a title long enough to make each output line a few hundred bytes " * 3
    return [{"name": f"n{start + i:04d}", "title": f"{word.title()} item {start + i} {long}",
             "body": f"{word} report number {start + i} from the harbour.",
             "date": f"2021-{1 + (start + i) % 12:02d}-{1 + (start + i) % 28:02d}",
             "source": "alpha.example"} for i in range(n)]


def _cli(index, *args: str, **kw) -> subprocess.Popen:
    """The CLI in a process of its own, as a user (or a notifier) would start it."""
    env = dict(os.environ, NO_COLOR="1")
    return subprocess.Popen([sys.executable, "-m", "newsgrep", "--index",
                             str(index), *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


def _run_json(index, *names: str) -> tuple[int, list[dict]]:
    p = _cli(index, "alert", "run", "--json", *names)
    out, err = p.communicate(timeout=300)
    return p.returncode, jsonl(out.decode())


@pytest.fixture()
def alert_index(tmp_path):
    folder = write_articles(tmp_path / "articles", _rows(0, MANY) + _rows(MANY, 5, "other"))
    return build_index(folder, tmp_path / "index"), folder


def test_add_list_rm_and_errors(alert_index):
    index, _ = alert_index
    assert run("alert", "add", "z", "zorblat", "--from", "2021-03", "-s", "alpha.example",
               index=index).exit_code == 0
    res = run("alert", "add", "z", "other", index=index)
    assert res.exit_code == 2 and "exists already" in res.output
    assert run("alert", "add", "bad name!", "x", index=index).exit_code == 2
    assert run("alert", "add", "q", "x", "--lang", "english", index=index).exit_code == 2
    res = run("alert", "list", "--json", index=index)
    (alerts,) = jsonl(res.output)
    assert [(a["name"], a["query"], a["filters"], a["reported"]) for a in alerts] == \
        [("z", "zorblat", {"date_from": "2021-03", "sources": ["alpha.example"]}, 0)]
    assert run("alert", "rm", "z", index=index).exit_code == 0
    assert run("alert", "list", index=index).exit_code == 1
    res = run("alert", "run", "z", index=index)
    assert res.exit_code == 2 and "no alert called 'z'" in res.output


def test_runs_across_restarts_report_each_match_once(alert_index, tmp_path):
    index, folder = alert_index
    assert run("alert", "add", "z", "zorblat", index=index).exit_code == 0
    assert run("alert", "add", "o", "other", "--skip-existing", index=index).exit_code == 0
    code, first = _run_json(index)
    assert code == 0
    assert len(first) == MANY and {m["alert"] for m in first} == {"z"}
    assert len({m["id"] for m in first}) == MANY
    dates = [m["date"] for m in first]
    assert dates == sorted(dates)  # oldest first
    code, again = _run_json(index)
    assert (code, again) == (1, [])
    # New articles arrive; a changed filter-free alert sees only them, in a new process.
    write_articles(folder, _rows(1000, 3) + _rows(2000, 2, "other"))
    build_index(folder, index)
    code, new = _run_json(index)
    assert code == 0
    assert sorted((m["alert"], m["title"].split()[2]) for m in new) == \
        [("o", "2000"), ("o", "2001"), ("z", "1000"), ("z", "1001"), ("z", "1002")]
    code, named = _run_json(index, "z")
    assert (code, named) == (1, [])
    res = run("alert", "list", "--json", index=index)
    assert {a["name"]: a["reported"] for a in jsonl(res.output)[0]} == \
        {"o": 7, "z": MANY + 3}


def test_a_run_killed_with_sigkill_loses_nothing(alert_index):
    index, _ = alert_index
    assert run("alert", "add", "z", "zorblat", index=index).exit_code == 0
    p = _cli(index, "alert", "run", "--json")
    # Its first match is out; the rest cannot all fit in the pipe we do not read, so the
    # run is blocked before its commit when it is killed.
    first = p.stdout.readline()
    assert first.startswith(b'{"alert": "z"')
    p.send_signal(signal.SIGKILL)
    p.wait(timeout=60)
    assert p.returncode == -signal.SIGKILL
    printed = jsonl(first.decode() + p.stdout.read().decode(errors="replace")
                    .rsplit("\n", 1)[0])
    assert 0 < len(printed) < MANY
    # Nothing was marked: the next run reports every match (those printed again).
    code, after = _run_json(index)
    assert code == 0 and len(after) == MANY
    assert {m["id"] for m in printed} <= {m["id"] for m in after}
    code, again = _run_json(index)
    assert (code, again) == (1, [])


def test_terminal_lines_name_the_alert(alert_index):
    index, _ = alert_index
    run("alert", "add", "o", "other", index=index)
    res = run("alert", "run", index=index)
    assert res.exit_code == 0
    lines = res.output.splitlines()
    assert len(lines) == 5 and all(ln.startswith("o  2021-") for ln in lines)
    assert "alpha.example  Other item" in lines[0]
