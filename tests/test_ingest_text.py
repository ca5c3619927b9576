"""Ingest details: decoding, Source lines, bare URLs, date lines, JSON and HTML metadata."""

from __future__ import annotations

import datetime as dt
import json
import os
import unicodedata

import pytest

from newsgrep.decode import decode_bytes
from newsgrep.errors import SkipFile
from newsgrep.normalize import normalize
from newsgrep.readers import parse_bytes, read_file
from newsgrep.sources import parse_source_value

D = dt.date
BODY = "The council approved the plan on Monday after a long debate about the budget."


def one(name: str, data: bytes | str):
    if isinstance(data, str):
        data = data.encode("utf-8")
    [raw] = parse_bytes(name, data)
    return normalize(raw)


# --- decoding -----------------------------------------------------------------------------

LATVIAN = "Rīgas dome pirmdien apstiprināja plānu būvēt jaunu tramvaja līniju uz Skanstes."
RUSSIAN = "Мэрия Новосибирска объявила о капитальном ремонте трёх городских мостов."
POLISH = "Radni Gdańska po długiej debacie przyjęli we wtorek budżet miasta na ten rok."
SPANISH = "Las bibliotecas de Valencia abrirán los domingos, según el Ayuntamiento español."
GERMAN = "Der Senat hat am Montag ein Programm für neue Radwege an der Elbe vorgestellt."


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (LATVIAN, "cp1257"), (RUSSIAN, "cp1251"), (RUSSIAN, "koi8_r"), (POLISH, "cp1250"),
        (SPANISH, "latin-1"), (GERMAN, "latin-1"), (GERMAN, "cp1252"),
        (LATVIAN, "utf-16"), (RUSSIAN, "utf-16-le"), (RUSSIAN, "utf-16-be"),
        (POLISH, "utf-8-sig"), (SPANISH, "utf-8"),
    ],
)
def test_decodes_any_encoding(text, encoding):
    data = ("Title\n\n" + text + "\n" + text + "\n").encode(encoding)
    assert text in decode_bytes(data)


def test_declared_html_charset_is_used():
    html = '<html><head><meta charset="windows-1251"></head><body><p>Привет, мир</p></body></html>'
    assert "Привет, мир" in decode_bytes(html.encode("cp1251"))


def test_line_endings_nfc_and_control_characters():
    decomposed = unicodedata.normalize("NFD", "Łódź Anušauskas")
    text = decode_bytes(f"a\r\nb\rc\n{decomposed}\x1b[31mred\x1b[0m\u202e\x07".encode())
    assert text == "a\nb\nc\nŁódź Anušauskasred"


@pytest.mark.parametrize("data", [b"", b"   \n\t", b"\x00\x01\x02\x03binary\x00" * 20])
def test_not_text_is_skipped(data):
    with pytest.raises(SkipFile):
        decode_bytes(data)


# --- Source lines -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "source", "url"),
    [
        ("Source: BalticWord.com", "BalticWord.com", None),
        ("Source: [BalticWord.com](https://www.balticword.com)", "BalticWord.com",
         "https://www.balticword.com"),
        ("Quelle: https://www.tagesschau.de/inland/x.html", "tagesschau.de",
         "https://www.tagesschau.de/inland/x.html"),
        ("Źródło: [Gazeta](https://gazeta.example.pl/a)", "Gazeta", "https://gazeta.example.pl/a"),
        ("Avots: LSM.lv", "LSM.lv", None),
        ("Šaltinis: https://www.lrt.lt/naujienos/1", "lrt.lt", "https://www.lrt.lt/naujienos/1"),
        ("Allikas: ERR", "ERR", None),
        ("Источник: РИА Новости", "РИА Новости", None),
        ("SOURCE : Reuters", "Reuters", None),
        ("**Source:** [Meduza](https://meduza.io/a)", "Meduza", "https://meduza.io/a"),
        ("*Source: Reuters*", "Reuters", None),
        ("Source: <https://www.bbc.co.uk/news/1>", "bbc.co.uk", "https://www.bbc.co.uk/news/1"),
        ("Source: BBC News (https://www.bbc.co.uk/news/1)", "BBC News",
         "https://www.bbc.co.uk/news/1"),
        ('Source: [Meduza](https://meduza.io/a "Meduza")', "Meduza", "https://meduza.io/a"),
        ("Source: [](https://meduza.io/a)", "meduza.io", "https://meduza.io/a"),
    ],
)
def test_source_line_forms(line, source, url):
    art = one("a.txt", f"A title\n\n{BODY}\n\n{line}\n")
    assert (art.source, art.url) == (source, url)
    assert art.body == BODY


def test_source_line_at_the_top_is_taken_and_removed():
    art = one("a.txt", f"A title\n1 lutego 2022\nŹródło: Gazeta Bałtycka\n\n{BODY}\n")
    assert (art.date, art.source, art.body) == (D(2022, 2, 1), "Gazeta Bałtycka", BODY)


def test_outlet_cited_in_the_body_is_not_the_source():
    text = (f"A title\n\n{BODY}\n\nThe New York Times reported on Sunday, citing officials.\n\n"
            "According to The Times, Britain is considering sending more troops.\n")
    art = one("a.txt", text)
    assert art.source is None and art.url is None


def test_source_sentence_in_the_middle_of_a_long_body_is_body():
    paras = [f"{BODY} Paragraph {i}." for i in range(30)]
    paras.insert(15, "Source: World Bank estimates for 2021")
    art = one("a.txt", "A title\n\n" + "\n\n".join(paras))
    assert art.source is None
    assert "Source: World Bank estimates for 2021" in art.body


def test_bare_url_at_top_and_bottom():
    top = one("a.txt", f"https://www.site.example/a\n\nA title\n\n{BODY}\n")
    assert (top.title, top.url, top.source, top.body) == (
        "A title", "https://www.site.example/a", "site.example", BODY)
    bottom = one("a.md", f"# A title\n\n{BODY}\n\nhttps://news.example.org/b\n")
    assert (bottom.title, bottom.url, bottom.source, bottom.body) == (
        "A title", "https://news.example.org/b", "news.example.org", BODY)


def test_url_inside_a_sentence_stays_in_the_body():
    line = "Details are at https://www.site.example/report, the ministry said."
    art = one("a.txt", f"A title\n\n{BODY}\n\n{line}\n")
    assert art.url is None and line in art.body


def test_parse_source_value_plain_name_with_spaces():
    assert parse_source_value("The Baltic Times") == ("The Baltic Times", None)


# --- title and date lines -----------------------------------------------------------------


def test_date_line_above_the_title():
    art = one("a.txt", f"24.01.2022\n\nA title\n\n{BODY}\n")
    assert (art.title, art.date, art.body) == ("A title", D(2022, 1, 24), BODY)


def test_implausible_date_line_is_dropped_with_a_warning():
    art = one("a.txt", f"A title\n\n30.09.2050\n\n{BODY}\n")
    assert art.date is None and art.body == BODY
    assert "after tomorrow" in art.warnings[0]


def test_dated_headline_is_the_title_not_a_date():
    art = one("a.txt", f"Elections 2022: what changes on 1 March 2022\n\n{BODY}\n")
    assert art.title == "Elections 2022: what changes on 1 March 2022"
    assert art.date is None


def test_date_in_prose_is_not_the_date():
    art = one("a.txt", "A title\n\nOn 1 February 2022 the army said it would send troops.\n")
    assert art.date is None


def test_no_date_means_none_never_mtime(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(f"A title\n\n{BODY}\n", encoding="utf-8")
    os.utime(path, (1643673600, 1643673600))  # 2022-02-01
    [art] = [normalize(r) for r in read_file(str(path))]
    assert art.date is None


def test_markdown_front_matter():
    text = ("---\ntitle: \"Front matter title\"\ndate: 2022-02-01T10:00:00Z\n"
            "source: Example Wire\nurl: https://wire.example/a\nlang: en\n---\n\n" + BODY)
    art = one("a.md", text)
    assert (art.title, art.date, art.source, art.url, art.lang, art.body) == (
        "Front matter title", D(2022, 2, 1), "Example Wire", "https://wire.example/a", "en", BODY)


def test_title_only_files_are_articles_and_textless_pages_are_skipped():
    assert one("a.txt", "Just a title").title == "Just a title"
    art = one("a.html", "<html><head><title>Only a title</title></head><body></body></html>")
    assert (art.title, art.body) == ("Only a title", "")
    with pytest.raises(SkipFile, match="no article text"):
        parse_bytes("a.html", b"<html><body><div></div></body></html>")


# --- JSON ---------------------------------------------------------------------------------


def test_json_list_and_container_and_nested_source():
    rec = {"title": "T1", "text": BODY, "publishedAt": "2022-02-01T10:00:00Z",
           "source": {"id": None, "name": "Wire"}, "url": "https://wire.example/1"}
    arts = [normalize(r) for r in parse_bytes(
        "a.json", json.dumps({"status": "ok", "articles": [rec, {"x": 1}, rec]}).encode())]
    assert [a.title for a in arts] == ["T1", "T1"]
    assert (arts[0].date, arts[0].source) == (D(2022, 2, 1), "Wire")
    assert arts[0].id != arts[1].id


def test_json_epoch_dates_and_body_lists():
    rec = {"headline": "T", "maintext": ["First paragraph here.", "Second one."],
           "date_publish": 1643709600}
    art = one("a.json", json.dumps(rec))
    assert art.date == D(2022, 2, 1)
    assert art.body == "First paragraph here.\n\nSecond one."


def test_json_body_repeating_the_title_loses_it():
    art = one("a.json", json.dumps({"title": "Headline", "text": f"Headline\n\n{BODY}"}))
    assert art.body == BODY


def test_json_us_dates_are_month_first():
    art = one("a.json", json.dumps({"title": "T", "text": BODY, "date": "1/2/16"}))
    assert art.date == D(2016, 1, 2)


@pytest.mark.parametrize("data", [b"{", b"[]", b'{"x": 1}', b'"text"', b"[" * 50000])
def test_bad_json_is_skipped(data):
    with pytest.raises(SkipFile):
        parse_bytes("a.json", data)


# --- HTML ---------------------------------------------------------------------------------

PAGE = """<html><head><title>{title}</title>{head}</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>{h1}</h1>{paras}</article>
<footer>Copyright 2022 Example Media. All rights reserved.</footer></body></html>"""
PARAS = "".join(
    f"<p>{BODY} This is paragraph number {i} of the story about the bridge.</p>"
    for i in range(6)
)


def page(title="Bridge opens | Example News", head="", h1="Bridge opens"):
    return PAGE.format(title=title, head=head, h1=h1, paras=PARAS)


def test_html_title_prefers_headline_metadata_without_site_suffix():
    head = ('<meta property="og:title" content="Bridge opens - Example News">'
            '<meta property="og:site_name" content="Example News">')
    art = one("a.html", page(head=head, h1="Bridge opens to traffic"))
    assert art.title == "Bridge opens"
    assert art.source == "Example News"


def test_html_ld_json_graph_headline_and_date():
    ld = {"@context": "https://schema.org", "@graph": [
        {"@type": "WebSite", "name": "Example News"},
        {"@type": ["NewsArticle"], "headline": "Bridge opens &#8216;early&#8217;",
         "datePublished": "2022-02-01T23:30:00-05:00",
         "publisher": {"@type": "Organization", "name": "Example Media"}}]}
    head = f'<script type="application/ld+json">{json.dumps(ld)}</script>'
    art = one("a.html", page(head=head))
    assert art.title == "Bridge opens ‘early’"
    assert art.date == D(2022, 2, 1)  # the date as written, in its own time zone
    assert art.source == "Example Media"


def test_html_meta_date_canonical_url_and_domain_source():
    head = ('<meta property="article:published_time" content="2021-12-24T08:00:00+02:00">'
            '<link rel="canonical" href="https://www.example-news.com/bridge">')
    art = one("a.html", page(head=head))
    assert art.date == D(2021, 12, 24)
    assert art.url == "https://www.example-news.com/bridge"
    assert art.source == "example-news.com"


def test_html_microdata_date():
    html = page().replace(
        "<h1>", '<time itemprop="datePublished" datetime="2023-08-30T16:45+0100">30 Aug</time><h1>'
    )
    assert one("a.html", html).date == D(2023, 8, 30)


def test_html_body_keeps_the_story_and_drops_the_page():
    art = one("a.htm", page())
    assert art.body.count(BODY) == 6
    assert "Home" not in art.body and "All rights reserved" not in art.body
    assert art.lang == "en"


def test_html_broken_markup_does_not_crash():
    try:
        arts = parse_bytes("a.html", b"<html><body><p>Unclosed <b>bold <i>" + b"<div>" * 5000)
    except SkipFile:
        return
    assert all(normalize(r).title for r in arts)


def test_soft_hyphens_do_not_split_words_for_search(tmp_path):
    from .conftest import run

    folder = tmp_path / "a"
    folder.mkdir()
    (folder / "t.txt").write_text("Trump plant Helikopter\u00adlandeplatz\n\n"
                                  "Der Helikopter\u00adlandeplatz soll 2026 fertig sein.\n",
                                  encoding="utf-8")
    (folder / "p.html").write_text(
        "<html><head><title>Ein Landeplatz</title></head><body><article><h1>Ein Landeplatz"
        "</h1><p>" + "Der Helikopter&shy;landeplatz beim Weissen Haus wird gebaut. " * 8
        + "</p></article></body></html>", encoding="utf-8")
    index = tmp_path / "index"
    assert run("index", "-q", str(folder), index=index).exit_code == 0
    res = run("search", "helikopterlandeplatz", "-l", index=index)
    assert sorted(res.output.split()) == sorted(str(p.resolve()) for p in folder.iterdir())
    shown = run("search", "helikopterlandeplatz", "--json", index=index).output
    assert "\u00ad" not in shown and "\\u00ad" not in shown
