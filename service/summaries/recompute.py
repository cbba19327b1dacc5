"""One recompute run: aggregate, materialise in MongoDB, publish a new cache version, announce it.

A run covers a scope: one role, or "all" (every role and every skill). It is idempotent: it
replaces what it covers with what the observations say now, so running it twice changes nothing
but timestamps. Its record, heartbeat and reaping live in `runs`.

Order of effects, so that a run killed at any point leaves readers a whole answer:
1. take the role's "dirty" marks (writes after this point will trigger a follow-up run),
2. aggregate; 3. replace the MongoDB documents (one atomic document per role or subject);
4. write the Redis version; 5. flip the pointers and publish the notice in one MULTI/EXEC.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from typing import Any

from pymongo import DeleteMany, ReplaceOne

from service.jobs import ALL_ROLES
from service.platform import failpoints
from service.platform.resources import Resources
from service.store import database as c
from service.store import summary_cache
from service.summaries import demand, salary_stats
from service.summaries.runs import Clock, RecomputeRun, finish_run, heartbeat, start_run

log = logging.getLogger("careergraph.recompute")
WRITE_BATCH = 1000


async def _replace(resources: Resources, collection: str, key: str, docs: list[dict[str, Any]],
                   delete: dict[str, Any] | None) -> None:
    ops: list[Any] = [ReplaceOne({key: d[key]}, d, upsert=True) for d in docs]
    if delete is not None:
        ops.append(DeleteMany(delete))
    for start in range(0, len(ops), WRITE_BATCH):
        await resources.db[collection].bulk_write(ops[start:start + WRITE_BATCH], ordered=False)


async def _aggregate(resources: Resources, roles: list[str] | None, stamp: dict[str, Any], clock: Clock
                     ) -> tuple[list[dict[str, Any]], list[str], list[dict[str, Any]], int]:
    """Salary documents, roles whose summaries must go, demand documents, observations read.

    The salary pass and the role demand's count by year run side by side (MongoDB gives each
    its own core); the skills' pay premium reuses the salary pass's amounts, so a full run reads
    the observations once for salaries and once for counting.
    """
    db, settings = resources.db, resources.settings
    keep = demand.PREMIUM_CURRENCY if roles is None else None
    salary, role_demand = await asyncio.gather(
        salary_stats.compute_salary(db, roles, settings.min_cell_size, keep_currency=keep),
        demand.role_demand(db, roles))
    clock.lap("aggregate")
    docs = []
    for role, cells in sorted(salary.by_role.items()):
        docs.append({"role": role, **stamp, "cells": cells,
                     "sample_size": salary_stats.sample_size(cells),
                     "observed_through": await salary_stats.observed_through(db, role)})
    scope_filter = {} if roles is None else {"role": {"$in": roles}}
    had = set(await db[c.SALARY_SUMMARIES].distinct("role", scope_filter))
    removed = sorted(had - set(salary.by_role))
    demand_docs = [{**d, **stamp} for d in role_demand.values()]
    if roles is None:  # the pay premium needs every role's observations: full runs only
        skills = await demand.skill_demand(db, settings.min_cell_size, salary.kept)
        demand_docs.extend({**d, **stamp} for d in skills.values())
    clock.lap("derive")
    return docs, removed, demand_docs, salary.observations


async def _publish(resources: Resources, version: str, scope: str, salary: list[dict[str, Any]],
                   removed: list[str], demand_docs: list[dict[str, Any]], computed_at: datetime) -> None:
    settings = resources.settings
    documents = {summary_cache.salary_field(d["role"]): summary_cache.encode(d) for d in salary}
    documents.update({summary_cache.demand_field(d["subject"]): summary_cache.encode(d) for d in demand_docs})
    await summary_cache.write_version(resources.redis, version, documents, settings.cache_ttl_s)
    changed_roles = sorted({d["role"] for d in salary} | set(removed))
    notice = {"version": version, "scope": scope, "roles": changed_roles, "computed_at": computed_at}
    await summary_cache.flip(resources.redis, version, documents,
                             [summary_cache.salary_field(r) for r in removed], settings.cache_grace_s, notice)


async def recompute(resources: Resources, scope: str, trigger: str = "worker") -> RecomputeRun:
    """Recompute `scope` (a role slug or "all") and publish it; records the run, raises on failure."""
    roles = None if scope == ALL_ROLES else [scope]
    run = await start_run(resources, scope, trigger)
    clock = Clock()
    beating = asyncio.create_task(heartbeat(resources, run.run_id))
    try:
        await summary_cache.take_dirty(resources.redis, roles)
        watermark_ms = summary_cache.now_ms()
        version = summary_cache.new_version()
        computed_at = datetime.now(UTC)
        stamp = {"version": version, "computed_at": computed_at, "watermark_ms": watermark_ms}
        salary, removed, demand_docs, read = await _aggregate(resources, roles, stamp, clock)
        await _replace(resources, c.SALARY_SUMMARIES, "role", salary,
                       {"role": {"$in": removed}} if removed else None)
        await _replace(resources, c.DEMAND_SUMMARIES, "subject", demand_docs, None)
        clock.lap("store")
        await failpoints.hit(resources.settings, "recompute.after_store")
        await _publish(resources, version, scope, salary, removed, demand_docs, computed_at)
        clock.lap("cache")
    except Exception as exc:
        await finish_run(resources, run, "failed", clock, error=f"{type(exc).__name__}: {str(exc)[:300]}")
        raise
    finally:
        beating.cancel()
    return await finish_run(resources, run, "ok", clock, documents_read=read,
                         summaries_written=len(salary) + len(demand_docs), version=version)


async def follow_ups(resources: Resources, scope: str) -> list[str]:
    """Roles of `scope` written while it ran: each needs another run."""
    return await summary_cache.dirty_since(resources.redis, None if scope == ALL_ROLES else [scope])
