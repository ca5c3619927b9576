"""The fields a query may name (`title:latvia`) and how each analyses the query's text,
as the Whoosh schema the query parser reads: the field types and analyzers (analysis.py)
of the Whoosh index's schema, without its storage (posting formats, stored-only fields),
so that parsing needs no engine. tests/test_querylang.py holds the two alike."""

from __future__ import annotations

from whoosh.analysis import LowercaseFilter, RegexTokenizer
from whoosh.fields import DATETIME, ID, TEXT, Schema

from ..analyzers import FoldStemFilter, WordTokenizer, text_analyzer

# The fields a query may scope a word to; an index's other fields are the engine's
# bookkeeping (ids, paths, compressed bodies).
USER_FIELDS = ("title", "body", "source", "lang", "date", "domain", "author", "path", "exact")


def query_schema() -> Schema:
    """USER_FIELDS as the parser sees them: title and body folded and stemmed, source and
    author folded, `exact` as written, the rest as given."""
    text = text_analyzer(stem=True)
    plain = RegexTokenizer() | LowercaseFilter() | FoldStemFilter(stem=False)
    return Schema(
        title=TEXT(analyzer=text),
        body=TEXT(analyzer=text),
        source=TEXT(analyzer=plain),
        lang=ID(),
        date=DATETIME(),
        domain=ID(),
        author=TEXT(analyzer=plain),
        path=ID(),
        exact=TEXT(analyzer=WordTokenizer(), phrase=False),
    )
