"""Exact salary statistics: MongoDB groups the amounts into cells, numpy computes the figures.

Every observation is counted at four levels, each keyed by currency (amounts in different
currencies are never mixed):

- CELL: role x country x experience band x currency,
- COUNTRY: role x country x currency (all bands),
- BAND: role x experience band x currency (all countries),
- ROLE: role x currency (everything).

A null country or band at CELL, COUNTRY or BAND level means the observation did not say.

One `$group` pass over the observations pushes each cell's amounts; the roll-ups are built from
the cells' sorted arrays, so the collection is read once. Percentiles are numpy's default
("linear", Hyndman and Fan type 7); the standard deviation is the population one (ddof=0).

Why not compute the figures in the pipeline: on MongoDB 6.0 that needs `$sortArray` and
`$arrayElemAt` per percentile and a `$facet` that re-sorts every roll-up, which took 6x the time
of a scan of the collection at 1,000,000 observations; 7.0's `$percentile` is approximate by
default. A full run also splits the scan by role into `SCAN_PARTITIONS` pipelines that MongoDB
runs side by side, each on its own core.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from service.employment import SUMMARISED
from service.store.database import SALARY_OBSERVATIONS
from service.summaries import disclosure

LEVELS = ("CELL", "COUNTRY", "BAND", "ROLE")
PERCENTILES = {"p10": 0.10, "p25": 0.25, "median": 0.50, "p75": 0.75, "p90": 0.90}
DIMENSIONS = {"CELL": ("country", "experience_band"), "COUNTRY": ("country",),
              "BAND": ("experience_band",), "ROLE": ()}
#: Summaries are of full-time pay (and pay whose source does not say); part-time, contract and
#: freelance pay stays in the observations, filterable there.
SUMMARISED_PAY = {"employment_type": {"$in": list(SUMMARISED)}}
SCAN_PARTITIONS = 2  # concurrent pipelines in a full run (MongoDB runs each on one core)
CURSOR_BATCH = 64    # cells per batch: bounds the worker's transient copy of decoded amounts

# Plain field paths: the validator requires `country` and `experience_band` (null when unknown),
# so a missing field never forms a group of its own; expressions here would double the pass.
_CELL_KEY = {"role": "$role", "country": "$country", "experience_band": "$experience_band",
             "currency": "$currency"}
_Key = tuple[Any, ...]


@dataclass
class SalaryComputation:
    """Rows by role (sorted by `cell_order`), and the sorted amounts per role in one kept currency."""

    by_role: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    kept: dict[str, np.ndarray] = field(default_factory=dict)
    observations: int = 0


def percentile(values: np.ndarray, q: float) -> float:
    """numpy's linear percentile of a sorted array, read off directly (no partition): the same
    virtual index (n - 1) q and the same two-sided interpolation as numpy's `_lerp`."""
    h = (values.size - 1) * q
    lo = int(h)
    a, b = float(values[lo]), float(values[min(lo + 1, values.size - 1)])
    t = h - lo
    return b - (b - a) * (1 - t) if t >= 0.5 else a + (b - a) * t


def figures(values: np.ndarray) -> dict[str, Any]:
    """count, mean, stddev and the order statistics of a non-empty sorted array."""
    return {"count": int(values.size), "mean": float(values.mean()), "stddev": float(values.std()),
            "min": float(values[0]), "max": float(values[-1]),
            **{name: percentile(values, q) for name, q in PERCENTILES.items()}}


def cell_order(cell: dict[str, Any]) -> tuple[int, str, str, str]:
    return (LEVELS.index(cell["level"]), cell["currency"], cell.get("country") or "~",
            cell.get("experience_band") or "~")


def summarise_role(role: str, cells: dict[_Key, np.ndarray], min_cell_size: int) -> list[dict[str, Any]]:
    """Every level's rows for one role from its cells, keyed (country, band, currency), sorted."""
    groups: dict[tuple[str, _Key], list[np.ndarray]] = defaultdict(list)
    for (country, band, currency), amounts in cells.items():
        dims = {"country": country, "experience_band": band}
        for level in LEVELS:
            groups[(level, (currency, *(dims[d] for d in DIMENSIONS[level])))].append(amounts)
    rows = []
    for (level, (currency, *values)), parts in groups.items():
        merged = parts[0] if len(parts) == 1 else np.sort(np.concatenate(parts), kind="stable")
        rows.append({"level": level, "role": role, "currency": currency,
                     **dict(zip(DIMENSIONS[level], values, strict=True)), **figures(merged)})
    rows.sort(key=cell_order)
    return disclosure.withhold(rows, min_cell_size)


async def _role_cells(collection: AsyncCollection[dict[str, Any]], roles: Sequence[str], full_scan: bool,
                      on_role: Any) -> int:
    """Stream the cells of `roles`, one role at a time (sorted by role), into `on_role`."""
    pipeline: list[dict[str, Any]] = [{"$match": {"role": {"$in": list(roles)}, **SUMMARISED_PAY}},
                {"$group": {"_id": _CELL_KEY, "amounts": {"$push": "$amount"}}},
                {"$sort": {"_id.role": 1}}]
    options: dict[str, Any] = {"hint": {"$natural": 1}} if full_scan else {}
    cursor = await collection.aggregate(pipeline, allowDiskUse=True, batchSize=CURSOR_BATCH, **options)
    role: str | None = None
    cells: dict[_Key, np.ndarray] = {}
    read = 0
    async for doc in cursor:
        key = doc["_id"]
        if key["role"] != role:
            if role is not None:
                await on_role(role, cells)
            role, cells = key["role"], {}
        amounts = np.sort(np.asarray(doc.pop("amounts"), dtype=np.float64))
        cells[(key.get("country"), key.get("experience_band"), key["currency"])] = amounts
        read += amounts.size
    if role is not None:
        await on_role(role, cells)
    return read


async def compute_salary(db: AsyncDatabase[dict[str, Any]], roles: Sequence[str] | None,
                         min_cell_size: int, keep_currency: str | None = None) -> SalaryComputation:
    """Every cell and roll-up of `roles` (every role with observations when None); with
    `keep_currency`, also each role's sorted amounts in that currency."""
    collection = db[SALARY_OBSERVATIONS]
    wanted = sorted(roles) if roles is not None else sorted(await collection.distinct("role"))
    result = SalaryComputation()

    async def on_role(role: str, cells: dict[_Key, np.ndarray]) -> None:
        result.by_role[role] = await asyncio.to_thread(summarise_role, role, cells, min_cell_size)
        if keep_currency is not None:
            kept = [a for (_, _, currency), a in cells.items() if currency == keep_currency]
            if kept:
                result.kept[role] = np.sort(np.concatenate(kept), kind="stable")

    full_scan = roles is None and len(wanted) > 1
    parts = [wanted[i::SCAN_PARTITIONS] for i in range(SCAN_PARTITIONS)] if full_scan else [wanted]
    counts = await asyncio.gather(*(_role_cells(collection, p, full_scan, on_role) for p in parts if p))
    result.observations = sum(counts)
    return result


async def compute_salary_cells(db: AsyncDatabase[dict[str, Any]], roles: Sequence[str] | None,
                               min_cell_size: int) -> dict[str, list[dict[str, Any]]]:
    """Every cell and roll-up of `roles` (every role with observations when None), by role."""
    return (await compute_salary(db, roles, min_cell_size)).by_role


async def observed_through(db: AsyncDatabase[dict[str, Any]], role: str) -> datetime | None:
    """When the role's newest observation was stored (one index lookup on role, _id)."""
    newest = await db[SALARY_OBSERVATIONS].find_one({"role": role}, {"created_at": 1}, sort=[("_id", -1)])
    return newest["created_at"] if newest else None


def sample_size(cells: list[dict[str, Any]]) -> int:
    return sum(c["count"] for c in cells if c["level"] == "ROLE")
