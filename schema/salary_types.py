"""GraphQL types for salary observations, salary summaries and demand."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry

from schema.context import Info
from schema.relay import Node
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

    @strawberry.field(description="The job title as reported.")
    def raw_title(self) -> str:
        return self.model.raw_title

    @strawberry.field(description="Specialisation tag as reported, e.g. \"API Development (Back-End)\".")
    def tag(self) -> str | None:
        return self.model.tag

    @strawberry.field
    def company(self) -> str | None:
        return self.model.company

    @strawberry.field
    def city(self) -> str | None:
        return self.model.city

    @strawberry.field
    def region(self) -> str | None:
        return self.model.region

    @strawberry.field(description="ISO 3166-1 alpha-2")
    def country(self) -> str | None:
        return self.model.country

    @strawberry.field(description="ISO 4217")
    def currency(self) -> str:
        return self.model.currency

    @strawberry.field(description="Annual total compensation.")
    def amount(self) -> float:
        return self.model.amount

    @strawberry.field(description="Annual base pay, where known.")
    def base_amount(self) -> float | None:
        return self.model.base_amount

    @strawberry.field
    def years_experience(self) -> float | None:
        return self.model.years_experience

    @strawberry.field
    def experience_band(self) -> ExperienceBand | None:
        return ExperienceBand(self.model.experience_band) if self.model.experience_band else None

    @strawberry.field(description="Year observed, where the source says.")
    def year(self) -> int | None:
        return self.model.year

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

    @strawberry.field
    def role(self) -> str:
        return self.model.role

    @strawberry.field
    def country(self) -> str | None:
        return self.model.country

    @strawberry.field
    def experience_band(self) -> ExperienceBand | None:
        return ExperienceBand(self.model.experience_band) if self.model.experience_band else None

    @strawberry.field
    def currency(self) -> str | None:
        return self.model.currency

    @strawberry.field
    def status(self) -> SummaryStatus:
        return SummaryStatus(self.model.status)

    @strawberry.field(description="Observations in the cell (the sample size).")
    def count(self) -> int:
        return self.model.count

    @strawberry.field
    def sample_size(self) -> int:
        return self.model.count

    @strawberry.field
    def mean(self) -> float | None:
        return self.model.mean

    @strawberry.field
    def min(self) -> float | None:
        return self.model.min

    @strawberry.field
    def max(self) -> float | None:
        return self.model.max

    @strawberry.field(description="Percentiles use linear interpolation (numpy's default); hidden "
                                  "when the cell is not `sufficient`.")
    def p10(self) -> float | None:
        return self.model.p10

    @strawberry.field
    def p25(self) -> float | None:
        return self.model.p25

    @strawberry.field
    def median(self) -> float | None:
        return self.model.median

    @strawberry.field
    def p75(self) -> float | None:
        return self.model.p75

    @strawberry.field
    def p90(self) -> float | None:
        return self.model.p90

    @strawberry.field(description="Population standard deviation.")
    def stddev(self) -> float | None:
        return self.model.stddev

    @strawberry.field(description="Enough observations (a setting, default 5) to show percentiles.")
    def sufficient(self) -> bool:
        return self.model.sufficient

    @strawberry.field
    def computed_at(self) -> datetime | None:
        return self.model.computed_at

    @strawberry.field
    def source(self) -> SummarySource | None:
        return SummarySource(self.model.source) if self.model.source else None

    @strawberry.field(description="Its inputs changed after it was computed.")
    def stale(self) -> bool:
        return self.model.stale


@strawberry.type(description="Demand for a role or a skill, as precomputed by the worker.")
class Demand:
    model: strawberry.Private[DemandSummary]

    @strawberry.field
    def status(self) -> SummaryStatus:
        return SummaryStatus(self.model.status)

    @strawberry.field
    def computed_at(self) -> datetime | None:
        return self.model.computed_at

    @strawberry.field(description="Count of the subject's skills O*NET marks hot (roles only).")
    def hot_skill_count(self) -> int | None:
        return (self.model.document or {}).get("hot_skill_count")

    @strawberry.field(description="Count of the subject's skills O*NET marks in demand (roles only).")
    def in_demand_skill_count(self) -> int | None:
        return (self.model.document or {}).get("in_demand_skill_count")
