"""One recompute run: aggregate, materialise in MongoDB, publish a new cache version, announce it.

A run covers a scope: one role, or "all" (every role and every skill). It is idempotent: it
replaces what it covers with what the observations say now, so running it twice changes nothing
but timestamps. Every run is recorded in `recompute_runs` (scope, trigger, start, end, duration,
documents read, summaries written, outcome, error).

A running run writes `heartbeat_at` every HEARTBEAT_S. If its process dies (SIGKILL, power), arq
would not run the job again before its in-progress key expires (the job timeout plus 10 s), so
every worker also reaps: a run whose heartbeat is older than `run_stale_after_s` is marked
"abandoned" and its job's in-progress key deleted, and the job, still in the queue, is taken by
the next worker that polls (`reap_abandoned_runs`).

Order of effects, so that a run killed at any point leaves readers a whole answer:
1. take the role's "dirty" marks (writes after this point will trigger a follow-up run),
2. aggregate; 3. replace the MongoDB documents (one atomic document per role or subject);
4. write the Redis version; 5. flip the pointers and publish the notice in one MULTI/EXEC.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo import DeleteMany, ReplaceOne, ReturnDocument

from service import collections as c
from service import demand, failpoints, salary_stats, summary_cache
from service.jobs import ALL_ROLES, enqueue_recompute, in_progress_key
from service.resources import Resources

log = logging.getLogger("careergraph.recompute")
WRITE_BATCH = 1000
HEARTBEAT_S = 2.0


@dataclass(frozen=True)
class RecomputeRun:
    run_id: str
    scope: str
    trigger: str
    started_at: datetime
    outcome: str  # running, ok, failed, abandoned
    finished_at: datetime | None = None
    duration_s: float | None = None
    documents_read: int | None = None
    summaries_written: int | None = None
    version: str | None = None
    error: str | None = None
    phases: dict[str, float] = field(default_factory=dict)

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> RecomputeRun:
        return cls(
            run_id=doc["run_id"], scope=doc["scope"], trigger=doc["trigger"], started_at=doc["started_at"],
            outcome=doc["outcome"], finished_at=doc.get("finished_at"), duration_s=doc.get("duration_s"),
            documents_read=doc.get("documents_read"), summaries_written=doc.get("summaries_written"),
            version=doc.get("version"), error=doc.get("error"), phases=doc.get("phases") or {})


async def _replace(resources: Resources, collection: str, key: str, docs: list[dict[str, Any]],
                   delete: dict[str, Any] | None) -> None:
    ops: list[Any] = [ReplaceOne({key: d[key]}, d, upsert=True) for d in docs]
    if delete is not None:
        ops.append(DeleteMany(delete))
    for start in range(0, len(ops), WRITE_BATCH):
        await resources.db[collection].bulk_write(ops[start:start + WRITE_BATCH], ordered=False)


class _Clock:
    def __init__(self) -> None:
        self.phases: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.phases[name] = round(now - self._last, 4)
        self._last = now


async def _aggregate(resources: Resources, roles: list[str] | None, stamp: dict[str, Any], clock: _Clock
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
    db = resources.db
    roles = None if scope == ALL_ROLES else [scope]
    started_at = datetime.now(UTC)
    run = RecomputeRun(run_id=uuid.uuid4().hex, scope=scope, trigger=trigger, started_at=started_at,
                       outcome="running")
    await db[c.RECOMPUTE_RUNS].insert_one({**asdict(run), "host": f"{socket.gethostname()}:{os.getpid()}",
                                           "heartbeat_at": started_at})
    clock = _Clock()
    beating = asyncio.create_task(_heartbeat(resources, run.run_id))
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
        await _finish(resources, run, "failed", clock, error=f"{type(exc).__name__}: {str(exc)[:300]}")
        raise
    finally:
        beating.cancel()
    return await _finish(resources, run, "ok", clock, documents_read=read,
                         summaries_written=len(salary) + len(demand_docs), version=version)


async def _finish(resources: Resources, run: RecomputeRun, outcome: str, clock: _Clock,
                  **details: Any) -> RecomputeRun:
    finished_at = datetime.now(UTC)
    update = {"outcome": outcome, "finished_at": finished_at, "phases": clock.phases,
              "duration_s": round((finished_at - run.started_at).total_seconds(), 4), **details}
    try:
        await resources.db[c.RECOMPUTE_RUNS].update_one({"run_id": run.run_id}, {"$set": update})
    except Exception:  # the run's own failure matters more than its record
        log.warning("could not record the end of recompute run %s", run.run_id)
    return RecomputeRun(**{**asdict(run), **update})


async def _heartbeat(resources: Resources, run_id: str) -> None:
    while True:
        await asyncio.sleep(HEARTBEAT_S)
        try:
            await resources.db[c.RECOMPUTE_RUNS].update_one(
                {"run_id": run_id, "outcome": "running"}, {"$set": {"heartbeat_at": datetime.now(UTC)}})
        except Exception:  # a missed beat is harmless; the run itself reports store failures
            log.debug("missed a heartbeat of run %s", run_id)


async def reap_abandoned_runs(resources: Resources) -> list[RecomputeRun]:
    """Mark runs whose heartbeat stopped as abandoned, and release their jobs to run again.

    Safe to run from every worker at once: each run is claimed by one conditional update."""
    runs = resources.db[c.RECOMPUTE_RUNS]
    cutoff = datetime.now(UTC) - timedelta(seconds=resources.settings.run_stale_after_s)
    reaped = []
    async for doc in runs.find({"outcome": "running", "heartbeat_at": {"$lt": cutoff}}):
        now = datetime.now(UTC)
        claimed = await runs.find_one_and_update(
            {"run_id": doc["run_id"], "outcome": "running", "heartbeat_at": {"$lt": cutoff}},
            {"$set": {"outcome": "abandoned", "finished_at": now,
                      "error": f"its worker ({doc.get('host', '?')}) stopped answering; the job runs again"}},
            return_document=ReturnDocument.AFTER)
        if claimed is None:
            continue
        scope = doc["scope"]
        await resources.redis.delete(in_progress_key(scope))  # the job, still queued, runs again
        await enqueue_recompute(resources.redis, None if scope == ALL_ROLES else [scope], defer_s=0)
        log.warning("recompute run %s of %s abandoned by %s; released its job", doc["run_id"], doc["scope"],
                    doc.get("host", "?"))
        reaped.append(RecomputeRun.from_document(claimed))
    return reaped


async def recent_runs(resources: Resources, limit: int) -> list[RecomputeRun]:
    cursor = resources.db[c.RECOMPUTE_RUNS].find({}).sort([("started_at", -1), ("run_id", -1)]).limit(limit)
    return [RecomputeRun.from_document(d) async for d in cursor]


async def follow_ups(resources: Resources, scope: str) -> list[str]:
    """Roles of `scope` written while it ran: each needs another run."""
    return await summary_cache.dirty_since(resources.redis, None if scope == ALL_ROLES else [scope])
