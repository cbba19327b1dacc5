"""The fields the official figures give `Role` (composed in `schema/catalog/role.py`): its published
benchmarks and outlooks, and the official wages and occupations of its O*NET codes."""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.official.types import AreaType, Occupation, OfficialWage, Outlook, SalaryBenchmark
from service.catalog import model
from service.official.oews_model import onet_to_soc
from service.official.oews_reads import WageQuery


@strawberry.type
class RoleOfficialFields:
    model: strawberry.Private[model.Role]

    @strawberry.field
    async def salary_benchmarks(self, info: Info) -> list[SalaryBenchmark]:
        return [SalaryBenchmark(model=b) for b in await info.context.loaders.benchmarks_by_role.load(self.model.slug)]

    @strawberry.field
    async def outlooks(self, info: Info) -> list[Outlook]:
        return [Outlook(model=o) for o in await info.context.loaders.outlooks_by_role.load(self.model.slug)]

    @strawberry.field
    async def official_wages(self, info: Info, area: str | None = None, area_type: AreaType | None = None,
                             industry: str | None = None, first: int = 20) -> list[OfficialWage]:
        query = WageQuery.for_role(self.model.onet_codes, area, area_type.value if area_type else None, industry, first)
        return [OfficialWage(model=w) for w in await info.context.loaders.official_wages.load(query)]

    @strawberry.field
    async def occupations(self, info: Info) -> list[Occupation]:
        codes = sorted({onet_to_soc(code) for code in self.model.onet_codes})
        found = await info.context.loaders.occupation.load_many(codes)
        return [Occupation(code=code, title=doc["name"] if doc else None)
                for code, doc in zip(codes, found, strict=True)]
