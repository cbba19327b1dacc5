"""What operators ask of a running system: `careergraph status` and `careergraph recompute`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from redis.exceptions import RedisError

from service import jobs
from service.platform.resources import Resources, ServiceUnavailable, ping_mongodb, ping_redis
from service.store import change_marks, summary_cache
from service.store import database as c
from service.summaries.runs import RecomputeRun, recent_runs


@dataclass
class Status:
    mongodb: str = "unknown"
    redis: str = "unknown"
    queued_jobs: int | None = None
    running_jobs: int | None = None
    latest_version: str | None = None
    dirty_roles: list[str] = field(default_factory=list)
    salary_summaries: int | None = None
    demand_summaries: int | None = None
    runs: list[RecomputeRun] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        return self.mongodb == "ok" and self.redis == "ok"

    def version_age_s(self, now: datetime | None = None) -> float | None:
        if not self.latest_version:
            return None
        published_ms = int(self.latest_version.split("-")[0])
        return round((now or datetime.now(UTC)).timestamp() - published_ms / 1000, 1)

    def lines(self) -> list[str]:
        age = self.version_age_s()
        out = [
            f"MongoDB: {self.mongodb}; Redis: {self.redis}",
            f"queue: {_n(self.queued_jobs)} waiting, {_n(self.running_jobs)} running",
            f"cache: version {self.latest_version or '-'}"
            + (f" (published {age:g} s ago)" if age is not None else ""),
            f"summaries in MongoDB: {_n(self.salary_summaries)} salary, {_n(self.demand_summaries)} demand",
            f"roles awaiting a recompute: {', '.join(self.dirty_roles) or 'none'}",
            "recent recomputes:" if self.runs else "recent recomputes: none yet",
        ]
        for run in self.runs:
            took = f"{run.duration_s:.2f} s" if run.duration_s is not None else "-"
            out.append(f"  {run.started_at:%Y-%m-%d %H:%M:%S}  {run.scope:<28} {run.trigger:<7} "
                       f"{run.outcome:<8} {took:>9}  read {_n(run.documents_read)}"
                       + (f"  error: {run.error}" if run.error else ""))
        return out


def _n(value: int | None) -> str:
    return "?" if value is None else f"{value:,}"


async def status(resources: Resources, runs: int = 10) -> Status:
    found = Status()
    try:
        await ping_mongodb(resources)
        found.mongodb = "ok"
        found.salary_summaries = await resources.db[c.SALARY_SUMMARIES].estimated_document_count()
        found.demand_summaries = await resources.db[c.DEMAND_SUMMARIES].estimated_document_count()
        found.runs = await recent_runs(resources, runs)
    except ServiceUnavailable as exc:
        found.mongodb = str(exc)
    try:
        await ping_redis(resources)
        found.redis = "ok"
        redis = resources.redis
        found.queued_jobs = await jobs.jobs_waiting(redis)
        found.running_jobs = await jobs.jobs_running(redis)
        latest = await redis.get(summary_cache.LATEST)
        found.latest_version = latest.decode() if latest else None
        found.dirty_roles = await change_marks.awaiting(redis)
    except (ServiceUnavailable, RedisError) as exc:
        found.redis = str(exc)
    return found
