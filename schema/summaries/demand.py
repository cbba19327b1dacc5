"""The Demand type: demand for a role or a skill, precomputed by the worker."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from schema.context import Info
from schema.provenance import Source, load_source
from schema.references import load_roles, load_skill
from schema.relay import model_field
from schema.summaries.types import SummarySource, SummaryStatus
from service.summaries import model

if TYPE_CHECKING:
    from schema.catalog.role import Role
    from schema.catalog.types import Skill


@strawberry.type
class DemandOutlook:
    region: str
    period: str | None
    growth_percent: float | None
    openings_per_year: int | None
    subject_label: str
    source_slug: strawberry.Private[str]

    @strawberry.field
    async def source(self, info: Info) -> Source | None:
        return await load_source(info, self.source_slug)


@strawberry.type
class YearVolume:
    year: int | None
    count: int


@strawberry.type
class DemandSkill:
    skill_slug: strawberry.Private[str]
    importance: str
    hot: bool
    in_demand: bool
    roles_needing: int

    @strawberry.field
    async def skill(self, info: Info) -> Annotated[Skill, strawberry.lazy("schema.catalog.types")] | None:
        return await load_skill(info, self.skill_slug)


@strawberry.type
class PayPremium:
    currency: str
    median_with_skill: float | None
    sample_with_skill: int
    overall_median: float | None
    overall_sample: int
    premium_percent: float | None = strawberry.field(
        )
    sufficient: bool


@strawberry.type
class Demand:
    model: strawberry.Private[model.DemandSummary]

    @strawberry.field
    def status(self) -> SummaryStatus:
        return SummaryStatus(self.model.status)

    computed_at: datetime | None = model_field("computed_at")
    stale: bool = model_field("stale")

    @strawberry.field
    def source(self) -> SummarySource | None:
        return SummarySource(self.model.source) if self.model.source else None

    @strawberry.field
    def sample_size(self) -> int | None:
        return self.model.sample_size

    @strawberry.field
    def outlooks(self) -> list[DemandOutlook]:
        return [DemandOutlook(region=o.region, period=o.period, growth_percent=o.growth_percent,
                              openings_per_year=o.openings_per_year, subject_label=o.subject_label,
                              source_slug=o.source)
                for o in self.model.outlooks]

    @strawberry.field
    def observations_by_year(self) -> list[YearVolume]:
        return [YearVolume(year=row.year, count=row.count) for row in self.model.observations_by_year]

    @strawberry.field
    def hot_skill_count(self) -> int | None:
        return self.model.hot_skill_count

    @strawberry.field
    def in_demand_skill_count(self) -> int | None:
        return self.model.in_demand_skill_count

    @strawberry.field
    def top_skills(self) -> list[DemandSkill]:
        return [DemandSkill(skill_slug=t.skill, importance=t.importance, hot=t.hot, in_demand=t.in_demand,
                            roles_needing=t.roles_needing)
                for t in self.model.top_skills]

    @strawberry.field
    async def core_roles(self, info: Info) -> list[Annotated[Role, strawberry.lazy("schema.catalog.role")]]:
        return await load_roles(info, list(self.model.core_roles))

    @strawberry.field
    async def recommended_roles(self, info: Info) -> list[Annotated[Role, strawberry.lazy("schema.catalog.role")]]:
        return await load_roles(info, list(self.model.recommended_roles))

    @strawberry.field
    def roles_needing(self) -> int | None:
        return self.model.roles_needing

    @strawberry.field
    def pay(self) -> PayPremium | None:
        pay = self.model.pay
        if pay is None:
            return None
        return PayPremium(currency=pay.currency, median_with_skill=pay.median_with_skill,
                          sample_with_skill=pay.sample_with_skill, overall_median=pay.overall_median,
                          overall_sample=pay.overall_sample, premium_percent=pay.premium_percent,
                          sufficient=pay.sufficient)
