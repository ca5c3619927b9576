"""The Whoosh engine, one job per module, each importing only the ones listed before it
(and the query language, engine/querylang/, which both engines share):

fastformat      newsgrep's posting format, computed in the parsing workers
schema          the fields, the document an article becomes, a stored record read back
folder          the index folder: open/create, format, identity, checksums, verify
filters         a request's filters as a query
summaries       whole-index counts from postings and columns
suggest         did-you-mean
w3format        Whoosh's W3 encodings as the bulk writer writes them
segment         building one segment in memory
commit          staging segments and committing them (TOC)
merge           the tiered merge policy
bulk            the bulk writer (ingest's and the engine's)
classic_writer  Whoosh's own writer (fallback, baseline)
segment_ingest  how an index run writes the index from its parsing workers
fastskip        a faster W3LeafMatcher.skip_to (a bisect inside the block)
engine          WhooshEngine: searching, similar, sources, stats
stats           term statistics for `terms`
"""

from __future__ import annotations

import functools
import sys
import types


def _urlretrieve(*args, **kwargs):
    """whoosh.compat.urlretrieve, imported when called (nothing in Whoosh calls it)."""
    from urllib.request import urlretrieve

    return urlretrieve(*args, **kwargs)


def _variations(word):
    """whoosh.lang.morph_en.variations, imported when called (only Whoosh's Variations
    query calls it; newsgrep builds none)."""
    from whoosh.lang.morph_en import variations

    return variations(word)


def _import_with(name: str, stub: types.ModuleType, module: str) -> None:
    # `module` is imported while `stub` stands in for `name`; then the stub is taken out
    # of sys.modules, so any later `import name` anywhere loads the real module.
    if module in sys.modules or name in sys.modules:
        return  # too late, or loaded for another reason: nothing to save
    sys.modules[name] = stub
    try:
        __import__(module)
    finally:
        if sys.modules.get(name) is stub:
            del sys.modules[name]


# Import cost of every search (issue #13): whoosh.compat runs `from urllib.request import
# urlretrieve` (~20 ms: http.client, email, ssl...) for a name Whoosh never calls, and
# whoosh.reading's one @cached_property comes from the `cached_property` package, which
# imports asyncio (~13 ms) to test each function for a coroutine; whoosh.query.terms
# imports whoosh.lang.morph_en (~25 ms compiling ~90 suffix rules into regexes) for its
# Variations query alone. All are loaded here, once, with a stand-in for what they
# import: a urlretrieve or variations that imports the real one when called, and
# functools.cached_property (the same for a plain method).
_request = types.ModuleType("urllib.request")
_request.urlretrieve = _urlretrieve  # type: ignore[attr-defined]
_import_with("urllib.request", _request, "whoosh.compat")
_cached = types.ModuleType("cached_property")
_cached.cached_property = functools.cached_property  # type: ignore[attr-defined]
_import_with("cached_property", _cached, "whoosh.reading")
_morph = types.ModuleType("whoosh.lang.morph_en")
_morph.variations = _variations  # type: ignore[attr-defined]
_import_with("whoosh.lang.morph_en", _morph, "whoosh.query")
del _request, _cached, _morph
