"""The query language (engine/querylang/) parses without an engine: its own field
definitions must analyse a query exactly as the Whoosh index's schema does, or the two
engines would search for different terms."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgrep.engine.querylang.fields import USER_FIELDS, query_schema
from newsgrep.engine.querylang.parser import parse_user_query
from newsgrep.engine.whoosh.schema import make_schema
from newsgrep.errors import NewsgrepError
from newsgrep.query import SearchRequest


def test_user_fields_are_analysed_as_the_index_schema_analyses_them():
    index, parsing = make_schema(), query_schema()
    assert sorted(parsing.names()) == sorted(USER_FIELDS)
    for name in USER_FIELDS:
        assert type(parsing[name]) is type(index[name]), name
        assert parsing[name].analyzer == index[name].analyzer, name


def _parsed(text: str, schema) -> str:
    try:
        return repr(parse_user_query(SearchRequest(text), schema))
    except NewsgrepError as e:
        return f"error: {e}"


QUERIES = ["Impeachment trump", "immigra*", '"hong kong"~3 -protest', "title:brexit",
           "source:BBC lang:fr", "date:2020", "date:>2020-01-31", "author:Smith",
           "=Kind Regards", '="Kind Regards"', "path:*/a[1].txt", "domain:bbc.co.uk",
           "brexjt~1", "a~3", "id:abc", "url:x", "sig:1", "body_z:x", "source_key:bbc",
           "url:[a TO b]", "(url:x)", "foo:y", "the of", "covid-19", "北京大学", "новости",
           "date:[2020-01-01 TO 2020-02-01]", "title:(a OR b)", "", "x" * 10_001]


@pytest.mark.parametrize("text", QUERIES)
def test_a_query_parses_alike_without_the_index_schema(text):
    assert _parsed(text, query_schema()) == _parsed(text, make_schema())


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab é:=*?~\"()-[]<>{}TOdateurlsigtle12")),
               max_size=24))
def test_any_text_parses_alike_without_the_index_schema(text):
    assert _parsed(text, query_schema()) == _parsed(text, make_schema())
