"""Indexing through the CLI: summaries, incremental runs, bad input."""

from __future__ import annotations

import json
import os

from .conftest import jsonl, run


def _index(folder, idx, *extra):
    res = run("index", "--json", *extra, str(folder), index=idx)
    assert res.exit_code == 0, res.output
    return json.loads(res.output)


def test_summary_json_has_the_spec_fields(seeds_copy, tmp_path):
    s = _index(seeds_copy, tmp_path / "idx")
    assert {"indexed", "updated", "unchanged", "removed", "skipped", "seconds"} <= set(s)
    assert s["indexed"] == 2 and s["skipped"] == []


def test_second_run_only_rereads_changes_and_drops_deleted_files(seeds_copy, tmp_path):
    idx = tmp_path / "idx"
    _index(seeds_copy, idx)
    s = _index(seeds_copy, idx)
    assert (s["indexed"], s["updated"], s["unchanged"], s["removed"]) == (0, 0, 2, 0)

    f = seeds_copy / "000_2af2d4676b6d9f59.txt"
    f.write_text(f.read_text(encoding="utf-8") + "\nZanzibarword appended later.\n",
                 encoding="utf-8")
    (seeds_copy / "new.txt").write_text("A new headline\n\nBody about Quokkas.\n")
    (seeds_copy / "004_15117f6641672c6c.txt").unlink()
    s = _index(seeds_copy, idx)
    assert (s["indexed"], s["updated"], s["unchanged"], s["removed"]) == (1, 1, 0, 1)
    assert run("search", "Zanzibarword", "-l", index=idx).output.split() == [str(f)]
    assert run("search", "quokka", "-c", index=idx).output.strip() == "1"
    assert run("search", "Galkins", index=idx).exit_code == 1

    # Touching a file without changing it does not re-parse it.
    os.utime(f, None)
    s = _index(seeds_copy, idx)
    assert (s["updated"], s["unchanged"]) == (0, 2)


def test_index_only_touches_the_paths_it_is_given(seeds_copy, tmp_path):
    idx = tmp_path / "idx"
    other = tmp_path / "other"
    other.mkdir()
    (other / "a.txt").write_text("Other folder\n\nLemurs everywhere.\n")
    _index(seeds_copy, idx)
    s = _index(other, idx)
    assert s["removed"] == 0
    assert run("search", "troops", "-c", index=idx).output.strip() == "2"


def test_full_rereads_everything(seeds_copy, tmp_path):
    idx = tmp_path / "idx"
    _index(seeds_copy, idx)
    s = _index(seeds_copy, idx, "--full")
    assert s["updated"] == 2
    assert run("search", "troops", "-c", index=idx).output.strip() == "2"


def test_bad_files_are_skipped_with_reasons_and_the_rest_is_indexed(seeds_copy, tmp_path):
    (seeds_copy / "empty.txt").write_bytes(b"")
    (seeds_copy / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (seeds_copy / "broken.json").write_text("{not json")
    (seeds_copy / "big.txt").write_text("Big\n\n" + "word " * 300_000)
    (seeds_copy / ".hidden.txt").write_text("Hidden\n\nSecretword\n")
    (seeds_copy / "notes.pdf").write_bytes(b"%PDF-1.4")
    locked = seeds_copy / "locked.txt"
    locked.write_text("Locked\n\nbody\n")
    locked.chmod(0)
    s = _index(seeds_copy, tmp_path / "idx", "--max-size", "1")
    reasons = {os.path.basename(x["path"]): x["reason"] for x in s["skipped"]}
    assert s["indexed"] == (3 if os.geteuid() == 0 else 2)  # root can read locked.txt
    assert "empty" in reasons["empty.txt"]
    assert "binary" in reasons["binary.txt"]
    assert "JSON" in reasons["broken.json"]
    assert "too large" in reasons["big.txt"]
    if os.geteuid() != 0:  # root reads anything
        assert "permission" in reasons["locked.txt"]
    assert ".hidden.txt" not in reasons and "notes.pdf" not in reasons
    assert run("search", "Secretword", index=tmp_path / "idx").exit_code == 1


def test_missing_path_is_an_error(tmp_path):
    res = run("index", str(tmp_path / "nope"), index=tmp_path / "idx")
    assert res.exit_code == 2


def test_legacy_encodings_are_decoded(tmp_path):
    folder = tmp_path / "enc"
    folder.mkdir()
    (folder / "ru.txt").write_bytes("Заголовок статьи\n\nМосква объявила бюджет.\n"
                                    .encode("cp1251"))
    (folder / "lt.txt").write_bytes("Antraštė\n\nVilniuje Anušauskas kalbėjo apie kariuomenę.\n"
                                    .encode("cp1257"))
    (folder / "de.txt").write_bytes("Überschrift\n\nDie Bürger in Köln wählten.\n"
                                    .encode("latin-1"))
    (folder / "u16.txt").write_bytes("Title sixteen\n\nWombats dig tunnels.\n".encode("utf-16"))
    (folder / "bom.txt").write_bytes(b"\xef\xbb\xbfBOM title\r\n\r\nEchidnas too.\r\n")
    idx = tmp_path / "idx"
    s = _index(folder, idx)
    assert s["indexed"] == 5 and not s["skipped"]
    for word in ("москва", "Anušauskas", "Köln", "wombat", "echidna"):
        assert run("search", word, "-c", index=idx).output.strip() == "1", word
    rec = jsonl(run("show", str(folder / "bom.txt"), "--json", index=idx).output)[0]
    assert rec["title"] == "BOM title" and "\r" not in rec["body"]


def test_article_text_never_drives_the_terminal(tmp_path):
    folder = tmp_path / "evil"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "[bold red]Markup[/bold red] title \x1b[31mred\x1b[0m\n\n"
        "Body with [link=http://x]a link[/link] and \x1b]0;pwned\x07 escapes about pangolins.\n")
    idx = tmp_path / "idx"
    _index(folder, idx)
    res = run("search", "pangolins", "--color", "always", index=idx, env={"NO_COLOR": ""})
    assert "[bold red]Markup[/bold red]" in res.output
    assert "[link=http://x]a link[/link]" in res.output
    assert "\x1b]0;" not in res.output and "pwned" not in res.output
    rec = jsonl(run("search", "pangolins", "--json", index=idx).output)[0]
    assert "\x1b" not in rec["title"] and "red" in rec["title"]


def test_an_index_from_another_version_is_refused_with_a_clear_message(seeds_copy, tmp_path):
    idx = tmp_path / "idx"
    _index(seeds_copy, idx)
    (idx / "newsgrep-format").write_text("0\n")
    res = run("search", "troops", index=idx)
    assert res.exit_code == 2
    assert "made by another version of newsgrep" in res.output
    assert "delete that folder" in res.output


def test_an_empty_index_answers_every_command(tmp_path):
    empty = tmp_path / "nothing"
    empty.mkdir()
    idx = tmp_path / "idx"
    assert _index(empty, idx)["indexed"] == 0
    st = jsonl(run("stats", "--json", index=idx).output)[0]
    assert st["articles"] == 0 and st["first_date"] is None
    assert jsonl(run("sources", "--json", index=idx).output)[0] == []
    assert run("timeline", "troops", index=idx).exit_code == 1
    assert run("search", "troops", index=idx).exit_code == 1


def test_files_read_by_an_older_newsgrep_are_read_again_once(seeds_copy, tmp_path,
                                                             monkeypatch):
    # An upgrade that reads the same bytes differently (a new title or date rule) must
    # reach the index without --full; unchanged files of the current version are not read.
    from newsgrep.ingest import parse

    index = tmp_path / "index"
    first = jsonl(run("index", "--json", str(seeds_copy), index=index).output)[0]
    assert first["indexed"] >= 2 and first["reread"] == 0
    before = jsonl(run("search", "troops", "--json", index=index).output)
    monkeypatch.setattr(parse, "READER_VERSION", "r-next")
    res = run("index", str(seeds_copy), index=index)
    assert res.exit_code == 0
    assert f"updated {first['indexed']}," in res.output
    assert f"{first['indexed']} unchanged files were read again" in res.stderr
    again = jsonl(run("index", "--json", str(seeds_copy), index=index).output)[0]
    assert again["unchanged"] == first["indexed"] and again["updated"] == again["reread"] == 0
    after = jsonl(run("search", "troops", "--json", index=index).output)
    assert [h["id"] for h in after] == [h["id"] for h in before]  # replaced, not doubled
