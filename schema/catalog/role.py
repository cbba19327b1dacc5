"""The Role type: a role and everything linked to it, across features (lazily referenced)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from schema.bands import ExperienceBand
from schema.catalog.types import Importance, LearningPath, RelatedRole, RoleSkill
from schema.context import Info
from schema.lazy import COMPARISON, DEMAND, OFFICIAL, SALARIES, SUMMARIES, WAGES, lazy_type
from schema.provenance import Source, load_sources
from schema.relay import Connection, Node, connection, model_field, page_request
from service.catalog import model
from service.official.oews_model import onet_to_soc
from service.official.oews_reads import WageQuery
from service.salaries.reads import ObservationFilter, list_observations
from service.summaries.reads import read_pay_comparison, read_role_salary_summary

if TYPE_CHECKING:
    from schema.official.types import Outlook, SalaryBenchmark
    from schema.official.wages import AreaType, Occupation, OfficialWage
    from schema.salaries.types import SalaryObservation
    from schema.summaries.comparison import PayComparison
    from schema.summaries.demand import Demand
    from schema.summaries.types import SalarySummary


@strawberry.type(description="An occupation such as Backend Developer.")
class Role(Node):
    model: strawberry.Private[model.Role]

    def node_key(self) -> str:
        return self.model.slug

    slug: str = model_field("slug")
    title: str = model_field("title")
    family: str = model_field("family")
    summary: str = model_field("summary")
    description: str = model_field("description")
    aliases: list[str] = model_field("aliases", "Other names for the role (job titles).")
    responsibilities: list[str] = model_field("responsibilities")
    tasks: list[str] = model_field("tasks", "O*NET task statements (O*NET occupations only).")
    onet_codes: list[str] = model_field("onet_codes")
    job_zone: int | None = model_field("job_zone", "O*NET job zone 1-5: how much preparation the role needs.")
    origin: str = model_field("origin", "curated, onet, editor or import")

    @strawberry.field(description="Skills the role needs, most important first.")
    async def skills(self, info: Info, importance: list[Importance] | None = None,
                     category: str | None = None) -> list[RoleSkill]:
        wanted = {i.value for i in importance} if importance else None
        links = sorted((link for link in self.model.skills if wanted is None or link.importance in wanted),
                       key=model.skill_link_order)
        if category is not None:
            skills = await info.context.loaders.skill.load_many([link.skill for link in links])
            links = [link for link, skill in zip(links, skills, strict=True)
                     if skill is not None and skill.category == category]
        return [RoleSkill(link=link) for link in links]

    @strawberry.field(description="Related roles: career steps, contrasts, O*NET relations.")
    def related_roles(self) -> list[RelatedRole]:
        return [RelatedRole(role_slug=r.role, tier=r.tier) for r in self.model.related]

    @strawberry.field
    async def learning_paths(self, info: Info) -> list[LearningPath]:
        return [LearningPath(model=p) for p in await info.context.loaders.paths_by_role.load(self.model.slug)]

    @strawberry.field(description="Published salary figures, each with its source.")
    async def salary_benchmarks(self, info: Info
                                ) -> list[Annotated[SalaryBenchmark, strawberry.lazy(OFFICIAL)]]:
        wrap = lazy_type(OFFICIAL, "SalaryBenchmark")
        return [wrap(model=b) for b in await info.context.loaders.benchmarks_by_role.load(self.model.slug)]

    @strawberry.field(description="Growth outlooks, each with its source.")
    async def outlooks(self, info: Info) -> list[Annotated[Outlook, strawberry.lazy(OFFICIAL)]]:
        wrap = lazy_type(OFFICIAL, "Outlook")
        return [wrap(model=o) for o in await info.context.loaders.outlooks_by_role.load(self.model.slug)]

    @strawberry.field
    async def sources(self, info: Info) -> list[Source]:
        return await load_sources(info, list(self.model.sources))

    @strawberry.field(description="Salary observations for this role, by amount (any API key).")
    async def salary_observations(
        self, info: Info, first: int | None = None, after: str | None = None,
        last: int | None = None, before: str | None = None, country: str | None = None,
        experience_band: ExperienceBand | None = None,
    ) -> Connection[Annotated[SalaryObservation, strawberry.lazy(SALARIES)]]:
        await info.context.require("reader")
        flt = ObservationFilter(role=self.model.slug, country=country,
                                experience_band=experience_band.value if experience_band else None)
        request = page_request(info, first, after, last, before)
        page = await list_observations(info.context.resources.db, flt, request)
        wrap = lazy_type(SALARIES, "SalaryObservation")
        return connection(page, lambda o: wrap(model=o))

    @strawberry.field(description="One salary summary: the CELL for a country and band, the COUNTRY or "
                                  "BAND roll-up when only one is given, the ROLE roll-up when neither is. "
                                  "Without a currency, the one with most observations. Null when the "
                                  "role has no observations there; PENDING before the first recompute. "
                                  "`normalizeTo` pools every currency into that one.")
    async def salary_summary(self, info: Info, country: str | None = None,
                             experience_band: ExperienceBand | None = None,
                             currency: str | None = None, normalize_to: str | None = None
                             ) -> Annotated[SalarySummary, strawberry.lazy(SUMMARIES)] | None:
        found = await read_role_salary_summary(info.context.resources, self.model.slug, country,
                                               experience_band.value if experience_band else None, currency,
                                               normalize_to)
        return lazy_type(SUMMARIES, "SalarySummary")(model=found) if found else None

    @strawberry.field(description="Crowd pay beside official wages (BLS OEWS) in `area`: US, a state (TX or "
                                  "US-TX) or a state's OEWS code. Served from the summary cache; null before "
                                  "the role's first recompute or when OEWS has no figures for its occupations "
                                  "there. Metro areas have official figures only: see `officialWages`.")
    async def pay_comparison(self, info: Info, area: str = "US"
                             ) -> Annotated[PayComparison, strawberry.lazy(COMPARISON)] | None:
        found = await read_pay_comparison(info.context.resources, self.model.slug, area)
        return lazy_type(COMPARISON, "PayComparison")(model=found) if found else None

    @strawberry.field(description="Official employment and wages (BLS OEWS) of the role's occupations, one entry an "
                                  "occupation and area: the nation unless `area` (an OEWS area code) or `areaType` "
                                  "says otherwise; all industries unless `industry` names one.")
    async def official_wages(self, info: Info, area: str | None = None,
                             area_type: Annotated[AreaType, strawberry.lazy(WAGES)] | None = None,
                             industry: str | None = None, first: int = 20
                             ) -> list[Annotated[OfficialWage, strawberry.lazy(WAGES)]]:
        query = WageQuery.for_role(self.model.onet_codes, area, area_type.value if area_type else None, industry, first)
        wrap = lazy_type(WAGES, "OfficialWage")
        return [wrap(model=w) for w in await info.context.loaders.official_wages.load(query)]

    @strawberry.field(description="The SOC occupations the role's O*NET codes belong to.")
    async def occupations(self, info: Info) -> list[Annotated[Occupation, strawberry.lazy(WAGES)]]:
        codes = sorted({onet_to_soc(code) for code in self.model.onet_codes})
        found = await info.context.loaders.occupation.load_many(codes)
        wrap = lazy_type(WAGES, "Occupation")
        return [wrap(code=code, title=doc["name"] if doc else None) for code, doc in zip(codes, found, strict=True)]

    @strawberry.field
    async def demand(self, info: Info) -> Annotated[Demand, strawberry.lazy(DEMAND)]:
        summary = await info.context.loaders.demand.load(f"role:{self.model.slug}")
        return lazy_type(DEMAND, "Demand")(model=summary)
