"""The jobs of a run: a big .jsonl or .json list file is read and hashed in the parent and
cut into chunks that all workers parse; every other file is one job."""

from __future__ import annotations

import json
from collections.abc import Iterator

from ..discover import COMPRESSED_SUFFIX, FileInfo, article_suffix
from ..errors import SkipFile
from ..readers import read_bytes
from .jobs import Job, _Chunk, _Outcome
from .parse import _digest

# A .jsonl file larger than SPLIT_BYTES is cut at line ends into CHUNK_BYTES pieces that all
# workers parse (one 5,000-record file took one core 53 s; the progress bar did not move).
CHUNK_BYTES = 512 * 1024
SPLIT_BYTES = 2 * CHUNK_BYTES


def _splittable(info: FileInfo) -> bool:
    # A .jsonl.gz is read first: its size on disk says little about its size unpacked.
    return article_suffix(info.path) in (".jsonl", ".json") and (
        info.size > SPLIT_BYTES or info.path.lower().endswith(COMPRESSED_SUFFIX))


def _any_split(todo: list[tuple[FileInfo, str | None, int]]) -> bool:
    return any(_splittable(info) for info, _, _ in todo)


def _json_list(data: bytes) -> list | None:
    """The records of a .json file that holds a list of them (bare, or in a container
    such as {"articles": [...]}, as readers.py reads it); None when it holds no list or
    does not parse (then a worker parses it whole and gives the reason)."""
    from ..decode import decode_bytes
    from ..readers import BODY_KEYS, CONTAINER_KEYS, TITLE_KEYS

    try:
        data_ = json.loads(decode_bytes(data))
    except (ValueError, RecursionError, SkipFile):
        return None
    if isinstance(data_, dict) and not any(k in data_ for k in TITLE_KEYS + BODY_KEYS):
        data_ = next((data_[k] for k in CONTAINER_KEYS if isinstance(data_.get(k), list)),
                     data_)
    return data_ if isinstance(data_, list) and len(data_) > 1 else None


def _record_chunks(info: FileInfo, digest: str, data: bytes, records: list
                   ) -> Iterator[_Chunk]:
    # Runs of about CHUNK_BYTES of the file each (json.loads in the parent is fast C;
    # normalising the records is the slow part that the workers share).
    per = max(1, CHUNK_BYTES * len(records) // max(1, len(data)))
    starts = range(0, len(records), per)
    for i, start in enumerate(starts):
        yield _Chunk(info, digest, i, len(starts), start, b"", records[start:start + per])


def _expand(todo: list[tuple[FileInfo, str | None, int]]) -> Iterator[Job]:
    """The jobs for `todo`: a big .jsonl file becomes its chunks (read and hashed here)."""
    for job in todo:
        info, old_digest, max_bytes = job
        if not _splittable(info):
            yield job
            continue
        try:
            data = read_bytes(info.path, max_bytes)
        except SkipFile as e:
            yield _Outcome(info, skip=str(e))
            continue
        digest = _digest(data)
        if digest == old_digest:
            yield _Outcome(info, digest, same_content=True)
        elif article_suffix(info.path) == ".json":
            records = _json_list(data)
            if records is None:
                yield job
            else:
                yield from _record_chunks(info, digest, data, records)
        elif data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:8192]:
            yield job  # UTF-16 (or binary): a line end is not one byte, parse it whole
        else:
            yield from _chunks(info, digest, data)


def _lines_in(data: bytes, start: int, stop: int) -> int:
    # As clean_text counts them: \r\n, \n and a lone \r each end a line.
    return (data.count(b"\n", start, stop) + data.count(b"\r", start, stop)
            - data.count(b"\r\n", start, stop))


def _chunks(info: FileInfo, digest: str, data: bytes) -> Iterator[_Chunk]:
    starts = [0]
    while True:
        end = data.find(b"\n", starts[-1] + CHUNK_BYTES)
        if end < 0 or end + 1 >= len(data):
            break
        starts.append(end + 1)
    line = 1
    for i, start in enumerate(starts):
        stop = starts[i + 1] if i + 1 < len(starts) else len(data)
        yield _Chunk(info, digest, i, len(starts), line, data[start:stop])
        line += _lines_in(data, start, stop)
