"""strip_furniture: comment forms, "Read also" lists and share/cookie/ad lines go, articles stay."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from newsgrep.furniture import strip_furniture

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "furniture"
SEED_004 = ROOT / "corpus" / "seeds" / "004_15117f6641672c6c.txt"
LANGS = ["en", "lv", "pl", "ru", "uk", "et", "lt", "de", "fr", "es", "it", "nl", "sv", "no", "da",
         "fi", "cs", "pt"]


def load(name: str) -> tuple[list[str], list[str], list[str]]:
    """(all paragraphs, article paragraphs, furniture paragraphs) of a fixture file."""
    paragraphs, article, furniture = [], [], []
    for raw in (FIXTURES / name).read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        tag, text = raw[:2], raw[2:].strip()
        assert tag in ("+ ", "- ") and text, f"{name}: bad fixture line {raw!r}"
        paragraphs.append(text)
        (article if tag == "+ " else furniture).append(text)
    return paragraphs, article, furniture


def is_subsequence(sub: list[str], seq: list[str]) -> bool:
    it = iter(seq)
    return all(any(x is y for y in it) for x in sub)


# --- the seed -----------------------------------------------------------------------------


def test_seed_004_shape():
    paragraphs, article, _ = load("seed_004_shape.txt")
    kept = strip_furniture(paragraphs)
    assert kept == article
    for word in ("Akismet", "Massacre", "Girgens", "Leave a Reply", "currently reading"):
        assert not any(word in line for line in kept), word


def test_real_seed_004():
    if not SEED_004.exists():
        pytest.skip("corpus/seeds/004 not present")
    lines = [ln.strip() for ln in SEED_004.read_text(encoding="utf-8").splitlines() if ln.strip()]
    body = lines[1:]  # the first line is the title
    kept = strip_furniture(body)
    cut = body.index("Others are currently reading")
    assert kept == body[:cut]
    assert len(kept) == 13
    for word in ("Akismet", "Massacre", "Girgens", "Leave a Reply"):
        assert not any(word in line for line in kept), word


# --- one fixture per language -------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_language_fixture(lang):
    paragraphs, article, furniture = load(f"{lang}.txt")
    assert len(article) >= 2 and len(furniture) >= 8
    kept = strip_furniture(paragraphs)
    assert kept == article, {"lost": [a for a in article if a not in kept],
                             "left": [f for f in kept if f in furniture]}


# Every list heading the module promises to know, standalone and with an inline headline.
MARKERS = [
    "Others are currently reading", "Read also", "Read more", "Related", "Related articles",
    "Related stories", "More stories", "More from The Baltic Times", "You may also like",
    "Most read", "Popular", "Recommended",
    "Lasiet arī", "Czytaj także", "Czytaj też", "Zobacz też", "Читайте также", "Читайте еще",
    "Смотрите также", "Читайте також", "Loe ka", "Loe lisaks", "Skaitykite taip pat",
    "Taip pat skaitykite", "Lesen Sie auch", "Auch interessant", "Mehr zum Thema", "Lire aussi",
    "À lire aussi", "Lee también", "Te puede interesar", "Leggi anche", "Lees ook", "Läs också",
    "Les også", "Læs også", "Lue myös", "Čtěte také", "Přečtěte si také", "Leia também",
    "Leia mais",
]
BEFORE = "The ministry confirmed the figures in a statement on Monday."
AFTER = "Officials said further talks would take place in Vilnius next month."


@pytest.mark.parametrize("marker", MARKERS)
@pytest.mark.parametrize("decorate", ["{}", "{}:", "{}…", "{} →", "» {} »", "{}...", "UPPER"])
def test_list_marker_block(marker, decorate):
    heading = marker.upper() if decorate == "UPPER" else decorate.format(marker)
    lines = [BEFORE, heading, "Baltic ministers meet in Riga", "Fuel prices rise again", AFTER]
    assert strip_furniture(lines) == [BEFORE, AFTER]


@pytest.mark.parametrize("marker", MARKERS)
def test_inline_marker_drops_only_its_line(marker):
    lines = [BEFORE, f"{marker}: Baltic ministers meet in Riga", "Weather Update", AFTER]
    # "Weather Update" looks like a headline, but it is not under a standalone heading
    assert strip_furniture(lines) == [BEFORE, "Weather Update", AFTER]


def test_block_stops_at_first_body_paragraph():
    lines = [BEFORE, "Read also", "Baltic ministers meet in Riga", "Short body line.",
             "A subheading", AFTER]
    assert strip_furniture(lines) == [BEFORE, "Short body line.", "A subheading", AFTER]


def test_question_headline_inside_list_is_dropped_but_not_before_body():
    listed = [BEFORE, "Related", "Is Riga ready for winter?", "Fuel prices rise again", AFTER]
    assert strip_furniture(listed) == [BEFORE, AFTER]
    body = [BEFORE, "Related", "Fuel prices rise again", "What happens next?", AFTER]
    assert strip_furniture(body) == [BEFORE, "What happens next?", AFTER]


def test_quoted_body_paragraph_ends_the_block():
    quote = "“We will not leave,” the minister said. “Not now, not ever.”"
    lines = [BEFORE, "Read more", "Baltic ministers meet in Riga", quote, AFTER]
    assert strip_furniture(lines) == [BEFORE, quote, AFTER]


def test_long_line_ends_the_block_even_without_punctuation():
    long_line = "word " * 60 + "and no full stop at the end"
    lines = ["Related", "Baltic ministers meet in Riga", long_line]
    assert strip_furniture(lines) == [long_line]


@pytest.mark.parametrize("tail", [
    "Leave a Reply", "Leave a Reply Cancel reply", "Leave a comment", "Add comment",
    "Post a comment", "Comments (12)", "12 Comments", "Комментарии", "Dodaj komentarz",
    "Kommentare (3)", "Laisser un commentaire", "Deja una respuesta", "Lisa kommentaar",
])
def test_tail_markers_cut_the_rest(tail):
    lines = [BEFORE, AFTER, tail, "Great article, thanks.", "John: I disagree with this."]
    assert strip_furniture(lines) == [BEFORE, AFTER]


@pytest.mark.parametrize("line", [
    "Advertisement", "ADVERTISEMENT", "Advertisement:", "— Advertisement —",
    "Story continues below",
    "Share this:", "Share on Facebook", "Share", "Tweet", "Share Tweet Email",
    "Facebook | Twitter | WhatsApp", "Subscribe to our newsletter", "Sign up for our newsletter",
    "Sign up for Daily Newsletters Manage Newsletters", "Follow us on Instagram",
    "Follow Jane Doe on Twitter @janedoe", "Click here to subscribe",
    "For more coverage, click here.", "Don't see the graphic? Click here.",
    "We use cookies to give you the best experience.", "This website uses cookies.",
    "© 2022 Baltic News Network", "©2022 Example", "Copyright © 2019 Example Times, LLC.",
    "Copyright 2017 The Associated Press. All rights reserved.",
    "Your email address will not be published. Required fields are marked *",
    "Required fields are marked *", "Save my name, email, and website in this browser.",
    "This site uses Akismet to reduce spam. Learn how your comment data is processed.",
    "Some unrelated headline about the elections Read more",
    "ProPublica is a newsroom. Sign up to receive our biggest stories.",
    "Подписывайтесь на нас в Telegram", "Реклама", "Anzeige", "Publicité", "Klicken Sie hier",
    "Kliknij tutaj, aby przeczytać więcej", "Sekite mus Facebook", "Jälgi meid Instagramis",
])
def test_single_furniture_lines_anywhere(line):
    assert strip_furniture([BEFORE, line, AFTER]) == [BEFORE, AFTER]


# --- real sentences that merely mention furniture words ------------------------------------

BODY_SENTENCES = [
    "Protesters signed up for the march.",
    "Click here, he wrote, was the worst UI ever.",
    "Sign up numbers for the programme rose sharply in May.",
    "Related talks between the two ministries are expected to continue next week.",
    "Two related cases are still pending before the court.",
    "Read also the full report, which the commission published in May.",
    "Officials said they would share more details on Friday.",
    "Share prices fell 3% on Monday after the announcement.",
    "The regulator fined the company for placing cookies without consent.",
    "“We use cookies only for essential functions,” a spokesperson said.",
    "Many readers subscribe to several newspapers at once, the survey found.",
    "Subscribers can read more.",
    "Advertisement spending fell by 12 percent last year.",
    "The advertisement, which ran in three newspapers, drew complaints.",
    "Copyright law was reformed in 2019 after years of debate.",
    "More than 100 people attended the meeting.",
    "Related-party transactions were at the centre of the audit.",
    "More - much more - was at stake than the budget.",
    "Popular anger over fuel prices has grown since the summer.",
    "Читайте также мнение экспертов, опубликованное в прошлом году.",
    "Die Anzeige wurde am Montag bei der Polizei erstattet.",
    "Reklama telewizyjna kosztowała partię ponad milion złotych.",
    "Tilaa on rajallisesti, joten ilmoittautuminen kannattaa tehdä ajoissa.",
]


@pytest.mark.parametrize("sentence", BODY_SENTENCES)
def test_body_sentences_survive(sentence):
    lines = [BEFORE, sentence, AFTER]
    assert strip_furniture(lines) == lines


def test_furniture_words_inside_long_paragraph_survive():
    para = ("The redesign drew complaints from the start. Click here, he wrote, was the worst UI "
            "ever, and readers who had signed up for the newsletter were asked to share their "
            "cookies settings, which many found confusing. Related complaints followed, and an "
            "advertisement for the new app was withdrawn. All rights reserved, the notice said.")
    assert len(para) > 200
    assert strip_furniture([para]) == [para]


def test_body_after_mid_article_furniture_is_kept():
    lines = [BEFORE, "Advertisement", "Read also: Ministers meet in Riga", AFTER,
             "Most read", "Baltic ministers meet in Riga", BEFORE]
    assert strip_furniture(lines) == [BEFORE, AFTER, BEFORE]


# --- robustness ---------------------------------------------------------------------------


def test_odd_inputs_do_not_raise():
    assert strip_furniture([]) == []
    assert strip_furniture(None) == []  # type: ignore[arg-type]
    weird = [1, "Advertisement"]
    assert strip_furniture(weird) == weird  # type: ignore[arg-type]
    assert strip_furniture(["\x00", "\ud800", "Related", "\u200b", "x" * 100_000]) is not None


def test_fast_enough():
    _, article, furniture = load("en.txt")
    paragraphs = (article + furniture) * 200 + [BEFORE * 3] * 2000
    start = time.perf_counter()
    strip_furniture(paragraphs)
    per_paragraph = (time.perf_counter() - start) / len(paragraphs)
    assert per_paragraph < 100e-6  # about 5 µs on a laptop; generous for slow CI machines


lines_strategy = st.lists(st.text().map(str.strip).filter(bool))


@given(lines_strategy)
def test_property_never_raises_and_returns_subsequence(paragraphs):
    kept = strip_furniture(paragraphs)
    assert isinstance(kept, list)
    assert is_subsequence(kept, paragraphs)


FURNITURE_BLOCK = load("seed_004_shape.txt")[2] + load("en.txt")[2][-8:]


@settings(suppress_health_check=[HealthCheck.filter_too_much])
@given(st.lists(st.text().map(lambda s: s.strip() + "."), min_size=1, max_size=8))
def test_property_appended_furniture_goes_article_stays(article):
    assume(strip_furniture(article) == article)  # the article alone is not furniture
    kept = strip_furniture(article + FURNITURE_BLOCK)
    assert kept == article
    assert not any(line in kept for line in FURNITURE_BLOCK if line not in article)


# --- the pattern data stays well-formed as people extend it --------------------------------


def test_pattern_data_is_lowercase_and_compiles():
    import re

    from newsgrep import furniture_words as F

    regex_groups = [F.TAIL_MARKERS, F.LIST_MARKERS, F.FURNITURE_EXACT, F.SHARE_WORDS,
                    F.FURNITURE_PREFIX, F.FURNITURE_SENTENCE_START]
    plain_groups = [F.FURNITURE_PHRASES, F.FURNITURE_LINE_END, F.FURNITURE_LINK_SUFFIX]
    for group in regex_groups + plain_groups:
        for lang, fragments in group.items():
            assert fragments and isinstance(fragments, tuple), lang
            for f in fragments:
                without_escapes = re.sub(r"\\.", "", f)
                assert without_escapes == without_escapes.lower(), (lang, f)
    for group in regex_groups:
        for fragments in group.values():
            for f in fragments:
                re.compile(f)


def test_bracketed_and_doubled_furniture_lines_are_dropped():
    body = ["The council voted on Monday.", "Advertisement Advertisement",
            "(Click here for latest updates.)", "[Sign up for our politics newsletter]",
            "(The vote was 7 to 2.)", "Members will meet again in May."]
    assert strip_furniture(body) == ["The council voted on Monday.", "(The vote was 7 to 2.)",
                                     "Members will meet again in May."]
