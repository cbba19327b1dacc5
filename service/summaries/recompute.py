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
import logging
from datetime import UTC, datetime
from typing import Any

from pymongo import ReplaceOne, UpdateOne
from pymongo.errors import BulkWriteError

from service.jobs import ALL_ROLES
from service.platform import failpoints
from service.platform.resources import Resources
from service.store import change_marks, summary_cache
from service.store import database as c
from service.summaries import aggregation, publication
from service.summaries.runs import Clock, RecomputeRun, finish_run, heartbeat, start_run

log = logging.getLogger("careergraph.recompute")
WRITE_BATCH = 1000


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
    the upsert of a document whose stored copy is newer hits the unique key and is skipped), or,
    for a salary summary carrying a release, one whose release is not the one it follows
    (`publication.cas_filter`). Documents whose key is in `unchanged` (reused rows) keep their
    stored `cells` and release: only the other fields are set. Returns the keys written."""
    won = {d[key] for d in docs}
    kept = [d for d in docs if d[key] in unchanged]
    if kept:
        won -= await _set_unchanged(resources, collection, key, kept, watermark_ms)
        docs = [d for d in docs if d[key] not in unchanged]
    for start in range(0, len(docs), WRITE_BATCH):
        batch = docs[start:start + WRITE_BATCH]
        ops = [ReplaceOne({key: d[key], **_older_than(watermark_ms), **publication.cas_filter(d.get("release"))},
                          d, upsert=True) for d in batch]
        try:
            await resources.db[collection].bulk_write(ops, ordered=False)
        except BulkWriteError as exc:
            for error in exc.details.get("writeErrors", []):
                if error.get("code") != c.DUPLICATE_KEY:
                    raise
                won.discard(batch[error["index"]][key])
    return won


async def _publish(resources: Resources, version: str, scope: str, salary: list[dict[str, Any]],
                   removed: list[str], demand_docs: list[dict[str, Any]], computed_at: datetime) -> list[str]:
    """Write the version to Redis and flip what is still newest; announce the salary roles won."""
    settings = resources.settings
    documents = {summary_cache.salary_field(d["role"]): summary_cache.encode(publication.served(d)) for d in salary}
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
        found = await aggregation.aggregate(resources, roles, stamp, clock, from_scratch)
        salary, removed, demand_docs = found.salary, found.removed, found.demand
        # a role's demand counts follow its release: stored only with the release that won (a run
        # whose release another took first leaves both to the run that took it)
        released = {d["role"] for d in salary if "release" in d}
        others = [d for d in demand_docs if d.get("role") not in released]
        won_salary, won_others = await asyncio.gather(
            _store_latest(resources, c.SALARY_SUMMARIES, "role", salary, watermark_ms, found.reused),
            _store_latest(resources, c.DEMAND_SUMMARIES, "subject", others, watermark_ms))
        following = [d for d in demand_docs if d.get("role") in released & won_salary]
        demand_docs = others + following
        won_demand = won_others | await _store_latest(resources, c.DEMAND_SUMMARIES, "subject", following,
                                                      watermark_ms)
        if removed:
            await resources.db[c.SALARY_SUMMARIES].delete_many({"role": {"$in": removed},
                                                                **_older_than(watermark_ms)})
        clock.lap("store")
        await failpoints.hit(resources.settings, "recompute.after_store")
        salary_won = [d for d in salary if d["role"] in won_salary]
        demand_won = [d for d in demand_docs if d["subject"] in won_demand]
        won = await _publish(resources, version, scope, salary_won, removed, demand_won, computed_at)
        # a release another run took first, or one postponed, is taken again by a later run
        waiting = sorted({d["role"] for d in salary if d["role"] not in won_salary and "release" in d}
                         | set(found.skipped))
        if waiting:
            await change_marks.mark_inputs_changed(resources.redis, waiting)
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
