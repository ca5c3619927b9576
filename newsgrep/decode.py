"""Bytes -> clean text: encoding detection, line endings, NFC, control characters."""

from __future__ import annotations

import html
import re
import unicodedata

from .errors import SkipFile

# ANSI/VT escape sequences (CSI, OSC, and two-byte ESC forms): removed whole, so no
# leftover "[31m" reaches the index or a terminal.
# An OSC sequence ends at BEL or ESC-backslash; an unterminated one stops at the line end
# (it used to take the rest of the file with it: every later record of a .jsonl).
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b\n]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
# C0/C1 controls except tab and newline, plus DEL; zero-width/bidi controls that can
# reorder what a terminal shows; soft hyphens and word joiners, which no reader sees but
# which split a word for search ("Helikopter\xadlandeplatz"). Zero-width (non-)joiners
# stay: Persian, Indic scripts and emoji need them. Lone surrogates (JSON's "\ud83d"
# without its pair) are no characters at all: UTF-8 cannot encode them, so the index
# writer and the terminal would fail on them.
_CONTROLS = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b\u2060\u202a-\u202e\u2066-\u2069\ufeff"
    r"\ud800-\udfff]")


def clean_text(text: str) -> str:
    """Normalise line endings, Unicode (NFC) and strip terminal-driving characters."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x1b" in text:
        text = _ANSI.sub("", text)
    text = _CONTROLS.sub("", text)
    text = text.replace("\u00a0", " ")
    return unicodedata.normalize("NFC", text)


def html_line(s: object) -> str:
    """An HTML attribute or element text as one clean line ("" for what is not a string)."""
    # clean_text after unescaping: `&shy;` in a headline is a soft hyphen only now, and
    # left in it would make two equal headlines compare unequal.
    if not isinstance(s, str):
        return ""
    return " ".join(clean_text(html.unescape(s)).split())


def _looks_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: NUL bytes (the high byte of ASCII characters) at one parity only.

    Cyrillic or Greek text has few of them (only spaces, digits and punctuation are ASCII),
    so a low share is accepted when the other parity has none and the text decodes cleanly.
    """
    sample = data[:4000]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    sample = sample[: len(sample) // 2 * 2]
    half = len(sample) // 2
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    if odd > 0.4 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.4 * half and odd < 0.05 * half:
        return "utf-16-be"
    for enc, hits, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if hits >= 0.05 * half and other <= 0.005 * half:
            try:
                text = sample.decode(enc)
            except UnicodeDecodeError:
                continue
            if sum(c.isprintable() or c in "\n\r\t" for c in text) >= 0.98 * len(text):
                return enc
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


# Single-byte encodings scraped European news come in, most common first (ties go to the
# earlier one). charset-normalizer alone guesses badly on short articles: it reads Latvian
# cp1257 as iso8859_10 and Spanish Latin-1 as cp1250 ("espańol").
_LEGACY = ("cp1252", "cp1250", "cp1257", "cp1251", "koi8_r", "cp1253", "cp1254", "iso8859_13")
# The letters beyond ASCII each language writes. A right guess puts the text's non-ASCII
# letters into the alphabet of the language the text is in; a wrong one yields letters of
# some other language ("Rîgas" for "Rīgas": French letters in a Latvian text).
_ALPHABETS: dict[str, str] = {
    "es": "áéíóúüñ", "fr": "àâæçéèêëîïôœùûüÿ", "de": "äöüß", "pt": "áâãàçéêíóôõú",
    "it": "àèéìíòóùú", "nl": "éëïóöü", "sv": "åäöé", "fi": "äöåšž", "da": "æøåéó",
    "no": "æøåéó", "nb": "æøåéó", "is": "áðéíóúýþæö", "pl": "ąćęłńóśźż",
    "cs": "áčďéěíňóřšťúůýž", "sk": "áäčďéíĺľňóôŕšťúýž", "hu": "áéíóöőúüű",
    "ro": "ăâîșşțţ", "hr": "čćđšž", "sl": "čšž", "bs": "čćđšž", "lv": "āčēģīķļņšūž",
    "lt": "ąčęėįšųūž", "et": "äöõüšž", "tr": "çğıöşüâî", "ca": "àçéèíïòóúü",
    "ru": "абвгдеёжзийклмнопрстуфхцчшщъыьэюя", "uk": "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя'",
    "be": "абвгдеёжзійклмнопрстуўфхцчшыьэюя", "bg": "абвгдежзийклмнопрстуфхцчшщъьюя",
    "sr": "абвгдђежзијклљмнњопрстћуфхцчџш", "mk": "абвгдѓежзѕијклљмнњопрстќуфхцчџш",
    "el": "αβγδεζηθικλμνξοπρστυφχψωάέήίόύώϊϋΐΰς",
}
_ALPHA_SETS = {k: frozenset(v + v.upper()) for k, v in _ALPHABETS.items()}
_DECLARED = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([\w.:-]+)|"""
                       rb"""<\?xml[^>]{0,100}encoding\s*=\s*["']([\w.:-]+)""", re.I)


_UNDECODED = re.compile("[\udc80-\udcff]")  # surrogateescape's stand-ins for bad bytes


def _declared(data: bytes) -> str | None:
    """The text in the encoding an HTML/XML document declares (meta charset, http-equiv,
    XML declaration), if Python knows it and it fits.

    A page declared UTF-8 with a few stray bytes (a cp1252 quote pasted into it) is still
    UTF-8: only the stray bytes become U+FFFD. The declaration is doubted only when most of
    the non-ASCII bytes do not decode (a cp1251 page that wrongly claims UTF-8).
    """
    m = _DECLARED.search(data[:4096])
    if not m:
        return None
    name = (m.group(1) or m.group(2)).decode("ascii", "ignore")
    try:
        text = data.decode(name, "surrogateescape")
    except (LookupError, UnicodeDecodeError):  # unknown name, or a codec without the handler
        return None
    bad = len(_UNDECODED.findall(text))
    if not bad:
        return text
    non_ascii = len(data) - len(data.translate(None, bytes(range(128))))
    if bad * 2 > non_ascii:
        return None
    return _UNDECODED.sub("\ufffd", text)


def _legacy_score(text: str) -> float:
    """How well the non-ASCII letters fit the alphabet of the language the text is in."""
    letters = [c for c in text if c > "\x7f" and c.isalpha()]
    if not letters:
        return 1.0
    from .language import detect_language

    alphabet = _ALPHA_SETS.get(detect_language(text) or "")
    if alphabet is None:  # English with a loanword, or a language we have no alphabet for
        return 0.95 * max(sum(c in a for c in letters) for a in _ALPHA_SETS.values()) / len(letters)
    return sum(c in alphabet for c in letters) / len(letters)


def _detect(data: bytes) -> str:
    if (text := _declared(data)) is not None:
        return text
    best, best_score = None, 0.0
    for enc in _LEGACY:
        try:
            cand = data.decode(enc)
        except UnicodeDecodeError:
            continue
        score = _legacy_score(cand)
        if score > best_score + 1e-9:
            best, best_score = cand, score
    if best is not None and best_score >= 0.85:
        return best

    from charset_normalizer import from_bytes  # imported lazily: slow, and rarely needed

    match = from_bytes(data).best()
    if match is None:
        if best is not None:
            return best
        raise SkipFile("undecodable text (unknown encoding)")
    return str(match)
