"""The Role type: a role and everything linked to it, across features (lazily referenced)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from schema.bands import ExperienceBand
from schema.catalog.types import Importance, LearningPath, RelatedRole, RoleSkill
from schema.context import Info
from schema.lazy import DEMAND, OFFICIAL, SALARIES, SUMMARIES, lazy_type
from schema.provenance import Source, load_sources
from schema.relay import Connection, Node, connection, model_field, page_request
from service.catalog import model
from service.salaries.reads import ObservationFilter, list_observations
from service.summaries.reads import read_role_salary_summary

if TYPE_CHECKING:
    from schema.official.types import Outlook, SalaryBenchmark
    from schema.salaries.types import SalaryObservation
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
                                  "role has no observations there; PENDING before the first recompute.")
    async def salary_summary(self, info: Info, country: str | None = None,
                             experience_band: ExperienceBand | None = None,
                             currency: str | None = None
                             ) -> Annotated[SalarySummary, strawberry.lazy(SUMMARIES)] | None:
        found = await read_role_salary_summary(info.context.resources, self.model.slug, country,
                                               experience_band.value if experience_band else None, currency)
        return lazy_type(SUMMARIES, "SalarySummary")(model=found) if found else None

    @strawberry.field
    async def demand(self, info: Info) -> Annotated[Demand, strawberry.lazy(DEMAND)]:
        summary = await info.context.loaders.demand.load(f"role:{self.model.slug}")
        return lazy_type(DEMAND, "Demand")(model=summary)
