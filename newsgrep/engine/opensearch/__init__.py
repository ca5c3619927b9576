"""The OpenSearch engine, one job per module: client.py (URL, TLS, errors), mapping.py
(mapping, settings, documents), writer.py (_bulk with retries), translate.py (query tree
to query DSL), similar.py (reprints and related articles), stats.py (counts per day),
engine.py (searching). The query language is engine/querylang/, shared with Whoosh."""

from .engine import OpenSearchEngine
from .writer import OpenSearchWriter

__all__ = ["OpenSearchEngine", "OpenSearchWriter"]
