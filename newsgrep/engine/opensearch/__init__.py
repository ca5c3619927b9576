"""The OpenSearch engine, one job per module: client.py (URL, TLS, errors), mapping.py
(mapping, settings, documents), writer.py (_bulk with retries), translate.py (query tree
to query DSL, highlight terms), engine.py (searching), stats.py (counts per day)."""

from .engine import OpenSearchEngine
from .writer import OpenSearchWriter

__all__ = ["OpenSearchEngine", "OpenSearchWriter"]
