"""The fields the summaries give `Role` (composed in `schema/catalog/role.py`): its pay summary, its
pay beside official wages, and its demand."""

from __future__ import annotations

import strawberry

from schema.bands import ExperienceBand
from schema.context import Info
from schema.summaries.demand import Demand
from schema.summaries.types import PayComparison, SalarySummary
from service.catalog import model
from service.summaries.reads import read_pay_comparison, read_role_salary_summary


@strawberry.type
class RoleSummaryFields:
    model: strawberry.Private[model.Role]

    @strawberry.field
    async def salary_summary(self, info: Info, country: str | None = None,
                             experience_band: ExperienceBand | None = None,
                             currency: str | None = None, normalize_to: str | None = None) -> SalarySummary | None:
        found = await read_role_salary_summary(info.context.resources, self.model.slug, country,
                                               experience_band.value if experience_band else None, currency,
                                               normalize_to)
        return SalarySummary(model=found) if found else None

    @strawberry.field
    async def pay_comparison(self, info: Info, area: str = "US") -> PayComparison | None:
        found = await read_pay_comparison(info.context.resources, self.model.slug, area)
        return PayComparison(model=found) if found else None

    @strawberry.field
    async def demand(self, info: Info) -> Demand:
        return Demand(model=await info.context.loaders.demand.load(f"role:{self.model.slug}"))
