"""Tests for newsgrep.dates: metadata values, date lines, relative dates."""

import datetime as dt
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgrep.dates import ImplausibleDate, parse_date, parse_date_line, parse_relative

D = dt.date

# (text, lang, month_first, expected)
VALUE_CASES = [
    # ISO and numeric
    ("2022-03-28T09:15:00+03:00", None, False, D(2022, 3, 28)),
    ("2022-03-28T23:30:00+03:00", None, False, D(2022, 3, 28)),  # own zone, not UTC
    ("2022-03-28T00:30:00-05:00", None, False, D(2022, 3, 28)),
    ("2022-03-28T09:15:00Z", None, False, D(2022, 3, 28)),
    ("2022-03-28T09:15:00.123456Z", None, False, D(2022, 3, 28)),
    ("2013-11-26", None, False, D(2013, 11, 26)),
    ("  2013-11-26\n", None, False, D(2013, 11, 26)),
    ("2022-02-01 12:30", None, False, D(2022, 2, 1)),
    ("2022/02/01", None, False, D(2022, 2, 1)),
    ("2022.02.01.", None, False, D(2022, 2, 1)),
    ("20220328", None, False, D(2022, 3, 28)),
    ("24.01.2022", None, False, D(2022, 1, 24)),
    ("01.02.2022", None, False, D(2022, 2, 1)),  # day first: the dateparser auto-detect trap
    ("01.02.2022", None, True, D(2022, 1, 2)),
    ("1. 2. 2022", "cs", False, D(2022, 2, 1)),
    ("01-02-2022", None, False, D(2022, 2, 1)),
    ("24.01.2022 10:15", None, False, D(2022, 1, 24)),
    ("9/28/16", None, True, D(2016, 9, 28)),
    ("1/2/16", None, True, D(2016, 1, 2)),
    ("1/2/16", None, False, D(2016, 2, 1)),
    ("9/28/16", None, False, D(2016, 9, 28)),  # only one order is a real date
    ("28/9/16", None, True, D(2016, 9, 28)),
    ("01.02.22", None, False, D(2022, 2, 1)),
    ("01/02/99", None, False, D(1999, 2, 1)),
    # RFC 2822
    ("Tue, 25 Jan 2022 10:15:00 GMT", None, False, D(2022, 1, 25)),
    ("Tue, 25 Jan 2022 23:15:00 -0500", None, False, D(2022, 1, 25)),
    ("25 Jan 2022 10:15:00 +0300", None, False, D(2022, 1, 25)),
    # month names, one or more per language
    ("February 18, 2022", "en", False, D(2022, 2, 18)),
    ("26 Jan 2022", None, False, D(2022, 1, 26)),
    ("Jan. 5, 2022", None, False, D(2022, 1, 5)),
    ("Monday, January 7, 2019", None, False, D(2019, 1, 7)),
    ("March 3rd, 2021", None, False, D(2021, 3, 3)),
    ("3rd of March 2021", None, False, D(2021, 3, 3)),
    ("the 22nd of September 2020", None, False, D(2020, 9, 22)),
    ("01-Feb-2022", None, False, D(2022, 2, 1)),
    ("01-Feb-22", None, False, D(2022, 2, 1)),
    ("7. Februar 2022", "de", False, D(2022, 2, 7)),
    ("1. Jänner 2022", None, False, D(2022, 1, 1)),
    ("Dienstag, 1. März 2022, 10:15 Uhr", None, False, D(2022, 3, 1)),
    ("1er février 2022", "fr", False, D(2022, 2, 1)),
    ("mardi 15 août 2023", None, False, D(2023, 8, 15)),
    ("1 de marzo de 2022", "es", False, D(2022, 3, 1)),
    ("1º de diciembre del 2021", None, False, D(2021, 12, 1)),
    ("1 febbraio 2022", "it", False, D(2022, 2, 1)),
    ("12 giugno 2021", None, False, D(2021, 6, 12)),
    ("1 lutego 2022", "pl", False, D(2022, 2, 1)),
    ("1 lutego 2022", None, False, D(2022, 2, 1)),
    ("wtorek, 1 lutego 2022 12:30", None, False, D(2022, 2, 1)),
    ("3 października 2021 r.", None, False, D(2021, 10, 3)),
    ("21 января 2022 г.", "ru", False, D(2022, 1, 21)),
    ("14 февраля 2022 года", None, False, D(2022, 2, 14)),
    ("1 лютого 2022 р.", "uk", False, D(2022, 2, 1)),
    ("24 серпня 2021", None, False, D(2021, 8, 24)),
    ("2022. gada 14. februāris", "lv", False, D(2022, 2, 14)),
    ("2022. gada 14. februārī", None, False, D(2022, 2, 14)),  # locative, generated
    ("2022. gada 3. martā", None, False, D(2022, 3, 3)),
    ("2022 m. kovo 9 d.", "lt", False, D(2022, 3, 9)),
    ("2021 m. gruodžio 24 d.", None, False, D(2021, 12, 24)),
    ("15. aprill 2022", "et", False, D(2022, 4, 15)),
    ("15. märts 2022", None, False, D(2022, 3, 15)),
    ("15. märtsil 2022", None, False, D(2022, 3, 15)),  # adessive, generated
    ("15. helmikuuta 2022", "fi", False, D(2022, 2, 15)),
    ("1. joulukuuta 2021", None, False, D(2021, 12, 1)),
    ("1 februari 2022", "sv", False, D(2022, 2, 1)),
    ("den 3 mars 2022", None, False, D(2022, 3, 3)),
    ("1. februar 2022", "da", False, D(2022, 2, 1)),
    ("3. marts 2022", None, False, D(2022, 3, 3)),
    ("1. desember 2021", "nb", False, D(2021, 12, 1)),
    ("1. desember 2021", "no", False, D(2021, 12, 1)),  # detector code, aliased to nb
    ("1 maart 2022", "nl", False, D(2022, 3, 1)),
    ("17 mei 2021", None, False, D(2021, 5, 17)),
    ("1. března 2022", "cs", False, D(2022, 3, 1)),
    ("24. prosince 2021", None, False, D(2021, 12, 24)),
    ("1 de março de 2022", "pt", False, D(2022, 3, 1)),
    ("quarta-feira, 2 de fevereiro de 2022", None, False, D(2022, 2, 2)),
    # a language outside the base set when named; "listopad" is October in Croatian
    ("1. listopada 2022.", "hr", False, D(2022, 10, 1)),
    ("1. listopada 2022.", None, False, D(2022, 11, 1)),
    ("2022. február 1.", "hu", False, D(2022, 2, 1)),
    ("1 lutego 2022", "pl-PL", False, D(2022, 2, 1)),
    ("1 lutego 2022", "zz", False, D(2022, 2, 1)),  # unknown language: base tables
    # not dates
    ("", None, False, None),
    ("   ", None, False, None),
    ("not a date", None, False, None),
    ("2022", None, False, None),
    ("March 2022", None, False, None),
    ("12345", None, False, None),
    ("0000-00-00", None, False, None),
    ("2022-02-30", None, False, None),
    ("31.02.2022", None, False, None),
    ("3 days ago", None, False, None),
    ("On 1 February 2022 the army said it would send troops.", None, False, None),
    ("x" * 300 + " 1 February 2022", None, False, None),
]


@pytest.mark.parametrize(("text", "lang", "month_first", "expected"), VALUE_CASES)
def test_parse_date(text, lang, month_first, expected):
    assert parse_date(text, lang, month_first=month_first) == expected


def test_parse_date_dateparser_fallback():
    # Hungarian without lang is not in the fast tables: dateparser reads it.
    assert parse_date("2022. február 1.") == D(2022, 2, 1)


@pytest.mark.parametrize(
    "text",
    ["0001-11-30", "2050-09-30", "1799-12-31", "30.09.2050", "1 January 3000", "Jan 1, 1066"],
)
def test_parse_date_implausible(text):
    with pytest.raises(ImplausibleDate) as exc:
        parse_date(text)
    assert text in str(exc.value)
    with pytest.raises(ImplausibleDate):  # the memo cache must not swallow the second raise
        parse_date(text)


def test_implausible_message_says_why():
    with pytest.raises(ImplausibleDate, match="before 1800-01-01"):
        parse_date("0001-11-30")
    with pytest.raises(ImplausibleDate, match="after tomorrow"):
        parse_date("2050-09-30")
    assert issubclass(ImplausibleDate, ValueError)


def test_tomorrow_is_plausible_day_after_is_not():
    today = dt.date.today()
    tomorrow = today + dt.timedelta(days=1)
    assert parse_date(tomorrow.isoformat()) == tomorrow
    with pytest.raises(ImplausibleDate):
        parse_date((today + dt.timedelta(days=2)).isoformat())
    assert parse_date("1800-01-01") == D(1800, 1, 1)


LINE_CASES = [
    ("1 lutego 2022", None, D(2022, 2, 1)),
    ("2018-06-28", None, D(2018, 6, 28)),
    ("2022-03-28T09:15:00+03:00", None, D(2022, 3, 28)),
    ("Friday, January 4, 2019 ", None, D(2019, 1, 4)),
    ("Published: 1 February 2022", None, D(2022, 2, 1)),
    ("Updated 1 Feb 2022, 10:15 CET", None, D(2022, 2, 1)),
    ("Last updated on March 3rd, 2021 at 4:15 p.m. EST", None, D(2021, 3, 3)),
    ("Posted: Tue, 25 Jan 2022 10:15:00 GMT", None, D(2022, 1, 25)),
    ("Published 1 Feb 2022, updated 3 Feb 2022", None, D(2022, 2, 1)),
    ("Opublikowano: 1 lutego 2022, 12:30", "pl", D(2022, 2, 1)),
    ("Wtorek, 1 lutego 2022 12:30", None, D(2022, 2, 1)),
    ("Veröffentlicht am 7. Februar 2022, 10:15 Uhr", "de", D(2022, 2, 7)),
    ("Publié le 1er mars 2022 à 10h30", "fr", D(2022, 3, 1)),
    ("Publicado el 1 de marzo de 2022", "es", D(2022, 3, 1)),
    ("Pubblicato il 1 marzo 2022 alle 10:30", "it", D(2022, 3, 1)),
    ("Опубликовано 21 января 2022 г. в 10:15", "ru", D(2022, 1, 21)),
    ("вторник, 1 февраля 2022", None, D(2022, 2, 1)),
    ("Опубліковано 1 лютого 2022 р., 10:15", "uk", D(2022, 2, 1)),
    ("Avaldatud 15. aprill 2022 kell 10:15", "et", D(2022, 4, 15)),
    ("Publicēts 2022. gada 14. februārī 10:15", "lv", D(2022, 2, 14)),
    ("Paskelbta 2022 m. kovo 9 d. 10:15", "lt", D(2022, 3, 9)),
    ("Julkaistu 15.2.2022 klo 10.15", "fi", D(2022, 2, 15)),
    ("Publicerad 1 februari 2022 kl. 10.15", "sv", D(2022, 2, 1)),
    ("Publiceret 1. februar 2022 kl. 10.15", "da", D(2022, 2, 1)),
    ("Publisert 1. februar 2022 kl. 10:15", "no", D(2022, 2, 1)),
    ("Gepubliceerd op 1 februari 2022 om 10:15", "nl", D(2022, 2, 1)),
    ("Zveřejněno 1. února 2022 v 10:15", "cs", D(2022, 2, 1)),
    ("Publicado em 1 de março de 2022 às 10h15", "pt", D(2022, 3, 1)),
    ("Dienstag, 1. Februar 2022", None, D(2022, 2, 1)),
    ("mardi 1 février 2022", None, D(2022, 2, 1)),
    ("By Jane Doe | 1 February 2022", None, D(2022, 2, 1)),
    ("By JANE DOE and John Smith, 1 February 2022", None, D(2022, 2, 1)),
    ("Reuters | 1 Feb 2022", None, D(2022, 2, 1)),
    ("Kyiv, 24 February 2022 (Reuters)", None, D(2022, 2, 24)),
    ("24.01.2022", None, D(2022, 1, 24)),
    # not date lines
    ("On 1 February 2022 the army said it would send troops.", None, None),
    ("Am 1. Februar 2022 sagte die Armee, sie werde Truppen schicken.", "de", None),
    ("1 lutego 2022 armia ogłosiła wysłanie wojsk", "pl", None),
    ("Russia invades Ukraine on 24 February 2022", None, None),
    ("Russia Invades Ukraine 24 February 2022", None, None),
    ("Putin Says Russia Will Act By 1 March 2022", None, None),
    ("Joe Biden wins 2020 South Carolina US Democratic presidential primary", None, None),
    (
        "Since 2014, the US Armed Forces has been on a rotating basis in the Baltic States",
        None,
        None,
    ),
    ("Published 1 Feb 2022 · 3 min read", None, None),
    ("In 2022 prices rose", None, None),
    ("© 2022 Reuters", None, None),
    ("March 2022", None, None),
    ("01.02.22", None, None),  # two-digit years only in metadata values
    ("9/28/16", None, None),
    ("NATO's capacity-building in the Baltic States can lead to destabilization", None, None),
    ("Published: " + "very " * 20 + "1 February 2022", None, None),  # too long
    ("", None, None),
]


@pytest.mark.parametrize(("line", "lang", "expected"), LINE_CASES)
def test_parse_date_line(line, lang, expected):
    assert parse_date_line(line, lang) == expected


def test_parse_date_line_implausible():
    with pytest.raises(ImplausibleDate):
        parse_date_line("Published: 30 September 2050")
    with pytest.raises(ImplausibleDate):
        parse_date_line("0001-11-30")


TODAY = D(2022, 3, 31)

RELATIVE_CASES = [
    ("today", TODAY),
    ("now", TODAY),
    ("Yesterday", D(2022, 3, 30)),
    ("3 days", D(2022, 3, 28)),
    ("3 days ago", D(2022, 3, 28)),
    ("1 day", D(2022, 3, 30)),
    ("3d", D(2022, 3, 28)),
    ("2 weeks", D(2022, 3, 17)),
    ("2 weeks ago", D(2022, 3, 17)),
    ("a week ago", D(2022, 3, 24)),
    ("last week", D(2022, 3, 24)),
    ("past 2 weeks", D(2022, 3, 17)),
    ("last month", D(2022, 2, 1)),
    ("1 month", D(2022, 2, 28)),  # clamped to the end of a shorter month
    ("2 months ago", D(2022, 1, 31)),
    ("  6   MONTHS ", D(2021, 9, 30)),
    ("1 year", D(2021, 3, 31)),
    ("2 years ago", D(2020, 3, 31)),
    ("last year", D(2021, 1, 1)),
    ("this month", D(2022, 3, 1)),
    ("this week", D(2022, 3, 28)),  # Monday
    ("this year", D(2022, 1, 1)),
    # not understood
    ("", None),
    ("2022-03-01", None),  # absolute dates belong to the caller
    ("3", None),
    ("three days", None),
    ("3 fortnights", None),
    ("next week", None),
    ("999999 years", None),  # before year 1: not an error, just not a date
]


@pytest.mark.parametrize(("text", "expected"), RELATIVE_CASES)
def test_parse_relative(text, expected):
    assert parse_relative(text, today=TODAY) == expected


def test_parse_relative_year_boundary_and_leap_day():
    assert parse_relative("last month", today=D(2022, 1, 15)) == D(2021, 12, 1)
    assert parse_relative("1 year", today=D(2024, 2, 29)) == D(2023, 2, 28)
    assert parse_relative("today") == dt.date.today()


def test_fast_path_does_not_import_dateparser():
    code = (
        "import sys\n"
        "from newsgrep.dates import parse_date, parse_date_line, parse_relative\n"
        "assert parse_date('1 lutego 2022') is not None\n"
        "assert parse_date('2022-03-28T09:15:00+03:00') is not None\n"
        "assert parse_date_line('Published: 1 February 2022') is not None\n"
        "assert parse_date_line('On 1 February 2022 the army said it would send troops.') is None\n"
        "assert parse_relative('3 days') is not None\n"
        "assert 'dateparser' not in sys.modules, 'dateparser was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# Fragments that push random text through the deeper paths (month words, numbers, labels).
_FRAGMENTS = st.sampled_from(
    [
        "1", "12", "31", "2022", "0001", "9999", "22", "3rd", "1er", "lutego", "March", "Feb.",
        "января", "gada", "m.", "d.", "г.", "de", "of", "Published", "By", "Jane", "|", ".",
        ",", " ", "/", "-", ":", "T", "10:15", "+03:00", "Z", "GMT", "Tue,", "ago", "days",
    ]
)  # fmt: skip
_DATEISH = st.lists(_FRAGMENTS, max_size=12).map("".join)
_LANGS = st.sampled_from([None, "en", "pl", "hu", "no", "xx", "", "pt-BR"])
_FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_FUZZ
@given(st.one_of(st.text(), _DATEISH), _LANGS, st.booleans())
def test_parse_date_never_raises_other(text, lang, month_first):
    try:
        result = parse_date(text, lang, month_first=month_first)
    except ImplausibleDate:
        return
    assert result is None or isinstance(result, dt.date)


@_FUZZ
@given(st.one_of(st.text(), _DATEISH), _LANGS)
def test_parse_date_line_never_raises_other(text, lang):
    try:
        result = parse_date_line(text, lang)
    except ImplausibleDate:
        return
    assert result is None or isinstance(result, dt.date)


@_FUZZ
@given(st.one_of(st.text(), _DATEISH))
def test_parse_relative_never_raises(text):
    result = parse_relative(text, today=TODAY)
    assert result is None or isinstance(result, dt.date)
