"""Benchmark newsgrep at archive scale against stock Whoosh (``make bench``).

Why this exists: the issue sets speed targets relative to plain Whoosh on the same files and
the same machine, so every figure here is measured in the same run as its baseline and
printed as a ratio to it. It is not used by newsgrep itself.

Corpus (built at run time in a temp folder, never in the repository; deleted afterwards
unless ``--keep``): the base pool is every article of the shared sets allsides-abp (5,000
JSONL bodies), bbc-zitros (2,095 ``.txt``), wikinews-en-2019-2020 (293), meduza-golunov-ru
(100) and fundus-multilingual (258 ``articles.jsonl`` bodies): 7,746 articles, ~40 MB. Each
size N is N files drawn round-robin over seeded permutations of the pool (so every base
article is used about N / 7,746 times), written in the seeds' shape::

    <title>
    <blank>
    <YYYY-MM-DD>
    <blank>
    <body>
    <blank>
    Source: [<Name>](https://<domain>/<yyyy>/<mm>/<slug>-<serial>)

Variation per file: a unique file name ``NNN/NNNNNN_<16 hex>.txt``; copies after the first of
a base article get a distinct title ("Update: ...", "Analysis: ...", then a number); the date
is uniform over 2015-01-01..2024-12-31; the source is one of 200 synthetic outlets (names
like "The Baltic Herald", domains like ``baltic-herald.com``; Zipf-like weights 1/rank^0.7);
the paragraphs are shuffled and ~3 % of the words are replaced by a variant (word + two
random letters, e.g. ``troops`` -> ``troopsqz``) so the vocabulary keeps growing with N.
Everything comes from one ``random.Random(--seed)`` stream, so a run is reproducible.

Measured per size (progress on stderr, tables on stdout, all figures in ``--out`` JSON):

1. full ingest: ``newsgrep --index DIR index --json CORPUS`` as a subprocess, against
   (a) "plain Whoosh defaults" (``plain_whoosh_index`` below, run in a subprocess of this
   script) and (b) the "read + tokenize floor" (``read_tokenize_floor``). Wall time is
   measured around each subprocess (so interpreter start-up is in all three). Peak RSS is
   polled from ``/proc`` (every 5 ms for the first 0.5 s, then every 20 ms): the larger of
   the peak *sum* of VmRSS over the process tree (worker processes included; pages shared
   after fork count once per process) and the largest single process's VmHWM. Not
   ``ru_maxrss``: see ``TreeSampler``.
2. a no-change re-run; 3. 100 modified + 100 added + 100 deleted files, re-indexed;
4. 50 mixed queries, top 10 with snippets, in process (library vs stock Whoosh) and as
   whole ``newsgrep search`` processes (vs ``python -c pass`` and ``newsgrep --help``);
5. peak RSS of the whole search processes;
6. the same files in SQLite FTS5 (stdlib), tantivy (optional: skipped with a note when
   ``import tantivy`` fails) and ``rg -c -i`` (skipped when not on PATH): ingest wall and
   CPU seconds (user + sys of the process tree), index size, and the plain queries (no
   filters) in process, or for rg as whole processes next to ``newsgrep search``.

The plain-Whoosh ingest is slow (~17 minutes at 100k), so it runs only for sizes up to
``--baseline-max`` (default 20,000); larger sizes reuse the articles/s of the largest
measured baseline for the ingest ratios (said so in the output) and have no in-process
search baseline. ``--baseline-all`` runs it at every size.

Run from the repository root::

    python -m scripts.bench --shared ../shared                       # 20k and 100k
    python -m scripts.bench --shared ../shared --sizes 2000          # quick
    python -m scripts.bench --shared ../shared --sizes 20000 --out bench.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import statistics
import string
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MB = 1_000_000  # all MB figures are 10^6 bytes

DATE_FIRST, DATE_LAST = date(2015, 1, 1), date(2024, 12, 31)
CHANGES = 100  # files modified, added and deleted in the change test
VARIANT_SHARE = 0.03
TITLE_LABELS = ("Update", "Analysis", "Live", "Explainer", "Report", "Opinion", "In brief",
                "Follow-up", "Background", "Q&A", "Review", "Fact check")
SOURCE_PLACES = ("Baltic", "Northern", "Eastern", "Western", "Southern", "Central", "Metro",
                 "Capital", "Harbor", "Valley", "River", "Coastal", "Island", "Mountain",
                 "Prairie", "Lakeside", "Union", "Liberty", "Republic", "National")
SOURCE_KINDS = ("Times", "Herald", "Post", "Gazette", "Courier", "Tribune", "Observer",
                "Chronicle", "Ledger", "Review")
SOURCE_TLDS = ("com", "net", "org", "news", "eu", "co.uk")

TARGETS = {  # from the issue
    "ingest_ratio_min": 5.0,  # newsgrep articles/s >= 5x plain Whoosh, at 20k
    "index_ratio_max": 1.5,  # index bytes <= 1.5x corpus bytes
    "rerun_pct_max": 2.0,  # no-change re-run <= 2 % of the full ingest time
    "search_p95_ratio_max": 0.3,  # in-process p95 <= 0.3x plain Whoosh p95
    "process_growth_max": 2.0,  # whole search process at 100k < 2x the 20k figure
    "search_rss_mb_max": 300.0,  # peak RSS of a whole search process at 100k
}

DATE_LINE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$", re.M)
SOURCE_DOMAIN = re.compile(r"^Source: \[[^\]]*\]\(https?://([^/)]+)", re.M)
TOKEN = re.compile(r"\w+")
WORD_PART = re.compile(r"^(\W*)(\w+)(.*)$", re.S)
PARAGRAPHS = re.compile(r"\n\s*\n")


def loadavg() -> float | None:
    try:
        with open("/proc/loadavg") as f:
            return float(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------
# Corpus


@dataclass
class Base:
    title: str
    body: str
    origin: str


@dataclass
class Source:
    name: str
    domain: str


def load_pool(shared: Path) -> list[Base]:
    """Every usable article of the shared sets, in a fixed order."""
    corpora = shared / "corpora"
    pool: list[Base] = []

    def add(title: str | None, body: str | None, origin: str) -> None:
        title = " ".join((title or "").split())
        body = (body or "").replace("\r\n", "\n").replace("\r", "\n").strip()
        if title and body:
            pool.append(Base(title, body, origin))

    for name in ("allsides-abp", "wikinews-en-2019-2020", "meduza-golunov-ru",
                 "fundus-multilingual"):
        with open(corpora / name / "articles.jsonl", encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    rec = json.loads(line)
                    add(rec.get("title"), rec.get("body"), name)
    for path in sorted((corpora / "bbc-zitros" / "news").rglob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        title, _, body = text.strip().partition("\n")
        add(title, body, "bbc-zitros")
    if not pool:
        raise SystemExit(f"no articles found under {corpora}")
    return pool


def make_sources() -> list[Source]:
    out = []
    for i, kind in enumerate(SOURCE_KINDS):
        for j, place in enumerate(SOURCE_PLACES):
            tld = SOURCE_TLDS[(i * len(SOURCE_PLACES) + j) % len(SOURCE_TLDS)]
            out.append(Source(f"The {place} {kind}", f"{place}-{kind}.{tld}".lower()))
    return out


def _slug(title: str) -> str:
    words = re.findall(r"[a-z0-9]+", title.lower())[:6]
    return "-".join(words) or "article"


class CorpusBuilder:
    """Writes N (+ CHANGES pending) article files; deterministic for a given seed."""

    def __init__(self, pool: list[Base], seed: int):
        self.pool = pool
        self.rng = random.Random(seed)
        self.sources = make_sources()
        weights = [1 / (r + 1) ** 0.7 for r in range(len(self.sources))]
        self.cum_weights = []
        acc = 0.0
        for w in weights:
            acc += w
            self.cum_weights.append(acc)
        self.days = (DATE_LAST - DATE_FIRST).days + 1
        self.variants: list[str] = []  # a few variant words, for rare-word queries
        self.source_counts: dict[str, int] = {}
        self.order: list[int] = []
        self.used: set[int] = set()  # pool indices of the articles in the corpus
        self.last_base = 0

    def _perturb(self, body: str) -> str:
        rng = self.rng
        paras = [p.strip() for p in PARAGRAPHS.split(body) if p.strip()]
        if len(paras) > 1:
            rng.shuffle(paras)
        parts = re.split(r"(\s+)", "\n\n".join(paras))
        word_slots = range(0, len(parts), 2)
        m = max(1, round(VARIANT_SHARE * len(word_slots)))
        for i in rng.sample(word_slots, min(m, len(word_slots))):
            mo = WORD_PART.match(parts[i])
            if not mo:
                continue
            lead, core, rest = mo.groups()
            variant = core + "".join(rng.choices(string.ascii_lowercase, k=2))
            if len(self.variants) < 200 and core.isascii() and core.isalpha() and len(core) > 6:
                self.variants.append(variant)
            parts[i] = lead + variant + rest
        return "".join(parts)

    def render(self, serial: int) -> tuple[str, str, Source, date]:
        n = len(self.pool)
        cycle, pos = divmod(serial, n)
        if pos == 0:
            self.order = list(range(n))
            self.rng.shuffle(self.order)
        base = self.pool[self.order[pos]]
        self.last_base = self.order[pos]
        if cycle == 0:
            title = base.title
        else:
            label = TITLE_LABELS[(cycle - 1) % len(TITLE_LABELS)]
            rnd = (cycle - 1) // len(TITLE_LABELS)
            title = f"{label}: {base.title}" + (f" ({rnd + 1})" if rnd else "")
        day = DATE_FIRST + timedelta(days=self.rng.randrange(self.days))
        src = self.rng.choices(self.sources, cum_weights=self.cum_weights)[0]
        body = self._perturb(base.body)
        url = f"https://{src.domain}/{day.year}/{day.month:02d}/{_slug(base.title)}-{serial}"
        text = f"{title}\n\n{day.isoformat()}\n\n{body}\n\nSource: [{src.name}]({url})\n"
        name = f"{serial // 1000:03d}/{serial:06d}_{self.rng.getrandbits(64):016x}.txt"
        return name, text, src, day

    def build(self, n: int, corpus: Path, pending: Path) -> dict:
        t0 = time.perf_counter()
        total_bytes = 0
        for serial in range(n + CHANGES):
            name, text, src, _ = self.render(serial)
            if serial < n:
                path = corpus / name
                self.source_counts[src.domain] = self.source_counts.get(src.domain, 0) + 1
                self.used.add(self.last_base)
            else:
                path = pending / name.replace("/", "_")
            path.parent.mkdir(parents=True, exist_ok=True)
            data = text.encode("utf-8")
            path.write_bytes(data)
            if serial < n:
                total_bytes += len(data)
            if (serial + 1) % 20000 == 0 and serial + 1 < n:
                log(f"  corpus: {serial + 1:,} files written")
        return {"articles": n, "bytes": total_bytes, "seconds": time.perf_counter() - t0,
                "sources": len(self.source_counts)}


def corpus_files(corpus: Path) -> list[str]:
    out = []
    for root, dirs, files in os.walk(corpus):
        dirs.sort()
        out.extend(os.path.join(root, f) for f in sorted(files) if f.endswith(".txt"))
    return out


def tree_bytes(path: Path) -> int:
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            try:
                total += os.lstat(os.path.join(root, f)).st_size
            except OSError:
                pass
    return total


# ---------------------------------------------------------------------------------------
# Baselines (run as `python -m scripts.bench _worker KIND ...`, so each is one process)


def read_tokenize_floor(corpus: str) -> dict:
    """Read every file, lowercase and regex-tokenize it: what any pure-Python ingest pays."""
    n = tokens = nbytes = 0
    vocab: set[str] = set()
    for path in corpus_files(Path(corpus)):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        nbytes += len(text)
        words = TOKEN.findall(text.lower())
        tokens += len(words)
        vocab.update(words)
        n += 1
    return {"articles": n, "chars": nbytes, "tokens": tokens, "vocabulary": len(vocab)}


def plain_whoosh_schema():
    from whoosh.fields import DATETIME, ID, TEXT, Schema

    # The "plain Whoosh defaults" schema, plus an unstored ID `source` (the domain)
    # so that --source queries have a baseline too. TEXT uses StandardAnalyzer by default.
    return Schema(path=ID(stored=True), title=TEXT(stored=True), body=TEXT(stored=True),
                  date=DATETIME(stored=True), source=ID)


def plain_whoosh_index(corpus: str, index_dir: str) -> dict:
    """Stock Whoosh: default schema types and analyzer, one ix.writer(), one commit."""
    from whoosh import index

    os.makedirs(index_dir, exist_ok=True)
    ix = index.create_in(index_dir, plain_whoosh_schema())
    writer = ix.writer()
    n = 0
    t0 = time.perf_counter()
    for path in corpus_files(Path(corpus)):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        title, _, body = text.partition("\n")
        fields = {"path": path, "title": title, "body": body}
        m = DATE_LINE.search(body, 0, 200)
        if m:
            fields["date"] = datetime(int(m[1]), int(m[2]), int(m[3]))
        m = SOURCE_DOMAIN.search(body, max(0, len(body) - 400))
        if m:
            fields["source"] = m[1].lower()
        writer.add_document(**fields)
        n += 1
    t1 = time.perf_counter()
    writer.commit()
    return {"articles": n, "add_seconds": t1 - t0, "commit_seconds": time.perf_counter() - t1}


def _split_file(path: str) -> tuple[str, str]:
    with open(path, encoding="utf-8") as f:
        text = f.read()
    title, _, body = text.partition("\n")
    return title, body


def _timed_queries(run, queries: list[str]) -> list[float]:
    """Latencies in ms after one warm-up; a query the engine's syntax rejects is left out."""
    times = []
    for i, q in enumerate([queries[0], *queries]):
        t0 = time.perf_counter()
        try:
            run(q)
        except Exception:
            continue
        if i:
            times.append((time.perf_counter() - t0) * 1000)
    return times


def fts5_index(corpus: str, db: str, queries: list[str]) -> dict:
    """SQLite FTS5 (stdlib): title + body, porter stemming over unicode61 without
    diacritics, one transaction; then the plain queries, top 10 by rank with a snippet."""
    import sqlite3

    con = sqlite3.connect(db)
    con.execute("CREATE VIRTUAL TABLE docs USING fts5(path UNINDEXED, title, body, "
                "tokenize='porter unicode61 remove_diacritics 2')")
    t0 = time.perf_counter()
    n = 0
    with con:
        for path in corpus_files(Path(corpus)):
            title, body = _split_file(path)
            con.execute("INSERT INTO docs VALUES (?, ?, ?)", (path, title, body))
            n += 1
    con.execute("INSERT INTO docs(docs) VALUES('optimize')")
    con.commit()
    seconds = time.perf_counter() - t0

    def run(q: str) -> None:
        con.execute("SELECT path, snippet(docs, 2, '[', ']', '...', 12) FROM docs "
                    "WHERE docs MATCH ? ORDER BY rank LIMIT 10", (q,)).fetchall()

    times = _timed_queries(run, queries)
    con.close()
    return {"articles": n, "index_seconds": seconds, "query_ms": times}


def tantivy_index(corpus: str, index_dir: str, queries: list[str]) -> dict:
    """tantivy-py (optional): title + body (stored), path; then the plain queries,
    top 10 with the stored documents."""
    try:
        import tantivy
    except ImportError:
        return {"skipped": "tantivy is not installed (pip install tantivy)"}
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("path", stored=True)
    sb.add_text_field("title", stored=True)
    sb.add_text_field("body", stored=True)
    schema = sb.build()
    os.makedirs(index_dir, exist_ok=True)
    index = tantivy.Index(schema, path=index_dir)
    t0 = time.perf_counter()
    writer = index.writer(heap_size=200_000_000)
    n = 0
    for path in corpus_files(Path(corpus)):
        title, body = _split_file(path)
        writer.add_document(tantivy.Document(path=path, title=title, body=body))
        n += 1
    writer.commit()
    writer.wait_merging_threads()
    seconds = time.perf_counter() - t0
    index.reload()
    searcher = index.searcher()

    def run(q: str) -> None:
        hits = searcher.search(index.parse_query(q, ["title", "body"]), 10).hits
        for _, addr in hits:
            searcher.doc(addr)

    return {"articles": n, "index_seconds": seconds, "query_ms": _timed_queries(run, queries)}


def worker_main(argv: list[str]) -> None:
    kind = argv[0]
    if kind == "floor":
        out = read_tokenize_floor(argv[1])
    elif kind == "whoosh":
        out = plain_whoosh_index(argv[1], argv[2])
    elif kind == "fts5":
        out = fts5_index(argv[1], argv[2], json.loads(argv[3]))
    elif kind == "tantivy":
        out = tantivy_index(argv[1], argv[2], json.loads(argv[3]))
    else:
        raise SystemExit(f"unknown worker {kind!r}")
    print(json.dumps(out))


# ---------------------------------------------------------------------------------------
# Running and measuring subprocesses


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                out.extend(int(c) for c in f.read().split())
    except OSError:
        pass
    return out


def _self_cmdline() -> bytes:
    with open("/proc/self/cmdline", "rb") as f:
        return f.read()


SELF_CMDLINE = _self_cmdline() if os.path.exists("/proc/self/cmdline") else b""


def proc_bytes(path: str, *keys: str) -> tuple[int, ...]:
    """The `Key:  N kB` lines of a /proc file (status, smaps_rollup) named by `keys`, in
    bytes (0 for a missing key). Raises OSError when the process is gone."""
    found = dict.fromkeys(keys, 0)
    with open(path) as f:
        for line in f:
            key, _, rest = line.partition(":")
            if key in found:
                found[key] = int(rest.split()[0]) * 1024
    return tuple(found[k] for k in keys)


def _mem(pid: int) -> tuple[int, int] | None:
    """(VmRSS, VmHWM) in bytes, or None if gone or not yet exec'd. Before exec a spawned
    child still shares this process's memory (vfork), so its figures would be ours."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            if f.read() == SELF_CMDLINE:
                return None
        rss, hwm = proc_bytes(f"/proc/{pid}/status", "VmRSS", "VmHWM")
        return rss, hwm
    except (OSError, ValueError, IndexError):
        return None


class TreeSampler(threading.Thread):
    """Polls /proc every `interval` s: the peak of the summed VmRSS of a process and all its
    descendants, and each process's own high-water mark (VmHWM).

    Not `ru_maxrss`: a child spawned with vfork/posix_spawn inherits the spawning process's
    high-water mark across exec, so `ru_maxrss` (wait4 or RUSAGE_CHILDREN) reports at least
    the size of this benchmark process, even for `python -c pass`."""

    def __init__(self, pid: int, interval: float = 0.02):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.tree_peak = 0
        self.hwm: dict[int, int] = {}
        self.done = threading.Event()

    def run(self) -> None:
        t0 = time.perf_counter()
        while True:
            total, todo, seen = 0, [self.pid], set()
            while todo:
                p = todo.pop()
                if p in seen:
                    continue
                seen.add(p)
                m = _mem(p)
                if m:
                    total += m[0]
                    self.hwm[p] = max(self.hwm.get(p, 0), m[1])
                todo.extend(_children(p))
            self.tree_peak = max(self.tree_peak, total)
            wait = 0.005 if time.perf_counter() - t0 < 0.5 else self.interval
            if self.done.wait(wait):
                return

    @property
    def peak(self) -> int:
        """Peak summed RSS of the tree, or the largest single high-water mark if higher."""
        return max([self.tree_peak, *self.hwm.values()])


@dataclass
class Run:
    cmd: list[str]
    seconds: float
    rc: int
    rss_bytes: int  # TreeSampler.peak
    stdout: str
    stderr: str
    cpu_seconds: float = 0.0  # user + sys of the process and its reaped descendants


def run_measured(cmd: list[str], *, cwd: Path | None = None, check: bool = True) -> Run:
    import resource

    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                cwd=cwd)
        sampler = TreeSampler(proc.pid)
        sampler.start()
        proc.wait()
        seconds = time.perf_counter() - t0
        sampler.done.set()
        sampler.join()
        out.seek(0)
        err.seek(0)
        ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        run = Run(cmd, seconds, proc.returncode, sampler.peak,
                  out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                  (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime))
    if check and run.rc != 0:
        tail = "\n".join(run.stderr.strip().splitlines()[-15:])
        raise RuntimeError(f"{' '.join(cmd)} exited {run.rc}:\n{tail}")
    return run


def newsgrep_exe() -> str:
    for cand in (Path(sys.executable).parent / "newsgrep", REPO / ".venv" / "bin" / "newsgrep"):
        if cand.exists():
            return str(cand)
    found = shutil.which("newsgrep")
    if not found:
        raise SystemExit("newsgrep is not installed: run `make venv` first")
    return found


def worker_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "scripts.bench", "_worker", *args]


def pct(values: list[float], q: float) -> float:
    """q-th percentile (0..100), linear interpolation between closest ranks."""
    if not values:
        return float("nan")
    xs = sorted(values)
    k = (len(xs) - 1) * q / 100
    lo = int(k)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return a / b


# ---------------------------------------------------------------------------------------
# Queries


@dataclass
class Query:
    kind: str
    text: str
    date_from: date | None = None
    date_to: date | None = None
    source: str | None = None  # a domain

    def cli_args(self) -> list[str]:
        args = []
        if self.date_from:
            args += ["--from", self.date_from.isoformat()]
        if self.date_to:
            args += ["--to", self.date_to.isoformat()]
        if self.source:
            args += ["--source", self.source]
        return args + [self.text]

    def label(self) -> str:
        extra = " ".join(self.cli_args()[:-1])
        return f"{self.text} {extra}".strip()


def rare_words(bases: list[Base], rng: random.Random, k: int) -> list[str]:
    """k plain ASCII words found in only 2-3 of the base articles used in the corpus (so in
    about 2-3 x N / pool size files, minus the few turned into variants)."""
    df: dict[str, int] = {}
    for b in bases:
        if b.origin in ("allsides-abp", "bbc-zitros"):
            for w in set(re.findall(r"\b[a-z]{8,12}\b", b.body)):
                df[w] = df.get(w, 0) + 1
    cands = sorted(w for w, c in df.items() if 2 <= c <= 3)
    return rng.sample(cands, k)


def make_queries(pool: list[Base], builder: CorpusBuilder, seed: int) -> list[Query]:
    rng = random.Random(seed + 1)
    by_count = sorted(builder.source_counts, key=lambda d: (-builder.source_counts[d], d))
    pick = [by_count[i] for i in (0, 5, 20, 60, 120, len(by_count) - 1) if i < len(by_count)]
    qs = [Query("common word", w) for w in
          ("government", "president", "people", "police", "election", "market", "health",
           "year")]
    variants = sorted(set(builder.variants))
    used = [pool[i] for i in sorted(builder.used)]
    qs += [Query("rare word", w) for w in rare_words(used, rng, 6) + rng.sample(variants, 2)]
    qs += [Query("two words", w) for w in
           ("trade deal", "oil prices", "health care", "supreme court", "foreign minister",
            "football club", "interest rates", "tax cuts")]
    qs += [Query("phrase", f'"{w}"') for w in
           ("prime minister", "white house", "united states", "climate change",
            "police said", "world cup", "human rights", "last year")]
    qs += [Query("prefix", w) for w in
           ("elect*", "immigra*", "vaccin*", "econom*", "terror*", "champion*")]
    qs += [
        Query("date filter", "government", date(2018, 1, 1), date(2018, 12, 31)),
        Query("date filter", "election", date(2016, 1, 1), date(2016, 12, 31)),
        Query("date filter", "police", date(2020, 3, 1), date(2020, 3, 31)),
        Query("date filter", '"prime minister"', date(2019, 1, 1), date(2021, 12, 31)),
        Query("date filter", "market", date(2023, 6, 1), date(2023, 6, 30)),
        Query("date filter", "president", date(2015, 1, 1), date(2024, 12, 31)),
    ]
    words = ("government", "police", "election", "market", '"united states"', "health")
    qs += [Query("source filter", w, source=d) for w, d in zip(words, pick, strict=False)]
    return qs


def newsgrep_in_process(queries: list[Query], index_dir: Path) -> tuple[list[float], list[int]]:
    from newsgrep.query import SearchRequest
    from newsgrep.search import search

    times, totals = [], []
    for q in queries:
        req = SearchRequest(q.text, date_from=q.date_from, date_to=q.date_to,
                            sources=[q.source] if q.source else [], limit=10, snippets=3)
        t0 = time.perf_counter()
        res = search(req, index_dir)
        for hit in res.hits:  # snippets are built inside search(); touch them anyway
            _ = hit.snippets
        times.append((time.perf_counter() - t0) * 1000)
        totals.append(res.total)
    return times, totals


def whoosh_in_process(queries: list[Query], index_dir: Path, keep_open: bool = False
                      ) -> tuple[list[float], list[int]]:
    """The same queries on the plain index: QueryParser on body, top 10, highlights on the
    stored body, filter= DateRange / Term(source). By default the index and a searcher are
    opened per query, as newsgrep's search() and any CLI call do; keep_open=True reuses one
    searcher for all queries (a long-running process; what the pitfalls notes measured)."""
    from whoosh import index
    from whoosh.qparser import QueryParser
    from whoosh.query import And, DateRange, Term

    times, totals = [], []
    shared = index.open_dir(str(index_dir)).searcher() if keep_open else None
    for q in queries:
        t0 = time.perf_counter()
        ix = shared if shared else index.open_dir(str(index_dir))
        parsed = QueryParser("body", ix.schema).parse(q.text)
        parts = []
        if q.date_from or q.date_to:
            parts.append(DateRange("date", datetime.combine(q.date_from, datetime.min.time()),
                                   datetime.combine(q.date_to, datetime.max.time())))
        if q.source:
            parts.append(Term("source", q.source))
        flt = None if not parts else parts[0] if len(parts) == 1 else And(parts)
        s = shared if shared else ix.searcher()
        results = s.search(parsed, limit=10, filter=flt)
        for hit in results:
            hit.highlights("body")
            _ = hit["title"]
        totals.append(len(results))
        if not shared:
            s.close()
        times.append((time.perf_counter() - t0) * 1000)
    if shared:
        shared.close()
    return times, totals


def summarize_ms(times: list[float]) -> dict:
    return {"p50_ms": pct(times, 50), "p95_ms": pct(times, 95), "mean_ms": statistics.mean(times),
            "max_ms": max(times), "n": len(times)}


# ---------------------------------------------------------------------------------------
# One size


def bench_size(n: int, args: argparse.Namespace, pool: list[Base], work: Path,
               baseline_rate: dict | None, res: dict) -> None:
    """Measure one size into `res` (filled as it goes, so a failure keeps what was done)."""
    ng = newsgrep_exe()
    res.update({"articles": n, "load_1min": {"start": loadavg()}})
    base = work / f"n{n}"
    corpus, pending = base / "corpus", base / "pending"
    ng_index, wh_index = base / "newsgrep-index", base / "whoosh-index"
    corpus.mkdir(parents=True)
    pending.mkdir()

    log(f"{n:,} articles: building corpus in {corpus}")
    builder = CorpusBuilder(pool, args.seed)
    info = builder.build(n, corpus, pending)
    res["corpus"] = info
    corpus_mb = info["bytes"] / MB
    log(f"  corpus: {n:,} files, {corpus_mb:.1f} MB, {info['sources']} sources, "
        f"{info['seconds']:.1f} s")
    queries = make_queries(pool, builder, args.seed)

    # 1. ingest ------------------------------------------------------------------------
    res["load_1min"]["ingest"] = loadavg()
    log("  read + tokenize floor")
    fl = run_measured(worker_cmd("floor", str(corpus)), cwd=REPO)
    floor = json.loads(fl.stdout)
    res["corpus"]["tokens"], res["corpus"]["vocabulary"] = floor["tokens"], floor["vocabulary"]
    res["floor"] = {"seconds": fl.seconds, "articles_per_s": n / fl.seconds,
                    "mb_per_s": corpus_mb / fl.seconds, "peak_rss_mb": fl.rss_bytes / MB}

    run_baseline = args.baseline_all or n <= args.baseline_max
    if run_baseline:
        log("  plain Whoosh defaults ingest (slow)")
        wr = run_measured(worker_cmd("whoosh", str(corpus), str(wh_index)), cwd=REPO)
        w = json.loads(wr.stdout)
        wbytes = tree_bytes(wh_index)
        res["whoosh"] = {"seconds": wr.seconds, "articles_per_s": n / wr.seconds,
                         "mb_per_s": corpus_mb / wr.seconds, "peak_rss_mb": wr.rss_bytes / MB,
                         "index_bytes": wbytes, "index_ratio": wbytes / info["bytes"],
                         "add_seconds": w["add_seconds"], "commit_seconds": w["commit_seconds"],
                         "cpu_seconds": wr.cpu_seconds, "measured": True}
        log(f"    {wr.seconds:.1f} s, {n / wr.seconds:.0f} articles/s")
    elif baseline_rate:
        res["whoosh"] = {"articles_per_s": baseline_rate["articles_per_s"],
                         "mb_per_s": baseline_rate["mb_per_s"], "measured": False,
                         "from_size": baseline_rate["size"]}
    else:
        res["whoosh"] = None

    log("  newsgrep index (full)")
    nr = run_measured([ng, "--index", str(ng_index), "index", "--json", str(corpus)])
    summary = json.loads(nr.stdout)
    nbytes = tree_bytes(ng_index)
    res["newsgrep"] = {"seconds": nr.seconds, "articles_per_s": n / nr.seconds,
                       "mb_per_s": corpus_mb / nr.seconds, "peak_rss_mb": nr.rss_bytes / MB,
                       "index_bytes": nbytes, "index_ratio": nbytes / info["bytes"],
                       "summary_seconds": summary.get("seconds"),
                       "cpu_seconds": nr.cpu_seconds,
                       "indexed": summary.get("indexed"),
                       "skipped": len(summary.get("skipped") or []),
                       "warnings": len(summary.get("warnings") or [])}
    log(f"    {nr.seconds:.1f} s, {n / nr.seconds:.0f} articles/s, indexed "
        f"{summary.get('indexed')}, skipped {res['newsgrep']['skipped']}")

    # 2. no-change re-run --------------------------------------------------------------
    log("  newsgrep index (no change)")
    rr = run_measured([ng, "--index", str(ng_index), "index", "--json", str(corpus)])
    s2 = json.loads(rr.stdout)
    res["rerun"] = {"seconds": rr.seconds, "pct_of_full": 100 * rr.seconds / nr.seconds,
                    "peak_rss_mb": rr.rss_bytes / MB, "unchanged": s2.get("unchanged"),
                    "indexed": s2.get("indexed"), "updated": s2.get("updated"),
                    "removed": s2.get("removed")}

    # 4. search, in process -----------------------------------------------------------
    res["load_1min"]["search"] = loadavg()
    log(f"  search in process: {len(queries)} queries x (1 warm-up + {args.repeat} timed)")
    def timed(run, warm_up: bool = True) -> tuple[list[float], list]:
        """Latencies of `args.repeat` passes over the queries (after one warm-up pass)."""
        if warm_up:
            run()
        times: list[float] = []
        totals: list = []
        for _ in range(args.repeat):
            t, totals = run()
            times += t
        return times, totals

    ng_times, ng_totals = timed(lambda: newsgrep_in_process(queries, ng_index))
    res["search_lib"] = summarize_ms(ng_times)
    if run_baseline:
        wh_times, wh_totals = timed(lambda: whoosh_in_process(queries, wh_index))
        res["search_whoosh"] = summarize_ms(wh_times)
        ko_times, _ = timed(lambda: whoosh_in_process(queries, wh_index, keep_open=True),
                            warm_up=False)
        res["search_whoosh_kept_open"] = summarize_ms(ko_times)
    else:
        wh_times, wh_totals = [], [None] * len(queries)
        res["search_whoosh"] = res["search_whoosh_kept_open"] = None
    nq = len(queries)
    per_query = []
    for i, q in enumerate(queries):
        nt = [ng_times[i + r * nq] for r in range(args.repeat)]
        wt = [wh_times[i + r * nq] for r in range(args.repeat)] if wh_times else []
        per_query.append({"kind": q.kind, "query": q.label(), "newsgrep_ms": min(nt),
                          "newsgrep_total": ng_totals[i],
                          "whoosh_ms": min(wt) if wt else None, "whoosh_total": wh_totals[i]})
    res["queries"] = per_query
    kinds: dict[str, dict] = {}
    for kind in dict.fromkeys(q.kind for q in queries):
        idx = [i for i, q in enumerate(queries) if q.kind == kind]
        nt = [ng_times[i + r * nq] for i in idx for r in range(args.repeat)]
        wt = [wh_times[i + r * nq] for i in idx for r in range(args.repeat)] if wh_times else []
        kinds[kind] = {"newsgrep_p50_ms": pct(nt, 50), "newsgrep_p95_ms": pct(nt, 95),
                       "whoosh_p50_ms": pct(wt, 50) if wt else None,
                       "whoosh_p95_ms": pct(wt, 95) if wt else None}
    res["search_kinds"] = kinds

    # 4b/5. search, whole process -------------------------------------------------------
    log(f"  search as whole processes: {len(queries)} queries + {args.startup_runs} x "
        "`python -c pass` and `newsgrep --help`")
    py = [run_measured([sys.executable, "-c", "pass"]) for _ in range(args.startup_runs)]
    hp = [run_measured([ng, "--help"]) for _ in range(args.startup_runs)]
    sp: list[Run] = []
    for q in queries:
        r = run_measured([ng, "--index", str(ng_index), "search", *q.cli_args()], check=False)
        if r.rc not in (0, 1):
            raise RuntimeError(f"newsgrep search {q.label()!r} exited {r.rc}: {r.stderr}")
        sp.append(r)
    res["process"] = {
        "python_pass": summarize_ms([r.seconds * 1000 for r in py]),
        "newsgrep_help": summarize_ms([r.seconds * 1000 for r in hp]),
        "newsgrep_search": summarize_ms([r.seconds * 1000 for r in sp]),
        # CPU (user + sys): what a loaded machine inflates far less than wall time.
        "cpu_p50_ms": {"python_pass": pct([r.cpu_seconds * 1000 for r in py], 50),
                       "newsgrep_help": pct([r.cpu_seconds * 1000 for r in hp], 50),
                       "newsgrep_search": pct([r.cpu_seconds * 1000 for r in sp], 50)},
        "search_peak_rss_mb": max(r.rss_bytes for r in sp) / MB,
        "search_median_rss_mb": statistics.median(r.rss_bytes for r in sp) / MB,
        "help_peak_rss_mb": max(r.rss_bytes for r in hp) / MB,
        "python_pass_peak_rss_mb": max(r.rss_bytes for r in py) / MB,
        "no_match": sum(r.rc == 1 for r in sp),
    }

    other_engines(n, corpus, base, queries, sp, res)

    # 3. changes --------------------------------------------------------------------------
    log(f"  changes: modify {CHANGES}, add {CHANGES}, delete {CHANGES}")
    files = corpus_files(corpus)
    crng = random.Random(args.seed + n)
    chosen = crng.sample(files, 2 * CHANGES)
    for i, path in enumerate(chosen[:CHANGES]):
        p = Path(path)
        text = p.read_text(encoding="utf-8")
        head, sep, source_line = text.rstrip("\n").rpartition("\n\n")
        note = f"Correction {i}: an earlier version of this article misstated a figure."
        p.write_text(f"{head}\n\n{note}{sep}{source_line}\n", encoding="utf-8")
    for path in chosen[CHANGES:]:
        os.remove(path)
    newdir = corpus / "new"
    newdir.mkdir()
    for p in sorted(pending.iterdir()):
        os.replace(p, newdir / p.name)
    cr = run_measured([ng, "--index", str(ng_index), "index", "--json", str(corpus)])
    s3 = json.loads(cr.stdout)
    counts = (s3.get("indexed"), s3.get("updated"), s3.get("removed"))
    res["changes"] = {"seconds": cr.seconds, "pct_of_full": 100 * cr.seconds / nr.seconds,
                      "peak_rss_mb": cr.rss_bytes / MB, "indexed": counts[0],
                      "updated": counts[1], "removed": counts[2],
                      "unchanged": s3.get("unchanged"),
                      "skipped": len(s3.get("skipped") or []),
                      "counts_ok": counts == (CHANGES, CHANGES, CHANGES)}

    res["load_1min"]["end"] = loadavg()


PLAIN_KINDS = ("common word", "rare word", "two words", "phrase")


def other_engines(n: int, corpus: Path, base: Path, queries: list[Query], sp: list[Run],
                  res: dict) -> None:
    """SQLite FTS5, tantivy (if installed) and `rg -c -i` (if on PATH) on the same files:
    ingest wall and CPU seconds, index size, and the plain queries (no filters, which
    they do not have) in process, or for rg as whole processes against `newsgrep
    search` processes on the same queries."""
    plain = [q for q in queries if q.kind in PLAIN_KINDS]
    texts = [q.text for q in plain]
    nbytes = res["corpus"]["bytes"]
    others: dict = {}
    for name in ("fts5", "tantivy"):
        log(f"  {name}: ingest + {len(texts)} plain queries")
        target = base / f"{name}-index"
        r = run_measured(worker_cmd(name, str(corpus), str(target), json.dumps(texts)),
                         cwd=REPO, check=False)
        if r.rc != 0:
            others[name] = {"skipped": r.stderr.strip().splitlines()[-1:]}
            continue
        out = json.loads(r.stdout)
        if "skipped" in out:
            others[name] = out
            continue
        size = tree_bytes(target) if target.is_dir() else target.stat().st_size
        others[name] = {"seconds": r.seconds, "cpu_seconds": r.cpu_seconds,
                        "index_seconds": out["index_seconds"],
                        "articles_per_s": n / r.seconds, "index_bytes": size,
                        "index_ratio": size / nbytes, "search": summarize_ms(out["query_ms"])}
    rg = shutil.which("rg")
    if rg:
        log(f"  rg -c -i: {len(plain)} plain queries as whole processes")
        times, cpu = [], []
        for q in plain:
            pattern = q.text.strip('"')
            r = run_measured([rg, "-c", "-i", pattern, str(corpus)], check=False)
            times.append(r.seconds * 1000)
            cpu.append(r.cpu_seconds * 1000)
        same = [r for q, r in zip(queries, sp, strict=True) if q.kind in PLAIN_KINDS]
        others["rg"] = {"process": summarize_ms(times),
                        "newsgrep_process_same_queries":
                            summarize_ms([r.seconds * 1000 for r in same]),
                        "cpu_p50_ms": pct(cpu, 50),
                        "newsgrep_cpu_p50_ms": pct([r.cpu_seconds * 1000 for r in same], 50)}
    else:
        others["rg"] = {"skipped": "rg is not on PATH"}
    res["others"] = others


def print_others(res: dict) -> None:
    o = res.get("others")
    if not o:
        return
    p = print
    ng, wh = res["newsgrep"], res.get("whoosh") or {}
    p()
    p("6. Other engines on the same files (same run; plain queries, no filters)")
    p("   engine            ingest s   CPU s  articles/s  index/corpus  search p50/p95 ms")
    p(f"   newsgrep          {ng['seconds']:8.1f}  {ng.get('cpu_seconds', 0):6.1f}  "
      f"{ng['articles_per_s']:10.0f}  {ng['index_ratio']:11.2f}x")
    if wh.get("measured"):
        p(f"   plain Whoosh      {wh['seconds']:8.1f}  {wh.get('cpu_seconds', 0):6.1f}  "
          f"{wh['articles_per_s']:10.0f}  {wh['index_ratio']:11.2f}x")
    for name, label in (("fts5", "SQLite FTS5"), ("tantivy", "tantivy")):
        e = o.get(name) or {}
        if "skipped" in e:
            p(f"   {label:<17} skipped: {e['skipped']}")
            continue
        s = e["search"]
        p(f"   {label:<17} {e['seconds']:8.1f}  {e['cpu_seconds']:6.1f}  "
          f"{e['articles_per_s']:10.0f}  {e['index_ratio']:11.2f}x  "
          f"{s['p50_ms']:7.1f} / {s['p95_ms']:.1f}   newsgrep ingest is "
          f"{fx(ratio(ng['articles_per_s'], e['articles_per_s']))} its articles/s")
    rg = o.get("rg") or {}
    if "skipped" in rg:
        p(f"   rg -c -i          skipped: {rg['skipped']}")
    elif rg:
        a, b = rg["process"], rg["newsgrep_process_same_queries"]
        p(f"   rg -c -i (whole process) p50/p95 {a['p50_ms']:.0f} / {a['p95_ms']:.0f} ms; "
          f"newsgrep search processes, same queries, {b['p50_ms']:.0f} / {b['p95_ms']:.0f} ms"
          f" = {fx(ratio(b['p50_ms'], a['p50_ms']))} rg at p50")
        if "cpu_p50_ms" in rg:
            p(f"   CPU p50 (user + sys): rg {rg['cpu_p50_ms']:.0f} ms, newsgrep search "
              f"{rg['newsgrep_cpu_p50_ms']:.0f} ms = "
              f"{fx(ratio(rg['newsgrep_cpu_p50_ms'], rg['cpu_p50_ms']))} rg")


def add_ratios(res: dict) -> None:
    wh = res["whoosh"]
    res["ratios"] = {
        "ingest_articles_per_s_vs_whoosh": ratio(res["newsgrep"]["articles_per_s"],
                                                 wh and wh["articles_per_s"]),
        "ingest_mb_per_s_vs_whoosh": ratio(res["newsgrep"]["mb_per_s"], wh and wh["mb_per_s"]),
        "ingest_rss_vs_whoosh": ratio(res["newsgrep"]["peak_rss_mb"],
                                      wh and wh.get("peak_rss_mb")),
        "index_size_vs_whoosh": ratio(res["newsgrep"]["index_bytes"],
                                      wh and wh.get("index_bytes")),
        "ingest_articles_per_s_vs_floor": ratio(res["newsgrep"]["articles_per_s"],
                                                res["floor"]["articles_per_s"]),
        "search_p50_vs_whoosh": ratio(res["search_lib"]["p50_ms"],
                                      res["search_whoosh"] and res["search_whoosh"]["p50_ms"]),
        "search_p95_vs_whoosh": ratio(res["search_lib"]["p95_ms"],
                                      res["search_whoosh"] and res["search_whoosh"]["p95_ms"]),
        "search_p95_vs_whoosh_kept_open": ratio(
            res["search_lib"]["p95_ms"],
            res["search_whoosh_kept_open"] and res["search_whoosh_kept_open"]["p95_ms"]),
        "process_p50_vs_python": ratio(res["process"]["newsgrep_search"]["p50_ms"],
                                       res["process"]["python_pass"]["p50_ms"]),
        "process_p50_vs_help": ratio(res["process"]["newsgrep_search"]["p50_ms"],
                                     res["process"]["newsgrep_help"]["p50_ms"]),
        "process_p95_vs_python": ratio(res["process"]["newsgrep_search"]["p95_ms"],
                                       res["process"]["python_pass"]["p95_ms"]),
        "process_p95_vs_help": ratio(res["process"]["newsgrep_search"]["p95_ms"],
                                     res["process"]["newsgrep_help"]["p95_ms"]),
    }


# ---------------------------------------------------------------------------------------
# Printing


def f_(x, spec: str = ".1f", none: str = "n/a") -> str:
    return none if x is None else format(x, spec)


def fx(x) -> str:
    return "n/a" if x is None else f"{x:.2f}x"


def print_size(res: dict) -> None:
    n, c = res["articles"], res["corpus"]
    ng, wh, fl, r = res["newsgrep"], res["whoosh"], res["floor"], res["ratios"]
    p = print
    p()
    p(f"=== {n:,} articles: {c['bytes'] / MB:.1f} MB of .txt, {c['sources']} sources, "
      f"{c['tokens']:,} tokens, vocabulary {c['vocabulary']:,} distinct lowercase tokens ===")
    p()
    p("1. Full ingest              wall s  articles/s    MB/s  peak RSS MB  index MB  index/corpus")
    p(f"   newsgrep index         {ng['seconds']:8.1f}  {ng['articles_per_s']:10.0f}"
      f"  {ng['mb_per_s']:6.2f}  {ng['peak_rss_mb']:11.0f}  {ng['index_bytes'] / MB:8.1f}"
      f"  {ng['index_ratio']:11.2f}x")
    if wh and wh["measured"]:
        p(f"   plain Whoosh defaults  {wh['seconds']:8.1f}  {wh['articles_per_s']:10.0f}"
          f"  {wh['mb_per_s']:6.2f}  {wh['peak_rss_mb']:11.0f}  {wh['index_bytes'] / MB:8.1f}"
          f"  {wh['index_ratio']:11.2f}x")
    elif wh:
        p(f"   plain Whoosh defaults  (not run at this size: the {wh['from_size']:,}-article "
          f"rate {wh['articles_per_s']:.0f} articles/s is used for the ratios)")
    else:
        p("   plain Whoosh defaults  (not run)")
    p(f"   read+tokenize floor    {fl['seconds']:8.1f}  {fl['articles_per_s']:10.0f}"
      f"  {fl['mb_per_s']:6.2f}  {fl['peak_rss_mb']:11.0f}         -            -")
    p(f"   newsgrep / plain Whoosh: articles/s {fx(r['ingest_articles_per_s_vs_whoosh'])}, "
      f"MB/s {fx(r['ingest_mb_per_s_vs_whoosh'])}, peak RSS {fx(r['ingest_rss_vs_whoosh'])}, "
      f"index size {fx(r['index_size_vs_whoosh'])}")
    p(f"   newsgrep / floor: articles/s {fx(r['ingest_articles_per_s_vs_floor'])}"
      f"   (newsgrep summary: indexed {ng['indexed']:,}, skipped {ng['skipped']}, "
      f"warnings {ng['warnings']})")
    rr, ch = res["rerun"], res["changes"]
    p()
    p(f"2. No-change re-run: {rr['seconds']:.2f} s = {rr['pct_of_full']:.2f} % of the full "
      f"ingest (unchanged {rr['unchanged']}, indexed {rr['indexed']}, updated {rr['updated']}, "
      f"removed {rr['removed']})")
    p(f"3. Changes ({CHANGES} modified, {CHANGES} added, {CHANGES} deleted): "
      f"{ch['seconds']:.2f} s = {ch['pct_of_full']:.2f} % of the full ingest; summary "
      f"indexed/updated/removed {ch['indexed']}/{ch['updated']}/{ch['removed']} "
      f"{'OK' if ch['counts_ok'] else 'WRONG'}")
    sl, sw = res["search_lib"], res["search_whoosh"]
    p()
    p(f"4a. Search in process, {sl['n']} runs (top 10 with snippets)     p50 ms   p95 ms"
      "   max ms")
    p(f"   newsgrep library (search())                       {sl['p50_ms']:7.1f}  "
      f"{sl['p95_ms']:7.1f}  {sl['max_ms']:7.1f}")
    if sw:
        p(f"   plain Whoosh (QueryParser on body, highlights)    {sw['p50_ms']:7.1f}  "
          f"{sw['p95_ms']:7.1f}  {sw['max_ms']:7.1f}   (index opened per query)")
        ko = res["search_whoosh_kept_open"]
        p(f"   plain Whoosh, one searcher kept open (info)       {ko['p50_ms']:7.1f}  "
          f"{ko['p95_ms']:7.1f}  {ko['max_ms']:7.1f}")
    else:
        p("   plain Whoosh                                      (no baseline index at this size)")
    p(f"   newsgrep / plain Whoosh: p50 {fx(r['search_p50_vs_whoosh'])}, "
      f"p95 {fx(r['search_p95_vs_whoosh'])}; p95 vs the kept-open searcher "
      f"{fx(r['search_p95_vs_whoosh_kept_open'])}")
    p("   by kind (p50 / p95 ms)     newsgrep            plain Whoosh")
    for kind, k in res["search_kinds"].items():
        p(f"   {kind:<22} {k['newsgrep_p50_ms']:7.1f} / {k['newsgrep_p95_ms']:7.1f}"
          f"   {f_(k['whoosh_p50_ms']):>7} / {f_(k['whoosh_p95_ms']):>7}")
    pr = res["process"]
    p()
    p("4b. Whole process (wall)            p50 ms   p95 ms   peak RSS MB")
    for label, key, rss in (("python -c pass", "python_pass", "python_pass_peak_rss_mb"),
                            ("newsgrep --help", "newsgrep_help", "help_peak_rss_mb"),
                            ("newsgrep search", "newsgrep_search", "search_peak_rss_mb")):
        s = pr[key]
        p(f"   {label:<30} {s['p50_ms']:7.0f}  {s['p95_ms']:7.0f}  {pr[rss]:12.0f}")
    if cpu := pr.get("cpu_p50_ms"):
        p("   CPU p50 (user + sys) ms: " + ", ".join(
            f"{k.replace('_', ' ')} {v:.0f}" for k, v in cpu.items()))
    p(f"   newsgrep search / python -c pass: p50 {fx(r['process_p50_vs_python'])}, "
      f"p95 {fx(r['process_p95_vs_python'])}; / newsgrep --help: p50 "
      f"{fx(r['process_p50_vs_help'])}, p95 {fx(r['process_p95_vs_help'])}")
    p(f"5. Peak RSS of a whole `newsgrep search` process: {pr['search_peak_rss_mb']:.0f} MB "
      f"(median {pr['search_median_rss_mb']:.0f} MB)")
    la = res["load_1min"]
    p("   1-min load average at start / ingest / search / end: "
      + " / ".join(f_(la.get(k), ".2f") for k in ("start", "ingest", "search", "end"))
      + " (above the core count means other work shared the CPU)")
    print_others(res)


def evaluate_targets(results: dict[int, dict], target_size: int) -> list[dict]:
    out: list[dict] = []
    for n, rs in sorted(results.items()):
        if "error" in rs:
            out.append({"target": f"benchmark at {n:,} completed",
                        "value": rs["error"].splitlines()[0][:200],
                        "limit": "no error", "pass": False, "size": n})
    results = {n: rs for n, rs in results.items() if "error" not in rs}
    sizes = sorted(results)
    if not sizes:
        return out
    ts = target_size if target_size in results else sizes[0]
    note = "" if ts == target_size else f" (indicative: measured at {ts:,}, target is at " \
        f"{target_size:,})"
    r = results[ts]

    def add(name: str, value, limit: str, ok: bool | None) -> None:
        out.append({"target": name, "value": value, "limit": limit,
                    "pass": ok, "size": ts if "100k" not in name else None})

    v = r["ratios"]["ingest_articles_per_s_vs_whoosh"]
    add(f"full ingest articles/s vs plain Whoosh at {ts:,}{note}", v,
        f">= {TARGETS['ingest_ratio_min']}x", None if v is None
        else v >= TARGETS["ingest_ratio_min"])
    v = r["newsgrep"]["index_ratio"]
    add(f"index size / corpus size at {ts:,}{note}", v, f"<= {TARGETS['index_ratio_max']}x",
        v <= TARGETS["index_ratio_max"])
    v = r["rerun"]["pct_of_full"]
    add(f"no-change re-run, % of full ingest at {ts:,}{note}", v,
        f"<= {TARGETS['rerun_pct_max']} %", v <= TARGETS["rerun_pct_max"])
    v = r["ratios"]["search_p95_vs_whoosh"]
    add(f"search p95 vs plain Whoosh p95 (index opened per query) at {ts:,}{note}", v,
        f"<= {TARGETS['search_p95_ratio_max']}x",
        None if v is None else v <= TARGETS["search_p95_ratio_max"])
    v = r["ratios"].get("search_p95_vs_whoosh_kept_open")
    if v is not None:
        out.append({"target": f"(info) search p95 vs plain Whoosh p95 with one searcher kept "
                              f"open at {ts:,}", "value": v,
                    "limit": f"<= {TARGETS['search_p95_ratio_max']}x would be", "pass": None,
                    "size": ts, "info": True,
                    "would_pass": v <= TARGETS["search_p95_ratio_max"]})
    big = [s for s in sizes if s > ts]
    if big:
        b = max(big)
        v = ratio(results[b]["process"]["newsgrep_search"]["p50_ms"],
                  r["process"]["newsgrep_search"]["p50_ms"])
        add(f"whole `newsgrep search` p50 at {b:,} / at {ts:,}", v,
            f"< {TARGETS['process_growth_max']}x", v < TARGETS["process_growth_max"])
        v = results[b]["process"]["search_peak_rss_mb"]
        add(f"peak RSS of `newsgrep search` at {b:,} (MB)", v,
            f"< {TARGETS['search_rss_mb_max']:.0f}", v < TARGETS["search_rss_mb_max"])
    else:
        v = r["process"]["search_peak_rss_mb"]
        add(f"peak RSS of `newsgrep search` at {ts:,} (MB; target is at 100k)", v,
            f"< {TARGETS['search_rss_mb_max']:.0f}", v < TARGETS["search_rss_mb_max"])
        add("whole `newsgrep search` at 100k / at 20k", None, "< 2x (needs a larger size)",
            None)
    for rs in results.values():
        ch = rs["changes"]
        out.append({"target": f"change summary at {rs['articles']:,} is "
                              f"{CHANGES}/{CHANGES}/{CHANGES} (indexed/updated/removed)",
                    "value": f"{ch['indexed']}/{ch['updated']}/{ch['removed']}",
                    "limit": "exact", "pass": ch["counts_ok"], "size": rs["articles"]})
    return out


def print_targets(targets: list[dict]) -> None:
    print()
    print("Targets (from the issue)")
    for t in targets:
        v = t["value"]
        shown = f"{v:.2f}" if isinstance(v, float) else ("n/a" if v is None else str(v))
        verdict = {True: "PASS", False: "FAIL", None: "n/a "}[t["pass"]]
        if t.get("info"):
            verdict = "info"
        print(f"  {verdict}  {t['target']}: {shown} (target {t['limit']})")


# ---------------------------------------------------------------------------------------


def machine_info() -> dict:
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = None
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    mem = int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        from importlib.metadata import version
        whoosh_v = version("whoosh-reloaded")
    except Exception:
        whoosh_v = None
    return {"nproc": len(os.sched_getaffinity(0)), "cpu": cpu,
            "ram_gb": mem / 2**30 if mem else None, "python": platform.python_version(),
            "platform": platform.platform(), "whoosh_reloaded": whoosh_v}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "_worker":
        worker_main(argv[1:])
        return 0
    ap = argparse.ArgumentParser(prog="python -m scripts.bench", description=__doc__.split(
        "\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared",
                    help="the shared folder holding corpora/ (default ../shared)")
    ap.add_argument("--sizes", default="20000,100000",
                    help="comma-separated corpus sizes in articles (default 20000,100000)")
    ap.add_argument("--out", type=Path, help="write every figure to this JSON file")
    ap.add_argument("--seed", type=int, default=20240501)
    ap.add_argument("--workdir", type=Path,
                    help="where to build corpora and indexes (default: a new temp folder)")
    ap.add_argument("--keep", action="store_true", help="keep the corpora and indexes")
    ap.add_argument("--baseline-max", type=int, default=20000,
                    help="run the plain-Whoosh ingest baseline only up to this size "
                         "(default 20000; it takes ~17 min at 100k)")
    ap.add_argument("--baseline-all", action="store_true",
                    help="run the plain-Whoosh baseline at every size")
    ap.add_argument("--target-size", type=int, default=20000,
                    help="size the issue's targets refer to (default 20000)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="timed passes over the queries in process, after one warm-up pass")
    ap.add_argument("--startup-runs", type=int, default=10,
                    help="runs of `python -c pass` and `newsgrep --help`")
    args = ap.parse_args(argv)
    sizes = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()})
    if not sizes or min(sizes) < 2 * CHANGES + 10:
        ap.error(f"sizes must be at least {2 * CHANGES + 10}")

    if args.workdir:
        work = args.workdir.resolve()
        work.mkdir(parents=True, exist_ok=True)
    else:
        work = Path(tempfile.mkdtemp(prefix="newsgrep-bench-"))
    if work == REPO or REPO in work.parents:
        ap.error("--workdir must be outside the repository")
    t_start = time.perf_counter()
    machine = machine_info()
    command = "python -m scripts.bench " + " ".join(argv)
    log(f"machine: {machine['nproc']} cores, {machine['cpu']}, "
        f"{machine['ram_gb']:.1f} GiB, Python {machine['python']}; work dir {work}")
    pool = load_pool(args.shared.resolve())
    pool_bytes = sum(len(b.body.encode()) + len(b.title.encode()) for b in pool)
    log(f"base pool: {len(pool):,} articles, {pool_bytes / MB:.1f} MB")

    results: dict[int, dict] = {}
    baseline_rate = None
    try:
        for n in sizes:
            t0 = time.perf_counter()
            res: dict = {}
            results[n] = res
            try:
                bench_size(n, args, pool, work, baseline_rate, res)
                add_ratios(res)
            except Exception as e:  # keep what was measured; go on with the next size
                res["error"] = f"{type(e).__name__}: {e}"
                log(f"{n:,} FAILED: {res['error']}")
            finally:
                if not args.keep:
                    shutil.rmtree(work / f"n{n}", ignore_errors=True)
            res["bench_seconds"] = time.perf_counter() - t0
            wh = res.get("whoosh")
            if wh and wh["measured"]:
                baseline_rate = {"articles_per_s": wh["articles_per_s"],
                                 "mb_per_s": wh["mb_per_s"], "size": n}
            if "error" in res:
                print(f"\n=== {n:,} articles: INCOMPLETE ({res['error'].splitlines()[0]}) ===")
                print(json.dumps({k: v for k, v in res.items() if k != "queries"},
                                 indent=1, default=str))
            else:
                print_size(res)
            sys.stdout.flush()
            log(f"{n:,} done in {res['bench_seconds']:.0f} s")
            later = [s for s in sizes if s > n]
            if later and "newsgrep" in res:
                est = res["newsgrep"]["seconds"] * later[0] / n
                log(f"expect the {later[0]:,}-article newsgrep ingest to take about "
                    f"{est / 60:.0f} min at this size's rate")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    targets = evaluate_targets(results, args.target_size)
    print_targets(targets)
    total = time.perf_counter() - t_start
    print()
    print(f"Machine: {machine['nproc']} cores ({machine['cpu']}), {machine['ram_gb']:.1f} GiB "
          f"RAM, Python {machine['python']}, whoosh-reloaded {machine['whoosh_reloaded']}. "
          f"Total bench time {total / 60:.1f} min.")
    if machine["nproc"] != 2:
        print(f"Note: the targets are stated for 2 cores; this machine has {machine['nproc']}.")
    print("Corpus (see the docstring of scripts/bench.py and docs/benchmarks.md): base pool "
          f"{len(pool):,} articles from 5 shared sets, replicated with new titles, dates "
          "(2015-2024), 200 synthetic sources, shuffled paragraphs and ~3 % variant words.")
    print("Peak RSS: polled from /proc (max of the summed VmRSS of the process tree and the "
          "largest single VmHWM). MB = 10^6 bytes.")
    if args.out:
        payload = {"command": command, "date": datetime.now().isoformat(timespec="seconds"),
                   "machine": machine, "seed": args.seed, "total_seconds": total,
                   "pool": {"articles": len(pool), "bytes": pool_bytes},
                   "targets": targets, "sizes": {str(k): v for k, v in results.items()}}
        args.out.write_text(json.dumps(payload, indent=1, default=str) + "\n")
        log(f"figures written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
