"""The record of recompute runs: start, heartbeat, end, and the reaping of runs whose worker died.

Every run is a document in `recompute_runs` (scope, trigger, start, end, duration, documents read,
summaries written, outcome, error, phase timings, and the roles it read whole, by reason: a role
with a usable roll-up reads only its changes, see `rollups`). A running run writes `heartbeat_at` every
HEARTBEAT_S. If its process dies (SIGKILL, power), arq would not run the job again before its
in-progress key expires (the job timeout plus 10 s), so every worker also reaps: a run whose
heartbeat is older than `run_stale_after_s` is marked "abandoned" and its job's in-progress key
deleted, and the job, still in the queue, is taken by the next worker that polls.
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

from pymongo import ReturnDocument

from service.jobs import ALL_ROLES, enqueue_recompute, in_progress_key
from service.platform.resources import Resources
from service.store import database as c

log = logging.getLogger("careergraph.recompute")
HEARTBEAT_S = 2.0
OUTCOMES = ("ok", "failed", "running", "abandoned", "superseded")


@dataclass(frozen=True)
class RecomputeRun:
    run_id: str
    scope: str
    trigger: str
    started_at: datetime
    outcome: str  # one of OUTCOMES (superseded: a newer run published first)
    finished_at: datetime | None = None
    duration_s: float | None = None
    documents_read: int | None = None
    summaries_written: int | None = None
    version: str | None = None
    error: str | None = None
    phases: dict[str, float] = field(default_factory=dict)
    roles_reused: int | None = None  # roles whose rows a full run reused (their inputs had not changed)
    read_whole: dict[str, list[str]] = field(default_factory=dict)  # reason -> roles read whole for it

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> RecomputeRun:
        return cls(
            run_id=doc["run_id"], scope=doc["scope"], trigger=doc["trigger"], started_at=doc["started_at"],
            outcome=doc["outcome"], finished_at=doc.get("finished_at"), duration_s=doc.get("duration_s"),
            documents_read=doc.get("documents_read"), summaries_written=doc.get("summaries_written"),
            version=doc.get("version"), error=doc.get("error"), phases=doc.get("phases") or {},
            roles_reused=doc.get("roles_reused"), read_whole=doc.get("read_whole") or {})


class Clock:
    """Phase timings of one run."""

    def __init__(self) -> None:
        self.phases: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.phases[name] = round(now - self._last, 4)
        self._last = now


async def start_run(resources: Resources, scope: str, trigger: str) -> RecomputeRun:
    started_at = datetime.now(UTC)
    run = RecomputeRun(run_id=uuid.uuid4().hex, scope=scope, trigger=trigger, started_at=started_at,
                       outcome="running")
    host = f"{socket.gethostname()}:{os.getpid()}"
    await resources.db[c.RECOMPUTE_RUNS].insert_one({**asdict(run), "host": host, "heartbeat_at": started_at})
    return run


async def finish_run(resources: Resources, run: RecomputeRun, outcome: str, clock: Clock,
                     **details: Any) -> RecomputeRun:
    finished_at = datetime.now(UTC)
    update = {"outcome": outcome, "finished_at": finished_at, "phases": clock.phases,
              "duration_s": round((finished_at - run.started_at).total_seconds(), 4), **details}
    try:
        await resources.db[c.RECOMPUTE_RUNS].update_one({"run_id": run.run_id}, {"$set": update})
    except Exception:  # the run's own failure matters more than its record
        log.warning("could not record the end of recompute run %s", run.run_id)
    return RecomputeRun(**{**asdict(run), **update})


async def heartbeat(resources: Resources, run_id: str) -> None:
    """Beat until cancelled."""
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
