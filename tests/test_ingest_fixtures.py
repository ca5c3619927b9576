"""Ingest of hand-written articles: every SPEC date form, Source label, encoding and format.

Each fixture in tests/fixtures/ingest/ is read the way `newsgrep index` reads it
(readers.parse_bytes + normalize.normalize) and every extracted field is checked exactly.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from newsgrep.normalize import normalize
from newsgrep.readers import parse_bytes

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"
D = dt.date

# file -> (title, date, source, url, lang, body must contain, body must not contain)
CASES = {
    "pl_lutego_md_link.txt": (
        "Rada miasta Gdańska przyjęła budżet na rok 2022", D(2022, 2, 1), "Dziennik Bałtycki",
        "https://www.dziennikbaltycki.example.pl/gdansk/budzet", "pl",
        ["Radni Gdańska po długiej debacie", "„Gazeta Wyborcza”", "jeszcze w marcu."],
        ["Źródło", "1 lutego 2022"],
    ),
    "lv_gada_bare_url.txt": (  # Windows-1257
        "Rīgas dome apstiprina jaunu tramvaja līniju", D(2022, 2, 14), "rigasvestis.example.lv",
        "https://www.rigasvestis.example.lv/zinas/tramvajs-skanste", "lv",
        ["plānu būvēt jaunu tramvaja līniju", "līdz 2024. gada beigām"],
        ["Avots", "februāris", "https://"],
    ),
    "lt_kovo_plain_bom.txt": (  # UTF-8 with BOM, furniture after the Source line
        "Vilniuje atidarytas naujas miesto parkas", D(2022, 3, 9), "Vilniaus žinios", None, "lt",
        ["prie Neries upės kranto", "gyrė architektų darbą."],
        ["Šaltinis", "Skaitykite taip pat", "tilto remontas", "jūros šventė", "komentarą",
         "el. pašto"],
    ),
    "et_aprill_md.md": (
        "Tartu ülikool avab uue teaduskeskuse", D(2022, 4, 15), "Tartu Postimees",
        "https://tartu.postimees.example.ee/uudised/teaduskeskus", "et",
        ["uue teaduskeskuse, kus", "rohkem välisteadlasi."],
        ["Allikas", "Loe ka", "trammiliini", "# ", "15. aprill"],
    ),
    "ru_yanvarya_cp1251.txt": (  # Windows-1251
        "Власти Новосибирска отремонтируют три моста", D(2022, 1, 21), "Сибирские новости",
        None, "ru",
        ["капитальном ремонте трёх городских мостов", "газета «Коммерсант»"],
        ["Источник", "Читайте также", "Мороз в Сибири", "каток", "комментарий", "email"],
    ),
    "de_februar_utf16_crlf.txt": (  # UTF-16 LE with BOM, CRLF line endings
        "Hamburg plant neue Radwege an der Elbe", D(2022, 2, 7),
        "hamburger-nachrichten.example.de",
        "https://www.hamburger-nachrichten.example.de/verkehr/radwege-elbe", "de",
        ["neue Radwege entlang der Elbe", "vierzig Kilometer", "sechzig Millionen Euro"],
        ["Quelle", "Anzeige", "Lesen Sie auch", "Hafenfähren", "Altona", "\r"],
    ),
    "en_february_top_url_latin1.txt": (  # Latin-1, article URL above the title
        "Harbour café reopens after winter storm damage", D(2022, 2, 18),
        "coastalherald.example.com",
        "https://www.coastalherald.example.com/2022/02/18/harbour-cafe", "en",
        ["The small café on the harbour front", "The New York Times reported"],
        ["https://", "February 18, 2022"],
    ),
    "en_26jan_bold_source.md": (  # bold Markdown label, seed-like furniture after it
        "Port of Tallinn reports record cargo volumes", D(2022, 1, 26), "The Baltic Courier",
        "https://www.balticcourier.example.com", "en",
        ["handled more cargo in 2021", "timber and grain shipments."],
        ["Source", "**", "Others are currently reading", "rail timetable", "ferry line",
         "Leave a Reply", "Akismet", "email address"],
    ),
    "en_rfc_bottom_url.txt": (  # RFC 2822 date with a label, bare URL at the bottom
        "Wind farm off the coast of Lithuania wins approval", D(2022, 1, 25),
        "energywatch.example.org",
        "https://www.energywatch.example.org/news/lithuania-offshore-wind", "en",
        ["first offshore wind farm", "Construction is planned to begin in 2025"],
        ["Published", "GMT", "https://"],
    ),
    "es_marzo_latin1.txt": (  # Latin-1: "españolas" must not become "espańolas"
        "El Ayuntamiento de Valencia amplía el horario de las bibliotecas", D(2022, 3, 1),
        "Diario de Levante", None, "es",
        ["otras ciudades españolas", "Según el periódico El País"],
        ["Fuente", "ń"],
    ),
    "fr_iso_page.html": (  # ld+json date, og:site_name, canonical URL, page furniture
        "Lyon inaugure une nouvelle ligne de tramway", D(2022, 3, 28), "Le Courrier du Rhône",
        "https://www.courrier-rhone.example.fr/lyon/tramway-t10", "fr",
        ["ligne de tramway T10", "toutes les six minutes aux heures de pointe."],
        ["cookies", "Accueil", "À lire aussi", "Grève des bus", "Tous droits réservés",
         "Publié le"],
    ),
    "en_dotted.json": (  # D.M.Y metadata date, source_domain, furniture lines in the text
        "Riga airport passenger numbers recover", D(2022, 1, 24), "airnews.example.com",
        "https://www.airnews.example.com/riga-recovers?utm_source=rss", "en",
        ["twice as many passengers", "busiest routes."],
        ["Advertisement", "Sign up"],
    ),
}


def _articles(name: str):
    path = FIXTURES / name
    return [normalize(raw) for raw in parse_bytes(str(path), path.read_bytes())]


@pytest.mark.parametrize("name", sorted(CASES))
def test_fixture_fields(name):
    title, date, source, url, lang, present, absent = CASES[name]
    [art] = _articles(name)
    assert art.title == title
    assert art.date == date
    assert art.source == source
    assert art.url == url
    assert art.lang == lang
    assert art.warnings == []
    for text in present:
        assert text in art.body, text
    for text in absent:
        assert text not in art.body, text
    assert art.title not in art.body


def test_every_fixture_is_covered():
    files = {p.name for p in FIXTURES.iterdir() if not p.name.startswith(".")}
    assert files - {"README.md"} == set(CASES) | {"records.jsonl"}


def test_spec_date_forms_all_present():
    forms = ["1 lutego 2022", "2022. gada 14. februāris", "2022 m. kovo 9 d.", "15. aprill 2022",
             "21 января 2022 г.", "7. Februar 2022", "February 18, 2022", "26 Jan 2022",
             "Tue, 25 Jan 2022 10:15:00 GMT", "2022-03-28T09:15:00+03:00", "24.01.2022"]
    encodings = {"lv_": "cp1257", "ru_": "cp1251", "de_": "utf-16", "en_february": "latin-1",
                 "es_": "latin-1"}
    texts = []
    for p in FIXTURES.iterdir():
        enc = next((e for k, e in encodings.items() if p.name.startswith(k)), "utf-8-sig")
        texts.append(p.read_bytes().decode(enc))
    for form in forms:
        assert any(form in t for t in texts), form


def test_jsonl_records():
    arts = _articles("records.jsonl")
    assert [a.title for a in arts] == [
        "Senate passes infrastructure bill", "Museum opens new wing",
        "Storm closes mountain roads", "Council approves park plan",
    ]  # the non-object line and the broken line are skipped, the others kept
    senate, museum, storm, council = arts
    assert senate.date == D(2016, 9, 28)  # US M/D/YY metadata
    assert senate.source == "Capitol Wire"
    assert senate.url == "https://capitolwire.example.com/senate-bill"
    assert "Click here" not in senate.body and "House is expected" in senate.body
    assert museum.date is None and "before 1800" in museum.warnings[0]
    assert museum.source == "Harbour Times"  # {"name": …} object, as NewsAPI writes it
    assert storm.date == D(2022, 1, 20)
    assert storm.source == "alpinepost.example.ch"  # domain without www.
    assert storm.lang == "en"  # "en-GB" in the record
    assert storm.body == ("Heavy snow closed three mountain passes overnight.\n\n"
                          "Drivers were told to wait until the ploughs had cleared the roads.")
    assert council.date is None and "after tomorrow" in council.warnings[0]
    assert council.source == "City Ledger"
    assert len({a.id for a in arts}) == 4
