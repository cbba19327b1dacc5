"""arq tasks: each unpacks the context and calls one service function."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from arq import Retry
from pymongo.errors import ConnectionFailure
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from service import jobs
from service.decisions import candidates
from service.ops import heartbeats
from service.platform.resources import Resources, ServiceUnavailable
from service.summaries import recompute, reconcile, runs

log = logging.getLogger("careergraph.worker")

TRANSIENT = (ConnectionFailure, RedisConnectionError, RedisTimeoutError, ServiceUnavailable, OSError)
MAX_TRIES = 6
FOLLOWED_SCOPE = "followed_scope"  # a finished recompute's scope, for `after_job_end`


def backoff_s(job_try: int) -> float:
    """1, 2, 4, 8, 16 s between tries."""
    return float(min(2 ** (job_try - 1), 30))


async def record_heartbeat(ctx: dict[str, Any], note: str) -> str:
    await heartbeats.record_heartbeat(ctx["resources"], note)
    return note


async def recompute_summaries(ctx: dict[str, Any], scope: str) -> dict[str, Any]:
    """Recompute one scope. Transient store failures are retried with backoff (arq re-runs a job
    only when it raises Retry); anything else fails the job, and the run record says why."""
    resources = ctx["resources"]
    try:
        if scope == jobs.ALL_ROLES:  # a catalogue change queues one: its candidates before its version
            await candidates.refresh_candidates(resources.db)
        run = await recompute.recompute(resources, scope, trigger=ctx.get("trigger", "worker"))
    except TRANSIENT as exc:
        job_try = ctx.get("job_try", 1)
        if job_try >= MAX_TRIES:
            raise
        log.warning("recompute %s failed (%s), try %d; retrying", scope, type(exc).__name__, job_try)
        raise Retry(defer=backoff_s(job_try)) from exc
    ctx[FOLLOWED_SCOPE] = scope
    return {"scope": scope, "version": run.version, "documents_read": run.documents_read,
            "duration_s": run.duration_s}


async def after_job_end(ctx: dict[str, Any]) -> None:
    """Writes that arrived while a recompute ran could not queue one (its job id was taken):
    queue them now, when the id is free again. Which roles are still marked is read here, after arq
    freed the id, not as the run returns: a write marked between the two could queue nothing
    itself, and would wait for the maintenance loop while its summary said stale. A Redis outage
    here leaves the marks to that loop too."""
    scope = ctx.pop(FOLLOWED_SCOPE, None)
    if scope is None:
        return
    resources = ctx["resources"]
    try:
        roles = await recompute.follow_ups(resources, scope)
        if roles:
            await jobs.enqueue_recompute(resources.redis, roles, defer_s=jobs.DEBOUNCE_S)
    except TRANSIENT as exc:
        log.warning("could not queue the follow-ups of recompute %s: %s", scope, type(exc).__name__)


async def maintain_forever(resources: Resources) -> None:
    """Every third of CAREERGRAPH_RUN_STALE_AFTER: release the jobs of workers that died mid-run,
    queue roles still awaiting a recompute, after a Redis restart or failover ask MongoDB which are,
    and release jobs marked in progress that no run holds (their end was lost with Redis)."""
    interval = max(0.5, resources.settings.run_stale_after_s / 3)
    orphans = reconcile.OrphanedJobs()
    while True:
        await asyncio.sleep(interval)
        steps = (runs.reap_abandoned_runs, reconcile.reconcile_after_redis_restart, reconcile.queue_awaiting,
                 orphans.release)
        for step in steps:
            try:
                await step(resources)
            except Exception as exc:  # a store outage: try again next round
                log.warning("maintenance step %s failed: %s", step.__name__, type(exc).__name__)


async def nightly_recompute(ctx: dict[str, Any]) -> None:
    """The cron entry: queue a full recompute (de-duplicated like any other)."""
    await jobs.enqueue_recompute(ctx["resources"].redis, None, defer_s=0)
