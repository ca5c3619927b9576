"""The headline a reader sees, chosen among an HTML page's title fields and headings.

Pages name their article in several places that often disagree: the ld+json `headline`,
Open Graph and Twitter titles written for share cards, <title> with the site's name behind
it, and the <h1> the reader sees, sometimes behind a kicker (a topic label). `page_title`
gathers them from a parsed page; `pick_title` holds the rules, on plain strings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

from .decode import html_line
from .urls import domain_of

if TYPE_CHECKING:
    from lxml.html import HtmlElement


# An <h1> inside navigation or a breadcrumb trail names the page in the trail (sites put an
# SEO title there, often hidden); it is not the headline the reader sees.
_IN_NAV = ("ancestor-or-self::*[self::nav or contains(@itemtype, 'BreadcrumbList') or "
           "contains(translate(@class, 'BREADCRUMB', 'breadcrumb'), 'breadcrumb')]")
# Separators between a headline and the site name/section in <title>/og:title.
_TITLE_TAIL = re.compile(r"^(.{8,}?)\s+(?:[|·•»–—-]|::)\s+([^|·•»–—]{1,60})$")
_ALNUM = re.compile(r"[\W_]+")


def _name_key(s: str) -> str:
    return _ALNUM.sub("", s.lower())


def _strip_site(title: str, names: set[str]) -> str:
    """'Headline | Site' / 'Headline - Site.de' / 'Headline | DW | 28.04.2023' -> 'Headline'."""
    for _ in range(3):
        m = _TITLE_TAIL.match(title)
        if not m:
            break
        tail = m.group(2).strip()
        key = _name_key(tail)
        is_site = bool(key) and any(
            key == n or (len(n) >= 3 and (key.startswith(n) or n.startswith(key)))
            for n in names
        )
        if not (is_site or key.isdigit() or tail.lower().startswith("by ")):
            break
        title = m.group(1).strip()
    return title


_SUFFIX_SEPS = "|-–—:：｜·•*/"


def _drop_suffix(title: str, others: list[str]) -> str:
    """'Headline | Sport' -> 'Headline' when another candidate is just 'Headline'."""
    for other in others:
        if len(other) >= 8 and len(other) < len(title) and title.startswith(other):
            rest = title[len(other):].lstrip()
            if rest[:1] in _SUFFIX_SEPS:
                return other
    return title


_KICKER_SEPS = ":|-–—/"


def _kicker_split(title: str, headline: str) -> bool:
    """Whether `title` is `headline` behind a kicker: 'Iran attacks Israel: <headline>'.

    The kicker (German "Dachzeile", English "eyebrow") is the short topic label news pages
    print above or before the headline; it must be shorter than the headline it labels.
    """
    n = len(headline)
    if n < 10 or n >= len(title) or not title.endswith(headline) or not title[-n - 1].isspace():
        return False
    head = title[:-n].rstrip()
    kicker = head[:-1].strip()
    return head[-1:] in _KICKER_SEPS and 0 < len(kicker) < n and len(kicker) <= 60


def _shared_headline(title: str, h1: str) -> str:
    """Metadata 'Kicker A: Headline' and visible <h1> 'Kicker B - Headline' -> 'Headline'.

    When the page shows a different kicker than its metadata puts before the same words,
    the kickers are interchangeable topic labels and the shared words are the headline.
    """
    n = 0
    while n < min(len(title), len(h1)) and title[-1 - n] == h1[-1 - n]:
        n += 1
    shared = title[len(title) - n:].lstrip(_KICKER_SEPS + " ")
    if _kicker_split(title, shared) and _kicker_split(h1, shared):
        k1, k2 = _name_key(title[:-len(shared)]), _name_key(h1[:-len(shared)])
        if k1 and k2 and k1 not in k2 and k2 not in k1:
            return shared
    return title


Heading = tuple[str, list[str]]  # a heading's text, and the texts of its parts in order


def _headings(tree: HtmlElement) -> Iterator[Heading]:
    """The <h1>/<h2> headings outside navigation, each with its parts.

    Parts are the heading's child elements and loose text runs, so a heading printed as
    <span>Kicker</span><span>Headline</span> gives ['Kicker', 'Headline'].
    """
    for h in tree.xpath("//h1|//h2"):
        if h.xpath(_IN_NAV):
            continue
        parts = [html_line(h.text)]
        for child in h:
            if isinstance(child.tag, str) and child.tag not in ("meta", "link", "script", "style"):
                parts.append(html_line(child.text_content()))
            parts.append(html_line(child.tail))
        yield html_line(h.text_content()), [x for x in parts if x]


def _shows(heading: Heading, title: str) -> bool:
    """Whether the heading prints `title`: whole, as its headline part after a kicker part,
    or as kicker and headline parts that `title` joins with a separator ('Kicker: Headline')."""
    text, parts = heading
    if title == text:
        return True
    if len(parts) < 2:
        return False
    # The kicker part may carry its own (often visually hidden) separator: '49-Euro-Ticket :'
    kicker, headline = parts[0].rstrip(_KICKER_SEPS + " "), parts[-1]
    if title == headline:
        return True
    if len(title) < len(kicker) + len(headline):
        return False
    middle = title[len(kicker):len(title) - len(headline)].strip()
    return (title.startswith(kicker) and title.endswith(headline)
            and (middle == "" or (len(middle) == 1 and middle in _KICKER_SEPS)))


def _shown_rank(title: str, h1: str, headings: list[Heading]) -> int:
    """2: the page's visible <h1>; 1: printed by another heading; 0: not on the page."""
    if title == h1:
        return 2
    return int(any(_shows(h, title) for h in headings))


def pick_title(ld_headline: str = "", og_title: str = "", h1: str = "",
               twitter_title: str = "", title_tag: str = "",
               site_names: Iterable[str] = (), headings: Iterable[Heading] = ()) -> str | None:
    """The headline a reader sees, chosen among a page's title fields.

    The fields are the ld+json `headline`, the Open Graph title, the page's first <h1>
    outside navigation, the Twitter title and <title>, as written in the page.
    `site_names` are `_name_key`s of the site's names, whose suffixes are removed;
    `headings` are the page's <h1>/<h2> headings outside navigation (see `_headings`),
    read only when the ld+json headline and the Open Graph title differ.
    """
    names = set(site_names)
    ld, og, h1, tw, tag = (_strip_site(html_line(c), names) if c else ""
                           for c in (ld_headline, og_title, h1, twitter_title, title_tag))
    cands = [c for c in (ld, og, h1, tw, tag) if c]
    if not cands:
        return None
    # The article's own ld+json headline first; 'Headline | Section' loses the section when
    # another field holds the bare headline.
    title = _drop_suffix(cands[0], cands[1:])
    # When the ld+json headline and the Open Graph title disagree, the one the page prints
    # as its headline (the <h1>, else another heading) is what the reader sees; the other
    # was written for search engines or share cards ("11 Best Sleeping Bags (2024): …" in
    # ld+json, "The Best Sleeping Bags for Every Adventure" in og:title and <h1>).
    if og and og != title:
        heads = list(headings)
        if _shown_rank(og, h1, heads) > _shown_rank(title, h1, heads):
            title = og
    # The Open Graph title is the headline without the kicker the other fields put first
    # ("Neue Leipziger Schule: Judy Lybke, …" -> "Judy Lybke, …"): the kicker is a topic
    # label printed above the headline, not part of it.
    if og and _kicker_split(title, og):
        title = og
    return _shared_headline(title, h1) if h1 else title


def page_title(tree: HtmlElement, fields: Mapping[str, str], ld_article: Mapping[str, object],
               site_names: Iterable[str], url: str | None) -> str | None:
    """The headline of a parsed page, or None when it names none.

    `fields` are its <meta> contents by lower-case name, `ld_article` its ld+json article
    object, `site_names` the names the site goes by; the URL's host names the site too.
    """
    names = {_name_key(x) for x in site_names}
    if url:
        host = domain_of(url) or ""
        names |= {_name_key(host), *(_name_key(p) for p in host.split(".")[-3:-1])}
    names.discard("")

    h1 = next((t for h in tree.xpath("//h1")
               if not h.xpath(_IN_NAV) and (t := html_line(h.text_content()))), "")
    title_tag = next((t for h in tree.xpath("//title") if (t := html_line(h.text_content()))), "")
    return pick_title(html_line(ld_article.get("headline")), html_line(fields.get("og:title")),
                      h1, html_line(fields.get("twitter:title")), title_tag, names,
                      _headings(tree))
