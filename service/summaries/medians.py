"""Exact medians of unions of roles' amounts, read back from storage in passes.

The skills' pay premium needs, for each set of roles that need a skill (and for every role), the
median of all their amounts in USD. A full run keeps each role's sorted amounts in
`salary_amounts` (`reuse.store_amounts`) and never holds more than one role's at a time, so the
medians are found by selection rather than by concatenating: each order statistic wanted (the
middle one or two of a set) narrows a window of values pass by pass. A pass reads every role's
stored chunks once (one chunk, at most 1,000,000 amounts, in memory at a time) and, per window,
counts each sorted chunk's amounts in `BUCKETS` sub-windows with `np.searchsorted`; the first
pass uses one fixed geometric grid for every set. A window holding at most `COLLECT` amounts is
gathered and sorted in the next pass. The median is then what `np.median` gives on the
concatenated amounts (the middle value, or the mean of the two middle values).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from pymongo.asynchronous.database import AsyncDatabase

from service.store import database as c

GRID = np.concatenate(([-np.inf], np.geomspace(1e-2, 1e12, 8191), [np.inf]))  # 0.4% per bucket
BUCKETS = 1024
COLLECT = 8192  # amounts a window may hold to be gathered rather than narrowed again
MAX_PASSES = 64


@dataclass
class _Rank:
    """One order statistic of one set being searched: its window (low, high] holds it."""

    roles: frozenset[str]
    rank: int  # 0-based
    low: float = -np.inf
    high: float = np.inf
    below: int = 0  # amounts <= low
    inside: int = 0  # amounts in the window
    edges: np.ndarray | None = None  # this pass's sub-windows (narrowing)
    counts: np.ndarray | None = None
    gathered: list[np.ndarray] = field(default_factory=list)
    value: float | None = None

    def narrow_to(self, edges: np.ndarray, counts: np.ndarray) -> None:
        """Keep the sub-window of `edges` that holds the rank."""
        cumulative = np.cumsum(counts)
        j = int(np.searchsorted(cumulative, self.rank - self.below, side="right"))
        self.below += int(cumulative[j - 1]) if j else 0
        self.low, self.high, self.inside = float(edges[j]), float(edges[j + 1]), int(counts[j])
        if np.nextafter(self.low, np.inf) >= self.high:  # no value between: every one is `high`
            self.value = self.high

    @property
    def gathering(self) -> bool:
        return self.inside <= COLLECT or not (np.isfinite(self.low) and np.isfinite(self.high))


async def _chunks(db: AsyncDatabase[dict[str, Any]], roles: Iterable[str]) -> Any:
    """Each stored chunk of `roles`' sorted USD amounts, one at a time, with its role."""
    cursor = db[c.SALARY_AMOUNTS].find({"role": {"$in": sorted(roles)}}, {"role": 1, "usd": 1},
                                       batch_size=1).sort([("role", 1), ("chunk", 1)])
    async for doc in cursor:
        yield doc["role"], np.frombuffer(doc["usd"], dtype="<f8")


async def medians(db: AsyncDatabase[dict[str, Any]], sets: Mapping[Hashable, frozenset[str]]
                  ) -> dict[Hashable, tuple[float | None, int]]:
    """(median, size) of the union of each set's roles' stored amounts (None when it has none)."""
    distinct = set(sets.values())
    roles = set().union(*distinct) if distinct else set()
    histograms = {s: np.zeros(GRID.size - 1, dtype=np.int64) for s in distinct}
    containing: dict[str, list[frozenset[str]]] = {r: [s for s in distinct if r in s] for r in roles}
    async for role, amounts in _chunks(db, roles):
        counts = np.diff(np.searchsorted(amounts, GRID, side="right"))
        for members in containing[role]:
            histograms[members] += counts
    sizes = {s: int(h.sum()) for s, h in histograms.items()}
    ranks: dict[frozenset[str], list[_Rank]] = {}
    for members, size in sizes.items():
        ranks[members] = [_Rank(members, r) for r in sorted({(size - 1) // 2, size // 2})] if size else []
        for rank in ranks[members]:
            rank.narrow_to(GRID, histograms[members])
    pending = [rank for found in ranks.values() for rank in found if rank.value is None]
    for _ in range(MAX_PASSES):
        if not pending:
            break
        await _pass(db, pending)
        pending = [rank for rank in pending if rank.value is None]
    else:
        raise RuntimeError("medians did not settle")  # each pass narrows a window BUCKETS-fold

    def median(found: list[_Rank]) -> float | None:
        values = [r.value for r in found if r.value is not None]
        if not values or len(values) != len(found):
            return None
        return values[0] if len(values) == 1 else float((np.float64(values[0]) + np.float64(values[1])) / 2)

    return {key: (median(ranks[members]), sizes[members]) for key, members in sets.items()}


async def _pass(db: AsyncDatabase[dict[str, Any]], pending: list[_Rank]) -> None:
    """Narrow or gather every pending rank, reading each role's chunks once."""
    for rank in pending:
        if not rank.gathering:
            rank.edges = np.linspace(rank.low, rank.high, BUCKETS + 1)
            rank.edges[0], rank.edges[-1] = rank.low, rank.high
            rank.counts = np.zeros(BUCKETS, dtype=np.int64)
    by_role: dict[str, list[_Rank]] = {}
    for rank in pending:
        for role in rank.roles:
            by_role.setdefault(role, []).append(rank)
    async for role, amounts in _chunks(db, by_role):
        for rank in by_role[role]:
            if rank.gathering:
                first, last = np.searchsorted(amounts, [rank.low, rank.high], side="right")
                if last > first:
                    rank.gathered.append(amounts[first:last].copy())
            else:
                assert rank.edges is not None and rank.counts is not None
                rank.counts += np.diff(np.searchsorted(amounts, rank.edges, side="right"))
    for rank in pending:
        if rank.gathering:
            values = np.sort(np.concatenate(rank.gathered)) if rank.gathered else np.empty(0)
            rank.gathered = []
            rank.value = float(values[rank.rank - rank.below])
        else:
            assert rank.edges is not None and rank.counts is not None
            rank.narrow_to(rank.edges, rank.counts)
            rank.edges = rank.counts = None
