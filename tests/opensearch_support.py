"""Helpers for the OpenSearch engine tests: the CLI against a URL, and a proxy that makes
the cluster fail on purpose (osmem itself never refuses a write)."""

from __future__ import annotations

import http.client
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from click.testing import CliRunner, Result

from newsgrep.cli import cli

USER, PASSWORD = "admin", "Sup3r-Secret-pw"


def with_auth(base_url: str, index: str) -> str:
    """http://127.0.0.1:PORT -> http://admin:PASSWORD@127.0.0.1:PORT/index"""
    parts = urlsplit(base_url)
    return f"{parts.scheme}://{USER}:{PASSWORD}@{parts.netloc}/{index}"


def run_os(url: str, local: Path, *args: str, env: dict | None = None) -> Result:
    """The CLI with --engine opensearch, as a user would type it."""
    argv = ["--engine", "opensearch", "--url", url, "--index", str(local), *args]
    return CliRunner().invoke(cli, argv, env=env or {"NO_COLOR": "1"}, catch_exceptions=False)


class FaultyProxy:
    """Forwards every request to `upstream`, but answers `_bulk` requests with 503 the
    next `fail_bulk` times (-1: always), as an overloaded or failing cluster would."""

    def __init__(self, upstream: str):
        self.upstream = urlsplit(upstream)
        self.fail_bulk = 0
        self.bulk_seen = 0
        self.bulk_encodings: list[str] = []  # Content-Encoding of each _bulk request
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output quiet
                pass

            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                if "_bulk" in self.path:
                    proxy.bulk_seen += 1
                    proxy.bulk_encodings.append(self.headers.get("Content-Encoding", ""))
                    if proxy.fail_bulk:
                        proxy.fail_bulk -= proxy.fail_bulk > 0
                        self._reply(503, json.dumps({"error": {
                            "type": "unavailable", "reason": "injected failure"},
                            "status": 503}).encode(), {"Content-Type": "application/json"})
                        return
                conn = http.client.HTTPConnection(proxy.upstream.hostname,
                                                  proxy.upstream.port, timeout=30)
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() not in ("host", "connection")}
                conn.request(self.command, self.path, body=body, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                wanted = ("content-type", "content-encoding")
                keep = {k: v for k, v in resp.getheaders() if k.lower() in wanted}
                conn.close()
                self._reply(resp.status, data, keep)

            def _reply(self, status: int, data: bytes, headers: dict) -> None:
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _forward

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
