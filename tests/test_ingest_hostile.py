"""Hostile files through `newsgrep index` (issue 11): names that are not UTF-8, lone
surrogates in JSON, FIFOs and devices, absurdly nested JSON lines, stray bytes in a page
declared UTF-8. Each ends as indexed articles or a skipped file with its reason."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsgrep.decode import clean_text, decode_bytes
from newsgrep.discover import NOT_REGULAR, NOT_UTF8, NOT_UTF8_FOLDER
from newsgrep.normalize import normalize
from newsgrep.readers import parse_bytes

from .conftest import jsonl, run

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "hostile"
BODY = "The city council met on Tuesday to discuss the new budget for schools and roads."


def _article(folder: Path, name: str | bytes, title: str) -> None:
    path = os.path.join(os.fsencode(folder), os.fsencode(name))
    with open(path, "wb") as fh:
        fh.write(f"{title}\n\n{BODY}\n".encode())


def _index(folder: Path, index: Path, *extra: str) -> dict:
    res = run("index", "--json", *extra, str(folder), index=index)
    assert res.exit_code == 0, res.output
    return json.loads(res.output)


def _reasons(summary: dict) -> dict[str, str]:
    return {os.path.basename(s["path"]): s["reason"] for s in summary["skipped"]}


# ---------------------------------------------------------------- 1. non-UTF-8 names


def test_name_not_utf8_is_skipped_and_the_run_goes_on(tmp_path):
    folder = tmp_path / "d"
    folder.mkdir()
    _article(folder, b"bad\xff\xfe.txt", "Badly named article")
    _article(folder, "good.txt", "Good article")
    os.mkdir(os.path.join(os.fsencode(folder), b"dir\xff"))
    _article(Path(os.fsdecode(os.path.join(os.fsencode(folder), b"dir\xff"))), "in.txt", "Inside")
    idx = tmp_path / "idx"
    summary = _index(folder, idx)
    assert summary["indexed"] == 1
    assert _reasons(summary) == {"bad\\xff\\xfe.txt": NOT_UTF8, "dir\\xff": NOT_UTF8_FOLDER}
    hits = jsonl(run("search", "--json", "council", index=idx).output)
    assert [h["title"] for h in hits] == ["Good article"]
    # Plain output too: the skipped path is printable (no surrogates reach the terminal).
    res = run("index", "-v", str(folder), index=idx)
    assert res.exit_code == 0 and "bad\\xff\\xfe.txt" in res.output


def test_name_not_utf8_given_on_the_command_line(tmp_path):
    folder = tmp_path / "d"
    folder.mkdir()
    _article(folder, b"bad\xff.txt", "Badly named article")
    _article(folder, "good.txt", "Good article")
    bad = os.fsdecode(os.path.join(os.fsencode(folder), b"bad\xff.txt"))
    res = run("index", "--json", bad, str(folder / "good.txt"), index=tmp_path / "idx")
    assert res.exit_code == 0, res.output
    summary = json.loads(res.output)
    assert summary["indexed"] == 1 and _reasons(summary) == {"bad\\xff.txt": NOT_UTF8}


# ---------------------------------------------------------------- 2. lone surrogates


def test_lone_surrogates_in_every_json_field(tmp_path):
    folder = tmp_path / "d"
    folder.mkdir()
    # json.dumps writes the lone surrogate as the escape "\ud83d", as a scraper would.
    recs = [
        {"title": "Source with a half emoji", "text": BODY, "source": "src\ud83d"},
        {"title": "Title \udcff half", "text": BODY + " \ud83d", "url": "https://x.example/\ud800"},
        {"title": "Date field", "text": BODY, "date": "2022-02-01\udfff", "lang": "e\ud83dn"},
        {"title": "Paired emoji stays 😀", "text": BODY, "source": "ok"},
    ]
    (folder / "recs.jsonl").write_text("\n".join(json.dumps(r) for r in recs) + "\n")
    (folder / "one.json").write_text(json.dumps({"headline": "\ud83d", "body": "Body \ud83d x"}))
    idx = tmp_path / "idx"
    summary = _index(folder, idx)
    assert summary["skipped"] == [] and summary["indexed"] == 2
    hits = jsonl(run("search", "--json", "council", index=idx).output)
    by_title = {h["title"]: h for h in hits}
    assert set(by_title) == {"Source with a half emoji", "Title half", "Date field",
                             "Paired emoji stays 😀"}
    assert by_title["Source with a half emoji"]["source"] == "src"
    assert by_title["Date field"]["date"] == "2022-02-01"
    [one] = jsonl(run("search", "--json", "body", index=idx).output)
    assert one["path"].endswith("one.json") and "\ud83d" not in json.dumps(one)


def test_clean_text_removes_surrogates_only():
    assert clean_text("a\ud83db\udcffc\ud800") == "abc"
    assert clean_text("😀 ok") == "😀 ok"


# ---------------------------------------------------------------- 5. not regular files


def test_fifo_and_device_symlink_are_skipped_without_opening(tmp_path):
    folder = tmp_path / "d"
    folder.mkdir()
    _article(folder, "good.txt", "Good article")
    os.mkfifo(folder / "x.txt")
    (folder / "z.txt").symlink_to("/dev/zero")
    idx = tmp_path / "idx"
    # A real process: if the FIFO were opened, the run would hang (the timeout only guards
    # the test suite; the assertions are on the outcome).
    # Paths given on the command line are resolved before discovery: z.txt is /dev/zero.
    for args, names in (([str(folder)], ("x.txt", "z.txt")),
                        ([str(folder / "x.txt"), str(folder / "z.txt")], ("x.txt", "zero"))):
        proc = subprocess.run(
            [sys.executable, "-m", "newsgrep", "--index", str(idx), "index", "--json", *args],
            capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
        summary = json.loads(proc.stdout)
        assert _reasons(summary) == dict.fromkeys(names, NOT_REGULAR)
        assert proc.stderr == ""


def test_read_bytes_refuses_a_fifo(tmp_path):
    from newsgrep.errors import SkipFile
    from newsgrep.readers import read_bytes

    os.mkfifo(tmp_path / "late.txt")  # became a FIFO after discovery saw a file
    with pytest.raises(SkipFile, match=NOT_REGULAR):
        read_bytes(str(tmp_path / "late.txt"))


# ---------------------------------------------------------------- 12. nested .jsonl line


def test_deeply_nested_jsonl_line_is_warned_not_dropped_silently(tmp_path):
    folder = tmp_path / "d"
    folder.mkdir()
    deep = "[" * 100_000 + "]" * 100_000
    good = json.dumps({"title": "Good record", "text": BODY})
    (folder / "recs.jsonl").write_text(f"{good}\n{deep}\n{good}\n")
    summary = _index(folder, tmp_path / "idx")
    assert summary["indexed"] == 1 and summary["skipped"] == []
    [warning] = summary["warnings"]
    assert "1 line dropped" in warning["reason"] and "line 2" in warning["reason"]
    assert "nested too deep" in warning["reason"]


def test_jsonl_of_bad_lines_only_names_the_first(tmp_path):
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "bad.jsonl").write_text('{"title": \n[1, 2]\n')
    summary = _index(folder, tmp_path / "idx")
    [reason] = _reasons(summary).values()
    assert reason.startswith("no valid JSON records (2 bad lines; line 1: invalid JSON")


# ---------------------------------------------------------------- 14. declared charset


def test_declared_utf8_with_stray_bytes_keeps_utf8():
    data = (FIXTURES / "ru_utf8_stray_bytes.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the fixture really has stray bytes
    text = decode_bytes(data)
    assert "Новости дня" in text and text.count("\ufffd") == 2
    [raw] = parse_bytes("/x/ru_utf8_stray_bytes.html", data)
    art = normalize(raw)
    assert art.title == "Городской совет утвердил бюджет"
    assert "Депутаты обсудили" in art.body


@pytest.mark.parametrize("declaration", [
    b'<meta charset="utf-8">',
    b'<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">',
    b'<?xml version="1.0" encoding="utf-8"?>',
])
def test_every_declaration_form_is_trusted(declaration):
    body = "Депутаты обсудили бюджет школ и дорог на следующий год. " * 4
    page = (b"<html><head>" + declaration + b"<title>T</title></head><body><p>"
            + body.encode() + b"\x96</p></body></html>")
    if declaration.startswith(b"<?xml"):
        page = declaration + page.replace(declaration, b"")
    assert body.strip() in decode_bytes(page)


def test_wrong_declaration_falls_back_to_detection():
    body = "Депутаты обсудили бюджет школ и дорог на следующий год. " * 4
    page = (b'<html><head><meta charset="utf-8"></head><body><p>' + body.encode("cp1251")
            + b"</p></body></html>")
    assert body.strip() in decode_bytes(page)  # cp1251 throughout: the declaration lies


# ---------------------------------------------------------------- 11. packaging


def test_html_cleaner_is_a_direct_dependency():
    # pip 23.2 skips lxml's `html_clean` extra (the wheel spells it `html-clean`), and then
    # every .html file failed with an ImportError; the package is named directly instead.
    import tomllib

    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    deps = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"]
    assert any(d.replace("-", "_").lower().startswith("lxml_html_clean") for d in deps)
    assert not any("[html" in d for d in deps)
    import lxml_html_clean  # noqa: F401  - what justext imports through lxml.html.clean
