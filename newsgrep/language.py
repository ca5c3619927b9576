"""Language identification for article bodies (ISO 639-1 codes)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

_identifier = None
_LETTER = re.compile(r"[^\W\d_]")
# py3langid's cost is linear in the sample (a Python loop over its UTF-8 bytes, ~1 µs per
# byte); on the 258 Fundus articles in 20+ languages, the first 300 characters already gave
# the same answer as 5,000 did. 500 keeps a margin.
SAMPLE_CHARS = 500


def detect_language(text: str) -> str | None:
    """Best-guess ISO 639-1 code of `text`, or None when there is too little text to tell.

    py3langid: pure-Python/numpy, ~0.2 ms per article once its model is loaded (_load),
    97 languages. Good enough for choosing analysis and for `--lang`.
    """
    global _identifier
    sample = text[:SAMPLE_CHARS]
    if len(_LETTER.findall(sample, 0, 400)) < 12:
        return None
    if _identifier is None:
        _identifier = _load()
    lang, prob = _identifier.classify(sample)
    return lang if prob >= 0.5 else None


# The model's arrays as py3langid's loader reads them from its npz (py3langid/modelio.py).
_ARRAYS = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")


def _load() -> Any:
    """py3langid's identifier. Its model ships xz-compressed: decompressing it cost 0.6
    of the 0.7 CPU s of loading, in every process that identifies a language (each
    parsing worker), and each then held its own 68 MB. So it is unpacked once into the
    user's cache (cache_dir()) and memory-mapped from there: loading takes ~0.05 s, and
    the workers share one copy in the page cache (their PSS counts it once). Any trouble
    with the cache: the library's own loader, as before."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    try:
        return _mapped(LanguageIdentifier, MODEL_DIR / MODEL_FILE)
    except Exception:  # an unwritable cache, a full disk, another py3langid layout
        return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def cache_dir() -> Path:
    """Where newsgrep keeps what it can make again: $NEWSGREP_CACHE_DIR, else
    $XDG_CACHE_HOME/newsgrep, else ~/.cache/newsgrep."""
    if env := os.environ.get("NEWSGREP_CACHE_DIR"):
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "newsgrep"


def _mapped(cls: Any, model: Path) -> Any:
    import numpy as np

    st = model.stat()
    folder = cache_dir() / f"langid-{st.st_size}-{st.st_mtime_ns}"
    if not (folder / "out_feat.npy").exists():  # written last
        _unpack(model, folder)
    a = {name: np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False)
         for name in _ARRAYS}
    # The DFA table is read one entry at a time: a memoryview indexes as fast as the
    # library's array.array, and stays a view of the mapped file.
    nextmove = memoryview(a["nextmove"]).cast("B").cast(a["nextmove"].dtype.char)
    # A plain ndarray over the mapping: np.memmap's own indexing runs Python code.
    return cls(a["ptc"].view(np.ndarray), np.asarray(a["pc"]), a["classes"].tolist(),
               nextmove, a["out_feat"].tolist(), norm_probs=True,
               tk_row=a["nextmove_row"].tolist())


def _unpack(model: Path, folder: Path) -> None:
    """The model's arrays as .npy files in `folder`, made whole before it appears (a
    concurrent run either finds it complete or makes its own)."""
    import lzma
    import shutil
    import tempfile

    import numpy as np

    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=folder.name + ".", dir=folder.parent))
    try:
        with tempfile.TemporaryFile(dir=tmp) as npz:
            with lzma.open(model) as src:
                shutil.copyfileobj(src, npz, length=1 << 20)
            npz.seek(0)
            with np.load(npz, allow_pickle=False) as data:
                for name in _ARRAYS:
                    np.save(tmp / f"{name}.npy", data[name], allow_pickle=False)
        try:
            os.rename(tmp, folder)
        except OSError:  # another run made it first
            pass
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
