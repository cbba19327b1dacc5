"""The Demand type: demand for a role or a skill, precomputed by the worker."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from schema.context import Info
from schema.lazy import CATALOG, ROLE, lazy_type, load_skill
from schema.provenance import Source, load_source
from schema.relay import model_field
from schema.summaries.types import SummarySource, SummaryStatus
from service.summaries import model

if TYPE_CHECKING:
    from schema.catalog.role import Role
    from schema.catalog.types import Skill


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
    async def skill(self, info: Info) -> Annotated[Skill, strawberry.lazy(CATALOG)] | None:
        return await load_skill(info, self.skill_slug)


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


async def _roles(info: Info, slugs: tuple[str, ...]) -> list[Role]:
    found = await info.context.loaders.role.load_many(list(slugs))
    wrap = lazy_type(ROLE, "Role")
    return [wrap(model=r) for r in found if r is not None]


@strawberry.type(description="Demand for a role or a skill, precomputed by the worker.")
class Demand:
    model: strawberry.Private[model.DemandSummary]

    @strawberry.field
    def status(self) -> SummaryStatus:
        return SummaryStatus(self.model.status)

    computed_at: datetime | None = model_field("computed_at")
    stale: bool = model_field("stale", "For a role: observations were stored after it was computed.")

    @strawberry.field
    def source(self) -> SummarySource | None:
        return SummarySource(self.model.source) if self.model.source else None

    @strawberry.field(description="Observations behind the figures (role: all; skill: the pay premium's).")
    def sample_size(self) -> int | None:
        return self.model.sample_size

    @strawberry.field(description="Published outlooks for the role (roles only).")
    def outlooks(self) -> list[DemandOutlook]:
        return [DemandOutlook(region=o.region, period=o.period, growth_percent=o.growth_percent,
                              openings_per_year=o.openings_per_year, subject_label=o.subject_label,
                              source_slug=o.source)
                for o in self.model.outlooks]

    @strawberry.field(description="Observation volume by year (roles only).")
    def observations_by_year(self) -> list[YearVolume]:
        return [YearVolume(year=row.year, count=row.count) for row in self.model.observations_by_year]

    @strawberry.field(description="Count of the role's skills O*NET marks hot (roles only).")
    def hot_skill_count(self) -> int | None:
        return self.model.hot_skill_count

    @strawberry.field(description="Count of the role's skills O*NET marks in demand (roles only).")
    def in_demand_skill_count(self) -> int | None:
        return self.model.in_demand_skill_count

    @strawberry.field(description="The role's skills in demand order, at most 10 (roles only).")
    def top_skills(self) -> list[DemandSkill]:
        return [DemandSkill(skill_slug=t.skill, importance=t.importance, hot=t.hot, in_demand=t.in_demand,
                            roles_needing=t.roles_needing)
                for t in self.model.top_skills]

    @strawberry.field(description="Roles needing the skill as core (skills only).")
    async def core_roles(self, info: Info) -> list[Annotated[Role, strawberry.lazy(ROLE)]]:
        return await _roles(info, self.model.core_roles)

    @strawberry.field(description="Roles needing the skill as recommended (skills only).")
    async def recommended_roles(self, info: Info) -> list[Annotated[Role, strawberry.lazy(ROLE)]]:
        return await _roles(info, self.model.recommended_roles)

    @strawberry.field(description="Roles listing the skill as core or recommended (skills only).")
    def roles_needing(self) -> int | None:
        return self.model.roles_needing

    @strawberry.field(description="The skill's pay premium (skills only).")
    def pay(self) -> PayPremium | None:
        pay = self.model.pay
        if pay is None:
            return None
        return PayPremium(currency=pay.currency, median_with_skill=pay.median_with_skill,
                          sample_with_skill=pay.sample_with_skill, overall_median=pay.overall_median,
                          overall_sample=pay.overall_sample, premium_percent=pay.premium_percent,
                          sufficient=pay.sufficient)
