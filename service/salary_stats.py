"""Exact salary statistics, computed inside MongoDB by one aggregation pipeline.

Every observation is counted at four levels, each keyed by currency (amounts in different
currencies are never mixed):

- CELL: role x country x experience band x currency,
- COUNTRY: role x country x currency (all bands),
- BAND: role x experience band x currency (all countries),
- ROLE: role x currency (everything).

A null country or band at CELL, COUNTRY or BAND level means the observation did not say.

Percentiles use one definition, numpy's default ("linear", Hyndman and Fan type 7): for the
sorted values x[0..n-1] and a fraction q, h = (n - 1) q, and the result is x[floor h] plus
(h - floor h) times (x[ceil h] - x[floor h]). The pipeline sorts each group's amounts with
`$sortArray` and reads the two neighbours with `$arrayElemAt`, so it runs on MongoDB 6.0
(whose `$percentile` only arrives in 7.0, and there it is approximate by default). The standard
deviation is the population one (numpy's `std` with ddof=0).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from service.collections import SALARY_OBSERVATIONS

LEVELS = ("CELL", "COUNTRY", "BAND", "ROLE")
PERCENTILES = {"p10": 0.10, "p25": 0.25, "median": 0.50, "p75": 0.75, "p90": 0.90}
ORDER_STATISTICS = ("min", "max", *PERCENTILES)  # hidden in cells too small to publish


_DIMENSIONS = {"CELL": ("country", "experience_band"), "COUNTRY": ("country",),
               "BAND": ("experience_band",), "ROLE": ()}


def _group_key(level: str, prefix: str) -> dict[str, Any]:
    # Plain field paths: the validator requires `country` and `experience_band` (null when
    # unknown), so a missing field never forms a group of its own, and expressions here would
    # double the cost of the pass over the collection.
    return {"role": f"{prefix}role", "currency": f"{prefix}currency",
            **{dim: f"{prefix}{dim}" for dim in _DIMENSIONS[level]}}


def _flatten(parts: str) -> dict[str, Any]:
    return {"$reduce": {"input": parts, "initialValue": [], "in": {"$concatArrays": ["$$value", "$$this"]}}}


def _stats(level: str) -> list[dict[str, Any]]:
    """From a group with an `amounts` array to one published row."""
    return [
        {"$set": {"sorted": {"$sortArray": {"input": "$amounts", "sortBy": 1}},
                  "count": {"$size": "$amounts"}}},
        {"$project": {
            "_id": 0, "level": level, "role": "$_id.role", "currency": "$_id.currency",
            **{dim: f"$_id.{dim}" for dim in _DIMENSIONS[level]},
            "count": 1, "mean": {"$avg": "$sorted"},
            "min": {"$first": "$sorted"}, "max": {"$last": "$sorted"},
            "stddev": {"$stdDevPop": "$sorted"},
            **{name: _percentile(q) for name, q in PERCENTILES.items()},
        }},
    ]


def _rollup(level: str) -> list[dict[str, Any]]:
    return [
        {"$group": {"_id": _group_key(level, "$_id."), "parts": {"$push": "$amounts"}}},
        {"$set": {"amounts": _flatten("$parts")}},
        *_stats(level),
    ]


def _percentile(q: float) -> dict[str, Any]:
    """numpy's linear interpolation, including its choice of formula on either side of t = 0.5."""
    return {"$let": {
        "vars": {"h": {"$multiply": [{"$subtract": ["$count", 1]}, q]}},
        "in": {"$let": {
            "vars": {"lo": {"$toInt": {"$floor": "$$h"}}, "hi": {"$toInt": {"$ceil": "$$h"}}},
            "in": {"$let": {
                "vars": {"a": {"$arrayElemAt": ["$sorted", "$$lo"]},
                         "b": {"$arrayElemAt": ["$sorted", "$$hi"]},
                         "t": {"$subtract": ["$$h", "$$lo"]}},
                "in": {"$cond": [
                    {"$gte": ["$$t", 0.5]},
                    {"$subtract": ["$$b", {"$multiply": [{"$subtract": ["$$b", "$$a"]},
                                                         {"$subtract": [1, "$$t"]}]}]},
                    {"$add": ["$$a", {"$multiply": [{"$subtract": ["$$b", "$$a"]}, "$$t"]}]},
                ]},
            }},
        }},
    }}


def salary_pipeline(roles: Sequence[str] | None) -> list[dict[str, Any]]:
    """The aggregation for `roles` (every role when None): one pass groups the observations into
    cells; `$facet` then derives every level from the cells' amounts, not from the collection again.
    """
    match: dict[str, Any] = {} if roles is None else {"role": {"$in": list(roles)}}
    return [
        {"$match": match},
        {"$group": {"_id": _group_key("CELL", "$"), "amounts": {"$push": "$amount"}}},
        {"$facet": {"CELL": _stats("CELL"), **{level: _rollup(level) for level in LEVELS[1:]}}},
        {"$project": {"rows": {"$concatArrays": [f"${level}" for level in LEVELS]}}},
        {"$unwind": "$rows"},
        {"$replaceWith": "$rows"},
    ]


def publishable(cell: dict[str, Any], min_cell_size: int) -> dict[str, Any]:
    """Mark the cell sufficient or not; an insufficient cell keeps count, mean and stddev only."""
    sufficient = cell["count"] >= min_cell_size
    out = {**cell, "sufficient": sufficient}
    if not sufficient:
        out.update(dict.fromkeys(ORDER_STATISTICS))
    return out


def cell_order(cell: dict[str, Any]) -> tuple[int, str, str, str]:
    return (LEVELS.index(cell["level"]), cell["currency"], cell.get("country") or "~",
            cell.get("experience_band") or "~")


ROLES_PER_PIPELINE = 64  # keeps each `$facet` result far below MongoDB's 16 MB document limit


async def compute_salary_cells(db: AsyncDatabase[dict[str, Any]], roles: Sequence[str] | None,
                               min_cell_size: int) -> dict[str, list[dict[str, Any]]]:
    """Every cell and roll-up of `roles` (every role with observations when None), by role,
    sorted by (level, currency, country, band)."""
    collection = db[SALARY_OBSERVATIONS]
    wanted = sorted(roles) if roles is not None else sorted(await collection.distinct("role"))
    by_role: dict[str, list[dict[str, Any]]] = {}
    for start in range(0, len(wanted), ROLES_PER_PIPELINE):
        chunk = wanted[start:start + ROLES_PER_PIPELINE]
        pipeline = salary_pipeline(chunk if roles is not None or len(wanted) > ROLES_PER_PIPELINE else None)
        async for cell in await collection.aggregate(pipeline, allowDiskUse=True):
            by_role.setdefault(cell["role"], []).append(publishable(cell, min_cell_size))
    for cells in by_role.values():
        cells.sort(key=cell_order)
    return by_role


async def observed_through(db: AsyncDatabase[dict[str, Any]], role: str) -> datetime | None:
    """When the role's newest observation was stored (one index lookup on role, _id)."""
    newest = await db[SALARY_OBSERVATIONS].find_one({"role": role}, {"created_at": 1}, sort=[("_id", -1)])
    return newest["created_at"] if newest else None


def sample_size(cells: list[dict[str, Any]]) -> int:
    return sum(c["count"] for c in cells if c["level"] == "ROLE")
