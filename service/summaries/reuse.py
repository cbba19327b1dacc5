"""What a full recompute may reuse: a role whose inputs have not changed since its rows were computed
keeps those rows, and its amounts converted to USD (which the skills' pay premium pools across roles)
are read back instead of being computed again. Rows are reused only when recomputing them would give
the same rows, so a run that reuses publishes exactly what a run from scratch would.

A role's inputs are
- its observations, identified by a fingerprint read from indexes alone: how many the role has (a
  count scan) and the newest `_id` (one index entry). An insert or a delete changes one of them,
  including writes that bypass careergraph (a restore, a deletion by hand);
- the exchange rates (a digest of the table), the minimum cell size and the normalisation targets;
- the code that turns observations into rows (a digest of its modules' source), so an upgrade
  recomputes everything once.
A reused role's stored amounts are checked (every chunk there, each tagged with its inputs) but not
read: the pay premium reads every role's amounts back one chunk at a time (`medians`).
A role with a change mark (every careergraph write leaves one) is recomputed whatever its fingerprint.
An edit of an observation's fields in place, by hand, changes no fingerprint: after one, run
`careergraph recompute --from-scratch`.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Sequence
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from bson import Binary
from pymongo import DeleteMany, ReplaceOne
from pymongo.asynchronous.database import AsyncDatabase

from service.official import fx
from service.official.fx import RateTable
from service.store import database as c
from service.summaries import (
    cell_reads,
    cells,
    disclosure,
    grid,
    grouped,
    groups,
    publication,
    release,
    rollups,
    salary_stats,
)

Db = AsyncDatabase[dict[str, Any]]
CHUNK_VALUES = 1_000_000  # float64s per stored chunk of amounts: 8 MB, under MongoDB's 16 MB document
COUNT_CONCURRENCY = 8


@cache
def code_digest() -> str:
    """A digest of the modules whose code decides the rows."""
    digest = hashlib.sha256()
    for module in (groups, grouped, disclosure, salary_stats, cells, cell_reads, fx, grid, release, publication):
        digest.update(Path(str(module.__file__)).read_bytes())
    return digest.hexdigest()[:16]


def rates_digest(rates: RateTable) -> str:
    digest = hashlib.sha256()
    for year in sorted(rates.years):
        for currency, per_eur in sorted(rates.years[year].items()):
            digest.update(f"{year}:{currency}:{per_eur!r};".encode())
    for currency, source in sorted(rates.sources.items()):
        digest.update(f"{currency}={source};".encode())
    return digest.hexdigest()[:16]


async def fingerprints(db: Db, roles: Sequence[str], counts: dict[str, int]
                       ) -> tuple[dict[str, dict[str, Any]], dict[str, datetime | None]]:
    """Each role's observation count (`counts`: the demand's count scans by year, summed) and
    newest `_id` (one entry of the (role, _id) index); and when that newest one was stored (the
    summaries' `observed_through`, read from the same entry)."""
    gate = asyncio.Semaphore(COUNT_CONCURRENCY)

    async def one(role: str) -> tuple[dict[str, Any], datetime | None]:
        async with gate:
            newest = await salary_stats.newest_observation(db, role)
        found = {"observations": counts.get(role, 0), "newest": str(newest["_id"]) if newest else None}
        return found, newest.get("created_at") if newest else None

    found = await asyncio.gather(*(one(role) for role in roles))
    return ({role: f for role, (f, _) in zip(roles, found, strict=True)},
            {role: at for role, (_, at) in zip(roles, found, strict=True)})


def inputs_of(fingerprint: dict[str, Any], rates: RateTable, min_cell_size: int, targets: Sequence[str],
              rates_key: str | None = None, policy: dict[str, Any] | None = None) -> dict[str, Any]:
    """`policy`: the disclosure settings that decide the rows (`publication.Policy.digest`)."""
    return {**fingerprint, "rates": rates_key or rates_digest(rates), "min_cell_size": min_cell_size,
            "targets": list(targets), "code": code_digest(), "policy": policy or {}}


async def reusable(db: Db, inputs: dict[str, dict[str, Any]], marked: set[str]) -> dict[str, list[dict[str, Any]]]:
    """The rows of the roles whose stored rows and amounts were computed from exactly `inputs` (and
    that have no change mark)."""
    candidates = [role for role in inputs if role not in marked]
    same = [d["role"] async for d in db[c.SALARY_SUMMARIES].find(
        {"role": {"$in": candidates}}, {"role": 1, "inputs": 1}) if d.get("inputs") == inputs[d["role"]]]
    stored = await _amounts_stored(db, same, inputs)
    return {doc["role"]: doc["cells"] async for doc in db[c.SALARY_SUMMARIES].find(
        {"role": {"$in": sorted(stored)}}, {"role": 1, "cells": 1})}


async def _amounts_stored(db: Db, roles: list[str], inputs: dict[str, dict[str, Any]]) -> set[str]:
    """The roles whose stored amounts are whole (every chunk there) and were written for their inputs."""
    chunks: dict[str, list[dict[str, Any]]] = {role: [] for role in roles}
    async for doc in db[c.SALARY_AMOUNTS].find({"role": {"$in": roles}}, {"usd": 0}).sort([("role", 1), ("chunk", 1)]):
        chunks[doc["role"]].append(doc)
    return {role for role, docs in chunks.items()
            if docs and [d["chunk"] for d in docs] == list(range(docs[0]["chunks"]))
            and all(d["inputs"] == inputs[role] for d in docs)}


async def store_amounts(db: Db, amounts: dict[str, np.ndarray], inputs: dict[str, dict[str, Any]]) -> None:
    """Keep each role's amounts (sorted, in USD) for the next run, tagged with the inputs they came from."""
    operations: list[Any] = []
    for role, values in sorted(amounts.items()):
        data = np.ascontiguousarray(values, dtype="<f8")
        count = max(1, -(-data.size // CHUNK_VALUES))
        for chunk in range(count):
            part = data[chunk * CHUNK_VALUES:(chunk + 1) * CHUNK_VALUES]
            operations.append(ReplaceOne({"role": role, "chunk": chunk}, {
                "role": role, "chunk": chunk, "chunks": count, "inputs": inputs[role],
                "usd": Binary(part.tobytes())}, upsert=True))
        operations.append(DeleteMany({"role": role, "chunk": {"$gte": count}}))
    if operations:
        await db[c.SALARY_AMOUNTS].bulk_write(operations, ordered=True)


async def forget(db: Db, roles: Sequence[str] | None = None) -> None:
    """Make the next run compute `roles` (every role when None) from the observations."""
    query: dict[str, Any] = {} if roles is None else {"role": {"$in": list(roles)}}
    await db[c.SALARY_SUMMARIES].update_many(query, {"$unset": {"inputs": ""}})
    await db[c.SALARY_AMOUNTS].delete_many(query)
    await rollups.forget(db, roles)
