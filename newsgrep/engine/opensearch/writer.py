"""Writing: a batch of changes sent in _bulk requests, retried with back-off."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any, Protocol

from opensearchpy import exceptions as osx

from ...article import Article
from ...errors import NewsgrepError
from .client import Target
from .mapping import _document

BULK_DOCS = 500  # articles per _bulk request
BULK_BYTES = 8 * 1024 * 1024  # ... or about this many bytes of JSON, whichever comes first
FLUSH_DOCS = 2000  # a writer sends its buffer early past this many articles (bounded memory)
BULK_TRIES = 5  # attempts per _bulk request on 429/5xx/connection failures
BULK_BACKOFF = 0.5  # seconds before the first retry; doubles each time
BULK_MAX_BACKOFF = 8.0
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class Cluster(Protocol):
    """What a writer needs of its engine (engine.OpenSearchEngine): no import back up."""

    client: Any
    index: str
    target: Target

    def _call(self, doing: str, fn: Callable, *args: Any, **kwargs: Any) -> Any: ...
    def _error(self, e: Exception, doing: str) -> NewsgrepError: ...


class OpenSearchWriter:
    """A batch of changes, sent on commit(): deletes by path, then the articles in _bulk
    requests (retried with back-off on 429/5xx), then a refresh. commit() raises
    NewsgrepError if the cluster does not acknowledge every article, so ingest does not
    record the batch's files as indexed and the next run sends them again (the _id is
    the article id: a re-send replaces, never duplicates)."""

    def __init__(self, engine: Cluster):
        self._engine = engine
        self._deletes: dict[str, None] = {}  # paths, in order
        self._adds: dict[str, dict] = {}  # article id -> document
        self._seq = time.time_ns()

    def delete_path(self, path: str) -> None:
        # Deletes are sent before the adds: drop what this batch added for the path.
        for aid in [aid for aid, doc in self._adds.items() if doc["path"] == path]:
            del self._adds[aid]
        self._deletes[path] = None

    def add(self, article: Article) -> None:
        self._seq += 1
        self._adds.pop(article.id, None)
        self._adds[article.id] = _document(article, self._seq)
        if len(self._adds) >= FLUSH_DOCS:
            self._flush()

    def commit(self) -> None:
        self._flush()
        e = self._engine
        e._call("refresh the index", e.client.indices.refresh, index=e.index)

    def cancel(self) -> None:
        self._deletes.clear()
        self._adds.clear()

    def _flush(self) -> None:
        e = self._engine
        paths = list(self._deletes)
        for i in range(0, len(paths), 1000):
            resp = e._call("delete old records", e.client.delete_by_query, index=e.index,
                           body={"query": {"terms": {"path": paths[i:i + 1000]}}},
                           conflicts="proceed", refresh=True)
            if resp.get("failures"):
                raise NewsgrepError(e.target.scrub(
                    f"OpenSearch at {e.target.safe_url} could not delete old records: "
                    f"{resp['failures'][0]}"))
        self._deletes.clear()
        docs = list(self._adds.values())
        for chunk in _chunks(docs):
            self._bulk(chunk)
        self._adds.clear()

    def _bulk(self, docs: list[dict]) -> None:
        """Send one chunk; retry what failed for want of capacity (429, 5xx, a dropped
        connection) with exponential back-off; give up with a NewsgrepError."""
        e = self._engine
        pending = docs
        delay = BULK_BACKOFF
        last = ""
        for attempt in range(1, BULK_TRIES + 1):
            body: list[dict] = []
            for d in pending:
                body += [{"index": {"_index": e.index, "_id": d["id"]}}, d]
            try:
                resp = e.client.bulk(body=body)
            except (osx.ConnectionError, osx.TransportError) as exc:
                status = getattr(exc, "status_code", None)
                fatal = isinstance(exc, osx.SSLError) or (
                    not isinstance(exc, osx.ConnectionError) and status not in RETRY_STATUSES)
                if fatal:
                    raise e._error(exc, "index the articles") from None
                last = str(e._error(exc, "index the articles"))
            else:
                retry = []
                retry_status = 0
                for d, item in zip(pending, resp.get("items", []), strict=False):
                    res = next(iter(item.values()))
                    status = int(res.get("status", 500))
                    if status in RETRY_STATUSES:
                        retry.append(d)
                        retry_status = status
                    elif status >= 300:
                        err = res.get("error") or {}
                        raise NewsgrepError(e.target.scrub(
                            f"OpenSearch at {e.target.safe_url} rejected {d['path']}: "
                            f"{err.get('type')}: {err.get('reason')}"))
                if not retry:
                    return
                pending = retry
                last = (f"OpenSearch at {e.target.safe_url} did not take {len(retry)} "
                        f"articles (status {retry_status})")
            if attempt < BULK_TRIES:
                time.sleep(delay)
                delay = min(delay * 2, BULK_MAX_BACKOFF)
        raise NewsgrepError(e.target.scrub(
            f"{last} (gave up after {BULK_TRIES} attempts; this batch is not recorded as "
            "indexed: run the index command again)"))


def _chunks(docs: list[dict]) -> Iterator[list[dict]]:
    chunk: list[dict] = []
    size = 0
    for d in docs:
        n = len(d.get("body") or "") * 2 + 1000  # body, and its terms, dominate
        if chunk and (len(chunk) >= BULK_DOCS or size + n > BULK_BYTES):
            yield chunk
            chunk, size = [], 0
        chunk.append(d)
        size += n
    if chunk:
        yield chunk
