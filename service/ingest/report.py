"""What an import did: records read, imported, duplicates, rejected, and where rows went.

Counting is by record (a quoted field may span lines), and every rejected record is kept with
its line number: in the report (the first `MAX_REJECTIONS_KEPT`, for a bounded report) and, when
a rejects file is given, all of them in it, with the record's text, so a fixed copy can be
imported again.
"""

from __future__ import annotations

import csv
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, TextIO

MAX_REJECTIONS_KEPT = 10_000  # a file of nothing but bad rows still has a bounded report
TOP_UNMATCHED = 10


@dataclass(frozen=True)
class Rejection:
    file: str
    line: int
    reason: str


class RejectsFile:
    """Every rejected record, as CSV: file, line, reason, record."""

    def __init__(self, stream: TextIO) -> None:
        self.writer = csv.writer(stream)
        self.writer.writerow(["file", "line", "reason", "record"])

    def write(self, rejection: Rejection, record: str | None) -> None:
        self.writer.writerow([rejection.file, rejection.line, rejection.reason, record or ""])


@dataclass
class ImportReport:
    kind: str
    records_read: int = 0
    imported: int = 0
    duplicates: int = 0  # records already stored, or repeats of a record in the same file
    updated: int = 0
    not_released: int = 0  # records in which the source released nothing (OEWS cells)
    skipped: int = 0  # records left out on purpose (an import limited to some occupations)
    rejected_count: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    touched_roles: set[str] = field(default_factory=set)
    by_role: Counter[str] = field(default_factory=Counter)  # records routed to each role
    unmatched: Counter[str] = field(default_factory=Counter)  # titles no role claimed
    notes: list[str] = field(default_factory=list)
    rejects: RejectsFile | None = None
    run_id: str | None = None

    def reject(self, file: str, line: int, reason: str, record: str | None = None) -> None:
        self.rejected_count += 1
        rejection = Rejection(file, line, reason)
        if len(self.rejections) < MAX_REJECTIONS_KEPT:
            self.rejections.append(rejection)
        if self.rejects is not None:
            self.rejects.write(rejection, record)

    @property
    def accounted(self) -> bool:
        """Every record read is imported, a duplicate, updated or rejected."""
        return self.records_read == (self.imported + self.duplicates + self.rejected_count + self.updated
                                     + self.not_released + self.skipped)

    def lines(self, max_rejections: int = 50) -> list[str]:
        out = [
            f"{self.kind}: {self.records_read} records read, {self.imported} imported, "
            f"{self.updated} updated, {self.duplicates} duplicates skipped, "
            f"{self.rejected_count} rejected" + (f", {self.not_released} not released" if self.not_released else "")
            + (f", {self.skipped} skipped" if self.skipped else "")
            + (f" (run {self.run_id})" if self.run_id else ""),
            *self.notes,
        ]
        if self.by_role:
            out.append("  by role: " + ", ".join(f"{role} {n}" for role, n in self.by_role.most_common()))
        if self.unmatched:
            out.append("  most frequent titles no role claimed: " + ", ".join(
                f"{title!r} {n}" for title, n in self.unmatched.most_common(TOP_UNMATCHED)))
        for rejection in self.rejections[:max_rejections]:
            out.append(f"  rejected {rejection.file}:{rejection.line}: {rejection.reason}")
        if self.rejected_count > max_rejections:
            out.append(f"  ... and {self.rejected_count - max_rejections} more rejected records"
                       + ("" if self.rejects else " (--rejects FILE keeps them all)"))
        return out

    def to_document(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "records_read": self.records_read, "imported": self.imported,
            "updated": self.updated, "duplicates": self.duplicates, "rejected": self.rejected_count,
            "not_released": self.not_released,
            "rejections": [r.__dict__ for r in self.rejections[:1000]],
            "touched_roles": sorted(self.touched_roles), "by_role": dict(self.by_role),
            "unmatched_titles": dict(self.unmatched.most_common(100)),
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
                          f"{percent:5.1f}% {rows} records")
        self.stream.flush()

    def finish(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()
