"""Exact salary statistics: MongoDB groups the amounts into cells, numpy computes the figures.

One `$group` pass over a role's (or every role's) observations pushes each cell's full-time
amounts, a cell being role x country x region x experience band x currency x year, and counts every
observation it read (all employment types: the demand's volume by year) and the newest `_id`; the
levels and their normalised rows are built from the cells' sorted arrays (`groups`), so the
collection is read once. A full run splits the scan by role into `SCAN_PARTITIONS` pipelines that
MongoDB runs side by side, each on its own core. What one pass read of a role (`RoleCells`) is kept
as the role's roll-up (`rollups`), so the next run of that role reads only what came after.

Why not compute the figures in the pipeline: on MongoDB 6.0 that needs `$sortArray` and
`$arrayElemAt` per percentile and a `$facet` that re-sorts every roll-up, which took 6x the time
of a scan of the collection at 1,000,000 observations; 7.0's `$percentile` is approximate by
default.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
from bson import ObjectId
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import OperationFailure

from service.employment import SUMMARISED
from service.official.fx import TARGETS, RateTable
from service.store.database import SALARY_OBSERVATIONS
from service.summaries.groups import DEFAULT_LEVELS, DIMENSIONS, LEVELS, PERCENTILES, CellKey, summarise_role

__all__ = ["DEFAULT_LEVELS", "DIMENSIONS", "LEVELS", "PERCENTILES", "RoleCells", "SalaryComputation",
           "compute_salary", "compute_salary_cells", "observed_through", "read_cells", "sample_size"]
#: Summaries are of full-time pay (and pay whose source does not say); part-time, contract and
#: freelance pay stays in the observations, filterable there. (A missing field is null, as a query's
#: `$in` would treat it.)
_SUMMARISED_EXPR = {"$in": [{"$ifNull": ["$employment_type", None]}, list(SUMMARISED)]}
SCAN_PARTITIONS = 2  # concurrent pipelines in a full run (MongoDB runs each on one core)
BAD_VALUE = 2  # MongoDB's code for a hint that names no index
CURSOR_BATCH = 64    # cells per batch: bounds the worker's transient copy of decoded amounts
PREMIUM_TARGET = "USD"  # the skill pay premium pools every currency, converted to this

# Plain field paths: `country`, `experience_band` and `year` are always stored (null when unknown);
# `region_code` may be missing, which groups apart from null: the two are merged below.
_CELL_KEY = {"role": "$role", "country": "$country", "region_code": "$region_code",
             "experience_band": "$experience_band", "currency": "$currency", "year": "$year"}


@dataclass
class RoleCells:
    """What a pass read of one role: each cell's summarised amounts (sorted; only cells that have
    some), how many observations of every employment type each cell key had, the newest `_id` read
    and the latest `created_at`."""

    role: str
    cells: dict[CellKey, np.ndarray] = field(default_factory=dict)
    seen: dict[CellKey, int] = field(default_factory=dict)
    through: ObjectId | None = None
    observed_through: datetime | None = None

    @property
    def observations(self) -> int:
        return sum(self.seen.values())

    def add(self, key: CellKey, amounts: np.ndarray, seen: int, newest: ObjectId | None,
            created: datetime | None) -> None:
        """Fold in `amounts` (sorted) of `key`: a missing region and a null one are the same cell."""
        if amounts.size:
            if key in self.cells:
                amounts = np.sort(np.concatenate([self.cells[key], amounts]), kind="stable")
            self.cells[key] = amounts
        self.seen[key] = self.seen.get(key, 0) + seen
        if newest is not None and (self.through is None or newest > self.through):
            self.through = newest
        if created is not None and (self.observed_through is None or created > self.observed_through):
            self.observed_through = created

    def by_year(self) -> list[dict[str, Any]]:
        """Observations per year (None: not stated), as `demand.volume_by_year` counts them."""
        years: dict[Any, int] = {}
        for key, n in self.seen.items():
            years[key[4]] = years.get(key[4], 0) + n
        rows = [{"year": y, "count": n} for y, n in years.items() if n]
        return sorted(rows, key=lambda r: (r["year"] is None, r["year"] or 0))


OnCells = Callable[[RoleCells], Awaitable[object]]


@dataclass
class SalaryComputation:
    """Rows by role (sorted by `groups.cell_order`), and each role's amounts converted to USD."""

    by_role: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    kept: dict[str, np.ndarray] = field(default_factory=dict)
    observations: int = 0


async def read_cells(collection: AsyncCollection[dict[str, Any]], roles: Sequence[str], full_scan: bool,
                     on_role: OnCells, after: ObjectId | None = None, through: ObjectId | None = None) -> int:
    """Stream the cells of `roles`, one role at a time (sorted by role), into `on_role`; only the
    observations whose `_id` is greater than `after`, and with `through`, not greater than it (each
    role's `through` is then that bound, and its `observed_through` is left unknown: tracking the
    newest `_id` and time per cell costs a whole read a fifth more, so a whole read looks them up
    after). Returns how many observations were read."""
    match: dict[str, Any] = {"role": {"$in": list(roles)}}
    bounds = {**({"$gt": after} if after is not None else {}), **({"$lte": through} if through is not None else {})}
    if bounds:
        match["_id"] = bounds
    group: dict[str, Any] = {"_id": _CELL_KEY, "seen": {"$sum": 1},
                             "amounts": {"$push": {"$cond": [_SUMMARISED_EXPR, "$amount", "$$REMOVE"]}}}
    if through is None:
        group.update({"newest": {"$max": "$_id"}, "created": {"$max": "$created_at"}})
    pipeline: list[dict[str, Any]] = [{"$match": match}, {"$group": group}, {"$sort": {"_id.role": 1}}]
    # one role's documents in the order they were stored (the (role, _id) index): the index on
    # (role, country, band, currency, amount) reads them in random order, 3x slower at 1M
    options: dict[str, Any] = {"hint": {"$natural": 1} if full_scan else {"role": 1, "_id": -1}}
    try:
        cursor = await collection.aggregate(pipeline, allowDiskUse=True, batchSize=CURSOR_BATCH, **options)
    except OperationFailure as exc:  # a database without careergraph's indexes: let the planner choose
        if exc.code != BAD_VALUE or "hint" not in str(exc):
            raise
        cursor = await collection.aggregate(pipeline, allowDiskUse=True, batchSize=CURSOR_BATCH)
    current: RoleCells | None = None
    read = 0
    async for doc in cursor:
        key = doc["_id"]
        if current is None or key["role"] != current.role:
            if current is not None:
                await on_role(current)
            current = RoleCells(key["role"], through=through)
        amounts = np.sort(np.asarray(doc.pop("amounts"), dtype=np.float64))
        read += doc["seen"]
        cell = (key.get("country"), key.get("region_code"), key.get("experience_band"), key["currency"],
                key.get("year"))
        current.add(cell, amounts, doc["seen"], doc.get("newest"), doc.get("created"))
    if current is not None:
        await on_role(current)
    return read


def _native_usd(cells: dict[CellKey, np.ndarray]) -> np.ndarray:
    parts = [amounts for key, amounts in cells.items() if key[3] == PREMIUM_TARGET]
    return np.sort(np.concatenate(parts), kind="stable") if parts else np.empty(0)


async def summarise(found: RoleCells, min_cell_size: int, rates: RateTable | None, targets: Sequence[str],
                    ) -> tuple[list[dict[str, Any]], np.ndarray | None]:
    """The role's rows (in a thread: numpy releases the GIL for most of it), and its amounts in USD
    (every currency converted; only the USD observations when no rates are loaded). A role with
    no full-time pay has neither."""
    if not found.cells:
        return [], None
    converting = tuple(targets) if rates is not None and rates.years else ()
    rows, converted = await asyncio.to_thread(summarise_role, found.role, found.cells, min_cell_size, rates,
                                              converting)
    return rows, converted.get(PREMIUM_TARGET) if converting else _native_usd(found.cells)


async def compute_salary(db: AsyncDatabase[dict[str, Any]], roles: Sequence[str] | None, min_cell_size: int,
                         rates: RateTable | None = None, keep_converted: bool = False,
                         targets: Sequence[str] = TARGETS, full_scan: bool | None = None,
                         on_cells: OnCells | None = None) -> SalaryComputation:
    """Every row of `roles` (every role with observations when None), normalised to each of
    `targets` when `rates` are given; with `keep_converted`, also each role's amounts in USD (every
    currency converted; only the USD observations when no rates are loaded). `full_scan` reads the
    collection in its natural order, in partitions side by side (the default for every role), rather
    than through the role index. `on_cells` is given what was read of each role (its roll-up)."""
    collection = db[SALARY_OBSERVATIONS]
    wanted = sorted(roles) if roles is not None else sorted(await collection.distinct("role"))
    result = SalaryComputation()

    newest = await collection.find_one({}, {"_id": 1}, sort=[("_id", -1)])
    through = newest["_id"] if newest else None  # what a whole read covers: the roles' roll-ups say so

    async def on_role(found: RoleCells) -> None:
        if on_cells is not None:  # the role's own newest observation read, and when it was stored
            newest_read = await newest_observation(db, found.role, through)
            if newest_read is not None:
                found.through, found.observed_through = newest_read["_id"], newest_read.get("created_at")
            await on_cells(found)
        if not found.cells:  # only pay that summaries do not count: the role has no rows
            return
        rows, usd = await summarise(found, min_cell_size, rates, targets)
        result.by_role[found.role] = rows
        if keep_converted and usd is not None and usd.size:
            result.kept[found.role] = usd

    if full_scan is None:
        full_scan = roles is None
    full_scan = full_scan and len(wanted) > 1
    parts = [wanted[i::SCAN_PARTITIONS] for i in range(SCAN_PARTITIONS)] if full_scan else [wanted]
    if through is None:
        return result
    counts = await asyncio.gather(*(read_cells(collection, p, full_scan, on_role, through=through)
                                    for p in parts if p))
    result.observations = sum(counts)
    return result


async def compute_salary_cells(db: AsyncDatabase[dict[str, Any]], roles: Sequence[str] | None,
                               min_cell_size: int, rates: RateTable | None = None,
                               targets: Sequence[str] = TARGETS) -> dict[str, list[dict[str, Any]]]:
    """Every row of `roles` (every role with observations when None), by role."""
    return (await compute_salary(db, roles, min_cell_size, rates, targets=targets)).by_role


async def newest_observation(db: AsyncDatabase[dict[str, Any]], role: str, through: ObjectId | None = None
                             ) -> dict[str, Any] | None:
    """The `_id` and `created_at` of the role's newest observation (not after `through`): one
    entry of the (role, _id) index."""
    query: dict[str, Any] = {"role": role} if through is None else {"role": role, "_id": {"$lte": through}}
    return await db[SALARY_OBSERVATIONS].find_one(query, {"created_at": 1}, sort=[("_id", -1)])


async def observed_through(db: AsyncDatabase[dict[str, Any]], role: str) -> datetime | None:
    """When the role's newest observation was stored."""
    newest = await newest_observation(db, role)
    return newest["created_at"] if newest else None


def sample_size(cells: list[dict[str, Any]]) -> int:
    return sum(c["count"] for c in cells if c["level"] == "ROLE" and not c.get("normalized_to"))
