"""newsgrep: full-text search for folders of news articles.

Data flow (one module per stage):
  ingest:  discover -> decode -> readers -> normalize (dates, sources, furniture, language)
           -> Article -> engine (Whoosh index + side store)
  search:  query (parse + filters) -> engine -> Hit -> render (terminal, JSON Lines, CSV)
"""

__version__ = "0.1.0"
