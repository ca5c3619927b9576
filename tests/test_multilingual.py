"""Matching across languages and scripts (issue #16): each article is stemmed by the
rules of its own language, a query word is tried under every language the index holds,
and Latin and Cyrillic spellings of a name find each other."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgrep.article import Article
from newsgrep.engine import analysis, open_engine
from newsgrep.errors import NewsgrepError
from newsgrep.query import SearchRequest

# (language, article body, query with other inflections of its words). Each query's
# words are stemmed differently from the body's by the English rules that every
# Latin-script article got before, so these are found only through the article's own
# language.
INFLECTED = [
    # German Snowball keeps `besuchte` apart from `Besuch` (no verb/noun stemming), so
    # the issue's `Bundeskanzler besuchte` needs --any; plural and case endings match.
    ("de", "Der Besuch des Bundeskanzlers nach der Wahl in Paris.", "Bundeskanzler Wahlen"),
    ("fr", "Les journaux de la capitale en parlent.", "journal"),
    ("es", "Los ministros convocaron elecciones anticipadas.", "ministro"),
    ("it", "I governi europei discutono le elezioni.", "governo elezione"),
    ("pt", "Os governos aprovaram as eleições.", "governo"),
    ("nl", "De regeringen bespraken de verkiezingen.", "regering verkiezing"),
    ("sv", "Regeringens förslag inför valet.", "regeringen val"),
    ("no", "Regjeringens forslag før valget.", "regjeringen valg"),
    ("da", "Regeringens forslag før valget.", "regeringen valg"),
    ("fi", "Presidentin ja ministerin tapaaminen kaupungissa.", "presidentti ministeri"),
    ("hu", "A kormánynak a választások előtt döntenie kell.", "kormány választás"),
    ("ro", "Alegerile au fost câștigate de partidul guvernului.", "alegeri guvern"),
    ("tr", "Hükümetin seçimlerde başarısı tartışıldı.", "hükümet"),
    ("lt", "Seimo rinkimuose dalyvavo daug rinkėjų.", "seimas rinkimai"),
    ("pl", "Po wyborach rządu nie utworzono.", "wybory rząd"),
    ("cs", "Po volbách vlády nebyla sestavena.", "volby vláda"),
    ("ca", "L'alcaldessa i els partits de la ciutat.", "alcalde partit"),
    ("ru", "После выборов правительства ушли в отставку.", "выборы правительство"),
    ("el", "Η κυβέρνησης ανακοίνωσε εκλογές.", "κυβέρνηση εκλογών"),
]

# Articles about unrelated things, one per language, for the no-false-match check.
OTHERS = [
    ("de", "Die Bäckerei verkauft frisches Brot am Morgen."),
    ("fr", "Le boulanger vend du pain frais le matin."),
    ("pl", "Piekarz sprzedaje świeży chleb rano."),
    ("ru", "Пекарь продаёт свежий хлеб по утрам."),
    ("lv", "Maiznieks no rīta pārdod svaigu maizi."),
    ("en", "The baker sells fresh bread in the morning."),
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    eng = open_engine(tmp_path_factory.mktemp("ml") / "index", create=True)
    w = eng.writer()
    for i, (lang, body, _) in enumerate(INFLECTED):
        w.add(Article(id=f"inf-{lang}", path=f"inf/{i}", title="", body=body, lang=lang))
    for i, (lang, body) in enumerate(OTHERS):
        w.add(Article(id=f"other-{lang}", path=f"other/{i}", title="", body=body, lang=lang))
    w.add(Article(id="cyr", path="cyr", title="Навальный и Галкинс",
                  body="Алексей Навальный встретился с Галкинсом и Анушаускасом.", lang="ru"))
    w.add(Article(id="lat", path="lat", title="Navalny",
                  body="Alexei Navalny met the Latvian minister Galkins.", lang="en"))
    w.commit()
    return eng


def ids(engine, text: str, any_words: bool = False) -> list[str]:
    return [h.id for h in engine.search(SearchRequest(text, any_words=any_words, limit=50,
                                                      snippets=0)).hits]


@pytest.mark.parametrize("lang,body,query", INFLECTED, ids=[x[0] for x in INFLECTED])
def test_an_inflected_query_finds_its_article(engine, lang, body, query):
    assert ids(engine, query)[:1] == [f"inf-{lang}"]


def test_english_rules_alone_would_miss_most_of_them():
    # The fixtures test something: under the English rules (what every Latin-script
    # article got before) most queries share no stem with their article.
    missed = []
    for lang, body, query in INFLECTED:
        q_own = set().union(*(set(analysis.term_positions(w, lang=lang)) for w in query.split()))
        assert q_own <= set(analysis.term_positions(body, lang=lang)), lang
        q_en = {analysis.normalize_term(w) for w in query.lower().split()}
        if not q_en <= set(analysis.term_positions(body)):
            missed.append(lang)
    assert len(missed) >= 12, missed


def test_latin_query_finds_cyrillic_article_and_back(engine):
    assert "cyr" in ids(engine, "Navalny")
    assert "cyr" in ids(engine, "Galkins")
    assert "cyr" in ids(engine, "Anušauskas")  # Lithuanian spelling, Russian article
    assert "lat" in ids(engine, "Навальный")
    assert "lat" in ids(engine, "Галкинс")
    assert set(ids(engine, "Navalny")) == set(ids(engine, "Навальный")) == {"cyr", "lat"}


def test_phrase_in_either_script(engine):
    assert ids(engine, '"Алексей Навальный"') == ["cyr"] or \
        set(ids(engine, '"Алексей Навальный"')) == {"cyr", "lat"}
    assert "cyr" in ids(engine, '"Alexei Navalny"') or "cyr" in ids(engine, '"Aleksei Navalny"')
    assert ids(engine, '"Navalny Alexei"') == []  # order still matters
    assert ids(engine, '"Wahlen in Paris"') == ["inf-de"]  # German stems inside a phrase


def test_no_match_across_languages(engine):
    # Each language's bread article is found by its own word only.
    for lang, word in (("de", "Brot"), ("fr", "pain"), ("pl", "chleb"), ("ru", "хлеб"),
                       ("lv", "maizi"), ("en", "bread")):
        assert ids(engine, word) == [f"other-{lang}"], word
    assert ids(engine, "regering") == ["inf-nl"] or set(ids(engine, "regering")) <= {
        "inf-nl", "inf-sv", "inf-da"}


def test_prefix_and_fuzzy_over_mixed_languages(engine):
    assert "inf-de" in ids(engine, "bundeskan*")
    assert "inf-pl" in ids(engine, "wyborr~1")


def test_latvian_is_folded_not_stemmed_by_english_rules():
    assert analysis.normalize_term("valdības", "lv") == "valdibas"
    assert analysis.normalize_term("valdības") != "valdibas"


texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200)
langs = st.sampled_from([None, "en", "xx", *analysis.QUERY_LANGS, "ru", "el", "uk", "ja"])


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(texts, langs)
def test_analysis_never_crashes(text, lang):
    poses = analysis.term_positions(text, lang=lang)
    assert all(term and ps for term, ps in poses.items())
    for word in text.split():
        analysis.query_terms(word.lower(), analysis.QUERY_LANGS)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow,
                                                  HealthCheck.function_scoped_fixture],
          deadline=None)
@given(texts)
def test_queries_in_any_script_never_crash(engine, text):
    try:
        ids(engine, text)
    except NewsgrepError:
        pass
