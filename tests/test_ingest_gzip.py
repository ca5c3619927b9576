"""Gzipped article files (`page.html.gz`, `dump.jsonl.gz`, as scrapers store them) are
read through; broken or oversized archives are skipped with a reason."""

from __future__ import annotations

import gzip
import json

from newsgrep.discover import article_suffix

from .conftest import SEED_000, jsonl, run


def test_article_suffix_sees_through_gzip():
    assert article_suffix("/a/Page.HTML.gz") == ".html"
    assert article_suffix("dump.jsonl.gz") == ".jsonl"
    assert article_suffix("backup.tar.gz") == ".tar"
    assert article_suffix("notes.txt") == ".txt"


def test_gzipped_articles_are_indexed_and_found(tmp_path):
    folder = tmp_path / "scraped"
    folder.mkdir()
    (folder / "seed.txt.gz").write_bytes(gzip.compress(SEED_000.read_bytes()))
    page = ("<html><head><title>Harbour cranes idle</title>"
            '<meta property="og:site_name" content="Port Daily"></head><body><article>'
            "<h1>Harbour cranes idle</h1><p>" + "The dockers' strike left the cranes idle. " * 10
            + "</p></article></body></html>")
    (folder / "page.html.gz").write_bytes(gzip.compress(page.encode()))
    records = "\n".join(json.dumps({"title": f"Ferry timetable {i}", "text": "Ferries run late."})
                        for i in range(3))
    (folder / "dump.jsonl.gz").write_bytes(gzip.compress(records.encode()))
    (folder / "backup.tar.gz").write_bytes(gzip.compress(b"not an article"))
    index = tmp_path / "index"
    res = run("index", "--json", str(folder), index=index)
    summary = jsonl(res.output)[0]
    assert summary["indexed"] == 3 and summary["skipped"] == []  # the .tar.gz is not looked at

    hits = jsonl(run("search", "troops", "--json", index=index).output)
    assert [h["date"] for h in hits] == ["2022-02-01"]
    assert hits[0]["path"].endswith("seed.txt.gz") and hits[0]["source"] == "BalticWord.com"
    hits = jsonl(run("search", "cranes", "--json", index=index).output)
    assert [(h["title"], h["source"]) for h in hits] == [("Harbour cranes idle", "Port Daily")]
    assert run("search", "ferries", "-c", index=index).output.strip() == "3"


def test_broken_and_oversized_archives_are_skipped_with_a_reason(tmp_path):
    folder = tmp_path / "scraped"
    folder.mkdir()
    (folder / "truncated.html.gz").write_bytes(gzip.compress(b"<html>" * 1000)[:40])
    (folder / "plain.txt.gz").write_bytes(b"this was never gzipped")
    # 3 MB of text in a ~3 KB archive: over a 1 MB limit once uncompressed.
    (folder / "bomb.txt.gz").write_bytes(gzip.compress(b"Title\n\n" + b"a " * 1_500_000))
    (folder / "ok.txt").write_text("Fine title\n\nFine body text.\n", encoding="utf-8")
    res = run("index", "--json", "--max-size", "1", str(folder), index=tmp_path / "index")
    summary = jsonl(res.output)[0]
    reasons = {s["path"].rsplit("/", 1)[-1]: s["reason"] for s in summary["skipped"]}
    assert summary["indexed"] == 1
    assert reasons["truncated.html.gz"].startswith("cannot decompress")
    assert reasons["plain.txt.gz"].startswith("cannot decompress")
    assert reasons["bomb.txt.gz"].startswith("too large uncompressed")


def test_an_explicit_unsupported_archive_names_its_inner_type(tmp_path):
    f = tmp_path / "notes.pdf.gz"
    f.write_bytes(gzip.compress(b"%PDF-1.4"))
    summary = jsonl(run("index", "--json", str(f), index=tmp_path / "index").output)[0]
    assert [s["reason"] for s in summary["skipped"]] == ["unsupported file type .pdf.gz"]
