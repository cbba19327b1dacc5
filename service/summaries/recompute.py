"""One recompute run: aggregate, materialise in MongoDB, publish a new cache version, announce it.

A run covers a scope: one role, or "all" (every role and every skill). It is idempotent: it
replaces what it covers with what the observations say now, so running it twice changes nothing
but timestamps. Its record, heartbeat and reaping live in `runs`.

Order of effects, so that a run killed at any point leaves readers a whole answer:
1. take a watermark on Redis's clock (`change_marks`): writes after it will need another run;
2. aggregate; 3. replace each MongoDB document unless a newer one is there (compare-and-set on
   the watermark); 4. write the Redis version; 5. flip the pointers of what is still newest in one
   script (latest wins again), announce it; 6. settle the change marks older than the watermark.
A run that fails or dies before 6 leaves its roles marked, so they are recomputed again.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
from pymongo import ReadPreference, ReplaceOne, UpdateOne
from pymongo.errors import BulkWriteError
from pymongo.read_concern import ReadConcern

from service.jobs import ALL_ROLES
from service.official import fx
from service.platform import failpoints
from service.platform.resources import Resources
from service.store import change_marks, summary_cache
from service.store import database as c
from service.summaries import comparison, demand, reuse, rollups, salary_stats
from service.summaries.cells import RoleCells
from service.summaries.runs import Clock, RecomputeRun, finish_run, heartbeat, start_run

log = logging.getLogger("careergraph.recompute")
WRITE_BATCH = 1000
ROLE_CONCURRENCY = 2  # roles computed at once: one is read while another is summarised


def _older_than(watermark_ms: int) -> dict[str, Any]:
    return {"$or": [{"watermark_ms": {"$lt": watermark_ms}}, {"watermark_ms": {"$exists": False}}]}


async def _set_unchanged(resources: Resources, collection: str, key: str, docs: list[dict[str, Any]],
                         watermark_ms: int) -> set[str]:
    """Set every field but `cells` of reused documents (compare-and-set on the watermark, no
    upsert); returns the keys a newer run had already written."""
    updates = [UpdateOne({key: d[key], **_older_than(watermark_ms)},
                         {"$set": {f: v for f, v in d.items() if f != "cells"}}) for d in docs]
    result = await resources.db[collection].bulk_write(updates, ordered=False)
    if result.matched_count == len(docs):
        return set()
    ours = {d[key] async for d in resources.db[collection].find(
        {key: {"$in": [d[key] for d in docs]}, "watermark_ms": watermark_ms}, {key: 1})}
    return {d[key] for d in docs} - ours


async def _store_latest(resources: Resources, collection: str, key: str, docs: list[dict[str, Any]],
                        watermark_ms: int, unchanged: frozenset[str] = frozenset()) -> set[str]:
    """Replace each document unless MongoDB holds a newer one (compare-and-set on the watermark:
    the upsert of a document whose stored copy is newer hits the unique key and is skipped).
    Documents whose key is in `unchanged` (reused rows) keep their stored `cells`: only the other
    fields are set. Returns the keys written."""
    won = {d[key] for d in docs}
    kept = [d for d in docs if d[key] in unchanged]
    if kept:
        won -= await _set_unchanged(resources, collection, key, kept, watermark_ms)
        docs = [d for d in docs if d[key] not in unchanged]
    for start in range(0, len(docs), WRITE_BATCH):
        batch = docs[start:start + WRITE_BATCH]
        ops = [ReplaceOne({key: d[key], **_older_than(watermark_ms)}, d, upsert=True) for d in batch]
        try:
            await resources.db[collection].bulk_write(ops, ordered=False)
        except BulkWriteError as exc:
            for error in exc.details.get("writeErrors", []):
                if error.get("code") != c.DUPLICATE_KEY:
                    raise
                won.discard(batch[error["index"]][key])
    return won


@dataclass
class _Aggregated:
    salary: list[dict[str, Any]]
    removed: list[str]  # roles whose summaries must go
    demand: list[dict[str, Any]]
    read: int  # observations (and changes) read
    inputs: dict[str, dict[str, Any]]
    reused: frozenset[str]
    read_whole: dict[str, list[str]]  # reason -> roles read whole for it


def _salary_doc(role: str, stamp: dict[str, Any], cells: list[dict[str, Any]], inputs: dict[str, Any],
                official: list[dict[str, Any]], observed_through: datetime | None) -> dict[str, Any]:
    return {"role": role, **stamp, "cells": cells, "inputs": inputs, "sample_size": salary_stats.sample_size(cells),
            "pay_comparisons": comparison.compare(cells, official), "observed_through": observed_through}


def _exact_inputs(found: RoleCells, rates: fx.RateTable, resources: Resources,
                  rates_key: str | None = None) -> dict[str, Any]:
    """The inputs of rows computed from `found`: its own count and newest `_id` (a full run's
    fingerprint may have seen later writes)."""
    return reuse.inputs_of({"observations": found.observations, "newest": str(found.through)}, rates,
                           resources.settings.min_cell_size, resources.settings.normalize_to, rates_key)


def _whole_reads_source(resources: Resources) -> Any:
    """Where whole reads of observations go: a secondary when the operator allows it."""
    if resources.settings.worker_reads == "primary":
        return None
    return resources.db[c.SALARY_OBSERVATIONS].with_options(
        read_preference=ReadPreference.SECONDARY_PREFERRED, read_concern=ReadConcern("majority"))


@dataclass
class _Computed:
    """What was computed of each role, one role's amounts at a time."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    found: dict[str, RoleCells] = field(default_factory=dict)  # counts and fingerprint only: no amounts
    read: int = 0
    read_whole: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


async def _compute(resources: Resources, roles: list[str], rates: fx.RateTable, from_scratch: bool,
                   inputs_of: Any = None) -> _Computed:
    """Each role's rows from its cells now (`rollups.fresh`), ROLE_CONCURRENCY roles at a time (one
    is read while another is summarised). With `inputs_of` (a full run), each role's amounts in USD
    are stored for the pay premium (`reuse.store_amounts`) and dropped."""
    db, settings = resources.db, resources.settings
    out = _Computed()
    gate = asyncio.Semaphore(ROLE_CONCURRENCY)
    source = _whole_reads_source(resources)

    async def one(role: str) -> None:
        async with gate:
            fresh = await rollups.fresh(db, role, source, from_scratch)
            found = fresh.cells
            rows, usd = await salary_stats.summarise(found, settings.min_cell_size, rates, settings.normalize_to)
            out.read += fresh.read
            if fresh.read_whole is not None:
                out.read_whole[fresh.read_whole].append(role)
            out.found[role] = dataclasses.replace(found, cells={})
            if rows:
                out.rows[role] = rows
                if inputs_of is not None:
                    await reuse.store_amounts(db, {role: usd if usd is not None else np.empty(0)},
                                              {role: inputs_of(found)})

    await asyncio.gather(*(one(role) for role in roles))
    return out


async def _aggregate(resources: Resources, roles: list[str] | None, stamp: dict[str, Any], clock: Clock,
                     from_scratch: bool = False) -> _Aggregated:
    """Salary and demand documents of `roles` (every role when None).

    A full run first reuses what it can (`reuse`): roles whose inputs did not change keep their
    rows. Every other role is computed from its cells now (`rollups.fresh`: its roll-up and the
    changes after it, else read whole), one or two roles' amounts in memory at a time; a full
    run stores each one's amounts in USD as it goes, and the skills' pay premium reads them back
    (`medians`). From scratch, nothing is reused and no roll-up is used.
    """
    db, settings = resources.db, resources.settings
    rates = await fx.load_rates(db)
    rates_key = reuse.rates_digest(rates)
    full = roles is None
    wanted = list(roles) if roles is not None else sorted(await db[c.SALARY_OBSERVATIONS].distinct("role"))
    years: dict[str, list[dict[str, Any]]] = {}
    inputs: dict[str, dict[str, Any]] = {}
    stored_at: dict[str, datetime | None] = {}
    reused: dict[str, list[dict[str, Any]]] = {}
    if full and not from_scratch:  # fingerprints from indexes: a whole run from scratch reads every role anyway
        years = await demand.volume_by_year(db, wanted)
        prints, stored_at = await reuse.fingerprints(db, wanted, {role: sum(y["count"] for y in rows)
                                                                  for role, rows in years.items()})
        inputs = {role: reuse.inputs_of(prints[role], rates, settings.min_cell_size, settings.normalize_to,
                                        rates_key) for role in wanted}
        reused = await reuse.reusable(db, inputs, set(await change_marks.awaiting(resources.redis)))
    clock.lap("reuse")

    def exact(found: RoleCells) -> dict[str, Any]:
        return _exact_inputs(found, rates, resources, rates_key)

    computed = await _compute(resources, [role for role in wanted if role not in reused], rates, from_scratch,
                              exact if full else None)
    for role, found in computed.found.items():
        inputs[role] = exact(found)
        stored_at[role] = found.observed_through
        years[role] = found.by_year()
    clock.lap("aggregate")
    by_role = {**computed.rows, **reused}
    official = await comparison.official_for_roles(db, sorted(by_role))
    docs = [_salary_doc(role, stamp, cells, inputs[role], official.get(role, []), stored_at.get(role))
            for role, cells in sorted(by_role.items())]
    scope_filter = {} if roles is None else {"role": {"$in": roles}}
    had = set(await db[c.SALARY_SUMMARIES].distinct("role", scope_filter))
    role_demand = await demand.role_demand(db, roles, years)
    demand_docs = [{**d, **stamp} for d in role_demand.values()]
    if full:  # the pay premium needs every role's observations: full runs only
        skills = await demand.skill_demand(db, settings.min_cell_size, by_role)
        demand_docs.extend({**d, **stamp} for d in skills.values())
    clock.lap("derive")
    return _Aggregated(docs, sorted(had - set(by_role)), demand_docs, computed.read, inputs, frozenset(reused),
                       dict(computed.read_whole))


async def _publish(resources: Resources, version: str, scope: str, salary: list[dict[str, Any]],
                   removed: list[str], demand_docs: list[dict[str, Any]], computed_at: datetime) -> list[str]:
    """Write the version to Redis and flip what is still newest; announce the salary roles won."""
    settings = resources.settings
    documents = {summary_cache.salary_field(d["role"]): summary_cache.encode(d) for d in salary}
    documents.update({summary_cache.demand_field(d["subject"]): summary_cache.encode(d) for d in demand_docs})
    await summary_cache.write_version(resources.redis, version, documents, settings.cache_ttl_s)
    won = await summary_cache.flip(resources.redis, version, documents,
                                   [summary_cache.salary_field(r) for r in removed], settings.cache_grace_s)
    roles = sorted(field.partition(":")[2] for field in won if field.startswith("salary:"))
    if won:
        await summary_cache.announce(resources.redis, {"version": version, "scope": scope, "roles": roles,
                                                       "computed_at": computed_at})
    return won


async def recompute(resources: Resources, scope: str, trigger: str = "worker", from_scratch: bool = False
                    ) -> RecomputeRun:
    """Recompute `scope` (a role slug or "all") and publish it, latest wins; records the run,
    raises on failure. A run that a newer one overtook publishes nothing and ends "superseded".
    `from_scratch` reuses nothing (see `reuse`)."""
    roles = None if scope == ALL_ROLES else [scope]
    run = await start_run(resources, scope, trigger)
    clock = Clock()
    beating = asyncio.create_task(heartbeat(resources, run.run_id))
    try:
        watermark_ms = await change_marks.redis_now_ms(resources.redis)  # before anything is read
        version = summary_cache.new_version(watermark_ms)
        now = datetime.now(UTC)  # to the millisecond, as MongoDB keeps it: Redis and MongoDB copies agree
        computed_at = now.replace(microsecond=now.microsecond // 1000 * 1000)
        stamp = {"version": version, "computed_at": computed_at, "watermark_ms": watermark_ms}
        found = await _aggregate(resources, roles, stamp, clock, from_scratch)
        salary, removed, demand_docs = found.salary, found.removed, found.demand
        won_salary = await _store_latest(resources, c.SALARY_SUMMARIES, "role", salary, watermark_ms, found.reused)
        won_demand = await _store_latest(resources, c.DEMAND_SUMMARIES, "subject", demand_docs, watermark_ms)
        if removed:
            await resources.db[c.SALARY_SUMMARIES].delete_many({"role": {"$in": removed},
                                                                **_older_than(watermark_ms)})
        clock.lap("store")
        await failpoints.hit(resources.settings, "recompute.after_store")
        salary_won = [d for d in salary if d["role"] in won_salary]
        demand_won = [d for d in demand_docs if d["subject"] in won_demand]
        won = await _publish(resources, version, scope, salary_won, removed, demand_won, computed_at)
        await change_marks.settle(resources.redis, roles, watermark_ms)
        clock.lap("cache")
    except Exception as exc:
        await finish_run(resources, run, "failed", clock, error=f"{type(exc).__name__}: {str(exc)[:300]}")
        raise
    finally:
        beating.cancel()
    return await finish_run(resources, run, "ok" if won or not (salary or demand_docs) else "superseded",
                            clock, documents_read=found.read, summaries_written=len(won), version=version,
                            roles_reused=len(found.reused), read_whole=found.read_whole)


async def follow_ups(resources: Resources, scope: str) -> list[str]:
    """Roles of `scope` written since the run began (still marked): each needs another run."""
    marked = await change_marks.awaiting(resources.redis)
    return marked if scope == ALL_ROLES else [role for role in marked if role == scope]
