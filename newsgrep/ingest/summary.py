"""What an index run reports: its counts, skipped files and warnings."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class IndexSummary:
    indexed: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    skipped: list[dict] = field(default_factory=list)  # {"path", "reason"}
    warnings: list[dict] = field(default_factory=list)  # {"path", "reason"}: kept, with a note
    seconds: float = 0.0
    reread: int = 0  # files read again because an older newsgrep had read them (of updated)
    articles: int = 0  # articles written by this run (a .jsonl file gives many)

    def to_dict(self) -> dict:
        return {"indexed": self.indexed, "updated": self.updated, "unchanged": self.unchanged,
                "removed": self.removed, "skipped": self.skipped, "warnings": self.warnings,
                "reread": self.reread, "articles": self.articles,
                "seconds": round(self.seconds, 3)}
