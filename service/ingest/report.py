"""What an import did: records read, imported, duplicates, rejected, and where rows went.

Counting is by record (a quoted field may span lines), and every rejected record is kept with
its line number: in the report (the first `MAX_REJECTIONS_KEPT`, for a bounded report) and, when
a rejects file is given, all of them in it, with the record's text, so a fixed copy can be
imported again.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, TextIO

from service.csv_cells import SafeCsvWriter

MAX_REJECTIONS_KEPT = 10_000  # a file of nothing but bad rows still has a bounded report
TOP_UNMATCHED = 10


@dataclass(frozen=True)
class Rejection:
    file: str
    line: int
    reason: str


class RejectsFile:
    """Every rejected record, as CSV: file, line, reason, record. A record that starts like a
    formula is written with a quote in front (`service.csv_cells`): remove it when fixing the row."""

    def __init__(self, stream: TextIO) -> None:
        self.writer = SafeCsvWriter(stream)
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
    metros: Counter[str] = field(default_factory=Counter)  # U.S. records placed in each OEWS metro area
    unplaced_cities: Counter[str] = field(default_factory=Counter)  # "City, ST" no metro area's title names
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

    def lines(self, max_rejections: int = 50, breakdown: bool = True) -> list[str]:
        """The report in words; without `breakdown`, the rows by role and the unclaimed titles are left
        to `breakdown_tables` (the CLI prints them as tables)."""
        out = [
            f"{self.kind}: {self.records_read} records read, {self.imported} imported, "
            f"{self.updated} updated, {self.duplicates} duplicates skipped, "
            f"{self.rejected_count} rejected" + (f", {self.not_released} not released" if self.not_released else "")
            + (f", {self.skipped} skipped" if self.skipped else "")
            + (f" (run {self.run_id})" if self.run_id else ""),
            *self.notes,
        ]
        if self.by_role and breakdown:
            out.append("  by role: " + ", ".join(f"{role} {n}" for role, n in self.by_role.most_common()))
        if self.unmatched and breakdown:
            out.append("  most frequent titles no role claimed: " + ", ".join(
                f"{title!r} {n}" for title, n in self.unmatched.most_common(TOP_UNMATCHED)))
        if self.metros or self.unplaced_cities:
            out.append(self.metro_line())
        for rejection in self.rejections[:max_rejections]:
            out.append(f"  rejected {rejection.file}:{rejection.line}: {rejection.reason}")
        if self.rejected_count > max_rejections:
            out.append(f"  ... and {self.rejected_count - max_rejections} more rejected records"
                       + ("" if self.rejects else " (--rejects FILE keeps them all)"))
        return out

    def metro_line(self) -> str:
        placed, unplaced = sum(self.metros.values()), sum(self.unplaced_cities.values())
        line = (f"  metro areas: {placed:,} U.S. records with a city in {len(self.metros)} OEWS metro areas; "
                f"{unplaced:,} ({len(self.unplaced_cities)} cities) at state level only, their city not a principal "
                "city of any area's title")
        if self.unplaced_cities:
            line += ", most frequent: " + ", ".join(f"{city!r} {n}" for city, n in
                                                    self.unplaced_cities.most_common(TOP_UNMATCHED))
        return line

    def breakdown_tables(self) -> list[tuple[str, list[str], list[list[Any]]]]:
        """(title, columns, rows) of where the rows went, for a terminal table."""
        tables: list[tuple[str, list[str], list[list[Any]]]] = []
        if self.by_role:
            tables.append(("rows by role", ["role", "rows"], [[r, n] for r, n in self.by_role.most_common(20)]))
        if self.unmatched:
            tables.append(("titles no role claimed (kept under other-roles)", ["title", "rows"],
                           [[t, n] for t, n in self.unmatched.most_common(TOP_UNMATCHED)]))
        return tables

    def to_document(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "records_read": self.records_read, "imported": self.imported,
            "updated": self.updated, "duplicates": self.duplicates, "rejected": self.rejected_count,
            "not_released": self.not_released,
            "rejections": [r.__dict__ for r in self.rejections[:1000]],
            "touched_roles": sorted(self.touched_roles), "by_role": dict(self.by_role),
            "unmatched_titles": dict(self.unmatched.most_common(100)),
            "metros": dict(self.metros), "unplaced_cities": dict(self.unplaced_cities.most_common(100)),
        }


class Progress:
    """The import's progress bar (bytes of the file read, records so far), on a terminal only."""

    def __init__(self, label: str, total_bytes: int, stream: TextIO | None = None) -> None:
        from service.platform import terminal  # not for the salary parsing process, which reports no progress

        self._shown = terminal.progress(label, max(total_bytes, 1), stream)
        self._bar = self._shown.__enter__()

    def update(self, done_bytes: int, rows: int) -> None:
        self._bar.update(done_bytes, note=f"{rows:,} records")

    def finish(self) -> None:
        self._shown.__exit__(None, None, None)
