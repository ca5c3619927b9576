"""newsgrep's query language, one module both engines use (as Whoosh's own qparser/ sits
apart from its searching): parse_query() turns a user's query into a query tree, built on
Whoosh's query parser and query classes, that each engine runs its own way.

fields      the fields a query may name and how each analyses its text
nodes       the tree's nodes (each word in every language, bounded expansion, the
            stemmed prefix, a correct AND NOT, path globs)
parser      the query string parsed into that tree (limits, empty clauses, =exact)
highlight   the terms a tree marks in the articles it finds
"""

from .parser import parse_query

__all__ = ["parse_query"]
