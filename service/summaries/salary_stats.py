"""Exact salary statistics: MongoDB groups a role's amounts into cells, numpy computes the figures.

A role's observations are read in bounded chunks of its index (`cell_reads`), each a `$group`
that pushes the chunk's amounts of each cell (role x country x region x experience band x
currency x year) and counts every observation it read (all employment types: the demand's volume
by year); the chunks are merged into the role's cells (`cells`), sorted per cell, and the levels
and their normalised rows are built from them (`groups`). One role's amounts are in memory at a
time. The worker keeps what it read of a role as the role's roll-up (`rollups`), so that the next
run of the role reads only its changes.

Why not compute the figures in the pipeline: on MongoDB 6.0 that needs `$sortArray` and
`$arrayElemAt` per percentile and a `$facet` that re-sorts every roll-up, which took 6x the time
of a scan of the collection at 1,000,000 observations; 7.0's `$percentile` is approximate by
default.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import numpy as np
from pymongo.asynchronous.database import AsyncDatabase

from service.official.fx import TARGETS, RateTable
from service.store.database import SALARY_OBSERVATIONS
from service.summaries import cell_reads, disclosure
from service.summaries.cells import CellKey, RoleCells
from service.summaries.grouped import PERCENTILES
from service.summaries.groups import DEFAULT_LEVELS, DIMENSIONS, LEVELS, summarise_role

__all__ = ["DEFAULT_LEVELS", "DIMENSIONS", "LEVELS", "PERCENTILES", "compute_salary_cells", "observed_through",
           "sample_size", "summarise"]
PREMIUM_TARGET = "USD"  # the skill pay premium pools every currency, converted to this
LIVE_CONCURRENCY = 2  # roles a live read computes at once


def _native_usd(cells: dict[CellKey, np.ndarray]) -> np.ndarray:
    parts = [amounts for key, amounts in cells.items() if key[3] == PREMIUM_TARGET]
    return np.sort(np.concatenate(parts), kind="stable") if parts else np.empty(0)


async def summarise(found: RoleCells, min_cell_size: int, rates: RateTable | None, targets: Sequence[str],
                    ) -> tuple[list[dict[str, Any]], np.ndarray | None]:
    """The role's exact rows, small groups withheld (in a thread: numpy releases the GIL for most of
    it; `live: true` and the engine's tests; the service publishes `publication`'s), and its amounts in USD
    (every currency converted; only the USD observations when no rates are loaded). A role with
    no full-time pay has neither."""
    if not found.cells:
        return [], None
    converting = tuple(targets) if rates is not None and rates.years else ()
    rows, converted = await asyncio.to_thread(summarise_role, found.role, found.cells, rates, converting)
    disclosure.mark_exact(rows, min_cell_size)
    return rows, converted.get(PREMIUM_TARGET) if converting else _native_usd(found.cells)


async def compute_salary_cells(db: AsyncDatabase[dict[str, Any]], roles: Sequence[str] | None,
                               min_cell_size: int, rates: RateTable | None = None,
                               targets: Sequence[str] = TARGETS) -> dict[str, list[dict[str, Any]]]:
    """Every row of `roles` (every role with observations when None), by role: each role read
    whole, two at a time (the admin's `live` reads)."""
    collection = db[SALARY_OBSERVATIONS]
    wanted = sorted(roles) if roles is not None else sorted(await collection.distinct("role"))
    by_role: dict[str, list[dict[str, Any]]] = {}
    gate = asyncio.Semaphore(LIVE_CONCURRENCY)

    async def one(role: str) -> None:
        async with gate:
            found = (await cell_reads.read_whole(collection, role)).cells.finish()
            rows, _ = await summarise(found, min_cell_size, rates, targets)
        if rows:
            by_role[role] = rows

    await asyncio.gather(*(one(role) for role in wanted))
    return {role: by_role[role] for role in sorted(by_role)}


async def newest_observation(db: AsyncDatabase[dict[str, Any]], role: str) -> dict[str, Any] | None:
    """The `_id` and `created_at` of the role's newest observation by `_id` (one index entry): the
    reuse fingerprint, and when the role last had an observation (ids are made by the writing
    process, so this is the newest by its clock, not in commit order)."""
    return await db[SALARY_OBSERVATIONS].find_one({"role": role}, {"created_at": 1}, sort=[("_id", -1)])


async def observed_through(db: AsyncDatabase[dict[str, Any]], role: str) -> datetime | None:
    """When the role's newest observation was stored."""
    newest = await newest_observation(db, role)
    return newest["created_at"] if newest else None


def sample_size(cells: list[dict[str, Any]]) -> int:
    return sum(c["count"] for c in cells if c["level"] == "ROLE" and not c.get("normalized_to"))
