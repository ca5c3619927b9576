"""The index folder: opening or creating it, the format version and identity files, the
checksums of every committed file, verification and clean-up after a failed write.

Layout of an index folder: Whoosh's own files, plus `manifest.db` (see manifest.py),
which is engine-independent, and the newsgrep-* files below.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from pathlib import Path

from whoosh import index

from ...errors import IndexDamaged, NewsgrepError
from .schema import (
    FORMAT_FILE,
    FORMAT_VERSION,
    IDENTITY_FILE,
    INDEX_NAME,
    make_schema,
    open_dir,
)

# Size and hash of every file of the committed index. Whoosh has no checksums of its
# own: 64 flipped bytes in a .trm or .pst were read back as wrong results, silently.
# Segment files never change once written, so each is hashed once, after its commit.
SUMS_FILE = "newsgrep-sums.json"


def open_index(path: Path, create: bool = False) -> index.Index:
    """The Whoosh index in `path`; with create=True make it if it does not exist."""
    if _has_toc(path):
        check_format(path)
        if not create:  # a few stat calls: a file missing or cut short is named at once
            problems = quick_problems(path)
            if problems:
                raise IndexDamaged(path, problems[0])
        return open_dir(path)
    if has_index(path) and not create:
        raise IndexDamaged(path, "its table of contents (_MAIN_*.toc) is missing")
    if create:
        try:
            path.mkdir(parents=True, exist_ok=True)
            _remove_unlisted(path)
            ix = index.create_in(str(path), make_schema(), indexname=INDEX_NAME)
            (path / FORMAT_FILE).write_text(f"{FORMAT_VERSION}\n")
            (path / IDENTITY_FILE).write_text(uuid.uuid4().hex + "\n")
            record_sums(ix, path)
            return ix
        except OSError as e:
            raise NewsgrepError(f"cannot create index at {path}: {e.strerror}") from None
    raise NewsgrepError(
        f"no index at {path}: run 'newsgrep index FOLDER' first "
        "(or pass --index / set NEWSGREP_INDEX)"
    )


def _remove_unlisted(path: Path) -> None:
    """Segment files without a table of contents to list them cannot be read again:
    remove them (and their sums) before a new index is made in their place."""
    for name in os.listdir(path):
        if (name.startswith((f"{INDEX_NAME}_", f"_{INDEX_NAME}_"))
                and name != f"{INDEX_NAME}_WRITELOCK") or name == SUMS_FILE:
            try:
                os.unlink(path / name)
            except OSError:
                pass


def check_format(path: Path) -> None:
    """Postings and schema are newsgrep's own: an index from another version cannot be
    read correctly, so say so instead of failing deep inside Whoosh."""
    try:
        found = (path / FORMAT_FILE).read_bytes().decode("ascii").strip()
    except FileNotFoundError:
        raise IndexDamaged(path, f"{FORMAT_FILE} is missing") from None
    except OSError as e:
        raise IndexDamaged(path, f"{FORMAT_FILE} cannot be read ({e.strerror})") from None
    except UnicodeDecodeError:
        found = ""
    if not found.isdigit():
        raise IndexDamaged(path, f"{FORMAT_FILE} is unreadable")
    if found != str(FORMAT_VERSION):
        raise NewsgrepError(
            f"the index at {path} was made by another version of newsgrep (format "
            f"{found}, this one reads {FORMAT_VERSION}): delete that folder and run "
            "'newsgrep index' again")


# -- integrity: identity, checksums, verification, clean-up --------------------------
def identity(path: Path) -> str | None:
    """The id written when the index in `path` was created (None for an index made
    before newsgrep wrote one, or when it cannot be read)."""
    try:
        return (path / IDENTITY_FILE).read_text(encoding="ascii").strip() or None
    except (OSError, UnicodeDecodeError):
        return None


def _hash(file: Path) -> str:
    with open(file, "rb") as fh:
        return hashlib.file_digest(fh, "blake2b").hexdigest()[:32]


def _committed_files(ix: index.Index) -> list[str]:
    """The files the index's current table of contents needs: the TOC and its segments'."""
    storage = ix.storage
    names = [f"_{INDEX_NAME}_{ix.latest_generation()}.toc"]
    for seg in ix._segments():
        names.extend(seg.list_files(storage))
    return names


def record_sums(ix: index.Index, path: Path) -> None:
    """Write SUMS_FILE for the index as just committed (only new files are hashed)."""
    old = _read_sums(path) or {}
    sums = {}
    for name in _committed_files(ix):
        size = (path / name).stat().st_size
        prev = old.get(name)
        sums[name] = prev if prev and prev[0] == size else [size, _hash(path / name)]
    tmp = path / (SUMS_FILE + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(sums, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path / SUMS_FILE)


def _read_sums(path: Path) -> dict | None:
    try:
        data = json.loads((path / SUMS_FILE).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else None
    except (OSError, ValueError):
        return None


def has_index(path: Path) -> bool:
    """Whether `path` holds an index (readable or not): a table of contents or the
    segment files one would list."""
    try:
        return any(n.startswith((f"_{INDEX_NAME}_", f"{INDEX_NAME}_"))
                   and n != f"{INDEX_NAME}_WRITELOCK" for n in os.listdir(path))
    except OSError:
        return False


def _has_toc(path: Path) -> bool:
    try:
        return any(n.startswith(f"_{INDEX_NAME}_") and n.endswith(".toc")
                   for n in os.listdir(path))
    except OSError:
        return False


def quick_problems(path: Path) -> list[str]:
    """What a look at the folder shows, without reading the index: every file the
    recorded sums name is there with the size it was written with."""
    sums = _read_sums(path)
    if not sums:
        return []
    toc = _latest_toc(path)
    if toc is None:
        return ["its table of contents (_MAIN_*.toc) is missing"]
    if toc not in sums:
        return []  # a commit newer than the sums (e.g. a crash in between): no verdict
    problems = []
    for name, (size, _) in sums.items():
        try:
            have = (path / name).stat().st_size
        except OSError:
            problems.append(f"{name} is missing")
            continue
        if have != size:
            problems.append(f"{name} has {have:,} bytes, {size:,} were written")
    if problems and _latest_toc(path) != toc:
        return []  # an index run committed meanwhile and removed merged segments
    return problems


def _latest_toc(path: Path) -> str | None:
    gens = []
    try:
        for n in os.listdir(path):
            if n.startswith(f"_{INDEX_NAME}_") and n.endswith(".toc"):
                try:
                    gens.append(int(n[len(INDEX_NAME) + 2:-4]))
                except ValueError:
                    continue
    except OSError:
        return None
    return f"_{INDEX_NAME}_{max(gens)}.toc" if gens else None


def verify(path: Path, deep: bool = False) -> list[str]:
    """What is wrong with the index files in `path` (empty: nothing found).

    Checks that the table of contents and every segment file it names can be read,
    compares each file with the size and hash recorded when it was written, and with
    `deep` reads every stored record, column and posting list as a search would."""
    problems: list[str] = []
    try:
        check_format(path)
    except IndexDamaged as e:
        return [e.problem]
    except NewsgrepError as e:
        return [str(e)]
    problems = quick_problems(path)  # names the file, where Whoosh would fail to read it
    if problems:
        return problems
    try:
        ix = open_dir(path)
        names = _committed_files(ix)
        segids = {seg.segid for seg in ix._segments()}
    except Exception as e:  # noqa: BLE001 - whatever a damaged TOC raises is the finding
        return [f"its table of contents cannot be read ({_describe(e)})"]
    sums = _read_sums(path) or {}
    # Whoosh lists a segment's files by looking at the folder, so a deleted one is only
    # seen through the sums written with it.
    names += [n for n in sums if n not in names and _segid(n) in segids]
    unsummed = False
    for name in names:
        file = path / name
        if not file.exists():
            problems.append(f"{name} is missing")
            continue
        want = sums.get(name)
        if not want:
            unsummed = True
            continue
        size = file.stat().st_size
        if size != want[0]:
            problems.append(f"{name} has {size:,} bytes, {want[0]:,} were written")
        elif _hash(file) != want[1]:
            problems.append(f"{name} does not hold the bytes that were written (its "
                            "checksum differs)")
    if problems or not (deep or unsummed):
        return problems
    try:
        _read_everything(ix)
    except Exception as e:  # noqa: BLE001 - as above
        problems.append(f"a segment cannot be read ({_describe(e)})")
    return problems


def _segid(name: str) -> str | None:
    prefix = INDEX_NAME + "_"
    return name[len(prefix):].split(".", 1)[0] if name.startswith(prefix) else None


def _describe(e: BaseException) -> str:
    text = " ".join(str(e).split())[:120]
    return f"{type(e).__name__}: {text}" if text else type(e).__name__


def _read_everything(ix: index.Index) -> None:
    """Read every record, column and posting list of every segment."""
    from whoosh.reading import SegmentReader

    for seg in ix._segments():
        reader = SegmentReader(ix.storage, ix.schema, seg)
        try:
            for docnum in range(seg.doc_count_all()):
                reader.stored_fields(docnum)
            for name in ix.schema.names():
                if reader.has_column(name):
                    col = reader.column_reader(name, translate=False)
                    for docnum in range(seg.doc_count_all()):
                        col[docnum]
                if ix.schema[name].scorable:
                    for docnum in range(seg.doc_count_all()):
                        reader.doc_field_length(docnum, name)
            for fieldname, text in reader.all_terms():
                m = reader.postings(fieldname, text)
                for _ in m.all_ids():
                    pass
        finally:
            reader.close()


def clean_uncommitted(path: Path) -> None:
    """Remove what a failed write left in `path`: segment files that the current table
    of contents does not name, older TOCs, and Whoosh's temporary folders. (Whoosh
    removes them itself only at its next successful commit, which a full disk prevents.)"""
    try:
        ix = open_dir(path)
        keep = set(_committed_files(ix))
    except Exception:  # noqa: BLE001 - nothing committed we could tell apart: keep all
        return
    for entry in os.scandir(path):
        name = entry.name
        if entry.is_dir() and (name.endswith(".tmp") or name == "bulk-staging"):
            shutil.rmtree(entry.path, ignore_errors=True)
        elif (name.startswith((INDEX_NAME + "_", f"_{INDEX_NAME}_")) and name not in keep
              and name != f"{INDEX_NAME}_WRITELOCK" and entry.is_file()):
            try:
                os.unlink(entry.path)
            except OSError:
                pass
