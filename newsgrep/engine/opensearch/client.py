"""Talking to the cluster: the URL (with the password kept out of every message), TLS,
the client object and the one-line wording of its errors."""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

from opensearchpy import OpenSearch
from opensearchpy import exceptions as osx

from ...errors import NewsgrepError

TIMEOUT = 60  # seconds per request (delete_by_query and big bulks can be slow)
# opensearch-py logs every 4xx (a missing id is a normal 404) and retry as a warning, which
# Python's last-resort handler would print on stderr: the CLI reports errors itself.
logging.getLogger("opensearch").addHandler(logging.NullHandler())
_INDEX_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,254}$")

@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    index: str
    user: str | None
    password: str | None

    @property
    def safe_url(self) -> str:
        """The URL with the password masked: the only form that goes into messages."""
        auth = f"{quote(self.user, safe='')}:***@" if self.user else ""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{auth}{host}:{self.port}/{self.index}"

    def scrub(self, text: str) -> str:
        """`text` as one line, with the password masked wherever it appears."""
        text = " ".join(str(text).split())
        if self.password:
            for secret in {self.password, quote(self.password, safe="")}:
                text = text.replace(secret, "***")
        return text


def parse_url(url: str) -> Target:
    """`scheme://user:pass@host:port/index` -> Target (raises NewsgrepError)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
        host = parts.hostname
    except ValueError as e:
        raise NewsgrepError(f"bad --url: {e}") from None
    password = unquote(parts.password) if parts.password is not None else None
    user = unquote(parts.username) if parts.username is not None else None
    masked = Target(parts.scheme or "?", host or "?", port or 9200, "?", user, password)
    if parts.scheme not in ("http", "https") or not host:
        raise NewsgrepError(
            f"bad --url {masked.scrub(url)!r}: use http(s)://[user:password@]host:port/index")
    index = parts.path.strip("/") or "newsgrep"
    if not _INDEX_NAME.match(index):
        raise NewsgrepError(f"bad index name {index!r} in --url: use lower-case letters, "
                            "digits, '-', '_' or '.', one path segment")
    if user is None and os.environ.get("NEWSGREP_USER"):
        user = os.environ["NEWSGREP_USER"]
    if password is None and os.environ.get("NEWSGREP_PASSWORD"):
        password = os.environ["NEWSGREP_PASSWORD"]
    return Target(parts.scheme, host, port or 9200, index, user, password)


def _tls_verify() -> bool:
    return os.environ.get("NEWSGREP_TLS_VERIFY", "1").strip().lower() not in (
        "0", "false", "no", "off")


def _reason(e: osx.TransportError) -> str:
    info = e.info
    if isinstance(info, dict) and isinstance(info.get("error"), dict):
        err = info["error"]
        causes = err.get("root_cause") or [err]
        first = causes[0] if isinstance(causes[0], dict) else err
        return f"{first.get('type', err.get('type'))}: {first.get('reason', err.get('reason'))}"
    return str(e.error or info or e)


def _connection_reason(e: Exception) -> str:
    text = str(getattr(e, "info", None) or e).lower()
    for needle, why in (("refused", "connection refused"), ("timed out", "timed out"),
                        ("timeout", "timed out"), ("name or service not known", "unknown host"),
                        ("nodename nor servname", "unknown host"),
                        ("temporary failure in name resolution", "unknown host"),
                        ("reset by peer", "connection reset"),
                        ("remote end closed", "connection closed by the server")):
        if needle in text:
            return why
    return text[:200]



def connect(t: Target) -> OpenSearch:
    """A client for the cluster at `t` (TLS verified unless NEWSGREP_TLS_VERIFY=0)."""
    return OpenSearch(
        hosts=[{"host": t.host, "port": t.port, "scheme": t.scheme}],
        http_auth=(t.user, t.password or "") if t.user else None,
        use_ssl=t.scheme == "https",
        verify_certs=_tls_verify(),
        ca_certs=os.environ.get("NEWSGREP_CA_CERTS") or None,
        ssl_show_warn=False,
        timeout=TIMEOUT,
        max_retries=2,
        retry_on_timeout=True,
        http_compress=True,
    )


def error(target: Target, index: str, e: Exception, doing: str) -> NewsgrepError:
    """One line for the user, never with the password."""
    where = target.safe_url
    if isinstance(e, NewsgrepError):
        return e
    if isinstance(e, osx.SSLError):
        why = (f"TLS failure talking to {where} ({_connection_reason(e)}); set "
               "NEWSGREP_CA_CERTS=ca.pem, or NEWSGREP_TLS_VERIFY=0 to skip verification")
    elif isinstance(e, osx.ConnectionError):  # also ConnectionTimeout
        why = f"cannot reach OpenSearch at {where}: {_connection_reason(e)}"
    elif isinstance(e, osx.AuthenticationException):
        why = f"OpenSearch at {where} refused the credentials (401)"
    elif isinstance(e, osx.AuthorizationException):
        why = f"OpenSearch at {where} does not allow this user to {doing} (403)"
    elif isinstance(e, osx.NotFoundError):
        why = f"no index {index!r} at {where} (it was deleted?)"
    elif isinstance(e, osx.TransportError):
        why = f"OpenSearch at {where} could not {doing}: {e.status_code} {_reason(e)}"
    else:
        why = f"OpenSearch at {where} could not {doing}: {type(e).__name__}: {e}"
    return NewsgrepError(target.scrub(why))
