"""A big .jsonl file is parsed in chunks by all workers: the same records as a whole-file
parse, a moving progress bar, and the incremental bookkeeping of one file."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from newsgrep.engine import open_engine
from newsgrep.ingest import index_paths, parse, splitting

from .conftest import jsonl, run


def _records(n: int) -> list[str]:
    lines = []
    for i in range(n):
        lines.append(json.dumps({
            "title": f"Story number {i} about harbour cranes",
            "date": f"2021-03-{1 + i % 28:02d}",
            "source": ["Harbour Times", "Port Daily"][i % 2],
            "text": f"Dockworkers in city {i} unloaded {i * 7} containers. " * 5,
        }, ensure_ascii=False))
        if i % 37 == 5:
            lines.append("{not json at all")  # a broken line costs only itself
        if i % 53 == 0:
            lines.append("")
    return lines


@pytest.fixture()
def big_file(tmp_path, monkeypatch) -> Path:
    monkeypatch.setattr(splitting, "CHUNK_BYTES", 4096)
    monkeypatch.setattr(splitting, "SPLIT_BYTES", 8192)
    path = tmp_path / "in" / "archive.jsonl"
    path.parent.mkdir()
    path.write_text("\n".join(_records(400)) + "\n", encoding="utf-8")
    assert path.stat().st_size > 20 * splitting.CHUNK_BYTES
    return path


def _ids_and_titles(index: Path) -> dict[str, str]:
    ix = open_engine(index).ix
    with ix.searcher() as s:
        return {f["id"]: f["title"] for f in s.all_stored_fields()}


def test_chunks_give_the_records_of_a_whole_file_parse(big_file, tmp_path, monkeypatch):
    calls: list[tuple[float, int]] = []
    split = index_paths([big_file], tmp_path / "split", jobs=2,
                        progress=lambda d, t, a: calls.append((d, t)))
    assert split.indexed == 1 and not split.skipped
    # Fractions of the one file while its chunks come in, then the whole file.
    assert any(0 < d < 1 for d, _ in calls) and calls[-1] == (1, 1)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)

    monkeypatch.setattr(splitting, "SPLIT_BYTES", 10**9)  # the same file, parsed whole
    whole = index_paths([big_file], tmp_path / "whole", jobs=1)
    assert whole.indexed == 1
    got = _ids_and_titles(tmp_path / "split")
    assert len(got) == 400 and got == _ids_and_titles(tmp_path / "whole")


def test_a_split_file_is_incremental_like_any_other(big_file, tmp_path):
    index = tmp_path / "index"
    index_paths([big_file], index, jobs=2)
    again = index_paths([big_file], index, jobs=2)
    assert again.unchanged == 1 and again.indexed == again.updated == 0

    big_file.write_text("\n".join(_records(300)) + "\n", encoding="utf-8")
    changed = index_paths([big_file], index, jobs=2)
    assert changed.updated == 1
    assert len(_ids_and_titles(index)) == 300  # the old file's 400 records are gone

    res = run("search", "harbour", "--source", "Port Daily", "-c", index=index)
    assert res.exit_code == 0 and int(res.output) == 150


def test_a_big_file_without_records_is_skipped_and_its_old_records_go(big_file, tmp_path):
    index = tmp_path / "index"
    index_paths([big_file], index, jobs=2)
    big_file.write_text("{broken\n" * 5000, encoding="utf-8")
    summary = index_paths([big_file], index, jobs=2)
    assert [s["reason"] for s in summary.skipped] == ["no valid JSON records"]
    assert _ids_and_titles(index) == {}


def test_cli_json_summary_for_a_split_file(big_file, tmp_path):
    res = run("index", "--json", str(big_file.parent), index=tmp_path / "index")
    assert res.exit_code == 0
    summary = jsonl(res.output)[0]
    assert summary["indexed"] == 1 and summary["skipped"] == []


def _split_and_whole(path: Path, tmp_path: Path, monkeypatch) -> tuple[dict, dict]:
    split = index_paths([path], tmp_path / "split", jobs=2)
    monkeypatch.setattr(splitting, "SPLIT_BYTES", 10**9)
    monkeypatch.setattr(splitting, "_splittable", lambda info: False)
    whole = index_paths([path], tmp_path / "whole", jobs=1)
    assert split.indexed == whole.indexed == 1
    return _ids_and_titles(tmp_path / "split"), _ids_and_titles(tmp_path / "whole")


@pytest.mark.parametrize("damage", ["crlf", "cr-cr-lf", "lone-cr", "nul", "ansi"])
def test_odd_bytes_give_the_records_of_a_whole_file_parse(big_file, tmp_path, monkeypatch,
                                                          damage):
    lines = _records(400)
    if damage == "crlf":
        data = "\r\n".join(lines).encode()
    elif damage == "cr-cr-lf":  # a lone \r ends a line too, as clean_text reads it
        data = "\r\r\n".join(lines).encode()
    elif damage == "lone-cr":
        lines[3] += "\r"
        data = "\n".join(lines).encode()
    elif damage == "nul":  # past the file's start: only the byte is dropped, not a chunk
        lines[250] = lines[250].replace("containers", "contai\x00ners")
        data = "\n".join(lines).encode()
    else:  # an unterminated OSC escape must not swallow the rest of the file
        lines[10] = lines[10].replace("Dockworkers", "\x1b]Dockworkers")
        data = "\n".join(lines).encode()
    big_file.write_bytes(data)
    split, whole = _split_and_whole(big_file, tmp_path, monkeypatch)
    # The escape takes the rest of its own line (a raw ESC is not valid JSON anyway).
    assert len(whole) == (399 if damage == "ansi" else 400) and split == whole


def test_a_big_jsonl_gz_is_split_after_unpacking(big_file, tmp_path, monkeypatch):
    packed = big_file.with_suffix(".jsonl.gz")
    packed.write_bytes(gzip.compress(big_file.read_bytes()))
    big_file.unlink()
    assert packed.stat().st_size < splitting.SPLIT_BYTES  # only its unpacked size is big
    chunks: list[tuple[int, int]] = []
    real = parse._process_chunk
    monkeypatch.setattr(parse, "_process_chunk",
                        lambda c: chunks.append((c.index, c.count)) or real(c))
    index_paths([packed], tmp_path / "split", jobs=1)
    assert len(chunks) > 10
    monkeypatch.setattr(parse, "_process_chunk", real)
    split, whole = _split_and_whole(packed, tmp_path / "again", monkeypatch)
    assert len(whole) == 400 and split == whole


@pytest.mark.parametrize("container", [False, True])
def test_a_big_json_list_is_split_across_workers_like_jsonl(big_file, tmp_path, monkeypatch,
                                                            container):
    # One .json list of records was parsed on one core; its records are now shared out.
    records = [json.loads(line) for line in _records(400) if line.startswith('{"')]
    records.insert(7, {"no": "text"})  # not an article: skipped, as in a whole-file parse
    doc = {"articles": records} if container else records
    path = big_file.with_suffix(".json")
    path.write_text(json.dumps(doc, indent=1), encoding="utf-8")
    big_file.unlink()
    chunks: list[tuple[int, int]] = []
    real = parse._process_chunk
    monkeypatch.setattr(parse, "_process_chunk",
                        lambda c: chunks.append((c.index, c.count)) or real(c))
    index_paths([path], tmp_path / "probe", jobs=1)
    assert len(chunks) > 10
    monkeypatch.setattr(parse, "_process_chunk", real)
    split, whole = _split_and_whole(path, tmp_path, monkeypatch)
    assert len(whole) == 400 and split == whole
