"""A role's cells: what a read of its observations found, kept sorted per cell.

A cell is role x country x region x experience band x currency x year, its rows split into
those of files their source publishes (`public` on the document) and the rest, submitted (the
atoms of `disclosure`; levels pool both). For each cell a role
keeps its summarised (full-time) amounts, sorted, and how many observations of every employment
type it has (the demand's volume by year). Cells are built from bounded parts (a chunk of a
whole read, or changes from the change stream) and merged exactly: no cell's amounts are ever
one document or one message, only parts of them are.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np

from service.employment import SUMMARISED

CellKey = tuple[Any, ...]  # (country, region_code, experience_band, currency, year, submitted, metro_code)
EMPTY = np.empty(0)


def cell_key(doc: dict[str, Any]) -> CellKey:
    """The cell of an observation (a missing region is the same cell as a null one), whether it
    is submitted rather than a row of a public file, and its OEWS metro area (`official.metros`)."""
    return (doc.get("country"), doc.get("region_code"), doc.get("experience_band"), doc["currency"],
            doc.get("year"), not doc.get("public"), doc.get("metro_code"))


def summarised(doc: dict[str, Any]) -> bool:
    return doc.get("employment_type") in SUMMARISED


@dataclass
class RoleCells:
    """What a read of one role found: each cell's summarised amounts (sorted; only cells that have
    some), how many observations of every employment type each cell key had; the newest `_id`
    and the latest `created_at` seen (the reuse fingerprint and the summary's `observed_through`);
    and `position`, when the cells are exactly the role's observations committed up to it (a
    change stream resume token, see `positions`)."""

    role: str
    cells: dict[CellKey, np.ndarray] = field(default_factory=dict)
    seen: dict[CellKey, int] = field(default_factory=dict)
    through: Any = None
    observed_through: datetime | None = None
    position: Any = None

    @property
    def observations(self) -> int:
        return sum(self.seen.values())

    @property
    def amounts(self) -> int:
        return sum(int(a.size) for a in self.cells.values())

    def copy(self) -> RoleCells:
        """A copy that can change without changing this one (arrays are replaced, never edited)."""
        return dataclasses.replace(self, cells=dict(self.cells), seen=dict(self.seen))

    def insert(self, doc: dict[str, Any]) -> None:
        key = cell_key(doc)
        self.seen[key] = self.seen.get(key, 0) + 1
        if summarised(doc):
            old = self.cells.get(key, EMPTY)
            amount = float(doc["amount"])
            self.cells[key] = np.insert(old, np.searchsorted(old, amount, side="right"), amount)
        created = doc.get("created_at")
        if created is not None and (self.observed_through is None or created > self.observed_through):
            self.observed_through = created

    def remove(self, doc: dict[str, Any]) -> bool:
        """Take out one observation that these cells hold; False when they do not hold it."""
        key = cell_key(doc)
        if self.seen.get(key, 0) < 1:
            return False
        if summarised(doc):
            old = self.cells.get(key, EMPTY)
            amount = float(doc["amount"])
            at = int(np.searchsorted(old, amount, side="left"))
            if at >= old.size or old[at] != amount:
                return False
            self.cells[key] = np.delete(old, at)
            if not self.cells[key].size:
                del self.cells[key]
        self.seen[key] -= 1
        if not self.seen[key]:
            del self.seen[key]
        return True

    def by_year(self) -> list[dict[str, Any]]:
        """Observations per year (None: not stated), as `demand.volume_by_year` counts them."""
        years: dict[Any, int] = {}
        for key, n in self.seen.items():
            years[key[4]] = years.get(key[4], 0) + n
        rows = [{"year": y, "count": n} for y, n in years.items() if n]
        return sorted(rows, key=lambda r: (r["year"] is None, r["year"] or 0))


class CellParts:
    """Cells gathered part by part (each part a list of amounts of one cell key); `finish` sorts
    each cell once."""

    def __init__(self, role: str) -> None:
        self.role = role
        self._parts: dict[CellKey, list[np.ndarray]] = defaultdict(list)
        self._seen: dict[CellKey, int] = defaultdict(int)

    def add(self, key: CellKey, amounts: list[float] | np.ndarray, seen: int, counted: bool) -> None:
        """`seen` observations of `key`; their `amounts` are summarised when `counted`."""
        self._seen[key] += seen
        if counted and len(amounts):
            self._parts[key].append(np.asarray(amounts, dtype=np.float64))

    @property
    def observations(self) -> int:
        return sum(self._seen.values())

    def finish(self) -> RoleCells:
        cells = {}
        for key, parts in self._parts.items():
            joined = parts[0] if len(parts) == 1 else np.concatenate(parts)
            cells[key] = np.sort(joined, kind="stable")
        self._parts.clear()
        return RoleCells(self.role, cells, dict(self._seen))
