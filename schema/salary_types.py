"""GraphQL types for salary observations, salary summaries and demand."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry

from schema.context import Info
from schema.relay import Node, model_field
from schema.role_type import Role
from schema.types import ExperienceBand, Source, load_role, load_source
from service import domain
from service.summaries import DemandSummary
from service.summaries import SalarySummary as SalarySummaryModel


@strawberry.enum(description="PENDING: not computed yet; a recompute has been requested.")
class SummaryStatus(Enum):
    READY = "READY"
    PENDING = "PENDING"


@strawberry.enum(description="Where a summary was read from.")
class SummarySource(Enum):
    CACHE = "CACHE"
    DATABASE = "DATABASE"


@strawberry.type(description="One person's reported annual pay.")
class SalaryObservation(Node):
    model: strawberry.Private[domain.SalaryObservation]

    def node_key(self) -> str:
        return self.model.key

    raw_title: str = model_field("raw_title", "The job title as reported.")
    tag: str | None = model_field("tag",
                                  "Specialisation tag as reported, e.g. \"API Development (Back-End)\".")
    company: str | None = model_field("company")
    city: str | None = model_field("city")
    region: str | None = model_field("region")
    country: str | None = model_field("country", "ISO 3166-1 alpha-2")
    currency: str = model_field("currency", "ISO 4217")
    amount: float = model_field("amount", "Annual total compensation.")
    base_amount: float | None = model_field("base_amount", "Annual base pay, where known.")
    years_experience: float | None = model_field("years_experience")

    @strawberry.field
    def experience_band(self) -> ExperienceBand | None:
        return ExperienceBand(self.model.experience_band) if self.model.experience_band else None

    year: int | None = model_field("year", "Year observed, where the source says.")

    @strawberry.field
    async def role(self, info: Info) -> Role | None:
        return await load_role(info, self.model.role)

    @strawberry.field
    async def source(self, info: Info) -> Source | None:
        return await load_source(info, self.model.source)


@strawberry.type(description="Pay statistics for a role x country x experience band x currency cell. "
                             "A null country or band means all of them (a roll-up).")
class SalarySummary:
    model: strawberry.Private[SalarySummaryModel]

    role: str = model_field("role")
    country: str | None = model_field("country")

    @strawberry.field
    def experience_band(self) -> ExperienceBand | None:
        return ExperienceBand(self.model.experience_band) if self.model.experience_band else None

    currency: str | None = model_field("currency")

    @strawberry.field
    def status(self) -> SummaryStatus:
        return SummaryStatus(self.model.status)

    count: int = model_field("count", "Observations in the cell (the sample size).")
    sample_size: int = model_field("count")
    mean: float | None = model_field("mean")
    min: float | None = model_field("min")
    max: float | None = model_field("max")
    p10: float | None = model_field("p10", "Percentiles use linear interpolation (numpy's default); hidden "
                                  "when the cell is not `sufficient`.")

    p25: float | None = model_field("p25")
    median: float | None = model_field("median")
    p75: float | None = model_field("p75")
    p90: float | None = model_field("p90")
    stddev: float | None = model_field("stddev", "Population standard deviation.")
    sufficient: bool = model_field("sufficient",
                                   "Enough observations (a setting, default 5) to show percentiles.")
    computed_at: datetime | None = model_field("computed_at")

    @strawberry.field
    def source(self) -> SummarySource | None:
        return SummarySource(self.model.source) if self.model.source else None

    stale: bool = model_field("stale", "Its inputs changed after it was computed.")


@strawberry.type(description="Demand for a role or a skill, as precomputed by the worker.")
class Demand:
    model: strawberry.Private[DemandSummary]

    @strawberry.field
    def status(self) -> SummaryStatus:
        return SummaryStatus(self.model.status)

    computed_at: datetime | None = model_field("computed_at")

    @strawberry.field(description="Count of the subject's skills O*NET marks hot (roles only).")
    def hot_skill_count(self) -> int | None:
        return (self.model.document or {}).get("hot_skill_count")

    @strawberry.field(description="Count of the subject's skills O*NET marks in demand (roles only).")
    def in_demand_skill_count(self) -> int | None:
        return (self.model.document or {}).get("in_demand_skill_count")
