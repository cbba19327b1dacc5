"""Salary and demand summaries as the API reads them.

The worker materialises summaries in MongoDB (`salary_summaries`, `demand_summaries`). A read
returns what is materialised; where nothing is, it answers PENDING and asks the worker for a
recompute, so a cold scope never costs a live aggregation on the request path.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from service.jobs import enqueue_recompute
from service.resources import Resources

SALARY_SUMMARIES = "salary_summaries"
DEMAND_SUMMARIES = "demand_summaries"


@dataclass(frozen=True)
class SalaryScope:
    role: str
    country: str | None = None
    experience_band: str | None = None
    currency: str | None = None


@dataclass(frozen=True)
class SalarySummary:
    role: str
    country: str | None
    experience_band: str | None
    currency: str | None
    status: str  # READY or PENDING
    count: int = 0
    mean: float | None = None
    min: float | None = None
    max: float | None = None
    p10: float | None = None
    p25: float | None = None
    median: float | None = None
    p75: float | None = None
    p90: float | None = None
    stddev: float | None = None
    sufficient: bool = False
    computed_at: datetime | None = None
    source: str | None = None  # CACHE or DATABASE
    stale: bool = False

    @classmethod
    def pending(cls, scope: SalaryScope) -> SalarySummary:
        return cls(role=scope.role, country=scope.country, experience_band=scope.experience_band,
                   currency=scope.currency, status="PENDING")


@dataclass(frozen=True)
class DemandSummary:
    subject: str
    status: str
    document: dict[str, Any] | None = None
    computed_at: datetime | None = None


def _matches(doc: dict[str, Any], scope: SalaryScope) -> bool:
    return all(getattr(scope, name) is None or doc.get(name) == getattr(scope, name)
               for name in ("country", "experience_band", "currency"))


def _summary(doc: dict[str, Any], source: str) -> SalarySummary:
    hide = not doc.get("sufficient", False)
    return SalarySummary(
        role=doc["role"], country=doc.get("country"), experience_band=doc.get("experience_band"),
        currency=doc.get("currency"), status="READY", count=doc["count"], mean=doc.get("mean"),
        min=doc.get("min"), max=doc.get("max"), stddev=doc.get("stddev"),
        p10=None if hide else doc.get("p10"), p25=None if hide else doc.get("p25"),
        median=None if hide else doc.get("median"), p75=None if hide else doc.get("p75"),
        p90=None if hide else doc.get("p90"), sufficient=doc.get("sufficient", False),
        computed_at=doc.get("computed_at"), source=source, stale=doc.get("stale", False),
    )


async def read_salary_summaries(resources: Resources, scope: SalaryScope) -> list[SalarySummary]:
    docs = [d async for d in resources.db[SALARY_SUMMARIES].find({"role": scope.role})]
    if not docs:
        await enqueue_recompute(resources.redis, [scope.role])
        return [SalarySummary.pending(scope)]
    return [_summary(d, "DATABASE") for d in docs if _matches(d, scope)]


async def read_demand_summary(resources: Resources, subject: str) -> DemandSummary:
    doc = await resources.db[DEMAND_SUMMARIES].find_one({"subject": subject}, {"_id": 0})
    if doc is None:
        return DemandSummary(subject=subject, status="PENDING")
    return DemandSummary(subject=subject, status="READY", document=doc, computed_at=doc.get("computed_at"))
