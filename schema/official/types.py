"""GraphQL types of published and official figures: salary benchmarks and growth outlooks, and the
official wages of BLS OEWS (areas, occupations, industries and their figures), each with its source."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from schema.bands import ExperienceBand, band_or_none
from schema.context import Info
from schema.provenance import Source, load_source
from schema.references import load_role
from schema.relay import Node, model_field
from service.official import model, oews_model
from service.official.oews_reads import group_codes

if TYPE_CHECKING:
    from schema.catalog.role import Role


@strawberry.type
class SalaryBenchmark(Node):
    model: strawberry.Private[model.SalaryBenchmark]

    def node_key(self) -> str:
        return self.model.key

    statistic: str = model_field("statistic")
    amount: float | None = model_field("amount")
    amount_max: float | None = model_field("amount_max")
    currency: str = model_field("currency")
    country: str | None = model_field("country")

    @strawberry.field
    def experience_band(self) -> ExperienceBand | None:
        return band_or_none(self.model.experience_band)

    period: str = model_field("period")
    scope: str = model_field("scope")

    @strawberry.field
    async def role(self, info: Info) -> Annotated[Role, strawberry.lazy("schema.catalog.role")] | None:
        return await load_role(info, self.model.role)

    @strawberry.field
    async def source(self, info: Info) -> Source | None:
        return await load_source(info, self.model.source)


@strawberry.type
class Outlook(Node):
    model: strawberry.Private[model.Outlook]

    def node_key(self) -> str:
        return self.model.key

    subject_label: str = model_field("subject_label")
    region: str = model_field("region")
    period: str | None = model_field("period")
    growth_percent: float | None = model_field("growth_percent")
    openings_per_year: int | None = model_field("openings_per_year")

    @strawberry.field
    async def role(self, info: Info) -> Annotated[Role, strawberry.lazy("schema.catalog.role")] | None:
        return await load_role(info, self.model.subject)

    @strawberry.field
    async def source(self, info: Info) -> Source | None:
        return await load_source(info, self.model.source)


@strawberry.enum
class AreaType(Enum):
    NATIONAL = "NATIONAL"
    STATE = "STATE"
    METRO = "METRO"


@strawberry.type
class Area:
    model: strawberry.Private[oews_model.Area]

    @strawberry.field
    def code(self) -> str:
        return self.model.code

    @strawberry.field
    def name(self) -> str:
        return self.model.name

    @strawberry.field
    def type(self) -> AreaType:
        return AreaType(self.model.type)

    @strawberry.field
    def state(self) -> str | None:
        return self.model.state


@strawberry.type
class OccupationGroup:
    code: str
    title: str | None
    level: str


@strawberry.type
class Occupation:
    code: str
    title: str | None

    @strawberry.field
    async def groups(self, info: Info) -> list[OccupationGroup]:
        codes = group_codes(self.code)
        found = await info.context.loaders.occupation.load_many([code for _, code in codes])
        return [OccupationGroup(code=code, level=level, title=doc["name"] if doc else None)
                for (level, code), doc in zip(codes, found, strict=True)]


@strawberry.type
class WageBound:
    figure: str
    at_least: float


def _figure(name: str) -> Any:
    def resolve(root: OfficialWage) -> float | None:
        return root.model.values.get(name)

    return strawberry.field(resolver=resolve)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


@strawberry.type
class OfficialWage:
    model: strawberry.Private[oews_model.OfficialWage]

    @strawberry.field
    async def occupation(self, info: Info) -> Occupation:
        found = await info.context.loaders.occupation.load(self.model.occupation)
        return Occupation(code=self.model.occupation, title=found["name"] if found else None)

    @strawberry.field
    async def area(self, info: Info) -> Area | None:
        found = await info.context.loaders.area.load(self.model.area)
        return Area(model=found) if found else None

    @strawberry.field
    def industry(self) -> str:
        return self.model.industry

    @strawberry.field
    async def industry_name(self, info: Info) -> str | None:
        found = await info.context.loaders.industry.load(self.model.industry)
        return found["name"] if found else None

    employment: float | None = _figure("employment")
    employment_rse: float | None = _figure("employment_rse")
    hourly_mean: float | None = _figure("hourly_mean")
    annual_mean: float | None = _figure("annual_mean")
    wage_rse: float | None = _figure("wage_rse")
    hourly_p10: float | None = _figure("hourly_p10")
    hourly_p25: float | None = _figure("hourly_p25")
    hourly_median: float | None = _figure("hourly_median")
    hourly_p75: float | None = _figure("hourly_p75")
    hourly_p90: float | None = _figure("hourly_p90")
    annual_p10: float | None = _figure("annual_p10")
    annual_p25: float | None = _figure("annual_p25")
    annual_median: float | None = _figure("annual_median")
    annual_p75: float | None = _figure("annual_p75")
    annual_p90: float | None = _figure("annual_p90")
    jobs_per_1000: float | None = _figure("jobs_per_1000")
    location_quotient: float | None = _figure("location_quotient")

    @strawberry.field
    def at_least(self) -> list[WageBound]:
        return [WageBound(figure=_camel(name), at_least=bound) for name, bound in sorted(self.model.at_least.items())]

    @strawberry.field
    def not_released(self) -> list[str]:
        return [_camel(name) for name in self.model.not_released]

    @strawberry.field
    def release(self) -> str:
        return self.model.release

    @strawberry.field
    async def source(self, info: Info) -> Source | None:
        return await load_source(info, f"bls-oews-{self.model.release.lower()}")
