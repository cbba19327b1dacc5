"""Official-figure fields of the root query: `areas`, and `officialWages` of one role (the root
form is what dashboards send: it is answered from the response cache, see `schema.http.response_cache`)."""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.official.types import Area, AreaType, OfficialWage
from service.errors import NotFound
from service.official.oews_reads import WageQuery, find_areas


@strawberry.type
class OfficialQuery:
    @strawberry.field
    async def areas(self, info: Info, search: str | None = None, type: AreaType | None = None,
                    first: int = 20) -> list[Area]:
        found = await find_areas(info.context.resources.db, search, type.value if type else None, first)
        return [Area(model=a) for a in found]

    @strawberry.field
    async def official_wages(self, info: Info, role: str, area: str | None = None,
                             area_type: AreaType | None = None, industry: str | None = None,
                             first: int = 20) -> list[OfficialWage]:
        found = await info.context.loaders.role.load(role)
        if found is None:
            raise NotFound(f"no role with slug {role[:80]!r}", field="role")
        query = WageQuery.for_role(found.onet_codes, area, area_type.value if area_type else None, industry, first)
        return [OfficialWage(model=w) for w in await info.context.loaders.official_wages.load(query)]
