"""HTML headline choice: the headline a reader sees, among the page's title fields.

One small hand-written page (or field set) per rule in html_title.pick_title, asserting the
title a user would see on that page.
"""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from newsgrep.html_title import pick_title
from newsgrep.normalize import normalize
from newsgrep.readers import parse_bytes

BODY = "".join(
    f"<p>The council approved the plan on Monday after a long debate about the budget. "
    f"This is paragraph number {i} of the story about the bridge.</p>"
    for i in range(6)
)


def html_page(*, ld: str = "", og: str = "", title: str = "", header: str = "",
              nav: str = "") -> str:
    head = f"<title>{title}</title>" if title else ""
    if og:
        head += f'<meta property="og:title" content="{og}">'
    if ld:
        obj = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": ld}
        head += f'<script type="application/ld+json">{json.dumps(obj)}</script>'
    return (f"<html><head>{head}</head><body><nav>{nav}</nav>"
            f"<article><header>{header}</header>{BODY}</article></body></html>")


def title_of(html: str) -> str:
    [raw] = parse_bytes("page.html", html.encode("utf-8"))
    return normalize(raw).title


# --- invisible characters -----------------------------------------------------------------


def test_soft_hyphens_and_zero_width_characters_are_dropped_from_titles():
    # Sites put hyphenation hints (U+00AD) and zero-width spaces into headlines; a reader
    # sees none of them, and a search for "Helikopterlandeplatz" must find the title.
    html = html_page(og="Trump plant Helikopter&shy;landeplatz\u200b beim Weissen\u2060 Haus")
    assert title_of(html) == "Trump plant Helikopterlandeplatz beim Weissen Haus"


def test_zero_width_non_joiner_is_kept():
    # Persian (and Indic scripts, emoji) need ZWNJ/ZWJ: removing them changes the word.
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 \u0628\u0631\u0648\u0645"
    assert pick_title(og_title=persian) == persian


# --- the printed headline wins when ld+json and og:title disagree --------------------------


def test_visible_h1_confirmed_by_og_title_beats_an_seo_ld_headline():
    html = html_page(
        ld="11 Best Sleeping Bags (2024): Ultralight, for Car Campers, for Kids",
        og="The Best Sleeping Bags for Every Adventure",
        header="<h1>The Best Sleeping Bags for Every Adventure</h1>",
    )
    assert title_of(html) == "The Best Sleeping Bags for Every Adventure"


def test_ld_headline_printed_as_h1_beats_a_share_card_og_title():
    html = html_page(
        ld="Starmer suggests he will continue taking gifts from donor",
        og="Starmer defiant over gifts",
        header="<h1>Starmer suggests he will continue taking gifts from donor</h1>",
    )
    assert title_of(html) == "Starmer suggests he will continue taking gifts from donor"


def test_h1_inside_navigation_or_breadcrumb_is_not_the_visible_headline():
    # The SEO <h1> in the breadcrumb trail repeats og:title; the page prints the ld+json
    # headline (here in an <h2>), so that is what the reader sees.
    ld = "Pendler sparen 60 Prozent bei Bus und Bahn"
    og = "Pendler zahlen 60 Prozent weniger"
    crumbs = f'<ol class="Breadcrumb_List"><li>Wirtschaft</li><li><h1>{og}</h1></li></ol>'
    html = html_page(ld=ld, og=og, nav=f"<h1>{og}</h1>", header=f"<h2>{ld}</h2>")
    assert title_of(html) == ld
    html = html_page(ld=ld, og=og, header=f"{crumbs}<h2>{ld}</h2>")
    assert title_of(html) == ld


def test_og_title_printed_as_headline_part_of_a_heading_wins():
    # No visible <h1>; the page prints kicker and headline as two parts of an <h2>, and the
    # headline part is og:title, not the ld+json wording.
    html = html_page(
        ld="Wie groß ist Evergrande, Chinas strauchelnder Immobilienriese?",
        og="6 Statistiken, die die Größe von Evergrande verdeutlichen",
        header=('<h2><span class="kicker">Immobilien</span>'
                "<span>6 Statistiken, die die Größe von Evergrande verdeutlichen</span></h2>"),
    )
    assert title_of(html) == "6 Statistiken, die die Größe von Evergrande verdeutlichen"


def test_og_title_printed_as_kicker_and_headline_parts_wins():
    # og:title is 'Kicker: Headline'; the <h2> prints the same two parts without the colon.
    og = "Technologie im Klassenzimmer: KI in der Schule – „Sie werden schneller“"
    html = html_page(
        ld='KI in der Schule - Kinder werden "schneller"',
        og=og,
        header=("<h2><span><em>Technologie im Klassenzimmer</em></span> "
                "<span>KI in der Schule – „Sie werden schneller“</span></h2>"),
    )
    assert title_of(html) == og


def test_kicker_part_with_its_own_hidden_separator_still_prints_the_title():
    # <h2><span>49-Euro-Ticket<span class="visually-hidden">: </span></span><span>…</span>
    ld = "49-Euro-Ticket: Pendler sparen 60 Prozent bei Bus und Bahn"
    og = "Pendler zahlen 60 Prozent weniger"
    headings = [("49-Euro-Ticket : Pendler sparen 60 Prozent bei Bus und Bahn",
                 ["49-Euro-Ticket :", "Pendler sparen 60 Prozent bei Bus und Bahn"]),
                (og, [og])]
    assert pick_title(ld, og, headings=headings) == ld  # both printed: the tie keeps ld+json


def test_neither_printed_keeps_the_ld_headline():
    assert pick_title("Ld wording of the story", "Og wording of the story") == (
        "Ld wording of the story")


# --- kickers ---------------------------------------------------------------------------------


def test_og_title_without_the_kicker_of_the_other_fields_wins():
    ld = "Neue Leipziger Schule: Judy Lybke, ganz und gar nicht eigenartig"
    html = html_page(ld=ld, og="Judy Lybke, ganz und gar nicht eigenartig",
                     title=f"{ld} - n-tv.de", header=f"<h1>{ld}</h1>")
    assert title_of(html) == "Judy Lybke, ganz und gar nicht eigenartig"


def test_quoted_kicker_is_dropped_too():
    assert pick_title('"Es wird bald beginnen": Trump spricht über Bodeneinsätze',
                      "Trump spricht über Bodeneinsätze") == "Trump spricht über Bodeneinsätze"


def test_a_kicker_longer_than_the_rest_is_part_of_the_headline():
    # 'Bridge over the river finally opens: crowds cheer' is one headline, not a kicker.
    title = "Bridge over the river finally opens: crowds cheer"
    assert pick_title(title, "crowds cheer") == title


def test_og_title_that_is_a_shortened_prefix_is_not_a_kicker_split():
    ld = "Your $1 bill could be worth THOUSANDS - here's how to check if you have it"
    assert pick_title(ld, "Your $1 bill could be worth THOUSANDS - here's how to check") == ld


def test_different_kickers_before_the_same_headline_leave_the_headline():
    # Metadata and the printed <h1> put different topic labels before the same words.
    head = "«Die israelische Zurückhaltung hat viel mit den USA zu tun»"
    html = html_page(
        og=f"Iranischer Angriff auf Israel: {head}",
        header=('<h1><span class="overline">Eskalation im Nahen Osten</span>'
                f'<span aria-hidden="true"> - </span><span>{head}</span></h1>'),
    )
    assert title_of(html) == head


def test_h1_differing_only_in_spacing_is_not_a_second_kicker():
    og = "समस्तीपुर पुलिस ने 2 बदमाशों को पकड़ा: दो दिनों के अंदर चोरी कांड का खुलासा"
    h1 = "समस्तीपुर पुलिस ने 2 बदमाशों को पकड़ा:दो दिनों के अंदर चोरी कांड का खुलासा"
    assert pick_title(og, og, h1) == og


# --- properties ------------------------------------------------------------------------------

FIELD = st.text(alphabet=st.sampled_from("ab :-|/–\u00ad\u200b«»\"'"), max_size=40)


@settings(max_examples=300, deadline=None)
@given(st.lists(FIELD, min_size=5, max_size=5),
       st.lists(st.tuples(FIELD, st.lists(FIELD, max_size=3)), max_size=3))
def test_pick_title_returns_words_of_a_field_and_never_raises(fields, headings):
    title = pick_title(*fields, site_names=(), headings=headings)
    words = [" ".join(f.replace("\u00ad", "").replace("\u200b", "").split()) for f in fields]
    if title is None:
        assert not any(words)
    else:
        assert title and title == " ".join(title.split())
        assert any(title in w for w in words)


@given(st.text(alphabet=st.sampled_from("abc de"), min_size=1, max_size=30))
def test_fields_that_agree_give_that_title(text):
    clean = " ".join(text.split())
    if clean:
        assert pick_title(clean, clean, clean, clean, clean) == clean
