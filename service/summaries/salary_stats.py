"""Exact salary statistics: MongoDB groups the amounts into cells, numpy computes the figures.

One `$group` pass over a role's (or every role's) full-time observations pushes each cell's
amounts, a cell being role x country x region x experience band x currency x year; the levels and
their normalised rows are built from the cells' sorted arrays (`groups`), so the collection is read
once. A full run splits the scan by role into `SCAN_PARTITIONS` pipelines that MongoDB runs side by
side, each on its own core.

Why not compute the figures in the pipeline: on MongoDB 6.0 that needs `$sortArray` and
`$arrayElemAt` per percentile and a `$facet` that re-sorts every roll-up, which took 6x the time
of a scan of the collection at 1,000,000 observations; 7.0's `$percentile` is approximate by
default.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import OperationFailure

from service.employment import SUMMARISED
from service.official.fx import TARGETS, RateTable
from service.store.database import SALARY_OBSERVATIONS
from service.summaries.groups import DEFAULT_LEVELS, DIMENSIONS, LEVELS, PERCENTILES, CellKey, summarise_role

__all__ = ["DEFAULT_LEVELS", "DIMENSIONS", "LEVELS", "PERCENTILES", "SalaryComputation", "compute_salary",
           "compute_salary_cells", "observed_through", "sample_size"]
#: Summaries are of full-time pay (and pay whose source does not say); part-time, contract and
#: freelance pay stays in the observations, filterable there.
SUMMARISED_PAY = {"employment_type": {"$in": list(SUMMARISED)}}
SCAN_PARTITIONS = 2  # concurrent pipelines in a full run (MongoDB runs each on one core)
BAD_VALUE = 2  # MongoDB's code for a hint that names no index
CURSOR_BATCH = 64    # cells per batch: bounds the worker's transient copy of decoded amounts
PREMIUM_TARGET = "USD"  # the skill pay premium pools every currency, converted to this

# Plain field paths: `country`, `experience_band` and `year` are always stored (null when unknown);
# `region_code` may be missing, which groups apart from null: the two are merged below.
_CELL_KEY = {"role": "$role", "country": "$country", "region_code": "$region_code",
             "experience_band": "$experience_band", "currency": "$currency", "year": "$year"}


@dataclass
class SalaryComputation:
    """Rows by role (sorted by `groups.cell_order`), and each role's amounts converted to USD."""

    by_role: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    kept: dict[str, np.ndarray] = field(default_factory=dict)
    observations: int = 0


async def _role_cells(collection: AsyncCollection[dict[str, Any]], roles: Sequence[str], full_scan: bool,
                      on_role: Any) -> int:
    """Stream the cells of `roles`, one role at a time (sorted by role), into `on_role`."""
    pipeline: list[dict[str, Any]] = [{"$match": {"role": {"$in": list(roles)}, **SUMMARISED_PAY}},
                                      {"$group": {"_id": _CELL_KEY, "amounts": {"$push": "$amount"}}},
                                      {"$sort": {"_id.role": 1}}]
    # one role's documents in the order they were stored (the (role, _id) index): the index on
    # (role, country, band, currency, amount) reads them in random order, 3x slower at 1M
    options: dict[str, Any] = {"hint": {"$natural": 1} if full_scan else {"role": 1, "_id": -1}}
    try:
        cursor = await collection.aggregate(pipeline, allowDiskUse=True, batchSize=CURSOR_BATCH, **options)
    except OperationFailure as exc:  # a database without careergraph's indexes: let the planner choose
        if exc.code != BAD_VALUE or "hint" not in str(exc):
            raise
        cursor = await collection.aggregate(pipeline, allowDiskUse=True, batchSize=CURSOR_BATCH)
    role: str | None = None
    cells: dict[CellKey, np.ndarray] = {}
    read = 0
    async for doc in cursor:
        key = doc["_id"]
        if key["role"] != role:
            if role is not None:
                await on_role(role, cells)
            role, cells = key["role"], {}
        amounts = np.sort(np.asarray(doc.pop("amounts"), dtype=np.float64))
        read += amounts.size
        cell = (key.get("country"), key.get("region_code"), key.get("experience_band"), key["currency"],
                key.get("year"))
        if cell in cells:  # a missing region and a null one are the same cell
            amounts = np.sort(np.concatenate([cells[cell], amounts]), kind="stable")
        cells[cell] = amounts
    if role is not None:
        await on_role(role, cells)
    return read


def _native_usd(cells: dict[CellKey, np.ndarray]) -> np.ndarray:
    parts = [amounts for key, amounts in cells.items() if key[3] == PREMIUM_TARGET]
    return np.sort(np.concatenate(parts), kind="stable") if parts else np.empty(0)


async def compute_salary(db: AsyncDatabase[dict[str, Any]], roles: Sequence[str] | None, min_cell_size: int,
                         rates: RateTable | None = None, keep_converted: bool = False,
                         targets: Sequence[str] = TARGETS, full_scan: bool | None = None) -> SalaryComputation:
    """Every row of `roles` (every role with observations when None), normalised to each of
    `targets` when `rates` are given; with `keep_converted`, also each role's amounts in USD (every
    currency converted; only the USD observations when no rates are loaded). `full_scan` reads the
    collection in its natural order, in partitions side by side (the default for every role), rather
    than through the role index."""
    collection = db[SALARY_OBSERVATIONS]
    wanted = sorted(roles) if roles is not None else sorted(await collection.distinct("role"))
    result = SalaryComputation()
    converting = tuple(targets) if rates is not None and rates.years else ()

    async def on_role(role: str, cells: dict[CellKey, np.ndarray]) -> None:
        rows, converted = await asyncio.to_thread(summarise_role, role, cells, min_cell_size, rates, converting)
        result.by_role[role] = rows
        if keep_converted:
            usd = converted.get(PREMIUM_TARGET) if converting else _native_usd(cells)
            if usd is not None and usd.size:
                result.kept[role] = usd

    if full_scan is None:
        full_scan = roles is None
    full_scan = full_scan and len(wanted) > 1
    parts = [wanted[i::SCAN_PARTITIONS] for i in range(SCAN_PARTITIONS)] if full_scan else [wanted]
    counts = await asyncio.gather(*(_role_cells(collection, p, full_scan, on_role) for p in parts if p))
    result.observations = sum(counts)
    return result


async def compute_salary_cells(db: AsyncDatabase[dict[str, Any]], roles: Sequence[str] | None,
                               min_cell_size: int, rates: RateTable | None = None,
                               targets: Sequence[str] = TARGETS) -> dict[str, list[dict[str, Any]]]:
    """Every row of `roles` (every role with observations when None), by role."""
    return (await compute_salary(db, roles, min_cell_size, rates, targets=targets)).by_role


async def observed_through(db: AsyncDatabase[dict[str, Any]], role: str) -> datetime | None:
    """When the role's newest observation was stored (one index lookup on role, _id)."""
    newest = await db[SALARY_OBSERVATIONS].find_one({"role": role}, {"created_at": 1}, sort=[("_id", -1)])
    return newest["created_at"] if newest else None


def sample_size(cells: list[dict[str, Any]]) -> int:
    return sum(c["count"] for c in cells if c["level"] == "ROLE" and not c.get("normalized_to"))
