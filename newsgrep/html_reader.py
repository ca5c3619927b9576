"""Read one HTML page into a RawDoc: the main text, and the page's own metadata.

trafilatura finds the main text; title, date, URL and site name come from the page's
ld+json, <meta> and <link> tags (the headline rules live in html_title.py), the date
falling back to a <time> element and then to htmldate.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .article import RawDoc
from .authors import authors
from .decode import clean_text, html_line
from .errors import SkipFile
from .html_title import page_title

if TYPE_CHECKING:
    from lxml.html import HtmlElement


def read_html(path: str, html: str) -> RawDoc:
    """The article of one HTML page: its main text, and title, date, URL and site from its
    metadata. SkipFile when the page holds neither text nor a title."""
    # trafilatura finds the main text and drops navigation, cookie banners and
    # related-article lists: hand-written rules would not. The page's own metadata
    # (ld+json, Open Graph, <h1>) names title, date and site better than its heuristics,
    # and reading it ourselves is ~35 ms cheaper per page than trafilatura's metadata pass.
    import trafilatura
    from trafilatura.utils import load_html

    try:
        tree = load_html(html)
    except Exception:  # lxml on hostile markup: treat as "no article", never crash the run
        tree = None
    if tree is None:
        raise SkipFile("no article text found in HTML")
    try:
        meta = _page_meta(tree)
    except Exception:  # metadata is a bonus: odd markup must not cost the article text
        meta = PageMeta()
    try:
        doc = trafilatura.bare_extraction(
            tree, url=meta.url, with_metadata=False, include_comments=False,
            include_tables=True, favor_precision=True,
        )
    except Exception:  # third-party extractor on arbitrary markup: treat as "no text"
        doc = None
    # trafilatura 2.x returns a Document, 1.x a dict (pyproject allows both)
    text = doc.get("text") if isinstance(doc, dict) else getattr(doc, "text", None)
    if not (text or meta.title):
        raise SkipFile("no article text found in HTML")
    # Without date metadata: the page's first <time datetime> (what its byline shows), then
    # htmldate (URL path /2022/02/01/, other tags, date expressions near the top).
    date = meta.date or _time_element(tree) or _htmldate(tree, meta.url)
    return RawDoc(
        path=path,
        title=meta.title,
        body=clean_text(text or ""),
        date=date,
        url=meta.url,
        source=meta.site_name,
        author=meta.author,
    )


# ---------------------------------------------------------------- page metadata

# Publication-date fields in the order sites fill them reliably; ld+json comes first.
_META_DATE_KEYS = (
    "article:published_time", "og:published_time", "article:published", "datepublished",
    "publishdate", "publish-date", "publish_date", "pubdate", "parsely-pub-date",
    "sailthru.date", "dc.date.issued", "dc.date", "dcterms.created", "dcterms.date", "date",
)
_ARTICLE_TYPES = ("article", "posting", "report")  # NewsArticle, BlogPosting, Report ...


@dataclass
class PageMeta:
    """What a page says about its article in its own metadata."""

    title: str | None = None
    date: str | None = None
    url: str | None = None
    site_name: str | None = None
    author: str | None = None


# Byline <meta> names, after the article's ld+json `author`; `article:author` is often a
# profile URL, which is not a name.
_META_AUTHOR_KEYS = ("author", "article:author", "parsely-author", "sailthru.author",
                     "dc.creator", "dcterms.creator", "byl")


def _page_author(art: dict, meta: dict[str, str]) -> str | None:

    found = authors(art.get("author"))
    if found:
        return found
    for key in _META_AUTHOR_KEYS:
        value = html_line(meta.get(key))
        if value and not value.startswith(("http://", "https://")):
            return authors(value.removeprefix("By ").removeprefix("by "))
    return None


def _ld_objects(tree: HtmlElement) -> list[dict]:
    """Every JSON object in the page's ld+json blocks (including @graph members)."""
    out: list[dict] = []
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "", strict=False)
        except (ValueError, RecursionError):
            continue
        stack = [data]
        while stack and len(out) < 200:
            x = stack.pop()
            if isinstance(x, list):
                stack.extend(reversed(x))
            elif isinstance(x, dict):
                out.append(x)
                if isinstance(x.get("@graph"), list):
                    stack.extend(reversed(x["@graph"]))
    return out


def _is_article(obj: dict) -> bool:
    t = obj.get("@type")
    types = t if isinstance(t, list) else [t]
    return any(isinstance(x, str) and any(a in x.lower() for a in _ARTICLE_TYPES)
               for x in types)


def _page_meta(tree: HtmlElement) -> PageMeta:
    """Title, publication date, canonical URL and site name from the page's own metadata."""
    meta: dict[str, str] = {}
    for el in tree.xpath("//meta[@content]"):
        key = el.get("property") or el.get("name") or el.get("itemprop")
        if key:
            meta.setdefault(key.strip().lower(), el.get("content") or "")
    objs = _ld_objects(tree)
    arts = [o for o in objs if _is_article(o)] or [o for o in objs if "headline" in o]
    art = arts[0] if arts else {}

    url = None
    for href in tree.xpath('//link[@rel="canonical"]/@href'):
        if href.startswith("http"):
            url = href.strip()
            break
    url = url or (meta.get("og:url") or "").strip() or None
    if url is None and isinstance(art.get("url"), str) and art["url"].startswith("http"):
        url = art["url"]

    pub = art.get("publisher")
    pub_name = pub.get("name") if isinstance(pub, dict) else None
    site = (html_line(meta.get("og:site_name")) or html_line(pub_name)
            or html_line(meta.get("application-name")))

    title = page_title(tree, meta, art,
                       (site, html_line(pub_name), meta.get("twitter:site", "").lstrip("@")), url)
    # Microdata on any element: <time itemprop="datePublished" datetime="…">
    micro = [el.get("datetime") or el.get("content") or el.text_content()
             for el in tree.xpath('//*[@itemprop="datePublished"]')[:1]]
    date = None
    for value in (art.get("datePublished"), art.get("dateCreated"),
                  *(meta.get(k) for k in _META_DATE_KEYS), *micro):
        if isinstance(value, str) and value.strip():
            date = value.strip()
            break
    return PageMeta(title=title, date=date, url=url, site_name=site or None,
                    author=_page_author(art, meta))


# Dates in navigation, asides and footers belong to other articles or to the site.
_OUTSIDE_ARTICLE = "ancestor::*[self::nav or self::aside or self::footer]"
_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")


def _time_element(tree: HtmlElement) -> str | None:
    """The datetime of the page's first <time> outside navigation, asides and footers.

    htmldate ranks ld+json `dateModified` above it, which gives the date of the last edit
    (on Fundus pages stripped of their publication metadata: 214 -> 232 of 257 right).
    """
    try:
        for el in tree.xpath("//time[@datetime]"):
            value = (el.get("datetime") or "").strip()
            # A year, or it is a time of day or a duration ("PT5M"): not the date
            if _YEAR.search(value) and not el.xpath(_OUTSIDE_ARTICLE):
                return value
    except Exception:  # lxml on hostile markup: no date rather than a crash
        return None
    return None


def _htmldate(tree: HtmlElement, url: str | None = None) -> str | None:
    """htmldate's guess, for pages that carry no date metadata; `url` lets it read the
    date in the URL path (/2022/02/01/)."""
    try:
        from copy import deepcopy

        from htmldate import find_date

        # Without the page's navigation, asides and footer: their dates are other articles'
        # (a related story's <time>) or the site's (an update stamp, the copyright year).
        tree = deepcopy(tree)
        for el in tree.xpath("//nav|//aside|//footer"):
            if el.getparent() is not None:
                el.getparent().remove(el)
        return find_date(tree, extensive_search=False, original_date=True, url=url)
    except Exception:  # third-party heuristics on arbitrary markup: no date rather than a crash
        return None
