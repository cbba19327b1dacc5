"""The job contract shared by the API and the worker: job names and `enqueue_*` helpers.

The worker registers a function under each name; the API and the CLI enqueue by name only, so
neither adapter imports the other. Jobs with a `_job_id` are de-duplicated by arq: while one with
the same id is queued or running, enqueueing it again is a no-op.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from arq.connections import ArqRedis
from arq.constants import in_progress_key_prefix, job_key_prefix
from arq.jobs import Job
from redis.exceptions import RedisError

from service.store import change_marks

log = logging.getLogger("careergraph.jobs")

QUEUE_NAME = "careergraph:queue"

RECORD_HEARTBEAT = "record_heartbeat"


async def enqueue_heartbeat(redis: ArqRedis, note: str) -> Job | None:
    """Ask the worker to write one heartbeat document (the wiring check used by tests)."""
    return await redis.enqueue_job(RECORD_HEARTBEAT, note, _queue_name=QUEUE_NAME)

RECOMPUTE_SUMMARIES = "recompute_summaries"
ALL_ROLES = "all"
QUICK_DEFER_S = 0.005  # a write's first recompute: soon, but late enough to gather a burst of a few writes
DEBOUNCE_S = 1.0  # while writes keep coming, a role is recomputed at most about once a second
MAX_SCOPES_PER_REQUEST = 50  # more roles than this and one full recompute is cheaper


async def jobs_waiting(redis: ArqRedis) -> int:
    """Jobs in the queue, deferred ones included (a running job stays in it until it ends)."""
    return int(await redis.zcard(QUEUE_NAME))


async def jobs_running(redis: ArqRedis) -> int:
    """Jobs some worker is running now (arq's in-progress marks)."""
    return len([key async for key in redis.scan_iter(match=f"{in_progress_key_prefix}*", count=500)])


def recompute_job_id(scope: str) -> str:
    return f"recompute:{scope}"


def queued_job_key(scope: str) -> str:
    """arq's record of the scope's job while it is queued."""
    return job_key_prefix + recompute_job_id(scope)


def in_progress_key(scope: str) -> str:
    """arq's mark that the scope's job is running; while it exists no worker starts the job."""
    return in_progress_key_prefix + recompute_job_id(scope)


async def enqueue_recompute(redis: ArqRedis, roles: Iterable[str] | None = None,
                            defer_s: float = QUICK_DEFER_S) -> list[str]:
    """Ask for summaries of `roles` (all roles when None) to be recomputed.

    One job per scope, keyed by `_job_id`: while it is queued, more requests for the scope are
    no-ops (the queued run will read their data). Writes that land while it runs are marked, and
    the worker queues one follow-up `DEBOUNCE_S` later, so a stream of writes costs about one
    recompute a second per role, and a lone write is summarised within `defer_s` plus the run.
    Returns the scopes newly queued.
    """
    scopes = sorted(set(roles)) if roles is not None else [ALL_ROLES]
    if len(scopes) > MAX_SCOPES_PER_REQUEST:
        scopes = [ALL_ROLES]
    queued = []
    for scope in scopes:
        job = await redis.enqueue_job(RECOMPUTE_SUMMARIES, scope, _job_id=recompute_job_id(scope),
                                      _defer_by=defer_s, _queue_name=QUEUE_NAME)
        if job is not None:
            queued.append(scope)
    return queued


async def observations_written(redis: ArqRedis, roles: Iterable[str]) -> list[str] | None:
    """After storing observations of `roles`: mark their summaries stale and due, then queue their
    recompute. A run already in progress sees the mark when it ends and queues another, so no
    write is left out of the summaries. The mark's round trip also says which roles already have
    a job queued or running: for those arq's enqueue would be a no-op, so it is not sent (a stream
    of writes to one role costs one Redis round trip each). The write itself is already safe in
    MongoDB, so a Redis failure here is logged and answered with None (the nightly full recompute
    covers it)."""
    wanted = sorted(set(roles))
    if not wanted:
        return []
    try:
        unqueued = await change_marks.mark_inputs_changed(redis, wanted, queued_job_key)
        return await enqueue_recompute(redis, unqueued) if unqueued else []
    except (RedisError, OSError) as exc:
        log.warning("could not queue a recompute of %d role(s): %s", len(wanted), type(exc).__name__)
        return None


async def announce_catalog_change(redis: ArqRedis) -> list[str] | None:
    """After roles, skills, learning paths or official figures changed (seed, imports, edits): queue a
    full recompute. Demand summaries rank skills across every role; the run first refreshes the
    next-move candidates (they follow roles' skills and relations), and its new version retires the
    cached answers built from the old catalogue. A Redis failure is logged and answered with None."""
    try:
        return await enqueue_recompute(redis, None)
    except (RedisError, OSError) as exc:
        log.warning("could not queue a full recompute: %s", type(exc).__name__)
        return None
