"""What an import did: rows read, imported, duplicates, and every rejected row with its line."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import Any, TextIO

MAX_REJECTIONS_KEPT = 10_000  # a file of nothing but bad rows still has a bounded report


@dataclass(frozen=True)
class Rejection:
    file: str
    line: int
    reason: str


@dataclass
class ImportReport:
    kind: str
    rows_read: int = 0
    imported: int = 0
    duplicates: int = 0
    updated: int = 0
    rejected_count: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    touched_roles: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)

    def reject(self, file: str, line: int, reason: str) -> None:
        self.rejected_count += 1
        if len(self.rejections) < MAX_REJECTIONS_KEPT:
            self.rejections.append(Rejection(file, line, reason))

    @property
    def accounted(self) -> bool:
        """Every row read is imported, a duplicate or rejected."""
        return self.rows_read == self.imported + self.duplicates + self.rejected_count + self.updated

    def lines(self, max_rejections: int = 50) -> list[str]:
        out = [
            f"{self.kind}: {self.rows_read} rows read, {self.imported} imported, "
            f"{self.updated} updated, {self.duplicates} duplicates skipped, "
            f"{self.rejected_count} rejected",
            *self.notes,
        ]
        for rejection in self.rejections[:max_rejections]:
            out.append(f"  rejected {rejection.file}:{rejection.line}: {rejection.reason}")
        if self.rejected_count > max_rejections:
            out.append(f"  ... and {self.rejected_count - max_rejections} more rejected rows")
        return out

    def to_document(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "rows_read": self.rows_read, "imported": self.imported,
            "updated": self.updated, "duplicates": self.duplicates, "rejected": self.rejected_count,
            "rejections": [r.__dict__ for r in self.rejections[:1000]],
            "touched_roles": sorted(self.touched_roles),
        }


class Progress:
    """A one-line progress indicator on a terminal; silent otherwise."""

    def __init__(self, label: str, total_bytes: int, stream: TextIO | None = None) -> None:
        self.label, self.total = label, max(total_bytes, 1)
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self._last = 0.0

    def update(self, done_bytes: int, rows: int) -> None:
        now = time.monotonic()
        if not self.enabled or now - self._last < 0.2:
            return
        self._last = now
        percent = min(100.0, 100.0 * done_bytes / self.total)
        filled = int(percent / 5)
        self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (20 - filled)}] "
                          f"{percent:5.1f}% {rows} rows")
        self.stream.flush()

    def finish(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()
