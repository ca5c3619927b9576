"""Following a narrative as it spreads: library entry points behind `timeline --share`,
`terms`, `origin`, `alert` and `watch`. Every feature is callable from Python:

    from newsgrep.query import SearchRequest
    from newsgrep.narrative.share import share_timeline       # matches / all articles
    from newsgrep.narrative.terms import significant_terms    # what the coverage says
    from newsgrep.narrative.origin import origin               # who said it first
    from newsgrep.narrative.alerts import AlertStore, run_alert  # saved searches
    from newsgrep.narrative.watch import watch                 # keep an index current
"""
