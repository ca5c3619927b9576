"""Text from outside (file names, record fields) made safe to print on a terminal."""

from __future__ import annotations

import re

# C0/C1 controls, DEL, bidi overrides/isolates (they reorder what follows on screen) and
# the lone surrogates that os.fsdecode makes of undecodable bytes in a file name.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r", "\x1b": "\\e"}


def _escape(m: re.Match[str]) -> str:
    ch = m.group()
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape: the original byte
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe(text: str) -> str:
    """`text` with every control character shown as a visible escape (`\\e`, `\\x9b`,
    `\\xff` for an undecodable byte of a file name), as `ls -b` does: a file named
    `st\\e]0;x\\a.txt` must not set the terminal's title when its path is printed."""
    return _UNSAFE.sub(_escape, text)
