"""Self-healing: roles whose observations no published summary covers are found and queued.

Two sources, checked by every worker each round (`worker.tasks.maintain_forever`):

- Redis's change marks (`change_marks.awaiting`): roles left marked by a run that failed, was
  abandoned or lost, or whose follow-up was never queued. Each is queued again (job ids
  de-duplicate, so many workers asking is one job).
- MongoDB, after Redis may have lost marks: it restarted empty, or Sentinel promoted a replica that
  had not received the master's last writes (`change_marks.RECONCILED` does not hold the id of the
  master now serving, `change_marks.dataset_id`); queued jobs lost that way are queued again too:
  a role whose newest observation was stored after its summary's watermark (less `CLOCK_SKEW_MS`,
  as the two times come from different clocks), or that has observations and no summary, is
  marked and queued. One index lookup a role (`role`, `_id` descending).

And jobs held by no run (`OrphanedJobs`): arq marks a job in progress for its timeout (610 s) and
removes the mark when the job ends. When Redis goes away under a worker (a failover, a broken
connection), the job's end cannot be written, and the promoted replica keeps the mark it had
copied: the job would sit in the queue for ten minutes. A mark whose scope has no live run in
MongoDB, seen in two rounds of the worker's maintenance, is removed, and the job runs.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from arq.constants import in_progress_key_prefix

from service.jobs import enqueue_recompute, recompute_job_id
from service.platform.resources import Resources
from service.store import change_marks
from service.store import database as c
from service.summaries import salary_stats

log = logging.getLogger("careergraph.reconcile")
CLOCK_SKEW_MS = 2000


async def queue_awaiting(resources: Resources) -> list[str]:
    """Queue the roles still marked; returns those newly queued."""
    marked = await change_marks.awaiting(resources.redis)
    return await enqueue_recompute(resources.redis, marked) if marked else []


async def uncovered_roles(resources: Resources) -> list[str]:
    """Roles with observations stored after their summary's watermark, or with no summary, by MongoDB."""
    db = resources.db
    watermarks = {d["role"]: d.get("watermark_ms", 0)
                  async for d in db[c.SALARY_SUMMARIES].find({}, {"role": 1, "watermark_ms": 1})}
    found = []
    for role in sorted(await db[c.SALARY_OBSERVATIONS].distinct("role")):
        newest = await salary_stats.observed_through(db, role)
        if newest is not None and newest.timestamp() * 1000 > watermarks.get(role, 0) - CLOCK_SKEW_MS:
            found.append(role)
    return found


async def reconcile_after_redis_restart(resources: Resources) -> list[str]:
    """When Redis may have lost marks (a restart, a failover), find the uncovered roles in MongoDB,
    mark and queue them."""
    current = await change_marks.dataset_id(resources.redis)
    reconciled = await resources.redis.get(change_marks.RECONCILED)
    if reconciled is not None and reconciled.decode() == (current or "1"):  # "1": INFO is refused
        return []
    roles = await uncovered_roles(resources)
    if roles:
        await change_marks.mark_inputs_changed(resources.redis, roles)
        await enqueue_recompute(resources.redis, roles)
        log.warning("Redis had no change marks: %d role(s) newer in MongoDB than their summaries queued",
                    len(roles))
    await resources.redis.set(change_marks.RECONCILED, current or "1")
    return roles


class OrphanedJobs:
    """Releases in-progress marks that no running run holds (one instance per worker)."""

    def __init__(self) -> None:
        self.suspects: set[str] = set()

    async def release(self, resources: Resources) -> list[str]:
        """Delete the marks found orphaned in this round and the one before; returns their scopes."""
        prefix = in_progress_key_prefix + recompute_job_id("")
        marked = {key.decode()[len(prefix):] async for key in resources.redis.scan_iter(match=f"{prefix}*", count=500)}
        if not marked:
            self.suspects = set()
            return []
        cutoff = datetime.now(UTC) - timedelta(seconds=resources.settings.run_stale_after_s)
        live = set(await resources.db[c.RECOMPUTE_RUNS].distinct(
            "scope", {"outcome": "running", "heartbeat_at": {"$gte": cutoff}, "scope": {"$in": sorted(marked)}}))
        orphaned = marked - live
        released = sorted(orphaned & self.suspects)
        if released:
            await resources.redis.delete(*(prefix + scope for scope in released))
            log.warning("released %d job(s) marked in progress with no run: %s", len(released), ", ".join(released))
        self.suspects = orphaned - set(released)
        return released
