"""Kept so `newsgrep.engine.opensearch_engine.OpenSearchEngine` (and the names programs
and tests took from this module) still import: the engine now lives in the package
engine/opensearch/, one job per module."""

from opensearchpy import OpenSearch

from ..query import SearchRequest
from .opensearch.client import TIMEOUT, Target, parse_url
from .opensearch.engine import MAX_WINDOW, MLT_TERMS, PAGE, OpenSearchEngine
from .opensearch.mapping import MAPPING, SCHEMA_VERSION, SETTINGS, SUMMARY_FIELDS, _analysed
from .opensearch.translate import highlight_terms
from .opensearch.writer import (
    BULK_BACKOFF,
    BULK_BYTES,
    BULK_DOCS,
    BULK_MAX_BACKOFF,
    BULK_TRIES,
    FLUSH_DOCS,
    RETRY_STATUSES,
    OpenSearchWriter,
)

__all__ = [
    "BULK_BACKOFF", "BULK_BYTES", "BULK_DOCS", "BULK_MAX_BACKOFF", "BULK_TRIES", "FLUSH_DOCS",
    "MAPPING", "MAX_WINDOW", "MLT_TERMS", "PAGE", "RETRY_STATUSES", "SCHEMA_VERSION",
    "SETTINGS", "SUMMARY_FIELDS", "TIMEOUT", "OpenSearch", "OpenSearchEngine",
    "OpenSearchWriter", "SearchRequest", "Target", "_analysed", "highlight_terms", "parse_url",
]
