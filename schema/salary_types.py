"""GraphQL types for salary observations, salary summaries and demand."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

import strawberry

from schema.context import Info
from schema.relay import Node, model_field
from schema.role_type import Role
from schema.types import ExperienceBand, Skill, Source, load_role, load_source
from service import domain, recompute
from service.summaries import DemandSummary
from service.summaries import SalarySummary as SalarySummaryModel


@strawberry.enum(description="PENDING: not computed yet; a recompute has been requested.")
class SummaryStatus(Enum):
    READY = "READY"
    PENDING = "PENDING"


@strawberry.enum(description="Where a summary was read from: CACHE (Redis, the normal case), DATABASE "
                               "(MongoDB's copy, when Redis is down or cold), LIVE (computed for this "
                               "request, admin only).")
class SummarySource(Enum):
    CACHE = "CACHE"
    DATABASE = "DATABASE"
    LIVE = "LIVE"


@strawberry.enum(description="What a salary summary groups: CELL is role x country x experience band x "
                               "currency; COUNTRY, BAND and ROLE are roll-ups over bands, over countries, "
                               "and over both. Every level keeps currencies apart.")
class SummaryLevel(Enum):
    CELL = "CELL"
    COUNTRY = "COUNTRY"
    BAND = "BAND"
    ROLE = "ROLE"


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


@strawberry.type(description="Pay statistics for one group of observations (see `level`). At CELL, COUNTRY "
                             "and BAND level a null country or band means the observations did not say.")
class SalarySummary:
    model: strawberry.Private[SalarySummaryModel]

    role: str = model_field("role")

    @strawberry.field
    def level(self) -> SummaryLevel | None:
        return SummaryLevel(self.model.level) if self.model.level else None

    country: str | None = model_field("country")

    @strawberry.field
    def experience_band(self) -> ExperienceBand | None:
        return ExperienceBand(self.model.experience_band) if self.model.experience_band else None

    currency: str | None = model_field("currency")

    @strawberry.field
    def status(self) -> SummaryStatus:
        return SummaryStatus(self.model.status)

    count: int = model_field("count", "Observations in the group.")
    sample_size: int = model_field("count", "Same as count: the number of observations behind every figure.")
    mean: float | None = model_field("mean")
    min: float | None = model_field("min", "Hidden when the group is not `sufficient`.")
    max: float | None = model_field("max", "Hidden when the group is not `sufficient`.")
    p10: float | None = model_field("p10", "Percentiles use linear interpolation (numpy's default); hidden "
                                  "when the group is not `sufficient`.")
    p25: float | None = model_field("p25")
    median: float | None = model_field("median")
    p75: float | None = model_field("p75")
    p90: float | None = model_field("p90")
    stddev: float | None = model_field("stddev", "Population standard deviation.")
    sufficient: bool = model_field("sufficient",
                                   "Enough observations (a setting, default 5) to show order statistics.")
    computed_at: datetime | None = model_field("computed_at")
    version: str | None = model_field("version", "The summary version this came from.")

    @strawberry.field
    def source(self) -> SummarySource | None:
        return SummarySource(self.model.source) if self.model.source else None

    stale: bool = model_field("stale", "Observations of the role were stored after it was computed; a "
                                       "recompute is on its way.")


@strawberry.type(description="A published outlook: projected growth and openings, with its source.")
class DemandOutlook:
    region: str
    period: str | None
    growth_percent: float | None
    openings_per_year: int | None
    subject_label: str = strawberry.field(description="What the publisher measured, e.g. \"web developers\".")
    source_slug: strawberry.Private[str]

    @strawberry.field
    async def source(self, info: Info) -> Source | None:
        return await load_source(info, self.source_slug)


@strawberry.type(description="Observations stored for a role in one year (null: year not reported).")
class YearVolume:
    year: int | None
    count: int


@strawberry.type(description="A skill ranked by demand: in-demand, hot, importance, then breadth.")
class DemandSkill:
    skill_slug: strawberry.Private[str]
    importance: str
    hot: bool
    in_demand: bool
    roles_needing: int = strawberry.field(description="Roles listing it as core or recommended.")

    @strawberry.field
    async def skill(self, info: Info) -> Skill | None:
        found = await info.context.loaders.skill.load(self.skill_slug)
        return Skill(model=found) if found else None


@strawberry.type(description="Median pay of observations for roles that need a skill, against the "
                             "median of all observations, in one currency, with both sample sizes.")
class PayPremium:
    currency: str
    median_with_skill: float | None
    sample_with_skill: int
    overall_median: float | None
    overall_sample: int
    premium_percent: float | None = strawberry.field(
        description="(median with skill / overall median - 1) x 100; null below the minimum sample.")
    sufficient: bool


@strawberry.type(description="Demand for a role or a skill, precomputed by the worker.")
class Demand:
    model: strawberry.Private[DemandSummary]

    @strawberry.field
    def status(self) -> SummaryStatus:
        return SummaryStatus(self.model.status)

    computed_at: datetime | None = model_field("computed_at")
    stale: bool = model_field("stale", "For a role: observations were stored after it was computed.")

    @strawberry.field
    def source(self) -> SummarySource | None:
        return SummarySource(self.model.source) if self.model.source else None

    def _get(self, name: str) -> Any:
        return (self.model.document or {}).get(name)

    @strawberry.field(description="Observations behind the figures (role: all; skill: the pay premium's).")
    def sample_size(self) -> int | None:
        return self._get("sample_size")

    @strawberry.field(description="Published outlooks for the role (roles only).")
    def outlooks(self) -> list[DemandOutlook]:
        return [DemandOutlook(region=o["region"], period=o.get("period"),
                              growth_percent=o.get("growth_percent"),
                              openings_per_year=o.get("openings_per_year"),
                              subject_label=o.get("subject_label") or "", source_slug=o["source"])
                for o in self._get("outlooks") or []]

    @strawberry.field(description="Observation volume by year (roles only).")
    def observations_by_year(self) -> list[YearVolume]:
        rows = self._get("observations_by_year") or []
        return [YearVolume(year=row.get("year"), count=row["count"]) for row in rows]

    @strawberry.field(description="Count of the role's skills O*NET marks hot (roles only).")
    def hot_skill_count(self) -> int | None:
        return self._get("hot_skill_count")

    @strawberry.field(description="Count of the role's skills O*NET marks in demand (roles only).")
    def in_demand_skill_count(self) -> int | None:
        return self._get("in_demand_skill_count")

    @strawberry.field(description="The role's skills in demand order, at most 10 (roles only).")
    def top_skills(self) -> list[DemandSkill]:
        return [DemandSkill(skill_slug=t["skill"], importance=t["importance"], hot=t["hot"],
                            in_demand=t["in_demand"], roles_needing=t["roles_needing"])
                for t in self._get("top_skills") or []]

    @strawberry.field(description="Roles needing the skill as core (skills only).")
    async def core_roles(self, info: Info) -> list[Role]:
        return await _roles(info, self._get("core_roles") or [])

    @strawberry.field(description="Roles needing the skill as recommended (skills only).")
    async def recommended_roles(self, info: Info) -> list[Role]:
        return await _roles(info, self._get("recommended_roles") or [])

    @strawberry.field(description="Roles listing the skill as core or recommended (skills only).")
    def roles_needing(self) -> int | None:
        return self._get("roles_needing")

    @strawberry.field(description="The skill's pay premium (skills only).")
    def pay(self) -> PayPremium | None:
        pay = self._get("pay")
        return PayPremium(**pay) if pay else None


async def _roles(info: Info, slugs: list[str]) -> list[Role]:
    found = await info.context.loaders.role.load_many(slugs)
    return [Role(model=r) for r in found if r is not None]


@strawberry.type(description="One recompute of summaries by the worker (or `careergraph recompute`).")
class RecomputeRun:
    scope: str = strawberry.field(description="A role slug, or \"all\".")
    trigger: str = strawberry.field(description="worker (a queued job), cron, or cli.")
    started_at: datetime
    finished_at: datetime | None
    duration_seconds: float | None
    documents_read: int | None = strawberry.field(description="Observations aggregated.")
    summaries_written: int | None
    version: str | None
    outcome: str = strawberry.field(description="running, ok or failed.")
    error: str | None

    @classmethod
    def from_model(cls, run: recompute.RecomputeRun) -> RecomputeRun:
        return cls(scope=run.scope, trigger=run.trigger, started_at=run.started_at,
                   finished_at=run.finished_at,
                   duration_seconds=run.duration_s, documents_read=run.documents_read,
                   summaries_written=run.summaries_written, version=run.version, outcome=run.outcome,
                   error=run.error)
