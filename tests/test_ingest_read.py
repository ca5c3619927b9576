"""read_bytes sizes its read from fstat: a file that grows between the fstat and the read
must still be read whole (up to the limit), as the read of max_bytes + 1 did."""

from __future__ import annotations

import os
import pickle

import pytest

from newsgrep import readers
from newsgrep.discover import FileInfo
from newsgrep.errors import SkipFile


@pytest.mark.parametrize("size", [0, 1, 4095, 4096, 65537, 300_000])
def test_reads_the_whole_file(tmp_path, size):
    p = tmp_path / "a.txt"
    data = os.urandom(size)
    p.write_bytes(data)
    assert readers.read_bytes(str(p)) == data


def _fstat_says(monkeypatch, size: int) -> None:
    """os.fstat reports `size` for regular files: the file 'grew' after the fstat."""
    real = os.fstat

    def fstat(fd):
        st = real(fd)
        return os.stat_result((*st[:6], size, *st[7:]))

    monkeypatch.setattr(readers.os, "fstat", fstat)


def test_a_file_that_grew_after_fstat_is_read_whole(tmp_path, monkeypatch):
    p = tmp_path / "a.txt"
    data = b"x" * 100_000
    p.write_bytes(data)
    _fstat_says(monkeypatch, 10)
    assert readers.read_bytes(str(p)) == data


def test_a_file_that_grew_past_the_limit_is_read_to_one_byte_more(tmp_path, monkeypatch):
    # One byte over the limit is what tells a caller the file is too large, as before.
    p = tmp_path / "a.txt"
    p.write_bytes(b"y" * 5_000)
    _fstat_says(monkeypatch, 10)
    assert readers.read_bytes(str(p), max_bytes=1_000) == b"y" * 1_001


def test_a_file_over_the_limit_is_skipped(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes(b"z" * 2_000)
    with pytest.raises(SkipFile, match="too large"):
        readers.read_bytes(str(p), max_bytes=1_000)


def test_file_info_is_slotted_and_pickles(tmp_path):
    info = FileInfo(str(tmp_path / "a.txt"), 12, 1_700_000_000_123_456_789)
    assert not hasattr(info, "__dict__")  # one per file to read, inherited by workers
    back = pickle.loads(pickle.dumps(info))
    assert back == info and hash(back) == hash(info)
