"""Where an index's bytes go: per file kind, and for the term table and the postings per
field (terms, inlined lists, bytes), and the stored fields per stored key.

    python -m scripts.index_composition INDEX_DIR [--json]

Reads the committed segments only (the TOC's), with the same sequential term-table reader
the merges use. Hash slots and the key index of each term table are counted apart
("hash+index"), shared by all fields.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import sys
from collections import defaultdict

from whoosh.filedb.filestore import FileStorage

from newsgrep.engine.whoosh.merge import _term_entries, _term_table
from newsgrep.engine.whoosh.schema import INDEX_NAME, read_toc
from newsgrep.engine.whoosh.w3format import read_terminfo


def composition(index_dir: str) -> dict:
    """Bytes of `index_dir` per file kind, per field and per stored key (see above)."""
    storage = FileStorage(index_dir)
    toc = read_toc(storage, INDEX_NAME)
    kinds: dict[str, int] = defaultdict(int)
    total = 0
    for name in os.listdir(index_dir):
        path = os.path.join(index_dir, name)
        if os.path.isdir(path):
            for root, _, files in os.walk(path):
                for fname in files:
                    size = os.path.getsize(os.path.join(root, fname))
                    kinds["other"] += size
                    total += size
            continue
        size = os.path.getsize(path)
        total += size
        if name.startswith(INDEX_NAME + "_") and "." in name:
            ext = name.split(".", 1)[1]
            kind = {"trm": "term table (.trm)", "pst": "postings (.pst)",
                    "_stored.col": "stored fields (_stored.col)"}.get(ext)
            if kind is None:
                kind = "lengths (_*_len.col)" if ext.endswith("_len.col") else (
                    "columns (.col)" if ext.endswith(".col") else ext)
        elif name == "manifest.db":
            kind = "manifest.db"
        else:
            kind = "other"
        kinds[kind] += size
    fields: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    entries_bytes = 0
    trm_bytes = 0
    stored: dict[str, int] = defaultdict(int)
    stored_docs = 0
    for seg in toc.segments:
        trm, pst, start, end, unmap = _term_table(storage, seg)
        trm_bytes += os.path.getsize(trm)
        with open(trm, "rb", buffering=1 << 20) as tf:
            for fieldname, key, value in _term_entries(tf, start, end, unmap):
                fs = fields[fieldname]
                fs["terms"] += 1
                fs["entry_bytes"] += 8 + len(key) + len(value)
                fs["key_bytes"] += len(key)
                entries_bytes += 8 + len(key) + len(value)
                stats, inlined = read_terminfo(value)
                if inlined is not None:
                    fs["inlined"] += 1
                    if stats[1] == 1:
                        fs["df1"] += 1
                else:
                    fs["postings_bytes"] += stats[8]
                    fs["postings_lists"] += 1
        pdr = seg.codec().per_document_reader(storage, seg)
        try:
            for d in range(seg.doc_count_all()):
                sf = pdr.stored_fields(d)
                stored_docs += 1
                for k, v in sf.items():
                    # the key's and value's share of the pickled dict, roughly
                    stored[k] += len(pickle.dumps({k: v}, 3)) - len(pickle.dumps({}, 3))
        finally:
            pdr.close()
    return {"total": total, "kinds": dict(kinds),
            "segments": [(s.segment_id(), s.doc_count_all(), s.deleted_count())
                         for s in toc.segments],
            "fields": {k: dict(v) for k, v in fields.items()},
            "term_entries_bytes": entries_bytes,
            "term_hash_and_index_bytes": trm_bytes - entries_bytes,
            "stored_per_key": dict(stored), "stored_docs": stored_docs}


def report(c: dict, corpus_bytes: int | None) -> str:
    out = []
    total = c["total"]
    ratio = f" = {total / corpus_bytes:.2f}x the corpus" if corpus_bytes else ""
    out.append(f"index {total:,} B{ratio}; segments (id, docs, deleted): {c['segments']}")
    out.append("\n| file kind | bytes | share |\n|---|---:|---:|")
    for k, v in sorted(c["kinds"].items(), key=lambda kv: -kv[1]):
        out.append(f"| {k} | {v:,} | {100 * v / total:.1f} % |")
    out.append("\n| field | terms | inlined | df=1 | term entries B | B/term | "
               "posting lists | postings B |\n|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, f in sorted(c["fields"].items(), key=lambda kv: -kv[1]["entry_bytes"]):
        out.append(f"| {name} | {f['terms']:,} | {f.get('inlined', 0):,} | "
                   f"{f.get('df1', 0):,} | {f['entry_bytes']:,} | "
                   f"{f['entry_bytes'] / f['terms']:.1f} | {f.get('postings_lists', 0):,} | "
                   f"{f.get('postings_bytes', 0):,} |")
    out.append(f"| (hash slots + key index) | | | | "
               f"{c['term_hash_and_index_bytes']:,} | | | |")
    out.append("\n| stored key | bytes | B/doc |\n|---|---:|---:|")
    n = max(1, c["stored_docs"])
    for k, v in sorted(c["stored_per_key"].items(), key=lambda kv: -kv[1]):
        out.append(f"| {k} | {v:,} | {v / n:.1f} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("index_dir")
    ap.add_argument("--corpus-bytes", type=int)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    c = composition(args.index_dir)
    if args.json:
        json.dump(c, sys.stdout, indent=1)
    else:
        print(report(c, args.corpus_bytes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
