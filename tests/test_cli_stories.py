"""Following a story: timeline, similar articles, reprints collapsed (through the CLI)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from .conftest import CORPUS, SEED_000, SEED_004, jsonl, run

EDITS = [("Biden", "President Biden"), ("troops", "soldiers"), ("NATO", "the Alliance"),
         ("Latvia", "Latvia,"), ("Russia", "Moscow")]


def _reprint(src: Path, dst: Path, outlet: str, day: int, n_edits: int) -> None:
    text = src.read_text(encoding="utf-8")
    for old, new in EDITS[:n_edits]:
        text = text.replace(old, new, 1)
    text = re.sub(r"^Source: .*$", "", text, flags=re.M).rstrip()
    lines = text.strip().split("\n")
    title = lines[0]
    body = "\n".join(line for line in lines[1:] if "lutego" not in line)
    dst.write_text(f"{title}\n\n2022-02-{day:02d}\n\n{body}\n\n"
                   f"Source: [{outlet}](https://www.{outlet.lower()}/news/{day})\n",
                   encoding="utf-8")


@pytest.fixture(scope="module")
def story_index(tmp_path_factory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("stories")
    folder = base / "articles"
    shutil.copytree(CORPUS / "seeds", folder, ignore=shutil.ignore_patterns("*.md"))
    for i, outlet in enumerate(["Baltictimes.example", "Rigapost.example", "Tallinnnews.example"]):
        _reprint(SEED_000, folder / f"reprint000_{i}.txt", outlet, 2 + i, n_edits=2 + i)
    _reprint(SEED_004, folder / "reprint004.txt", "Vilniusdaily.example", 9, n_edits=3)
    shutil.copytree(CORPUS / "wikinews-en", folder / "wikinews")  # unrelated stories
    idx = base / "idx"
    assert run("index", "-q", str(folder), index=idx).exit_code == 0
    return idx, folder


def test_similar_lists_reprints_first_with_their_similarity(story_index):
    idx, folder = story_index
    res = run("similar", str(folder / SEED_000.name), "--json", "-n", "8", index=idx)
    assert res.exit_code == 0
    hits = jsonl(res.output)
    reprints = [h for h in hits if h.get("similarity") is not None]
    assert {Path(h["path"]).name for h in reprints} == {
        "reprint000_0.txt", "reprint000_1.txt", "reprint000_2.txt"}
    assert hits[:3] == reprints  # reprints come first
    assert all(h["similarity"] >= 0.5 for h in reprints)
    # then other articles about the subject, without a similarity
    assert len(hits) > 3 and hits[3].get("similarity") is None


def test_similar_groups_no_unrelated_article(story_index):
    idx, folder = story_index
    res = run("similar", str(folder / SEED_004.name), "--json", index=idx)
    reprints = [h for h in jsonl(res.output) if h.get("similarity") is not None]
    assert [Path(h["path"]).name for h in reprints] == ["reprint004.txt"]


def test_collapse_shows_a_story_once_with_other_outlets_under_it(story_index):
    idx, _ = story_index
    res = run("search", "springboard", "--json", index=idx)
    assert len(jsonl(res.output)) == 4  # the seed and its three reprints
    res = run("search", "springboard", "--collapse", "--json", index=idx)
    hits = jsonl(res.output)
    assert len(hits) == 1
    outlets = {d["source"] for d in hits[0]["duplicates"]} | {hits[0]["source"]}
    assert outlets == {"BalticWord.com", "Baltictimes.example", "Rigapost.example",
                       "Tallinnnews.example"}
    res = run("search", "springboard", "--collapse", index=idx)
    assert "also reprinted by 3" in res.output


def test_collapse_keeps_different_stories_apart(story_index):
    idx, _ = story_index
    res = run("search", "troops", "--collapse", "--json", "-n", "50", index=idx)
    hits = jsonl(res.output)
    names = [Path(h["path"]).name for h in hits]
    assert "000_2af2d4676b6d9f59.txt" in names and "004_15117f6641672c6c.txt" in names
    for h in hits:
        for d in h.get("duplicates", []):
            assert Path(d["path"]).name.startswith("reprint")


def test_timeline_counts_matches_per_period(story_index):
    idx, _ = story_index
    res = run("timeline", "springboard", "--by", "day", "--json", index=idx)
    tl = json.loads(res.output)
    assert tl["by"] == "day"
    assert [(b["period"], b["count"]) for b in tl["buckets"]] == [
        ("2022-02-01", 1), ("2022-02-02", 1), ("2022-02-03", 1), ("2022-02-04", 1)]
    res = run("timeline", "springboard", "--by", "month", "--by-source", "--json", index=idx)
    tl = json.loads(res.output)
    assert tl["buckets"][0]["count"] == 4
    assert sum(tl["buckets"][0]["sources"].values()) == 4
    res = run("timeline", "Galkins", "--json", index=idx)
    assert json.loads(res.output)["undated"] == 1


def test_timeline_draws_bars_on_the_terminal(story_index):
    idx, _ = story_index
    res = run("timeline", "said", "--by", "year", index=idx)
    assert res.exit_code == 0
    assert "2019" in res.output and "2020" in res.output and "█" in res.output
    assert run("timeline", "zzzqqq", index=idx).exit_code == 1
