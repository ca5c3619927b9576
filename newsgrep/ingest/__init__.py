"""`newsgrep index`: discover -> read/decode -> normalize -> write to the engine.

Incremental: a file whose size and mtime match the manifest is not opened; one whose
bytes hash to the manifest's digest is not re-parsed. Parsing runs on all cores; the
single engine writer commits in batches, each followed by the manifest update, so an
interrupted run keeps every finished batch and the next run picks up the rest.

One stage per module, each importing only those on the lines below it:
  update (index_paths) -> rebuild (--full) -> run (the run loop)
  -> splitting (the jobs), workers (the pool)
  -> parse (a worker's job), batch (commits), reconcile, interrupt (Ctrl-C), lock
  -> jobs, options, progress, summary, swap.
"""

from .interrupt import IndexInterrupted
from .lock import LOCK_FILE, run_lock
from .options import BATCH_FILES, COMMIT_SECONDS
from .rebuild import REBUILD_SUFFIX, rebuild_dir
from .summary import IndexSummary
from .update import index_paths
from .workers import ORPHAN_EXIT

__all__ = ["BATCH_FILES", "COMMIT_SECONDS", "LOCK_FILE", "ORPHAN_EXIT", "REBUILD_SUFFIX",
           "IndexInterrupted", "IndexSummary", "index_paths", "rebuild_dir", "run_lock"]
