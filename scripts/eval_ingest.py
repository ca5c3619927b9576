"""Measure ingest quality and speed against the shared corpora (internal-only data).

    python -m scripts.eval_ingest --shared ../shared        (or: make eval-ingest)

Prints one table: Fundus raw HTML pages vs Fundus' own extraction (date, title, body F1),
AllSides JSONL metadata (dates, sources, furniture lines), the seed articles' expected
values, and normalizer throughput. Nothing here is copied into the repository.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from newsgrep.article import RawDoc
from newsgrep.errors import SkipFile
from newsgrep.normalize import normalize
from newsgrep.readers import parse_bytes

_TOKEN = re.compile(r"\w+")
_TAGS = re.compile(r"<script\b.*?</script>|<style\b.*?</style>|<[^>]+>", re.S | re.I)


def _ws(s: str | None) -> str:
    return " ".join((s or "").split())


# Characters no reader sees (soft hyphen, zero-width space, word joiner, BOM): newsgrep drops
# them from titles, Fundus keeps them ("…ein bisschen Fortschritt\u200b"), so titles are
# compared without them.
_INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff]")


def same_title(got: str | None, want: str | None) -> bool:
    """Titles equal up to whitespace and invisible characters."""
    return _ws(_INVISIBLE.sub("", got or "")) == _ws(_INVISIBLE.sub("", want or ""))


def _tokens(s: str) -> list[str]:
    return _TOKEN.findall(s.lower())


def token_f1(pred: str, ref: str) -> float:
    p, r = Counter(_tokens(pred)), Counter(_tokens(ref))
    if not p or not r:
        return float(p == r)
    common = sum((p & r).values())
    if not common:
        return 0.0
    prec, rec = common / sum(p.values()), common / sum(r.values())
    return 2 * prec * rec / (prec + rec)


# ---------------------------------------------------------------- fundus


def fundus_pairs(root: Path) -> list[tuple[dict, Path]]:
    """Each Fundus record with the raw page it was extracted from.

    Records name their pages only by URL (`fixture_urls`, several when a publisher has
    several pages or parser versions); meta.info.json maps file names to URLs. Among the
    candidates, the page whose text shares most words with the record's body is the one.
    """
    records = [json.loads(line) for line in (root / "articles.jsonl").open(encoding="utf-8")]
    by_url: dict[tuple[str, str], Path] = {}
    for meta in (root / "raw_html").glob("*/meta.info.json"):
        for name, info in json.loads(meta.read_text(encoding="utf-8")).items():
            if (meta.parent / name).exists():  # meta.info lists a few pages not stored
                by_url[(meta.parent.name, info["url"])] = meta.parent / name
    page_words: dict[Path, set[str]] = {}

    def words(p: Path) -> set[str]:
        if p not in page_words:
            html = gzip.decompress(p.read_bytes()).decode("utf-8", "replace")
            page_words[p] = set(_tokens(_TAGS.sub(" ", html)))
        return page_words[p]

    pairs = []
    for rec in records:
        cands = [by_url[(rec["country"], u)] for u in rec["fixture_urls"]
                 if (rec["country"], u) in by_url]
        if not cands:
            continue
        ref = set(_tokens(rec["title"] + " " + rec["body"]))
        score, best = max((len(ref & words(p)) / (len(ref) or 1), p) for p in cands)
        if score >= 0.5:  # else the record's page is not among the stored ones
            pairs.append((rec, best))
    return pairs


def _fundus_date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value[:10]) if value else None


# The page's publication-date metadata: meta tags naming a publication date, ld+json
# datePublished/dateCreated and microdata itemprop="datePublished". Removed to measure the
# fallbacks (<time datetime>, URL path, htmldate) on pages that carry no date metadata.
_DATE_META = re.compile(r"<meta\b[^>]*(?:published|pubdate|publish|sailthru\.date|dc\.date|"
                        r"dcterms\.(?:created|date)|[\"']date[\"'])[^>]*>", re.I)
_LD_DATE = re.compile(r'"(?:datePublished|dateCreated)"\s*:\s*"[^"]*"\s*,?')
_ITEMPROP_DATE = re.compile(r"""itemprop=(["'])datePublished\1""", re.I)


def strip_date_metadata(html: str) -> str:
    html = _DATE_META.sub("", html)
    html = _LD_DATE.sub("", html)
    return _ITEMPROP_DATE.sub('itemprop="x"', html)


def eval_fundus_fallback(pairs: list[tuple[dict, Path]]) -> tuple[int, int, int]:
    """(pages with a Fundus date, dates found, dates right) on pages without date metadata."""
    n = found = right = 0
    for rec, page in pairs:
        want = _fundus_date(rec["date"])
        if want is None:
            continue
        n += 1
        html = gzip.decompress(page.read_bytes()).decode("utf-8", "replace")
        try:
            art = normalize(parse_bytes(str(page.with_suffix("")),
                                        strip_date_metadata(html).encode())[0])
        except SkipFile:
            continue
        found += art.date is not None
        right += art.date == want
    return n, found, right


def eval_fundus(root: Path) -> tuple[dict, list[dict], list[RawDoc]]:
    pairs = fundus_pairs(root)
    rows = []
    raws: list[RawDoc] = []
    t0 = time.perf_counter()
    parse_s = 0.0
    for rec, page in pairs:
        data = gzip.decompress(page.read_bytes())
        fake = str(page.with_suffix("")) if page.name.endswith(".gz") else str(page)
        t = time.perf_counter()
        try:
            docs = parse_bytes(fake, data)
            art = normalize(docs[0])
            raws.append(docs[0])
        except SkipFile as e:
            art, err = None, str(e)
        parse_s += time.perf_counter() - t
        ref_date = _fundus_date(rec["date"])
        row = {"id": rec["id"], "page": page.name}
        if art is None:
            row.update(date_ok=False, title_ok=False, f1=0.0, error=err)
        else:
            row.update(
                date_ok=art.date == ref_date,
                title_ok=same_title(art.title, rec["title"]),
                f1=token_f1(art.body, rec["body"]),
                got_date=str(art.date), want_date=str(ref_date),
                got_title=art.title, want_title=rec["title"], lang=art.lang,
                source=art.source,
            )
        rows.append(row)
    n = len(rows)
    res = {
        "pages": n,
        "date": sum(r["date_ok"] for r in rows) / n,
        "title": sum(r["title_ok"] for r in rows) / n,
        "f1": sum(r["f1"] for r in rows) / n,
        "with_lang": sum(1 for r in rows if r.get("lang")) / n,
        "with_source": sum(1 for r in rows if r.get("source")) / n,
        "with_date": sum(1 for r in rows if r.get("got_date") not in (None, "None")) / n,
        "parse_per_s": n / parse_s,
        "wall": time.perf_counter() - t0,
        "fallback": eval_fundus_fallback(pairs),
    }
    return res, rows, raws


# ---------------------------------------------------------------- allsides

_FURNITURE_PROBES = ("Sign up", "Advertisement", "Click here")
_LEAD = " \t([{*•–—-\"'“”"


def _furniture_lines(body: str) -> tuple[Counter, Counter]:
    """(short lines holding a probe phrase, lines that start with it or are at most 60 chars).

    The first count includes prose ("7 million will sign up by March 31"); the second is
    closer to the furniture itself ("Advertisement", "(Click here for updates.)").
    """
    anywhere: Counter = Counter()
    leading: Counter = Counter()
    for line in body.split("\n"):
        if len(line) >= 200:
            continue
        low = line.lower()
        for p in _FURNITURE_PROBES:
            if p.lower() in low:
                anywhere[p] += 1
                if len(line) <= 60 or low.lstrip(_LEAD).startswith(p.lower()):
                    leading[p] += 1
    return anywhere, leading


def _expected_allsides_date(value: str) -> tuple[dt.date | None, bool]:
    """(expected date, whether the value must be rejected as implausible)."""
    if not value:
        return None, False
    if m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{2})", value):
        return dt.date(2000 + int(m.group(3)), int(m.group(1)), int(m.group(2))), False
    d = dt.date.fromisoformat(value)
    if d.year < 1800 or d > dt.date.today():
        return None, True
    return d, False


def eval_allsides(root: Path) -> dict:
    path = root / "articles.jsonl"
    data = path.read_bytes()
    recs = [json.loads(line) for line in data.decode("utf-8").splitlines() if line.strip()]
    raws = parse_bytes(str(path), data)
    t = time.perf_counter()
    arts = [normalize(r) for r in raws]
    secs = time.perf_counter() - t
    assert len(arts) == len(recs)
    dates_ok = us_ok = us_n = rej_ok = rej_n = src_ok = 0
    before: Counter = Counter()
    after: Counter = Counter()
    lead_before: Counter = Counter()
    lead_after: Counter = Counter()
    bodies_before = bodies_after = 0
    for rec, art in zip(recs, arts, strict=True):
        want, reject = _expected_allsides_date(rec["date"])
        ok = art.date == want and (not reject or bool(art.warnings))
        dates_ok += ok
        if "/" in rec["date"]:
            us_n += 1
            us_ok += ok
        if reject:
            rej_n += 1
            rej_ok += ok
        src_ok += art.source == rec["source"].strip()
        (fb, lb), (fa, la) = _furniture_lines(rec["body"]), _furniture_lines(art.body)
        before.update(fb)
        after.update(fa)
        lead_before.update(lb)
        lead_after.update(la)
        bodies_before += bool(fb)
        bodies_after += bool(fa)
    n = len(recs)
    return {
        "records": n, "dates": dates_ok / n, "us": (us_ok, us_n), "rejected": (rej_ok, rej_n),
        "sources": src_ok / n, "furn_before": before, "furn_after": after,
        "lead_before": lead_before, "lead_after": lead_after,
        "bodies_before": bodies_before, "bodies_after": bodies_after, "per_s": n / secs,
    }


# ---------------------------------------------------------------- seeds

SEED_EXPECT: dict[str, dict[str, Any]] = {
    "000_2af2d4676b6d9f59.txt": {
        "title": "The military conflict in the Baltics will lead to the destruction",
        "date": dt.date(2022, 2, 1), "source": "BalticWord.com",
        "url": "https://www.balticword.com", "absent": (),
    },
    "004_15117f6641672c6c.txt": {
        "title": "Latvia has started coordinating the issue of possible plans of the United "
                 "States to send soldiers and armored vehicles to Eastern Europe",
        "date": None, "source": None, "url": None,
        "absent": ("Akismet", "Massacre", "Girgens"),
    },
}


def eval_seeds(root: Path) -> list[tuple[str, str, bool]]:
    out = []
    for name, want in SEED_EXPECT.items():
        p = root / name
        art = normalize(parse_bytes(str(p), p.read_bytes())[0])
        for field in ("title", "date", "source", "url"):
            got = getattr(art, field)
            shown = got.isoformat() if isinstance(got, dt.date) else repr(got)
            out.append((f"{name[:3]} {field}", shown, got == want[field]))
        for word in want["absent"]:
            out.append((f"{name[:3]} body lacks {word!r}", "", word not in art.body))
    return out


# ---------------------------------------------------------------- throughput


def throughput_bbc(root: Path) -> tuple[float, float, int]:
    files = sorted((root / "news").rglob("*.txt"))
    blobs = [(str(p), p.read_bytes()) for p in files]
    t = time.perf_counter()
    raws = [r for path, data in blobs for r in parse_bytes(path, data)]
    t_parse = time.perf_counter() - t
    t = time.perf_counter()
    for r in raws:
        normalize(r)
    t_norm = time.perf_counter() - t
    return len(raws) / (t_parse + t_norm), len(raws) / t_norm, len(raws)


def throughput_norm(raws: list[RawDoc]) -> float:
    t = time.perf_counter()
    for r in raws:
        normalize(r)
    return len(raws) / (time.perf_counter() - t)


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default="../shared", help="folder holding corpora/")
    ap.add_argument("--details", action="store_true", help="list every Fundus miss")
    args = ap.parse_args(argv)
    corpora = Path(args.shared) / "corpora"
    if not corpora.is_dir():
        print(f"no corpora under {args.shared}", file=sys.stderr)
        return 2
    normalize(parse_bytes("warm.txt", b"Warm up\n\nthe language model with some english text.")[0])

    fres, frows, fraws = eval_fundus(corpora / "fundus-multilingual")
    ares = eval_allsides(corpora / "allsides-abp")
    seeds = eval_seeds(corpora / "seeds")
    bbc_all, bbc_norm, bbc_n = throughput_bbc(corpora / "bbc-zitros")
    fundus_norm = throughput_norm(fraws)

    def pct(x: float) -> str:
        return f"{100 * x:.1f} %"

    def mark(ok: bool) -> str:
        return "ok" if ok else "MISS"

    rows = [
        ("fundus-multilingual raw_html", f"{fres['pages']} records/pages", "", ""),
        ("  date = Fundus date (day)", pct(fres["date"]), ">= 95 %", mark(fres["date"] >= .95)),
        ("  date found", pct(fres["with_date"]), "", ""),
        ("  without date metadata: found / = Fundus date",
         "{1}/{0} / {2}/{0}".format(*fres["fallback"]), "", ""),
        ("  title = Fundus title", pct(fres["title"]), ">= 95 %", mark(fres["title"] >= .95)),
        ("  body token F1 (mean)", f"{fres['f1']:.3f}", ">= 0.90", mark(fres["f1"] >= .90)),
        ("  lang detected", pct(fres["with_lang"]), "", ""),
        ("  source found", pct(fres["with_source"]), "", ""),
        ("allsides-abp", f"{ares['records']} records", "", ""),
        ("  dates as expected", pct(ares["dates"]), "100 %", mark(ares["dates"] == 1)),
        ("  M/D/YY dates right", "{}/{}".format(*ares["us"]), "all",
         mark(ares["us"][0] == ares["us"][1])),
        ("  impossible dates rejected", "{}/{}".format(*ares["rejected"]), "all",
         mark(ares["rejected"][0] == ares["rejected"][1])),
        ("  source kept", pct(ares["sources"]), "100 %", mark(ares["sources"] == 1)),
        ("  bodies with a probe line (<200 chars)",
         f"{ares['bodies_before']} -> {ares['bodies_after']}", "", ""),
    ]
    for p in _FURNITURE_PROBES:
        rows.append((f"    lines with {p!r} (any / leading or short)",
                     f"{ares['furn_before'][p]} -> {ares['furn_after'][p]} / "
                     f"{ares['lead_before'][p]} -> {ares['lead_after'][p]}", "", ""))
    rows.append(("seeds", "", "", ""))
    for label, got, ok in seeds:
        rows.append((f"  {label}", got if len(got) <= 40 else got[:37] + "...", "", mark(ok)))
    rows += [
        ("throughput, 1 process (articles/s per core)", "", "", ""),
        (f"  bbc-zitros .txt, read+normalize ({bbc_n})", f"{bbc_all:,.0f}/s", "", ""),
        ("  bbc-zitros, normalize only", f"{bbc_norm:,.0f}/s", "", ""),
        ("  fundus .html, parse_bytes+normalize", f"{fres['parse_per_s']:,.1f}/s", "", ""),
        ("  fundus, normalize only (after trafilatura)", f"{fundus_norm:,.0f}/s", "", ""),
        ("  allsides .jsonl, normalize only", f"{ares['per_s']:,.0f}/s", "", ""),
    ]
    w, v = max(len(r[0]) for r in rows), max(len(r[1]) for r in rows)
    print(f"{'measure':<{w}}  {'value':>{v}}  {'target':>8}")
    for a, b, c, d in rows:
        print(f"{a:<{w}}  {b:>{v}}  {c:>8}  {d}".rstrip())
    if args.details:
        for r in frows:
            if not (r["date_ok"] and r["title_ok"]) or r["f1"] < 0.8:
                print(json.dumps(r, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
