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
engine          WhooshEngine: searching, similar, sources, stats
stats           term statistics for `terms`
"""
