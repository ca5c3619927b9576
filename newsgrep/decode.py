"""Bytes -> clean text: encoding detection, line endings, NFC, control characters."""

from __future__ import annotations

import re
import unicodedata

from .errors import SkipFile

# ANSI/VT escape sequences (CSI, OSC, and two-byte ESC forms): removed whole, so no
# leftover "[31m" reaches the index or a terminal.
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
# C0/C1 controls except tab and newline, plus DEL; zero-width/bidi controls that can
# reorder what a terminal shows.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u202a-\u202e\u2066-\u2069\ufeff]")


def clean_text(text: str) -> str:
    """Normalise line endings, Unicode (NFC) and strip terminal-driving characters."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x1b" in text:
        text = _ANSI.sub("", text)
    text = _CONTROLS.sub("", text)
    text = text.replace("\u00a0", " ")
    return unicodedata.normalize("NFC", text)


def _looks_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: every other byte is NUL in mostly-ASCII text."""
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    if odd > 0.4 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.4 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def decode_bytes(data: bytes) -> str:
    """Decode article bytes whatever their encoding; raise SkipFile when they are not text.

    UTF-8 (the common case) is tried first because it is strict and fast; only bytes that
    are not valid UTF-8 go to charset-normalizer, which is slow on large inputs.
    """
    if not data.strip():
        raise SkipFile("empty file")
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="replace")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    elif enc := _looks_utf16(data):
        text = data.decode(enc, errors="replace")
    elif b"\x00" in data[:8192]:
        raise SkipFile("binary file")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _detect(data)
    text = clean_text(text)
    if not text.strip():
        raise SkipFile("no text")
    return text


def _detect(data: bytes) -> str:
    from charset_normalizer import from_bytes  # imported lazily: only legacy encodings need it

    best = from_bytes(data).best()
    if best is None:
        raise SkipFile("undecodable text (unknown encoding)")
    return str(best)
