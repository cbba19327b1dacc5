"""GraphQL types of official wages: OEWS areas, occupations, industries and their figures."""

from __future__ import annotations

from enum import Enum
from typing import Any

import strawberry

from schema.context import Info
from schema.provenance import Source, load_source
from service.official import oews_model
from service.official.oews_reads import group_codes


@strawberry.enum(description="What an OEWS area is: the nation, a state (or DC, PR, GU, VI), or a metropolitan area.")
class AreaType(Enum):
    NATIONAL = "NATIONAL"
    STATE = "STATE"
    METRO = "METRO"


@strawberry.type(description="An OEWS area: the nation, a state or a metropolitan area.")
class Area:
    model: strawberry.Private[oews_model.Area]

    @strawberry.field(description="OEWS area code, 7 digits (0000000 is the nation).")
    def code(self) -> str:
        return self.model.code

    @strawberry.field(description="The area's name, as BLS writes it, e.g. \"Austin-Round Rock-San Marcos, TX\".")
    def name(self) -> str:
        return self.model.name

    @strawberry.field(description="NATIONAL, STATE or METRO.")
    def type(self) -> AreaType:
        return AreaType(self.model.type)

    @strawberry.field(description="The state's FIPS code (\"48\" is Texas); null for the nation.")
    def state(self) -> str | None:
        return self.model.state


@strawberry.type(description="A group of the Standard Occupational Classification, e.g. 15-1250.")
class OccupationGroup:
    code: str = strawberry.field(description="SOC code of the group.")
    title: str | None = strawberry.field(description="Its title in the OEWS release, where it has one.")
    level: str = strawberry.field(description="major, minor or broad.")


@strawberry.type(description="An occupation of the Standard Occupational Classification (SOC 2018), as OEWS "
                             "publishes it. Roles reach it through their O*NET codes (15-1252.00 is SOC 15-1252).")
class Occupation:
    code: str = strawberry.field(description="SOC code, e.g. 15-1252.")
    title: str | None = strawberry.field(description="Its title in the OEWS release.")

    @strawberry.field(description="The major, minor and broad groups it belongs to, widest first.")
    async def groups(self, info: Info) -> list[OccupationGroup]:
        codes = group_codes(self.code)
        found = await info.context.loaders.occupation.load_many([code for _, code in codes])
        return [OccupationGroup(code=code, level=level, title=doc["name"] if doc else None)
                for (level, code), doc in zip(codes, found, strict=True)]


@strawberry.type(description="A figure BLS publishes only as a bound: the wage is at least this much.")
class WageBound:
    figure: str = strawberry.field(description="Which figure, e.g. annualP90.")
    at_least: float = strawberry.field(description="The bound (USD): $115.00 an hour or $239,200 a year.")


def _figure(name: str, description: str) -> Any:
    def resolve(root: OfficialWage) -> float | None:
        return root.model.values.get(name)

    return strawberry.field(resolver=resolve, description=description)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


@strawberry.type(description="Employment and wages of one occupation in one OEWS area and industry, as BLS "
                             "published them (May 2025 release unless a newer one was imported). A null figure "
                             "was not released, or is a bound (see `atLeast`). " + oews_model.NOTICE)
class OfficialWage:
    model: strawberry.Private[oews_model.OfficialWage]

    @strawberry.field(description="The occupation (SOC).")
    async def occupation(self, info: Info) -> Occupation:
        found = await info.context.loaders.occupation.load(self.model.occupation)
        return Occupation(code=self.model.occupation, title=found["name"] if found else None)

    @strawberry.field(description="The area the figures are for.")
    async def area(self, info: Info) -> Area | None:
        found = await info.context.loaders.area.load(self.model.area)
        return Area(model=found) if found else None

    @strawberry.field(description="OEWS industry code; 000000 is all industries, private and public.")
    def industry(self) -> str:
        return self.model.industry

    @strawberry.field(description="The industry's name.")
    async def industry_name(self, info: Info) -> str | None:
        found = await info.context.loaders.industry.load(self.model.industry)
        return found["name"] if found else None

    employment: float | None = _figure("employment", "Jobs, rounded to the nearest 10 (self-employed not counted).")
    employment_rse: float | None = _figure("employment_rse", "Relative standard error of `employment`, percent.")
    hourly_mean: float | None = _figure("hourly_mean", "Mean hourly wage, USD.")
    annual_mean: float | None = _figure("annual_mean", "Mean annual wage, USD.")
    wage_rse: float | None = _figure("wage_rse", "Relative standard error of the mean wage, percent.")
    hourly_p10: float | None = _figure("hourly_p10", "10th percentile hourly wage, USD.")
    hourly_p25: float | None = _figure("hourly_p25", "25th percentile hourly wage, USD.")
    hourly_median: float | None = _figure("hourly_median", "Median hourly wage, USD.")
    hourly_p75: float | None = _figure("hourly_p75", "75th percentile hourly wage, USD.")
    hourly_p90: float | None = _figure("hourly_p90", "90th percentile hourly wage, USD.")
    annual_p10: float | None = _figure("annual_p10", "10th percentile annual wage, USD.")
    annual_p25: float | None = _figure("annual_p25", "25th percentile annual wage, USD.")
    annual_median: float | None = _figure("annual_median", "Median annual wage, USD.")
    annual_p75: float | None = _figure("annual_p75", "75th percentile annual wage, USD.")
    annual_p90: float | None = _figure("annual_p90", "90th percentile annual wage, USD.")
    jobs_per_1000: float | None = _figure("jobs_per_1000", "Jobs in the occupation per 1,000 jobs in the area.")
    location_quotient: float | None = _figure("location_quotient", "The occupation's share of the area's jobs over "
                                                                   "its share of the nation's.")

    @strawberry.field(description="Figures published only as bounds (BLS footnote 5).")
    def at_least(self) -> list[WageBound]:
        return [WageBound(figure=_camel(name), at_least=bound) for name, bound in sorted(self.model.at_least.items())]

    @strawberry.field(description="Figures BLS did not release for this cell (shown as \"-\" in its files).")
    def not_released(self) -> list[str]:
        return [_camel(name) for name in self.model.not_released]

    @strawberry.field(description="The release, e.g. 2025A01 (May 2025).")
    def release(self) -> str:
        return self.model.release

    @strawberry.field(description="Where the figures come from: BLS, the release, its files' checksums.")
    async def source(self, info: Info) -> Source | None:
        return await load_source(info, f"bls-oews-{self.model.release.lower()}")
